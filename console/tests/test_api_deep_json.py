"""JSON nested deeply is bad input: 400 invalid_json, before it is parsed (CONTRACTS §2), on
every endpoint that reads a body. It used to be a 500 with a RecursionError."""

from __future__ import annotations

import json

import pytest

from console.api.json_depth import MAX_DEPTH, json_depth, json_too_deep


def nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def tool_event(arguments: str) -> str:
    return (
        '{"id": "e-1", "type": "tool.invoked", "call_id": "gw-1",'
        ' "occurred_at": "2026-11-24T15:04:05Z", "data": {"name": "match_service",'
        f' "arguments": {arguments}, "result": {{}}, "ok": true, "latency_ms": 5}}}}'
    )


def assert_refused_as_too_deep(response) -> None:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == "invalid_json" and "deep" in body["message"]


@pytest.mark.parametrize("depth", [400, 990, 5000])
@pytest.mark.parametrize(
    "method,url,scope",
    [
        ("patch", "/api/v1/business", "admin"),
        ("post", "/api/v1/events", "ingest"),
        ("post", "/api/v1/tools/book_appointment", "tools"),
        ("post", "/api/v1/customers", "admin"),
    ],
)
def test_a_deeply_nested_body_is_a_400(business, api_client_for, depth, method, url, scope):
    client = api_client_for(business, scope)
    for body in ("[" * depth + "]" * depth, nested_object(depth)):
        response = getattr(client, method)(url, body, content_type="application/json")
        assert_refused_as_too_deep(response)


@pytest.mark.parametrize("depth", [400, 990])
def test_deeply_nested_tool_arguments_in_an_event_are_a_400(business, api_client_for, depth):
    client = api_client_for(business, "ingest")
    response = client.post(
        "/api/v1/events", tool_event(nested_object(depth)), content_type="application/json"
    )
    assert_refused_as_too_deep(response)


def test_tool_arguments_nested_a_little_are_still_accepted(business, api_client_for):
    client = api_client_for(business, "ingest")
    response = client.post(
        "/api/v1/events", tool_event(nested_object(40)), content_type="application/json"
    )
    assert response.status_code == 202, response.json()


def test_brackets_inside_strings_nest_nothing() -> None:
    text = json.dumps({"say": "[[[[{{{{" * 100, "quote": '\\"[[[' * 50, "list": [[1]]}).encode()
    assert json_depth(text) == 3
    assert not json_too_deep(text)
    assert json_depth(b"1") == 0
    assert json_too_deep(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    assert not json_too_deep(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
