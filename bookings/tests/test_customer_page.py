"""The customer's own page, reached by the signed link in every message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bookings.customer_links import customer_link, customer_token
from bookings.models import Appointment
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(business, haircut, ana, monday) -> Appointment:
    return appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123", "carol@example.test"),
    )


def url(appointment: Appointment, suffix: str = "") -> str:
    return f"/b/{customer_token(appointment)}/{suffix}"


def test_the_link_shows_the_booking_with_the_phone_masked(appointment) -> None:
    response = Client().get(url(appointment))
    assert response.status_code == 200
    text = response.content.decode()
    assert appointment.reference in text
    assert "Women&#x27;s Haircut" in text or "Women's Haircut" in text
    assert "+1 ••• ••• 0123" in text
    assert "+14155550123" not in text
    assert customer_link(appointment).endswith(url(appointment))


def test_a_tampered_link_is_a_404(appointment) -> None:
    token = customer_token(appointment)
    assert Client().get(f"/b/{token[:-2]}xx/").status_code == 404
    assert Client().get("/b/not-a-token/").status_code == 404


def test_the_customer_can_cancel(appointment) -> None:
    response = Client().post(url(appointment, "cancel/"), {"confirm": "yes"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert appointment.changes.last().actor_label == "the customer"


def test_cancelling_asks_first_and_says_so_afterwards(appointment) -> None:
    client = Client()
    asked = client.post(url(appointment, "cancel/"))
    assert asked.status_code == 200
    assert 'data-testid="cancel-confirm"' in asked.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "booked"  # one tap cancels nothing
    done = client.post(url(appointment, "cancel/"), {"confirm": "yes"}, follow=True)
    assert f"Your appointment {appointment.reference} is cancelled." in done.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_the_customer_can_pick_another_slot(appointment, monday) -> None:
    page = Client().get(url(appointment), {"date": str(monday + timedelta(days=1))})
    assert page.status_code == 200
    text = page.content.decode()
    choice = f"{at(monday + timedelta(days=1), 11).isoformat()}|{appointment.staff_id}"
    assert choice in text
    response = Client().post(url(appointment, "reschedule/"), {"slot": choice})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == at(monday + timedelta(days=1), 11)
    assert appointment.reference.endswith("-001")


def test_a_taken_or_bad_slot_is_refused_with_a_message(
    appointment, business, haircut, monday
) -> None:
    appointment_book(
        business=business,
        service=haircut,
        staff=appointment.staff,
        start=at(monday, 14),
        customer=CustomerDetails("Dan", "+14155550199"),
    )
    taken = f"{at(monday, 14).isoformat()}|{appointment.staff_id}"
    response = Client().post(url(appointment, "reschedule/"), {"slot": taken})
    assert response.status_code == 409
    assert "taken" in response.content.decode()
    assert Client().post(url(appointment, "reschedule/"), {"slot": "garbage"}).status_code == 400


def test_changes_close_inside_the_cancellation_window(business, haircut, ana) -> None:
    soon = timezone.now() + timedelta(hours=3)
    from datetime import time

    from bookings.catalog.services import HoursInterval, staff_update

    local = soon.astimezone(business.tz)
    staff_update(staff=ana, hours=[HoursInterval(local.weekday(), time(0), time(23, 59))])
    start = local.replace(minute=0, second=0, microsecond=0)
    appointment = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=start,
        customer=CustomerDetails("Carol", "+14155550123"),
    )
    page = Client().get(url(appointment))
    assert "Cancel my appointment" not in page.content.decode()
    response = Client().post(url(appointment, "cancel/"))
    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.status == "booked"
