"""Confirmations on the production parts: a booking through the tools API commits, its
outbox messages are queued on Redis after commit, and a real `celery -A console worker`
subprocess (on this test database) sends them. Runs in the PostgreSQL + Redis run."""

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

from bookings.models import OutboxMessage
from bookings.tests.conftest import at

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
        "SMS_BACKEND": "bookings.sms.ConsoleBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
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


def test_a_booking_confirmation_is_sent_by_a_real_worker(
    worker, business, haircut, ana, monday, api_client_for
) -> None:
    tools = api_client_for(business, "tools")
    response = tools.post(
        "/api/v1/tools/book_appointment",
        {
            "service": haircut.pk,
            "start": at(monday, 10).isoformat(),
            "customer": {"name": "Carol", "phone": "+14155550123", "email": "c@example.test"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    deadline = time.monotonic() + 60
    statuses: list[str] = []
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the worker exited"
        statuses = sorted(OutboxMessage.objects.values_list("status", flat=True))
        if statuses == ["sent", "sent"]:
            break
        time.sleep(0.5)
    assert statuses == ["sent", "sent"]
    assert all(m.attempts == 1 for m in OutboxMessage.objects.all())
