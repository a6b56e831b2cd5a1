"""The customer's self-service page in Chromium: times in the salon's own zone."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.customer_links import customer_token
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at, next_weekday
from conftest import make_business, make_user

pytestmark = pytest.mark.e2e

HOURS = [HoursInterval(day, time(9), time(17)) for day in range(6)]


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
def test_the_customer_sees_and_picks_times_in_the_salons_zone(
    page: Any, asgi_live_server: Any, zone: str
) -> None:
    owner = make_user(f"owner-{zone.replace('/', '-').lower()}@salon.test")
    business = make_business("Salon Zone", owner, tz=zone)
    haircut = service_create(business=business, name="Haircut", duration_minutes=45)
    ana = staff_create(business=business, name="Ana", service_ids=[haircut.pk], hours=HOURS)
    monday = next_weekday(0)
    appointment = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10, tz=zone),
        customer=CustomerDetails("Carol", "+14155550123"),
    )
    tuesday = monday + timedelta(days=1)

    page.goto(f"{asgi_live_server.url}/b/{customer_token(appointment)}/")
    expect(page.locator("#booking")).to_contain_text("10:00–10:45")
    expect(page.locator("#booking")).to_contain_text(zone)

    page.fill("#date", tuesday.isoformat())
    page.get_by_role("button", name="Show free times").click()
    slots = page.locator("#change .slot")
    expect(slots.first).to_contain_text("09:00")
    page.locator("#change .slot", has_text="14:00").locator("input").check()
    page.get_by_role("button", name="Move my appointment").click()

    expect(page.locator("#booking")).to_contain_text("14:00–14:45")
    appointment.refresh_from_db()
    assert appointment.start == at(tuesday, 14, tz=zone)
