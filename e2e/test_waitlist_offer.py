"""The waitlist end to end: the desk puts a client on the list, a cancellation over the
API frees a time, and the client's SMS link books it with one tap."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import date, time

import pytest
from playwright.sync_api import expect

from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.models import Appointment, OutboxMessage, WaitlistEntry
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at, next_weekday
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import Business, User

pytestmark = pytest.mark.e2e


def test_a_freed_time_goes_to_the_waitlist_and_books_in_one_tap(
    signed_in_page, asgi_live_server, browser, front_desk: User, business: Business
) -> None:
    monday: date = next_weekday(0)
    haircut = service_create(business=business, name="Women's Haircut", duration_minutes=45)
    ana = staff_create(
        business=business,
        name="Ana",
        service_ids=[haircut.pk],
        hours=[HoursInterval(d, time(9), time(10)) for d in range(6)],
    )
    taken = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 9),
        customer=CustomerDetails("Booked", "+14155550100"),
    )

    desk = signed_in_page(front_desk)
    desk.goto(f"/book/?date={monday.isoformat()}")
    desk.get_by_role("link", name="Waitlist").click()
    desk.get_by_label("Service").select_option(str(haircut.pk))
    desk.get_by_label("From").fill(f"{monday.isoformat()}T09:00")
    desk.get_by_label("To").fill(f"{monday.isoformat()}T10:00")
    desk.get_by_label("Name").fill("Dora Waiting")
    desk.get_by_label("Phone").fill("+14155550150")
    desk.get_by_role("button", name="Add to the waitlist").click()
    expect(desk.locator("#waitlist")).to_contain_text("Dora Waiting")
    expect(desk.locator("#waitlist")).to_contain_text("Waiting")

    key = api_key_create(business=business, name="voice", scopes=["tools"]).secret
    request = urllib.request.Request(  # noqa: S310 (the local test server)
        f"{asgi_live_server.url}/api/v1/tools/cancel_appointment",
        data=json.dumps({"reference": taken.reference}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (localhost)
        assert response.status == 200

    offer = OutboxMessage.objects.get(kind=OutboxMessage.Kind.OFFER)
    assert "09:00" in offer.body
    path = re.search(r"https?://[^/\s]+(/w/[^/\s]+/)", offer.body)
    assert path, offer.body
    client = browser.new_page()  # the client's phone: no session
    client.goto(f"{asgi_live_server.url}{path.group(1)}")
    expect(client.locator("#offer")).to_contain_text("Women's Haircut")
    client.get_by_test_id("take-offer").click()
    expect(client.locator("#offer")).to_contain_text("Booked:")
    booked = Appointment.objects.get(customer__name="Dora Waiting")
    assert booked.start == at(monday, 9)
    expect(client.locator("#offer")).to_contain_text(booked.reference)
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.BOOKED
    client.close()
