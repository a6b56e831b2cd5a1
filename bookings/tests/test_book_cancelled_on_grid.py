"""Cancelled appointments stay visible on the grid, greyed, behind a toggle in the URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bookings.book.live import columns_html
from bookings.models import Appointment
from bookings.services import CustomerDetails, appointment_book, appointment_cancel
from bookings.tests.conftest import at
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancelled(business: Business, haircut, ana, monday) -> Appointment:
    appointment = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    )
    return appointment_cancel(appointment=appointment, reason="ill")


def _day(client, monday, **params) -> str:
    response = client.get(reverse("book_day"), {"date": monday.isoformat(), **params})
    assert response.status_code == 200
    return response.content.decode()


def test_by_default_the_book_leaves_cancelled_ones_out_and_offers_the_toggle(
    client_for, front_desk: User, cancelled: Appointment, monday
) -> None:
    html = _day(client_for(front_desk), monday)
    assert cancelled.reference not in html
    assert "Show cancelled" in html
    assert f'href="/book/?date={monday.isoformat()}&amp;cancelled=1"' in html
    assert 'hx-push-url="true"' in html


def test_with_the_toggle_on_cancelled_ones_show_greyed_and_links_keep_it(
    client_for, front_desk: User, cancelled: Appointment, monday
) -> None:
    html = _day(client_for(front_desk), monday, cancelled="1")
    assert cancelled.reference in html
    assert 'class="appt status-cancelled"' in html
    assert "show-cancelled" in html
    assert "Hide cancelled" in html
    assert f'href="/book/?date={monday.isoformat()}"' in html  # the toggle turns it off
    assert '&amp;cancelled=1" rel="next"' in html
    grid = client_for(front_desk).get(
        reverse("book_day_grid"), {"date": monday.isoformat(), "cancelled": "1"}
    )
    assert cancelled.reference in grid.content.decode()


def test_a_new_booking_in_the_freed_time_is_drawn_over_the_cancelled_one(
    client_for, front_desk: User, business: Business, cancelled: Appointment, haircut, ana, monday
) -> None:
    rebooked = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Bob Jones", phone="+14155550199"),
    )
    html = _day(client_for(front_desk), monday, cancelled="1")
    assert html.index(cancelled.reference) < html.index(rebooked.reference)


def test_the_week_view_honours_the_toggle(
    client_for, front_desk: User, cancelled: Appointment, ana, monday
) -> None:
    url = reverse("book_week", args=[ana.pk])
    client = client_for(front_desk)
    assert cancelled.reference not in client.get(url, {"date": monday.isoformat()}).content.decode()
    html = client.get(url, {"date": monday.isoformat(), "cancelled": "1"}).content.decode()
    assert cancelled.reference in html


def test_live_columns_carry_the_cancelled_block_for_books_that_show_it(
    cancelled: Appointment,
) -> None:
    html = columns_html(appointment=cancelled)
    assert 'class="appt status-cancelled"' in html
    assert cancelled.reference in html


def test_another_business_never_sees_our_cancelled_ones(
    client_for, outsider: User, cancelled: Appointment, monday
) -> None:
    html = _day(client_for(outsider), monday, cancelled="1")
    assert cancelled.reference not in html
