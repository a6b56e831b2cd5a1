"""POST /api/v1/events as the ASGI server serves it: straight from console.api.hot_routes,
not through Django's handler. It must answer exactly as the Django view does, and hand the
rest to Django."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from calls.models import Call, CallEvent
from calls.tests.test_ingest_api import URL, segment, started
from conftest import websocket_headers
from console.asgi import application, hot_routes
from console.tenancy.apikeys import api_key_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _pool_closed() -> Iterator[None]:
    """The route's threads hold database connections: give them back after each test."""
    yield
    hot_routes.close()


@pytest.fixture
def key(business) -> str:
    return api_key_create(business=business, name="gateway", scopes=["ingest"]).secret


def asgi_post(
    body: bytes, *, key: str | None = None, content_type: str = "application/json", **headers: str
) -> dict[str, Any]:
    sent = [(b"host", b"testserver"), (b"content-type", content_type.encode())]
    if key is not None:
        sent.append((b"authorization", f"Bearer {key}".encode()))
    sent += [(name.encode(), value.encode()) for name, value in headers.items()]
    communicator = HttpCommunicator(application, "POST", URL, body=body, headers=sent)
    return asyncio.run(communicator.get_response(timeout=10))


def header(response: dict[str, Any], name: str) -> str | None:
    for key, value in response["headers"]:
        if key.decode().lower() == name.lower():
            return value.decode()
    return None


def test_the_route_stores_an_event_once_and_answers_202(business, key):
    body = json.dumps(started("e-1")).encode()
    first = asgi_post(body, key=key)
    again = asgi_post(body, key=key)
    assert first["status"] == 202
    assert json.loads(first["body"]) == {"accepted": 1, "duplicates": 0}
    assert json.loads(again["body"]) == {"accepted": 0, "duplicates": 1}
    assert Call.objects.get(business=business).call_id == "gw-1"
    assert CallEvent.objects.count() == 1
    assert header(first, "content-type") == "application/json"
    # The response headers every Django response gets (SecurityMiddleware, XFrameOptions).
    assert header(first, "x-content-type-options") == "nosniff"
    assert header(first, "x-frame-options") == "DENY"


CASES = {  # request, and the answer the contract asks for
    "no key": (dict(body=started(), key=None), 401, "unauthorized"),
    "wrong scope": (dict(body=started(), key="tools"), 403, "forbidden"),
    "not json": (dict(body="{nope", key="ingest"), 400, "invalid_json"),
    "a form": (
        dict(body="id=1", key="ingest", content_type="application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
    ),
    "an invalid event": (dict(body=segment("s", -1), key="ingest"), 400, "invalid_events"),
    "a bad batch": (
        dict(body={"events": [started(), {"id": 3}]}, key="ingest"),
        400,
        "invalid_events",
    ),
    "an unknown key": (dict(body=started(), key="vak_nope"), 401, "unauthorized"),
    "another scheme": (dict(body=started(), key="basic"), 401, "unauthorized"),
}


NEGOTIATION = {  # what DRF's content negotiation refuses, before anything is stored
    "an Accept without JSON": ("", {"accept": "text/html"}, 406, "not_acceptable"),
    "a format override": ("?format=api", {}, 404, "not_found"),
}


@pytest.mark.parametrize(
    ("query", "headers", "status", "code"), NEGOTIATION.values(), ids=NEGOTIATION.keys()
)
def test_the_route_refuses_what_content_negotiation_refuses_as_the_django_view_does(
    business, key, query, headers, status, code
):
    body = json.dumps(started()).encode()
    extra = {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    django = Client().post(
        URL + query,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **extra,
    )
    sent = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    sent += [(b"authorization", f"Bearer {key}".encode())]
    sent += [(name.encode(), value.encode()) for name, value in headers.items()]
    communicator = HttpCommunicator(application, "POST", URL + query, body=body, headers=sent)
    asgi = asyncio.run(communicator.get_response(timeout=10))
    assert asgi["status"] == django.status_code == status
    assert json.loads(asgi["body"])["error"] == code
    assert asgi["body"] == django.content
    assert CallEvent.objects.count() == 0
    # JSON among others, or any type at all, is served.
    assert asgi_post(body, key=key, accept="text/html, application/json;q=0.5")["status"] == 202
    assert asgi_post(body, key=key, accept="*/*")["status"] == 202


@pytest.mark.parametrize(("case", "status", "code"), CASES.values(), ids=CASES.keys())
def test_the_route_answers_every_refusal_as_the_contract_and_the_django_view_do(
    business, case, status, code
):
    body = case["body"] if isinstance(case["body"], str) else json.dumps(case["body"])
    content_type = case.get("content_type", "application/json")
    authorization = None
    if case["key"] == "vak_nope":
        authorization = "Bearer vak_nope"
    elif case["key"] == "basic":
        authorization = "Basic dXNlcjpwYXNz"
    elif case["key"] is not None:
        secret = api_key_create(business=business, name="k", scopes=[case["key"]]).secret
        authorization = f"Bearer {secret}"

    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    django = Client().post(URL, body, content_type=content_type, **extra)
    headers = {"authorization": authorization} if authorization else {}
    asgi = asgi_post(body.encode(), content_type=content_type, **headers)

    assert asgi["status"] == django.status_code == status
    assert json.loads(asgi["body"])["error"] == code
    assert asgi["body"] == django.content  # byte for byte
    assert header(asgi, "www-authenticate") == django.headers.get("WWW-Authenticate")
    if status == 401:
        assert header(asgi, "www-authenticate") == 'Bearer realm="api"'
    assert CallEvent.objects.count() == 0


def test_a_query_string_that_is_not_utf8_is_refused_by_django_not_a_500(key):
    scope_headers = [
        (b"host", b"testserver"),
        (b"content-type", b"application/json"),
        (b"authorization", f"Bearer {key}".encode()),
    ]
    communicator = HttpCommunicator(
        application, "POST", URL, body=json.dumps(started()).encode(), headers=scope_headers
    )
    communicator.scope["query_string"] = b"x=\xff"
    response = asyncio.run(communicator.get_response(timeout=10))
    assert response["status"] == 400
    assert CallEvent.objects.count() == 0


def test_a_business_whose_trial_ended_is_refused_with_402(business, key):
    business.subscription_status = "trialing"
    business.trial_ends_at = timezone.now() - timedelta(minutes=1)
    business.save()
    response = asgi_post(json.dumps(started()).encode(), key=key)
    assert response["status"] == 402
    assert json.loads(response["body"])["error"] == "trial_expired"


def test_a_runaway_client_is_rate_limited(business, key, monkeypatch):
    from calls.api import IngestRate

    monkeypatch.setenv("INGEST_RATE_LIMIT", "1")
    IngestRate._windows.clear()
    assert asgi_post(json.dumps(started("a")).encode(), key=key)["status"] == 202
    response = asgi_post(json.dumps(started("b")).encode(), key=key)
    assert response["status"] == 429
    assert int(header(response, "retry-after") or 0) >= 1


def test_a_body_over_1_mib_is_413_and_the_rest_is_not_read(key):
    chunk = b"x" * (512 * 1024)
    messages = [{"type": "http.request", "body": chunk, "more_body": True} for _ in range(3)]
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        if read > len(messages):
            raise AssertionError("read past the limit")
        return messages[read - 1]

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {key}".encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(application(scope, receive, send))
    assert sent[0]["status"] == 413
    assert json.loads(b"".join(m.get("body", b"") for m in sent[1:]))["error"] == "body_too_large"
    assert read == 3  # stopped once past 1 MiB


def test_other_methods_go_to_django(key):
    headers = [(b"host", b"testserver"), (b"authorization", f"Bearer {key}".encode())]
    communicator = HttpCommunicator(application, "GET", URL, headers=headers)
    response = asyncio.run(communicator.get_response(timeout=10))
    assert response["status"] == 405
    assert json.loads(response["body"])["error"] == "method_not_allowed"


def test_a_host_django_refuses_is_refused_and_nothing_is_stored(key):
    sent = [
        (b"host", b"evil.example"),
        (b"content-type", b"application/json"),
        (b"authorization", f"Bearer {key}".encode()),
    ]
    body = json.dumps(started()).encode()
    communicator = HttpCommunicator(application, "POST", URL, body=body, headers=sent)
    response = asyncio.run(communicator.get_response(timeout=10))
    assert response["status"] == 400
    assert CallEvent.objects.count() == 0


def test_an_unexpected_error_is_a_logged_500(key, monkeypatch, caplog):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr("calls.api.call_events_ingest", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = asgi_post(json.dumps(started()).encode(), key=key)
    assert response["status"] == 500
    assert any("the disk is on fire" in str(r.exc_info) for r in caplog.records if r.exc_info)
    assert header(response, "x-content-type-options") == "nosniff"


def test_a_dashboard_sees_the_call_ingested_through_the_route_and_no_other_business_does(
    business, front_desk, outsider, key, monkeypatch
):
    from calls import events

    loops = []
    server_loop = events._server_loop

    def recorded() -> asyncio.AbstractEventLoop | None:
        loops.append(server_loop())
        return loops[-1]

    monkeypatch.setattr(events, "_server_loop", recorded)

    async def run() -> str:
        ours_headers = await sync_to_async(websocket_headers)(front_desk)
        theirs_headers = await sync_to_async(websocket_headers)(outsider)
        ours = WebsocketCommunicator(application, "/ws/live/", headers=ours_headers)
        theirs = WebsocketCommunicator(application, "/ws/live/", headers=theirs_headers)
        assert (await ours.connect())[0] and (await theirs.connect())[0]
        body = json.dumps(started("e-1", call="gw-route")).encode()
        sent = [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {key}".encode()),
        ]
        response = await HttpCommunicator(
            application, "POST", URL, body=body, headers=sent
        ).get_response(timeout=10)
        assert response["status"] == 202
        html = await ours.receive_from(timeout=5)
        assert await theirs.receive_nothing(timeout=0.3)
        # Handed to this event loop to gather, not sent from the pool's thread.
        assert loops == [asyncio.get_running_loop()]
        await ours.disconnect()
        await theirs.disconnect()
        return html

    assert 'data-call-id="gw-route"' in asyncio.run(run())
