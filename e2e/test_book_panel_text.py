"""What people type stays inside the appointment panel in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bookings.catalog.services import service_create, staff_create
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import WEEKDAYS_9_TO_5_WITH_LUNCH, at, next_weekday

pytestmark = pytest.mark.e2e


def test_an_unbroken_note_wraps_inside_the_panel(business, front_desk, signed_in_page) -> None:
    haircut = service_create(business=business, name="Haircut", duration_minutes=45)
    ana = staff_create(
        business=business, name="Ana", service_ids=[haircut.pk], hours=WEEKDAYS_9_TO_5_WITH_LUNCH
    )
    monday = next_weekday(0)
    appointment = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
        notes="allergic" + "x" * 1990,
    )
    page = signed_in_page(front_desk)
    page.goto(f"/book/?date={monday.isoformat()}&appt={appointment.pk}")
    panel = page.locator("#panel .panel")
    expect(panel).to_contain_text("allergicxxx")
    overflow = panel.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 1, overflow
