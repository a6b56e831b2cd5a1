"""The post-call analysis end to end on the production parts: a call ingested through the
API commits, `call.ended` queues the task on Redis, a real `celery -A console worker`
subprocess (on this test database) analyses it. Runs in the PostgreSQL + Redis run."""

from __future__ import annotations

import time

import pytest

from calls.models import CallAnalysis
from calls.tests.review_calls import BOOKING, call_events

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def test_an_ended_call_is_analysed_by_a_real_worker(
    celery_worker, business, api_client_for
) -> None:
    api = api_client_for(business, "ingest")
    response = api.post(
        "/api/v1/events",
        {"events": call_events("gw-worker", BOOKING, duration_s=95)},
        format="json",
    )
    assert response.status_code == 202, response.content
    deadline = time.monotonic() + 60
    analysis = None
    while time.monotonic() < deadline:
        assert celery_worker.poll() is None, "the worker exited"
        analysis = CallAnalysis.objects.filter(call__call_id="gw-worker").first()
        if analysis is not None:
            break
        time.sleep(0.2)
    assert analysis is not None, "no analysis within 60 s"
    assert analysis.intent == "book" and analysis.is_current
    assert "[NAME]" in analysis.redacted_transcript
