"""Confirmations and reminders: a transactional outbox, sent by Celery after commit.

`appointment_messages_queue` writes one OutboxMessage per channel (SMS to the customer's
phone, email if we have an address) in the booking's own transaction, each with a dedupe
key so that nothing is queued twice; after commit each is handed to `tasks.outbox_send`.
`outbox_message_send` does the sending and records the outcome on the row.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from bookings.customer_links import customer_link
from bookings.models import Appointment, AppointmentChange, OutboxMessage
from bookings.outbox import outbox_send

logger = logging.getLogger(__name__)


SUBJECTS: dict[str, str] = {
    OutboxMessage.Kind.CONFIRMATION: "Booked: {service} on {when} ({reference})",
    OutboxMessage.Kind.RESCHEDULE: "Moved: {service} now on {when} ({reference})",
    OutboxMessage.Kind.CANCELLATION: "Cancelled: {service} on {when} ({reference})",
    OutboxMessage.Kind.REMINDER: "Reminder: {service} tomorrow at {time} ({reference})",
}


def _context(appointment: Appointment, kind: str) -> dict[str, object]:
    local = appointment.start.astimezone(appointment.business.tz)
    return {
        "appointment": appointment,
        "business": appointment.business,
        "kind": kind,
        "when": f"{local:%a %d %b %Y} at {local:%H:%M}",
        "time": f"{local:%H:%M}",
        "timezone": appointment.business.timezone,
        "link": customer_link(appointment),
    }


def appointment_messages_queue(
    *,
    appointment: Appointment,
    kind: str,
    change: AppointmentChange | None = None,
    notify: bool = True,
) -> list[OutboxMessage]:
    """Queue this kind of message for the appointment, once per change (or per start time
    for reminders). Call inside the transaction that made the change. `notify=False`: the
    desk chose not to tell the client, so nothing is queued."""
    if not notify:
        return []
    customer = appointment.customer
    context = _context(appointment, kind)
    subject = SUBJECTS[kind].format(
        service=appointment.service.name,
        when=context["when"],
        time=context["time"],
        reference=appointment.reference,
    )
    version = change.pk if change is not None else appointment.start.isoformat()
    targets = [(OutboxMessage.Channel.SMS, customer.phone)]
    if customer.email:
        targets.append((OutboxMessage.Channel.EMAIL, customer.email))
    messages: list[OutboxMessage] = []
    for channel, recipient in targets:
        body = render_to_string(f"bookings/messages/{channel}.txt", context).strip()
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    business_id=appointment.business_id,
                    appointment=appointment,
                    channel=channel,
                    kind=kind,
                    dedupe_key=f"{kind}:{appointment.pk}:{version}:{channel}",
                    recipient=recipient,
                    subject=subject[:200],
                    body=body,
                )
        except IntegrityError:
            continue  # already queued
        messages.append(message)
        transaction.on_commit(_dispatcher(message.pk), robust=True)
    return messages


def _dispatcher(message_id: int):
    def dispatch() -> None:
        outbox_send.delay(message_id)

    return dispatch


def reminders_queue(*, now: datetime | None = None) -> int:
    """Queue the 24-hour reminder of every active appointment starting in the next 24 h
    that was booked further ahead than that (once per start time: a moved appointment gets
    a fresh reminder). Returns how many."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status__in=(Appointment.Status.BOOKED, Appointment.Status.CONFIRMED),
        start__gt=now,
        start__lte=now + timedelta(hours=24),
        # Booked less than a day ahead: the confirmation was the reminder.
        created_at__lte=F("start") - timedelta(hours=24),
    ).select_related("business", "customer", "service", "staff")
    done = set(
        OutboxMessage.objects.filter(
            kind=OutboxMessage.Kind.REMINDER, appointment__in=due
        ).values_list("dedupe_key", flat=True)
    )
    count = 0
    for appointment in due:
        key = f"reminder:{appointment.pk}:{appointment.start.isoformat()}:sms"
        if key in done:
            continue
        with transaction.atomic():
            count += len(
                appointment_messages_queue(
                    appointment=appointment, kind=OutboxMessage.Kind.REMINDER
                )
            )
    return count
