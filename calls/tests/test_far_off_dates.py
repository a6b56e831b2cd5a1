"""A date in year 1 or 9999 in the calls filters is bad input, never a 500 (CONTRACTS §2):
the list says what to fix, the export leaves the filter out, the API answers 400."""

from __future__ import annotations

import pytest
from django.test import Client

from calls.tests.factories import call_start, hang_up

FAR_OFF = ["0001-01-01", "9999-12-31"]


@pytest.fixture
def reviewer(owner, business) -> Client:
    call_start(business, "gw-1")
    hang_up(business, "gw-1")
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    return client


@pytest.mark.parametrize("day", FAR_OFF)
@pytest.mark.parametrize("field", ["since", "until"])
def test_the_calls_list_says_a_far_off_date_is_out_of_reach(reviewer, field, day):
    response = reviewer.get("/calls/", {field: day})
    assert response.status_code == 200
    assert "within five years of today" in response.content.decode()


@pytest.mark.parametrize("day", FAR_OFF)
def test_the_csv_export_with_far_off_dates_is_not_a_500(reviewer, day):
    response = reviewer.get("/calls/export.csv", {"since": day, "until": day})
    assert response.status_code == 200
    unfiltered = reviewer.get("/calls/export.csv")
    assert b"".join(response.streaming_content) == b"".join(unfiltered.streaming_content)


@pytest.mark.parametrize("day", [*FAR_OFF, "9999-12-31T23:59:59+00:00"])
@pytest.mark.parametrize("field", ["since", "until"])
def test_the_calls_api_refuses_a_far_off_date(business, api_client_for, field, day):
    response = api_client_for(business, "admin").get("/api/v1/calls", {field: day})
    assert response.status_code == 400
    assert response.json()["fields"][field] == "Pick a date within five years of today."
