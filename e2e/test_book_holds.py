"""A slot held for a caller shows on the book as a dashed block that counts down, arrives
live on an open book, and leaves the book when it ends."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.holds import hold_create
from bookings.models import Service, SlotHold, StaffMember
from bookings.tests.conftest import at, next_weekday
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import Business, User

pytestmark = pytest.mark.e2e

HOURS = [HoursInterval(day, time(9), time(17)) for day in range(6)]


@pytest.fixture
def monday() -> date:
    return next_weekday(0)


@pytest.fixture
def haircut(business: Business) -> Service:
    return service_create(
        business=business, name="Women's Haircut", duration_minutes=45, buffer_minutes=15
    )


@pytest.fixture
def ana(business: Business, haircut: Service) -> StaffMember:
    return staff_create(business=business, name="Ana", service_ids=[haircut.pk], hours=HOURS)


def test_a_hold_is_a_dashed_block_counting_down_on_the_book(
    signed_in_page,
    asgi_live_server,
    front_desk: User,
    business: Business,
    haircut: Service,
    ana,
    monday: date,
) -> None:
    hold = hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    page = signed_in_page(front_desk)
    page.goto(f"/book/?date={monday.isoformat()}")
    page.locator("#conn-status", has_text="Live").wait_for()
    block = page.locator(f'[data-hold="{hold.pk}"]')
    expect(block).to_be_visible()
    expect(block).to_contain_text("10:00–10:45")
    expect(block).to_contain_text("Women's Haircut")
    assert block.evaluate("b => getComputedStyle(b).borderTopStyle") == "dashed"
    countdown = block.locator("[data-hold-countdown]")
    expect(countdown).to_have_text(re.compile(r"^[45]:\d\d$"))
    first = countdown.text_content()
    expect(countdown).not_to_have_text(first or "", timeout=3000)  # it ticks

    # A hold the voice agent takes while the book is open arrives live, over the socket.
    key = api_key_create(business=business, name="voice", scopes=["tools"]).secret
    request = urllib.request.Request(  # noqa: S310 (the local test server)
        f"{asgi_live_server.url}/api/v1/tools/hold_slot",
        data=json.dumps({"service": haircut.pk, "start": at(monday, 14).isoformat()}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (localhost)
        assert response.status == 201
        second = json.loads(response.read())["hold_id"]
    expect(page.locator(f'[data-hold="{second}"]')).to_be_visible(timeout=2000)

    # When its time runs out it leaves the book, with nothing run on the server.
    SlotHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() + timedelta(seconds=2))
    page.reload()
    page.locator("#conn-status", has_text="Live").wait_for()
    expect(page.locator(f'[data-hold="{hold.pk}"]')).to_be_visible()
    expect(page.locator(f'[data-hold="{hold.pk}"]')).to_be_hidden(timeout=5000)
