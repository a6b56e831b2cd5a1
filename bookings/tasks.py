"""Celery tasks of the appointment book: take ids, refetch, call a service, own retries."""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from bookings.models import IdempotencyRecord, WaitlistEntry
from bookings.notifications import reminders_queue
from bookings.outbox import outbox_send, outbox_stale_requeue
from bookings.waitlist.services import (
    waitlist_business_for_change,
    waitlist_businesses_due,
    waitlist_offers_make,
)
from console.tenancy.models import Business

__all__ = [
    "idempotency_prune",
    "outbox_send",
    "reminders_send",
    "waitlist_offers",
    "waitlist_sweep",
]


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


@shared_task
def waitlist_offers(business_id: int) -> str:
    """Expire offers that ran out and offer freed time to the next in line (idempotent)."""
    business = Business.objects.filter(pk=business_id).first()
    if business is None:
        return "no such business"
    return f"{len(waitlist_offers_make(business=business))} offers made"


@shared_task
def waitlist_sweep() -> str:
    """Beat: the next in line for every offer that ran out, should its countdown be lost."""
    due = waitlist_businesses_due()
    for business_id in due:
        waitlist_offers.delay(business_id)
    return f"{len(due)} businesses swept"


def waitlist_on_appointment_changed(appointment_id: int, action: str) -> None:
    """Registered in services.on_appointment_changed (after commit): a cancel or a move."""
    business_id = waitlist_business_for_change(appointment_id=appointment_id, action=action)
    if business_id is not None:
        waitlist_offers.delay(business_id)


def waitlist_offer_countdown(entry_id: int, expires_at: datetime) -> None:
    """Registered in waitlist.on_offer_made: look again when the offer runs out."""
    business_id = (
        WaitlistEntry.objects.filter(pk=entry_id).values_list("business_id", flat=True).first()
    )
    if business_id is not None:
        waitlist_offers.apply_async(args=[business_id], eta=expires_at + timedelta(seconds=1))
