"""The outbox: messages written in the booking's transaction, sent by a Celery task after
commit, retried with backoff, and requeued by beat if their task was lost."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from bookings import sms
from bookings.customer_links import customer_link
from bookings.models import Appointment, OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def provider_error_summary(exc: Exception) -> str:
    """`TwilioRestException (code 21211, status 400)`: what failed, without the recipient."""
    details = [
        f"{name} {value}"
        for name in ("code", "status", "smtp_code")
        if (value := getattr(exc, name, None)) not in (None, "")
    ]
    return f"{type(exc).__name__}" + (f" ({', '.join(details)})" if details else "")


def appointment_ics(appointment: Appointment, *, cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Voice Agent Console//bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.reference}@{appointment.business.slug}")
    event.add("summary", f"{appointment.service.name} at {appointment.business.name}")
    event.add("dtstart", appointment.start)
    event.add("dtend", appointment.end)
    event.add("dtstamp", timezone.now())
    event.add("sequence", appointment.changes.count())
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add(
        "description",
        f"Reference {appointment.reference} with {appointment.staff.name}. "
        f"Manage it: {customer_link(appointment)}",
    )
    calendar.add_component(event)
    return calendar.to_ical()


class SendFailed(Exception):
    """A transient failure: the task retries with backoff."""


def outbox_message_send(*, message_id: int) -> OutboxMessage | None:
    """Send one queued message; a sent one is never sent again. Raises SendFailed to retry."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxMessage.Status.QUEUED)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        try:
            if message.channel == OutboxMessage.Channel.SMS:
                message.provider_id = sms.sms_send(to=message.recipient, body=message.body)[:100]
            else:
                email = EmailMessage(
                    subject=message.subject, body=message.body, to=[message.recipient]
                )
                appointment = message.appointment
                if appointment is not None:
                    email.attach(
                        f"{appointment.reference}.ics",
                        appointment_ics(
                            appointment, cancelled=message.kind == OutboxMessage.Kind.CANCELLATION
                        ),
                        "text/calendar",
                    )
                email.send()
        except Exception as exc:  # any provider error: record it, then retry or give up
            # The provider's text often quotes the recipient (a phone number, an address):
            # keep the error's kind and code, not its words.
            message.last_error = provider_error_summary(exc)
            logger.warning("outbox message %s failed: %s", message.pk, message.last_error)
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            failed = message.status == OutboxMessage.Status.QUEUED
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(
                update_fields=["attempts", "status", "sent_at", "last_error", "provider_id"]
            )
            failed = False
    if failed:
        raise SendFailed(message.last_error)
    return message


@shared_task(
    name="bookings.tasks.outbox_send",  # its name from before it moved: queued messages keep it
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


def outbox_stale_requeue(*, now: datetime | None = None, older_than_minutes: int = 10) -> int:
    """Hand queued messages that nobody sent (a lost task, a broker outage) to Celery again."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED,
            created_at__lt=now - timedelta(minutes=older_than_minutes),
            created_at__gt=now - timedelta(days=2),
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        outbox_send.delay(pk)
    return len(ids)
