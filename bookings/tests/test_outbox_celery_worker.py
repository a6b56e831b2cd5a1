"""Confirmations on the production parts: a booking through the tools API commits, its
outbox messages are queued on Redis after commit, and a real `celery -A console worker`
subprocess (on this test database) sends them. Runs in the PostgreSQL + Redis run."""

from __future__ import annotations

import time

import pytest

from bookings.models import OutboxMessage
from bookings.tests.conftest import at

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def test_a_booking_confirmation_is_sent_by_a_real_worker(
    celery_worker, business, haircut, ana, monday, api_client_for
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
        assert celery_worker.poll() is None, "the worker exited"
        statuses = sorted(OutboxMessage.objects.values_list("status", flat=True))
        if statuses == ["sent", "sent"]:
            break
        time.sleep(0.5)
    assert statuses == ["sent", "sent"]
    assert all(m.attempts == 1 for m in OutboxMessage.objects.all())
