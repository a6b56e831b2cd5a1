"""Prices in the business's currency: a London salon's show in pounds, everywhere they are
shown (settings, booking form, customer page). Money stays integer cents."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bookings.customer_links import customer_token
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def london(business: Business) -> Business:
    business.currency = "GBP"
    business.save(update_fields=["currency"])
    return business


def test_the_services_settings_page_shows_pounds(
    client_for, owner: User, london: Business, haircut
) -> None:
    html = client_for(owner).get(reverse("settings_services")).content.decode()
    assert "£55.00" in html
    assert "$55.00" not in html
    form = client_for(owner).get(reverse("settings_service_edit", args=[haircut.pk]))
    assert "Prices are in GBP (Pound sterling)" in form.content.decode()


def test_the_booking_form_lists_services_with_their_price_in_pounds(
    client_for, front_desk: User, london: Business, haircut, ana, monday
) -> None:
    html = (
        client_for(front_desk)
        .get(reverse("book_new"), {"date": monday.isoformat(), "staff": ana.pk})
        .content.decode()
    )
    assert "£55.00" in html
    options = client_for(front_desk).get(reverse("book_service_options"), {"service_query": "cut"})
    assert "£55.00" in options.content.decode()


def test_the_customer_page_shows_the_price_in_pounds(
    london: Business, haircut, ana, monday
) -> None:
    appointment = appointment_book(
        business=london,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+447700900123"),
    )
    html = Client().get(reverse("booking_customer", args=[customer_token(appointment)]))
    assert "£55.00" in html.content.decode()


def test_a_business_in_dollars_keeps_dollars(client_for, owner: User, haircut) -> None:
    assert "$55.00" in client_for(owner).get(reverse("settings_services")).content.decode()
