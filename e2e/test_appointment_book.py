"""The appointment book in Chromium against a live ASGI server (HTTP + WebSocket)."""

from __future__ import annotations

import json
import urllib.request
from datetime import date, time
from typing import Any

import pytest
from playwright.sync_api import expect

from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.models import Appointment, Service, StaffMember
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at, next_weekday
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import Business, User

pytestmark = pytest.mark.e2e

HOURS = [
    HoursInterval(day, start, end)
    for day in range(6)
    for start, end in ((time(9), time(12, 30)), (time(13, 30), time(17)))
]


@pytest.fixture
def monday() -> date:
    return next_weekday(0)


@pytest.fixture
def haircut(business: Business) -> Service:
    return service_create(
        business=business,
        name="Women's Haircut",
        aliases=["ladies cut"],
        duration_minutes=45,
        buffer_minutes=15,
    )


@pytest.fixture
def manicure(business: Business) -> Service:
    return service_create(
        business=business, name="Gel Manicure", aliases=["gel mani"], duration_minutes=30
    )


@pytest.fixture
def ana(business: Business, haircut: Service, manicure: Service) -> StaffMember:
    return staff_create(
        business=business, name="Ana", service_ids=[haircut.pk, manicure.pk], hours=HOURS
    )


@pytest.fixture
def ben(business: Business, haircut: Service, manicure: Service) -> StaffMember:
    return staff_create(
        business=business, name="Ben", service_ids=[haircut.pk, manicure.pk], hours=HOURS
    )


def booked(business: Business, service: Service, staff: StaffMember, day: date, hour: int):
    return appointment_book(
        business=business,
        service=service,
        start=at(day, hour),
        staff=staff,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    )


def open_day(page: Any, day: date) -> None:
    page.goto(f"/book/?date={day.isoformat()}")
    page.locator("#conn-status", has_text="Live").wait_for()


def column(page: Any, staff: StaffMember, day: date) -> Any:
    return page.locator(f"#col-{staff.pk}-{day:%Y%m%d}")


def y_of(page: Any, col: Any, minute: int) -> float:
    """The offset inside a column where a local minute of the day is drawn."""
    start = int(page.locator("#book-grid").get_attribute("data-day-start"))
    length = int(page.locator("#book-grid").get_attribute("data-day-len"))
    box = col.bounding_box()
    return (minute - start) / length * box["height"]


def test_booking_from_an_empty_slot(
    signed_in_page, front_desk: User, business: Business, ana, ben, monday
) -> None:
    page = signed_in_page(front_desk)
    open_day(page, monday)
    col = column(page, ana, monday)
    col.click(position={"x": 40, "y": y_of(page, col, 11 * 60) + 4})
    form = page.locator("#book-form")
    form.wait_for()
    assert page.get_by_label("Time", exact=True).input_value() == "11:00"
    assert page.get_by_label("Staff", exact=True).input_value() == str(ana.pk)
    page.get_by_label("Find a service").fill("ladies cut")
    # Fuzzy search (bookings.matching): the spoken alias puts the haircut first, picked.
    best = page.locator("#service-options label").first
    expect(best).to_contain_text("Women's Haircut")
    expect(best.locator("input")).to_be_checked()
    page.get_by_label("Name", exact=True).fill("Dana Jones")
    page.get_by_label("Phone", exact=True).fill("415 555 0199")
    page.get_by_role("button", name="Book", exact=True).click()
    notice = page.get_by_test_id("panel-notice")
    notice.wait_for()
    appointment = Appointment.objects.get(business=business)
    assert notice.inner_text() == f"Booked: {appointment.reference}"
    assert appointment.start == at(monday, 11)
    assert appointment.service.name == "Women's Haircut"
    block = col.locator(f"[data-reference='{appointment.reference}']")
    block.wait_for()
    assert "11:00–11:45" in block.inner_text()


def test_a_clash_is_shown_in_the_form_and_an_alternative_books(
    signed_in_page, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    taken = booked(business, haircut, ana, monday, 10)
    page = signed_in_page(front_desk)
    open_day(page, monday)
    page.get_by_role("button", name="New booking").click()
    page.locator("#book-form").wait_for()
    page.locator("#service-options label", has_text="Women's Haircut").click()
    page.get_by_label("Time", exact=True).fill("10:15")
    page.get_by_label("Staff", exact=True).select_option(str(ana.pk))
    page.get_by_label("Name", exact=True).fill("Dana Jones")
    page.get_by_label("Phone", exact=True).fill("+14155550199")
    page.get_by_role("button", name="Book", exact=True).click()
    alert = page.get_by_test_id("form-error")
    alert.wait_for()
    assert "taken" in alert.inner_text()
    alternatives = page.get_by_test_id("alternative")
    assert alternatives.count() == 3
    alternatives.first.click()
    page.get_by_test_id("panel-notice").wait_for()
    assert Appointment.objects.filter(business=business).exclude(pk=taken.pk).count() == 1


def test_reschedule_by_choosing_a_free_slot(
    signed_in_page, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    appointment = booked(business, haircut, ana, monday, 10)
    page = signed_in_page(front_desk)
    open_day(page, monday)
    page.locator(f"[data-reference='{appointment.reference}']").click()
    page.get_by_text("Reschedule", exact=True).click()
    page.locator(".slot-btn[data-time='14:00']").first.click()
    page.get_by_test_id("panel-notice").wait_for()
    assert "Moved to" in page.get_by_test_id("panel-notice").inner_text()
    appointment.refresh_from_db()
    assert appointment.start.astimezone(business.tz).hour == 14
    block = column(page, appointment.staff, monday).locator(
        f"[data-reference='{appointment.reference}']"
    )
    block.wait_for()
    assert "14:00" in block.inner_text()


def test_reschedule_by_dragging_to_another_staff_member(
    signed_in_page, front_desk: User, business: Business, haircut, ana, ben, monday
) -> None:
    appointment = booked(business, haircut, ana, monday, 10)
    page = signed_in_page(front_desk)
    open_day(page, monday)
    block = page.locator(f"[data-reference='{appointment.reference}']")
    source = block.bounding_box()
    target_col = column(page, ben, monday)
    target = target_col.bounding_box()
    grab_x, grab_y = source["x"] + 20, source["y"] + 6
    drop_y = target["y"] + y_of(page, target_col, 15 * 60) + 6
    page.mouse.move(grab_x, grab_y)
    page.mouse.down()
    page.mouse.move(grab_x + 30, grab_y + 30, steps=5)
    page.mouse.move(target["x"] + 30, drop_y, steps=10)
    page.mouse.up()
    page.get_by_test_id("panel-notice").wait_for()
    appointment.refresh_from_db()
    assert appointment.staff_id == ben.pk
    assert appointment.start == at(monday, 15)
    target_col.locator(f"[data-reference='{appointment.reference}']").wait_for()
    assert column(page, ana, monday).locator(".appt").count() == 0


def test_dragging_onto_a_clash_is_refused_with_the_same_checks(
    signed_in_page, front_desk: User, business: Business, haircut, ana, ben, monday
) -> None:
    appointment = booked(business, haircut, ana, monday, 10)
    booked(business, haircut, ben, monday, 15)
    page = signed_in_page(front_desk)
    open_day(page, monday)
    source = page.locator(f"[data-reference='{appointment.reference}']").bounding_box()
    target_col = column(page, ben, monday)
    target = target_col.bounding_box()
    page.mouse.move(source["x"] + 20, source["y"] + 6)
    page.mouse.down()
    page.mouse.move(source["x"] + 50, source["y"] + 40, steps=5)
    page.mouse.move(target["x"] + 30, target["y"] + y_of(page, target_col, 15 * 60) + 6, steps=10)
    page.mouse.up()
    page.get_by_test_id("panel-error").wait_for()
    appointment.refresh_from_db()
    assert appointment.staff_id == ana.pk
    assert appointment.start == at(monday, 10)


def test_cancel_with_a_reason(
    signed_in_page, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    appointment = booked(business, haircut, ana, monday, 10)
    page = signed_in_page(front_desk)
    open_day(page, monday)
    page.locator(f"[data-reference='{appointment.reference}']").click()
    page.get_by_text("Cancel", exact=True).click()
    page.get_by_label("Reason").fill("Customer called, unwell")
    page.get_by_role("button", name="Cancel appointment").click()
    page.get_by_test_id("panel-notice").wait_for()
    assert page.get_by_test_id("status").inner_text() == "Cancelled"
    # It frees its time: the live column keeps it only as a cancelled block, hidden until
    # the desk shows cancelled ones.
    column(page, ana, monday).locator(".appt:not(.status-cancelled)").first.wait_for(
        state="detached"
    )
    column(page, ana, monday).locator(".appt.status-cancelled").wait_for(state="hidden")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancel_reason == "Customer called, unwell"


def test_search_by_a_spoken_style_reference(
    signed_in_page, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    appointment = booked(business, haircut, ana, monday, 10)
    prefix, day, number = appointment.reference.split("-")
    page = signed_in_page(front_desk)
    page.goto("/settings/")
    search = page.get_by_label("Search appointments")
    search.fill(f"{prefix.lower()} {day} {int(number)}")
    search.press("Enter")
    page.get_by_test_id("reference").wait_for()
    assert page.get_by_test_id("reference").inner_text() == appointment.reference
    assert f"date={monday.isoformat()}" in page.url


def test_a_booking_through_the_tools_api_appears_in_an_open_book(
    signed_in_page, asgi_live_server, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    page = signed_in_page(front_desk)
    open_day(page, monday)
    key = api_key_create(business=business, name="voice", scopes=["tools"]).secret
    body = {
        "service": "ladies cut",
        "start": at(monday, 14).isoformat(),
        "staff": ana.pk,
        "customer": {"name": "Voice Caller", "phone": "+14155550177"},
    }
    request = urllib.request.Request(  # noqa: S310 (the local test server)
        f"{asgi_live_server.url}/api/v1/tools/book_appointment",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (localhost)
        assert response.status == 201
        reference = json.loads(response.read())["reference"]
    # Within a second, without a reload: the column arrives over the socket.
    block = column(page, ana, monday).locator(f"[data-reference='{reference}']")
    block.wait_for(timeout=1000)
    assert "Voice Caller" in block.inner_text()
