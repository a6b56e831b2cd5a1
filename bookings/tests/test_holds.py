"""Slot holds (CONTRACTS.md §4 `hold_slot`, `book_appointment` with `hold_id`): a hold blocks
the time for everyone else until it expires, by itself, and turns into the booking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from bookings.catalog.services import service_create, staff_create
from bookings.customer_links import customer_token
from bookings.holds import HoldNotFound, hold_book, hold_create
from bookings.models import Appointment, Service, SlotHold, StaffMember
from bookings.selectors import availability_list
from bookings.services import (
    BookingError,
    CustomerDetails,
    SlotUnavailable,
    appointment_book,
    appointment_reschedule,
)
from bookings.tests.conftest import WEEKDAYS_9_TO_5_WITH_LUNCH, at
from console.tenancy.models import Business

CAROL = {"name": "Carol", "phone": "+14155550123"}


@pytest.fixture
def tools(business: Business, api_client_for) -> APIClient:
    return api_client_for(business, "tools")


def expire(hold: SlotHold) -> None:
    """Its time has come (the PostgreSQL test lets a real one run out: test_holds_postgres)."""
    SlotHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def post(client: APIClient, name: str, body: object, **headers: str):
    return client.post(f"/api/v1/tools/{name}", body, format="json", **headers)


def test_hold_slot_answers_201_with_the_hold_in_local_time(
    tools, business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    response = post(tools, "hold_slot", {"service": "haircut", "start": at(monday, 10).isoformat()})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["start"] == at(monday, 10).isoformat()
    assert body["end"] == at(monday, 10, 45).isoformat()
    assert body["staff"] == {"id": ana.pk, "name": "Ana"}
    hold = SlotHold.objects.get(pk=body["hold_id"])
    assert hold.business == business
    left = hold.expires_at - hold.created_at
    assert timedelta(minutes=4, seconds=58) < left <= timedelta(minutes=5, seconds=1)
    assert body["expires_at"].endswith(at(monday, 10).strftime("%z")[:3] + ":00")


def test_a_held_time_is_refused_to_a_booking_a_hold_and_a_move(
    tools, business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    assert post(tools, "hold_slot", {"service": haircut.pk, "start": at(monday, 10).isoformat()})
    booking = post(
        tools,
        "book_appointment",
        {"service": haircut.pk, "start": at(monday, 10, 30).isoformat(), "customer": CAROL},
    )
    assert booking.status_code == 409
    assert booking.json()["error"] == "slot_unavailable"
    assert booking.json()["alternatives"]
    second = post(tools, "hold_slot", {"service": haircut.pk, "start": at(monday, 10).isoformat()})
    assert second.status_code == 409
    assert second.json()["error"] == "slot_unavailable"
    assert second.json()["alternatives"]
    elsewhere = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 14),
        customer=CustomerDetails("Dan", "+14155550124"),
    )
    with pytest.raises(SlotUnavailable):
        appointment_reschedule(appointment=elsewhere, start=at(monday, 10))


def test_availability_does_not_offer_a_held_time(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    starts = {
        s.start
        for s in availability_list(
            business=business, service=haircut, staff=ana, day_from=monday, day_to=monday
        )
    }
    assert at(monday, 9) in starts  # 09:00–09:45 + 15 buffer ends as the hold starts
    assert at(monday, 10) not in starts
    assert at(monday, 9, 15) not in starts  # its buffer would run into the hold
    assert at(monday, 11) in starts  # 10:45 + 15 minutes of buffer


def test_without_staff_a_hold_goes_to_whoever_is_free(
    business: Business, haircut: Service, ana: StaffMember, ben: StaffMember, monday: date
) -> None:
    first = hold_create(business=business, service=haircut, start=at(monday, 10))
    second = hold_create(business=business, service=haircut, start=at(monday, 10))
    assert {first.staff_id, second.staff_id} == {ana.pk, ben.pk}
    with pytest.raises(SlotUnavailable):
        hold_create(business=business, service=haircut, start=at(monday, 10))


def test_an_expired_hold_blocks_nothing_with_no_sweeper(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    hold = hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    expire(hold)
    again = hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    assert again.pk != hold.pk
    expire(again)
    booked = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Dan", "+14155550124"),
    )
    assert booked.start == at(monday, 10)


def test_book_appointment_with_hold_id_books_the_held_time_and_ends_the_hold(
    tools, business: Business, haircut: Service, ana: StaffMember, ben: StaffMember, monday: date
) -> None:
    held = post(tools, "hold_slot", {"service": haircut.pk, "start": at(monday, 10).isoformat()})
    hold_id = held.json()["hold_id"]
    response = post(tools, "book_appointment", {"hold_id": hold_id, "customer": CAROL})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["start"] == at(monday, 10).isoformat()
    assert body["staff"] == held.json()["staff"]
    assert body["service"]["id"] == haircut.pk
    hold = SlotHold.objects.get(pk=hold_id)
    assert hold.status == SlotHold.Status.BOOKED
    assert hold.appointment is not None
    assert hold.appointment.reference == body["reference"]
    again = post(tools, "book_appointment", {"hold_id": hold_id, "customer": CAROL})
    assert again.status_code == 409
    assert again.json()["error"] == "hold_expired"
    assert again.json()["fields"] == {"hold_id": "That hold was already booked."}
    assert Appointment.objects.count() == 1


def test_book_appointment_with_an_expired_hold_is_a_clear_409(
    tools, haircut: Service, ana: StaffMember, monday: date
) -> None:
    held = post(tools, "hold_slot", {"service": haircut.pk, "start": at(monday, 10).isoformat()})
    hold = SlotHold.objects.get(pk=held.json()["hold_id"])
    expire(hold)
    response = post(tools, "book_appointment", {"hold_id": hold.pk, "customer": CAROL})
    assert response.status_code == 409
    assert response.json()["error"] == "hold_expired"
    assert "expired" in response.json()["message"]
    assert not Appointment.objects.exists()


def test_another_business_s_hold_id_is_a_404(
    tools, haircut: Service, ana: StaffMember, monday: date, other_business: Business
) -> None:
    service = service_create(business=other_business, name="Cut", duration_minutes=30)
    staff_create(
        business=other_business,
        name="Zed",
        service_ids=[service.pk],
        hours=WEEKDAYS_9_TO_5_WITH_LUNCH,
    )
    theirs = hold_create(business=other_business, service=service, start=at(monday, 10))
    response = post(tools, "book_appointment", {"hold_id": theirs.pk, "customer": CAROL})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert SlotHold.objects.get(pk=theirs.pk).status == SlotHold.Status.HELD
    with pytest.raises(HoldNotFound):
        hold_book(
            business=haircut.business,
            hold_id=theirs.pk,
            customer=CustomerDetails("Carol", "+14155550123"),
        )


def test_a_hold_id_with_a_different_start_is_refused(
    tools, haircut: Service, ana: StaffMember, monday: date
) -> None:
    held = post(tools, "hold_slot", {"service": haircut.pk, "start": at(monday, 10).isoformat()})
    response = post(
        tools,
        "book_appointment",
        {"hold_id": held.json()["hold_id"], "start": at(monday, 11).isoformat(), "customer": CAROL},
    )
    assert response.status_code == 400
    assert "start" in response.json()["fields"]
    assert SlotHold.objects.get().status == SlotHold.Status.HELD


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes": 11}, "minutes"),
        ({"minutes": 0}, "minutes"),
        ({"start": "2026-11-30T10:00:00"}, "start"),
        ({"service": None}, "service"),
    ],
)
def test_hold_slot_refuses_bad_input_with_a_400(
    tools, haircut: Service, ana: StaffMember, monday: date, body: dict, field: str
) -> None:
    base = {"service": haircut.pk, "start": at(monday, 10).isoformat()}
    response = post(tools, "hold_slot", {**base, **body})
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not SlotHold.objects.exists()


def test_book_appointment_without_hold_id_still_needs_service_and_start(tools, ana) -> None:
    response = post(tools, "book_appointment", {"customer": CAROL})
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"service", "start"}


def test_a_hold_may_last_at_most_ten_minutes(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    hold = hold_create(
        business=business, service=haircut, staff=ana, start=at(monday, 10), minutes=10
    )
    assert hold.expires_at - hold.created_at <= timedelta(minutes=10, seconds=1)
    with pytest.raises(BookingError):
        hold_create(business=business, service=haircut, staff=ana, start=at(monday, 12), minutes=11)


def test_the_customer_page_neither_offers_nor_takes_a_held_time(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    mine = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 9),
        customer=CustomerDetails("Carol", "+14155550123"),
    )
    hold_create(business=business, service=haircut, staff=ana, start=at(monday + timedelta(1), 11))
    page_url = f"/b/{customer_token(mine)}/"
    held = f"{at(monday + timedelta(1), 11).isoformat()}|{ana.pk}"
    free = f"{at(monday + timedelta(1), 14).isoformat()}|{ana.pk}"
    text = Client().get(page_url, {"date": str(monday + timedelta(1))}).content.decode()
    assert free in text
    assert held not in text
    response = Client().post(f"{page_url}reschedule/", {"slot": held})
    assert response.status_code == 409
    mine.refresh_from_db()
    assert mine.start == at(monday, 9)


def test_a_booking_by_hand_cannot_take_a_held_time(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    with pytest.raises(SlotUnavailable):
        appointment_book(
            business=business,
            service=haircut,
            staff=ana,
            start=at(monday, 10, 15),
            customer=CustomerDetails("Desk", "+14155550125"),
            enforce_rules=False,  # staff booking by hand still cannot take held time
        )
