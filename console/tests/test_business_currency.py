"""A business's currency: from where it is at creation, editable in its settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_user
from console.tenancy.currency import currency_for_place, money_format
from console.tenancy.models import Business, User
from console.tenancy.services import business_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "region", "code"),
    [
        ("Europe/London", "", "GBP"),
        ("Europe/Paris", "", "EUR"),
        ("Europe/Madrid", "", "EUR"),
        ("Australia/Sydney", "", "AUD"),
        ("America/Toronto", "", "CAD"),
        ("America/New_York", "", "USD"),
        ("Asia/Tokyo", "GB", "GBP"),  # no rule for the zone: the phone country's
        ("Asia/Tokyo", "", "USD"),
    ],
)
def test_the_currency_follows_the_place(zone: str, region: str, code: str) -> None:
    assert currency_for_place(timezone_name=zone, region=region) == code


def test_money_is_formatted_from_integer_cents() -> None:
    assert money_format(5500, "GBP") == "£55.00"
    assert money_format(123456789, "EUR") == "€1,234,567.89"
    assert money_format(-5, "USD") == "-$0.05"
    assert money_format(None, "USD") == ""


def test_a_london_clinic_is_created_in_pounds() -> None:
    owner = make_user("owner@london.test")
    clinic = business_create(
        name="Harley Physio", kind="clinic", timezone_name="Europe/London", owner=owner
    )
    assert clinic.currency == "GBP"


def test_the_owner_changes_the_currency_in_business_settings(
    client_for, owner: User, business: Business
) -> None:
    client = client_for(owner)
    page = client.get(reverse("settings_business")).content.decode()
    assert 'name="currency"' in page
    response = client.post(
        reverse("settings_business"),
        {"name": business.name, "timezone": business.timezone, "default_region": "GB",
         "currency": "GBP"},
    )  # fmt: skip
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.currency == "GBP"


def test_an_unknown_currency_is_refused_clearly(
    client_for, owner: User, business: Business
) -> None:
    response = client_for(owner).post(
        reverse("settings_business"),
        {"name": business.name, "timezone": business.timezone, "default_region": "US",
         "currency": "XXX"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    business.refresh_from_db()
    assert business.currency == "USD"
