"""Bad input to the API is a 4xx JSON body (CONTRACTS §2), never a 500 or an HTML page."""

from __future__ import annotations

from console.tenancy.models import Business

URL = "/api/v1/business"


def assert_contract_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)


def test_a_body_that_is_not_json_is_415(business: Business, api_client_for) -> None:
    client = api_client_for(business, "admin")
    response = client.patch(URL, "name=x", content_type="application/x-www-form-urlencoded")
    assert_contract_error(response, 415, "unsupported_media_type")


def test_broken_json_is_400(business: Business, api_client_for) -> None:
    client = api_client_for(business, "admin")
    response = client.patch(URL, "{not json", content_type="application/json")
    assert_contract_error(response, 400, "invalid_json")


def test_a_body_over_one_mebibyte_is_413(business: Business, api_client_for) -> None:
    client = api_client_for(business, "admin")
    big = '{"name": "' + "x" * (1024 * 1024) + '"}'
    response = client.patch(URL, big, content_type="application/json")
    assert_contract_error(response, 413, "body_too_large")


def test_an_unknown_api_path_is_a_json_404(business: Business, api_client_for) -> None:
    response = api_client_for(business, "admin").get("/api/v1/nothing-here")
    assert_contract_error(response, 404, "not_found")


def test_a_wrong_method_is_405_json(business: Business, api_client_for) -> None:
    response = api_client_for(business, "admin").delete(URL)
    assert_contract_error(response, 405, "method_not_allowed")


def test_the_schema_and_docs_are_served(db: None, client) -> None:
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
