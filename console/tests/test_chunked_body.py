"""A body sent chunked (Transfer-Encoding: chunked, no Content-Length) is read, not taken
for an empty one (CONTRACTS §2), through the ASGI application as the server runs it.

Django's ASGI handler reads the whole body either way, but DRF reads a request's body only
when Content-Length says there is one: a chunked PATCH changed nothing and answered 200."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator

from calls.models import CallEvent
from console.asgi import application, hot_routes
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import Business

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _pool_closed():
    yield
    hot_routes.close()


def chunked(
    method: str, path: str, key: str, chunks: list[bytes], *, content_length: bool = False
) -> dict[str, Any]:
    headers = [
        (b"host", b"testserver"),
        (b"content-type", b"application/json"),
        (b"authorization", f"Bearer {key}".encode()),
    ]
    if content_length:
        headers.append((b"content-length", str(sum(map(len, chunks))).encode()))
    else:
        headers.append((b"transfer-encoding", b"chunked"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def run() -> dict[str, Any]:
        communicator = ApplicationCommunicator(application, scope)
        for index, chunk in enumerate(chunks):
            more = index < len(chunks) - 1
            await communicator.send_input(
                {"type": "http.request", "body": chunk, "more_body": more}
            )
        start = await communicator.receive_output(timeout=10)
        body = b""
        while True:
            message = await communicator.receive_output(timeout=10)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait(timeout=10)
        return {"status": start["status"], "body": body}

    return asyncio.run(run())


def key_for(business: Business, scope: str) -> str:
    return api_key_create(business=business, name="k", scopes=[scope]).secret


def test_a_chunked_patch_changes_what_it_says(business):
    body = json.dumps({"name": "Salon Renamed"}).encode()
    response = chunked(
        "PATCH", "/api/v1/business", key_for(business, "admin"), [body[:7], body[7:15], body[15:]]
    )
    assert response["status"] == 200, response["body"]
    assert json.loads(response["body"])["name"] == "Salon Renamed"
    business.refresh_from_db()
    assert business.name == "Salon Renamed"


def test_a_chunked_tool_call_is_read(business):
    body = json.dumps({"query": "gel mani"}).encode()
    response = chunked(
        "POST", "/api/v1/tools/match_service", key_for(business, "tools"), [body[:5], body[5:]]
    )
    assert response["status"] == 200, response["body"]
    assert "match" in json.loads(response["body"])


def test_a_chunked_event_is_stored(business):
    event = {
        "id": "e-chunked",
        "type": "call.started",
        "call_id": "gw-chunked",
        "occurred_at": "2026-11-24T15:04:05Z",
        "data": {"from": "+14155550123", "to": "+14155550199", "channel": "pstn", "agent": "Ava"},
    }
    body = json.dumps(event).encode()
    response = chunked(
        "POST", "/api/v1/events", key_for(business, "ingest"), [body[:10], body[10:]]
    )
    assert response["status"] == 202, response["body"]
    assert CallEvent.objects.filter(event_id="e-chunked").exists()


def test_a_chunked_body_over_the_limit_is_a_413(business, settings):
    settings.API_MAX_BODY_BYTES = 1000
    body = json.dumps({"name": "x" * 2000}).encode()
    response = chunked(
        "PATCH", "/api/v1/business", key_for(business, "admin"), [body[:600], body[600:]]
    )
    assert response["status"] == 413
    assert json.loads(response["body"])["error"] == "body_too_large"
