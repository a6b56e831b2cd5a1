"""Celery tasks of the appointment book: take ids, refetch, call a service, own retries."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from bookings.models import IdempotencyRecord
from bookings.notifications import reminders_queue
from bookings.outbox import outbox_send, outbox_stale_requeue

__all__ = ["idempotency_prune", "outbox_send", "reminders_send"]


@shared_task
def reminders_send() -> str:
    """Beat: queue the 24-hour reminders, and retry messages whose task was lost."""
    queued = reminders_queue()
    requeued = outbox_stale_requeue()
    return f"{queued} reminders queued, {requeued} stale messages requeued"


@shared_task
def idempotency_prune() -> str:
    """Beat: forget Idempotency-Key responses older than a week."""
    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return f"{deleted} idempotency records pruned"
