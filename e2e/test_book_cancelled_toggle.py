"""Cancelled appointments on the grid in Chromium: hidden, then greyed behind a toggle that
the address bar remembers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bookings.catalog.services import service_create, staff_create
from bookings.services import CustomerDetails, appointment_book, appointment_cancel
from bookings.tests.conftest import WEEKDAYS_9_TO_5_WITH_LUNCH, at, next_weekday

pytestmark = pytest.mark.e2e


def test_the_toggle_shows_cancelled_ones_greyed_and_survives_a_reload(
    business, front_desk, signed_in_page
) -> None:
    haircut = service_create(business=business, name="Haircut", duration_minutes=45)
    ana = staff_create(
        business=business, name="Ana", service_ids=[haircut.pk], hours=WEEKDAYS_9_TO_5_WITH_LUNCH
    )
    monday = next_weekday(0)
    gone = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    )
    appointment_cancel(appointment=gone, reason="ill")
    page = signed_in_page(front_desk)
    page.goto(f"/book/?date={monday.isoformat()}")
    block = page.locator(f'.appt[data-reference="{gone.reference}"]')
    expect(block).to_have_count(0)
    page.get_by_test_id("cancelled-toggle").click()
    expect(page).to_have_url(re.compile(r"cancelled=1"))
    expect(block).to_be_visible()
    expect(block).to_have_class(re.compile("status-cancelled"))
    assert float(block.evaluate("el => getComputedStyle(el).opacity")) < 1
    page.reload()
    expect(block).to_be_visible()
    expect(page.get_by_test_id("cancelled-toggle")).to_have_text("Hide cancelled")
    page.get_by_test_id("cancelled-toggle").click()
    expect(block).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"cancelled=1"))
