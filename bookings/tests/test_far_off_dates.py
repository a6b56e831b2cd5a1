"""A date in year 1 or 9999 is bad input, never a 500 (CONTRACTS §2): the API answers 400
naming the field, a form says what to fix, a panel shows its usual day."""

from __future__ import annotations

import pytest
from django.test import Client

from bookings.models import Appointment
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at

pytestmark = pytest.mark.django_db

FAR_OFF = ["0001-01-01", "9999-12-31"]


@pytest.fixture
def booked(business, haircut, ana, monday) -> Appointment:
    return appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123"),
    )


@pytest.fixture
def desk(owner) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    return client


@pytest.mark.parametrize("day", FAR_OFF)
def test_the_appointments_api_refuses_a_far_off_date_filter(business, api_client_for, day):
    response = api_client_for(business, "admin").get("/api/v1/appointments", {"date": day})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and "date" in response.json()["fields"]


@pytest.mark.parametrize("day", FAR_OFF)
def test_the_free_slots_panel_shows_the_appointments_day_for_a_far_off_date(
    desk, booked, monday, day
):
    response = desk.get(f"/book/a/{booked.pk}/slots/", {"date": day})
    assert response.status_code == 200
    assert str(monday) in response.content.decode()


@pytest.mark.parametrize("day", FAR_OFF)
def test_a_new_booking_on_a_far_off_date_is_a_form_error(desk, haircut, day):
    response = desk.post(
        "/book/new/",
        {
            "service": haircut.pk,
            "date": day,
            "time": "10:00",
            "customer_name": "Dana",
            "customer_phone": "4155550100",
        },
    )
    assert response.status_code == 422
    assert "within five years of today" in response.content.decode()
    assert not Appointment.objects.filter(customer__name="Dana").exists()


@pytest.mark.parametrize("day", FAR_OFF)
def test_moving_to_a_far_off_date_is_refused_and_changes_nothing(desk, booked, day):
    before = booked.start
    response = desk.post(f"/book/a/{booked.pk}/move/", {"date": day, "time": "10:00"})
    assert response.status_code == 422
    booked.refresh_from_db()
    assert booked.start == before
    assert "within five years of today" in response.content.decode()


def test_time_off_far_off_is_a_form_error(desk, ana):
    response = desk.post(
        f"/settings/staff/{ana.pk}/exceptions/",
        {"kind": "off", "start": "9999-12-31T09:00", "end": "9999-12-31T17:00"},
    )
    assert response.status_code != 500
    assert not ana.exceptions.exists()
