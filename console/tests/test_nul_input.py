"""A NUL character in a query string or a posted form is a 400, never a 500 (CONTRACTS §2;
PostgreSQL text cannot hold NUL: `/book/search/?q=%00` raised DataError there)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def desk(front_desk) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(front_desk)
    return client


@pytest.mark.parametrize("query", ["q=%00", "q=GB%00", "q=a%00b", "%00=1"])
@pytest.mark.parametrize("path", ["/book/search/", "/calls/", "/book/", "/calls/live/"])
def test_a_nul_in_a_page_query_is_a_400_saying_why(desk, path, query):
    response = desk.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_posted_form_is_a_400(desk, business):
    response = desk.post("/book/new/", {"customer_name": "Jo\x00", "date": "2026-01-01"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/appointments", "/api/v1/customers", "/api/v1/calls"])
def test_a_nul_in_an_api_query_is_a_json_400(business, api_client_for, path):
    response = api_client_for(business, "admin").get(f"{path}?phone=%00&date=2026-01-01%00")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and "NUL" in response.json()["message"]


def test_a_query_without_nul_is_served(desk):
    assert desk.get("/book/search/?q=GB-20261125-007").status_code in (200, 302)
