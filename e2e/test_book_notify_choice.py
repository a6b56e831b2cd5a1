"""Moving and cancelling in Chromium ask whether to tell the client."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bookings.catalog.services import service_create, staff_create
from bookings.models import Appointment, OutboxMessage
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import WEEKDAYS_9_TO_5_WITH_LUNCH, at, next_weekday

pytestmark = pytest.mark.e2e


def test_the_desk_moves_without_telling_and_cancels_telling_the_client(
    business, front_desk, signed_in_page
) -> None:
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
    )
    page = signed_in_page(front_desk)
    page.goto(f"/book/?date={monday.isoformat()}&appt={appointment.pk}")
    panel = page.locator("#panel")
    panel.locator("summary", has_text="Reschedule").click()
    box = panel.get_by_test_id("move-notify")
    expect(box).to_be_checked()
    box.uncheck()
    panel.locator('.slot-btn[data-time="14:00"]').click()
    expect(panel.get_by_test_id("panel-notice")).to_contain_text("The client was not told.")
    expect(panel.locator(".history")).to_contain_text("client not told")
    appointment.refresh_from_db()
    assert appointment.start == at(monday, 14)
    assert not OutboxMessage.objects.filter(
        appointment=appointment, kind=OutboxMessage.Kind.RESCHEDULE
    ).exists()

    panel.locator("summary", has_text="Cancel").click()
    expect(panel.get_by_test_id("cancel-notify")).to_be_checked()
    panel.get_by_role("button", name="Cancel appointment").click()
    expect(panel.get_by_test_id("panel-notice")).to_contain_text("The client is being told.")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert OutboxMessage.objects.filter(
        appointment=appointment, kind=OutboxMessage.Kind.CANCELLATION
    ).exists()
