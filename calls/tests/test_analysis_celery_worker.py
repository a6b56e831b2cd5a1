"""The post-call analysis end to end on the production parts: a call ingested through the
API commits, `call.ended` queues the task on Redis, a real `celery -A console worker`
subprocess (on this test database) analyses it. Runs in the PostgreSQL + Redis run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from calls.models import CallAnalysis
from calls.tests.review_calls import BOOKING, call_events

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


def _worker_env() -> dict[str, str]:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "console.settings",
        "DATABASE_URL": f"postgres://{auth}{host}:{port}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CHANNELS_PREFIX": settings.CHANNELS_PREFIX,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


@pytest.fixture
def worker(transactional_db: None) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "console",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=_worker_env(),
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_an_ended_call_is_analysed_by_a_real_worker(worker, business, api_client_for) -> None:
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
        assert worker.poll() is None, "the worker exited"
        analysis = CallAnalysis.objects.filter(call__call_id="gw-worker").first()
        if analysis is not None:
            break
        time.sleep(0.2)
    assert analysis is not None, "no analysis within 60 s"
    assert analysis.intent == "book" and analysis.is_current
    assert "[NAME]" in analysis.redacted_transcript
