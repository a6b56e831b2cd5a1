"""With Redis down, the API still answers (CONTRACTS §2): the per-key rate limit, which
counts in the cache, is not checked for a while (and says so in the log) rather than
failing every request with a 500. Redis is made unreachable by pointing the cache at a
port nothing listens on."""

from __future__ import annotations

import logging
import socket

import pytest

from calls.tests.factories import call_start


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed as soon as the block ends


@pytest.fixture
def redis_down(settings, monkeypatch):
    from console.api import backing_services, throttling

    # The log line comes once every few seconds: a fresh clock for each test.
    monkeypatch.setattr(throttling, "_warn", backing_services.EveryFewSeconds(10))
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }


@pytest.mark.parametrize(
    "scope,method,path,body",
    [
        ("tools", "post", "/api/v1/tools/match_service", {"query": "haircut"}),
        ("admin", "get", "/api/v1/services", None),
        ("admin", "get", "/api/v1/appointments", None),
        ("admin", "get", "/api/v1/calls", None),
        ("admin", "get", "/api/v1/calls/gw-1", None),
    ],
)
def test_the_api_answers_with_redis_down_and_logs_that_the_rate_is_unchecked(
    business, api_client_for, redis_down, caplog, scope, method, path, body
):
    call_start(business, "gw-1")
    client = api_client_for(business, scope)
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING, logger="console.api.throttling"):
        response = getattr(client, method)(path, body, format="json")
    assert response.status_code == 200, response.content[:300]
    assert any("rate limit" in r.getMessage() for r in caplog.records)


def test_what_cannot_be_done_without_redis_is_a_json_503_with_retry_after(
    business, api_client_for, redis_down, monkeypatch
):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from calls.review import api as api_read

    def unreachable(**kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    call_start(business, "gw-1")
    monkeypatch.setattr(api_read, "call_review_data", unreachable)
    client = api_client_for(business, "admin")
    client.raise_request_exception = False
    response = client.get("/api/v1/calls/gw-1")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"
