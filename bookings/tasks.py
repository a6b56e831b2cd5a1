"""Celery tasks of the appointment book: take ids, refetch, call a service, own retries."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from bookings.notifications import (
    SendFailed,
    outbox_message_send,
    outbox_stale_requeue,
    reminders_queue,
)


@shared_task(
    bind=True,
    autoretry_for=(SendFailed,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=6,
)
def outbox_send(self: Any, message_id: int) -> str:
    """Send one outbox message; a retry of a sent message does nothing."""
    if self.request.is_eager:
        # In-process (development, tests): one attempt now; the beat sweep retries later.
        try:
            message = outbox_message_send(message_id=message_id)
        except SendFailed as exc:
            return f"failed: {exc}"
    else:
        message = outbox_message_send(message_id=message_id)
    return message.status if message is not None else "skipped"


@shared_task
def reminders_send() -> str:
    """Beat: queue the 24-hour reminders, and retry messages whose task was lost."""
    queued = reminders_queue()
    requeued = outbox_stale_requeue()
    return f"{queued} reminders queued, {requeued} stale messages requeued"


@shared_task
def idempotency_prune() -> str:
    """Beat: forget Idempotency-Key responses older than a week."""
    from datetime import timedelta

    from django.utils import timezone

    from bookings.models import IdempotencyRecord

    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return f"{deleted} idempotency records pruned"
