"""Search from any page: a reference said or typed any way, a phone, a name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(business: Business, haircut, ana, monday):
    return appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    )


def spoken(reference: str) -> str:
    """GB-20261125-007 → 'gb 20261125 7', as a caller would say it."""
    prefix, day, number = reference.split("-")
    return f"{prefix.lower()} {day} {int(number)}"


def test_a_spoken_reference_opens_the_appointment_on_its_day(
    client_for, front_desk: User, appointment, monday
) -> None:
    response = client_for(front_desk).get(
        reverse("book_search"), {"q": spoken(appointment.reference)}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('book_day')}?date={monday.isoformat()}&appt={appointment.pk}"
    )


def test_a_phone_in_any_format_finds_the_customer_s_appointments(
    client_for, front_desk: User, appointment
) -> None:
    response = client_for(front_desk).get(reverse("book_search"), {"q": "(415) 555-0123"})
    assert response.status_code == 200
    assert appointment.reference in response.content.decode()


def test_part_of_a_name_finds_appointments(client_for, front_desk: User, appointment) -> None:
    html = client_for(front_desk).get(reverse("book_search"), {"q": "smi"}).content.decode()
    assert appointment.reference in html
    assert "10:00" in html  # local time, not UTC


def test_nothing_found_says_so(client_for, front_desk: User, appointment) -> None:
    html = client_for(front_desk).get(reverse("book_search"), {"q": "zzz"}).content.decode()
    assert 'data-testid="search-empty"' in html


def test_another_business_finds_nothing_of_ours(client_for, outsider: User, appointment) -> None:
    client = client_for(outsider)
    for query in (appointment.reference, "+14155550123", "Alice"):
        response = client.get(reverse("book_search"), {"q": query})
        assert response.status_code == 200  # no redirect to our appointment
        html = response.content.decode()
        assert 'data-testid="search-empty"' in html
        assert "Alice Smith" not in html


def test_the_search_box_is_on_every_console_page(client_for, front_desk: User) -> None:
    html = client_for(front_desk).get(reverse("settings_business")).content.decode()
    assert f'action="{reverse("book_search")}"' in html


@pytest.mark.parametrize("typed", ["0123", "555 0123", "555-0123", "4155550123"])
def test_the_last_digits_of_a_phone_find_the_customer_s_appointments(
    client_for, front_desk: User, appointment, typed: str
) -> None:
    html = client_for(front_desk).get(reverse("book_search"), {"q": typed}).content.decode()
    assert appointment.reference in html


def test_a_number_typed_without_its_country_code_finds_the_customer(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    booked = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 11),
        staff=ana,
        customer=CustomerDetails(name="Emma Walsh", phone="+447700900121"),
    )
    client = client_for(front_desk)
    html = client.get(reverse("book_search"), {"q": "07700 900121"}).content.decode()
    assert booked.reference in html
    picker = client.get(reverse("book_customer_options"), {"customer_query": "0121"})
    assert "Emma Walsh" in picker.content.decode()


def test_digits_that_only_share_the_last_four_do_not_match(
    client_for, front_desk: User, appointment
) -> None:
    html = client_for(front_desk).get(reverse("book_search"), {"q": "999 0123"}).content.decode()
    assert appointment.reference not in html


def test_another_business_finds_nothing_of_ours_by_the_last_digits(
    client_for, outsider: User, appointment
) -> None:
    html = client_for(outsider).get(reverse("book_search"), {"q": "0123"}).content.decode()
    assert appointment.reference not in html
