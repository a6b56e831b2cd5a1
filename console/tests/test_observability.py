"""What an operator reads: Prometheus metrics behind a token, request ids in replies and logs,
JSON logs in production, task timings, and Sentry events without personal data."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from celery import shared_task
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from console.observability.metrics import CELERY_TASK_SECONDS
from console.observability.sentry import _scrubbed
from console.tests.test_settings import PROD_ENV, run

TOKEN = "metrics-token-for-tests"


def scrape(client: Client) -> dict[str, Any]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


def test_metrics_are_not_served_without_a_configured_token(db: None, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


def test_metrics_refuse_a_missing_or_wrong_token(db: None, settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 401
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")


def test_request_latency_is_labelled_by_route_name_never_by_path(db: None, settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN
    client = Client()
    client.get("/healthz")
    client.get("/calls/123456789/")  # signed out: a redirect, but a route with an id in its path
    families = scrape(client)
    samples = families["console_http_request_seconds"].samples
    routes = {s.labels["route"] for s in samples}
    assert "healthz" in routes
    assert not any("123456789" in s.labels["route"] for s in samples)


def test_every_reply_carries_a_request_id_and_keeps_the_proxys(db: None) -> None:
    generated = Client().get("/healthz")["X-Request-ID"]
    assert uuid.UUID(generated)
    given = uuid.uuid4().hex
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    # Something that is not an id is replaced, never echoed into logs and headers.
    forged = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert forged != "<script>" and uuid.UUID(forged)


def test_production_logs_are_json_lines_with_the_request_id() -> None:
    code = (
        "import django, logging; django.setup();"
        "from django_guid import set_guid; set_guid('0123456789abcdef0123456789abcdef');"
        "logging.getLogger('console.probe').warning('queued %s', 3)"
    )
    result = run(["-c", code], PROD_ENV)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "queued 3"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"


@shared_task(name="console.tests.observability_probe")
def _probe_task() -> str:
    return "ran"


def test_a_task_run_is_timed_by_name_and_state(db: None) -> None:
    def count() -> float:
        for metric in CELERY_TASK_SECONDS.collect():
            for sample in metric.samples:
                if (
                    sample.name.endswith("_count")
                    and sample.labels.get("task") == "console.tests.observability_probe"
                ):
                    return sample.value
        return 0.0

    before = count()
    assert _probe_task.delay().get() == "ran"
    assert count() == before + 1


@pytest.mark.redis
def test_the_celery_queue_depth_is_read_from_the_broker(db: None, settings: Any) -> None:
    import redis

    settings.METRICS_TOKEN = TOKEN
    key = (
        f"{settings.CELERY_BROKER_TRANSPORT_OPTIONS['global_keyprefix']}"
        f"{settings.CELERY_TASK_DEFAULT_QUEUE}"
    )
    broker = redis.Redis.from_url(settings.REDIS_URL)
    before = broker.llen(key)
    broker.rpush(key, "a-test-message", "another")
    try:
        families = scrape(Client())
        depth = families["console_celery_queue_depth"].samples[0].value
        assert depth == before + 2
    finally:
        broker.lrem(key, 0, "a-test-message")
        broker.lrem(key, 0, "another")


def test_sentry_events_leave_out_bodies_cookies_credentials_and_users() -> None:
    event = {
        "request": {
            "url": "https://console.example.com/api/v1/tools/book_appointment",
            "data": {"customer": {"name": "Rosa Díaz", "phone": "+14155550123"}},
            "cookies": {"sessionid": "secret"},
            "query_string": "phone=%2B14155550123",
            "headers": {"Authorization": "Bearer vak_secret", "Cookie": "x", "Accept": "*/*"},
        },
        "user": {"email": "owner@salon.test"},
    }
    scrubbed = _scrubbed(event, {})
    text = json.dumps(scrubbed)
    for leak in ("Rosa", "4155550123", "vak_secret", "sessionid", "owner@salon.test"):
        assert leak not in text
    assert scrubbed["request"]["headers"] == {"Accept": "*/*"}
