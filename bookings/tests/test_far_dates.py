"""Days at the ends of the calendar are bad input, never a 500: the tools API answers 400,
pages fall back to a day they can show."""

from __future__ import annotations

import pytest
from django.test import Client

from bookings.customer_links import customer_token
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at

pytestmark = pytest.mark.django_db
FAR = ["9999-12-31", "0001-01-01", "2400-02-29"]


@pytest.mark.parametrize("day", FAR)
def test_availability_for_a_far_day_is_a_clean_400(business, haircut, ana, api_client_for, day):
    tools = api_client_for(business, "tools")
    response = tools.post(
        "/api/v1/tools/check_availability", {"service": haircut.pk, "date": day}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] in {"outside_rules", "invalid"}


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"])
def test_availability_from_a_far_moment_is_a_clean_400(
    business, haircut, ana, api_client_for, moment
):
    tools = api_client_for(business, "tools")
    response = tools.post(
        "/api/v1/tools/check_availability", {"service": haircut.pk, "from": moment}, format="json"
    )
    assert response.status_code == 400, response.content


def test_a_day_beyond_the_horizon_says_how_far_ahead_the_business_books(
    business, haircut, ana, api_client_for
):
    tools = api_client_for(business, "tools")
    response = tools.post(
        "/api/v1/tools/check_availability",
        {"service": haircut.pk, "date": "2030-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "outside_rules"
    assert "90 days" in response.json()["message"]


@pytest.mark.parametrize("day", FAR)
def test_the_book_falls_back_to_today_for_a_far_day(business, front_desk, client_for, day):
    response = client_for(front_desk).get("/book/", {"date": day})
    assert response.status_code == 200


@pytest.mark.parametrize("day", FAR)
def test_the_customer_page_ignores_a_far_day(business, haircut, ana, monday, day):
    appointment = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123", "carol@example.test"),
    )
    response = Client().get(f"/b/{customer_token(appointment)}/", {"date": day})
    assert response.status_code == 200


def test_a_range_too_long_within_the_horizon_is_refused(business, haircut, ana, api_client_for):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.now().astimezone(business.tz).date()
    tools = api_client_for(business, "tools")
    response = tools.post(
        "/api/v1/tools/check_availability",
        {"service": haircut.pk, "from": str(today), "to": str(today + timedelta(days=60))},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"to": "range too long"}
