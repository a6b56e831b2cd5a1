"""Confirmations and reminders: a transactional outbox, sent by Celery after commit.

`appointment_messages_queue` writes one OutboxMessage per channel (SMS to the customer's
phone, email if we have an address) in the booking's own transaction, each with a dedupe
key so that nothing is queued twice; after commit each is handed to `tasks.outbox_send`.
`outbox_message_send` does the sending and records the outcome on the row.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from bookings import sms
from bookings.models import Appointment, AppointmentChange, OutboxMessage

logger = logging.getLogger(__name__)

LINK_SALT = "bookings.customer-page"
MAX_ATTEMPTS = 5

SUBJECTS: dict[str, str] = {
    OutboxMessage.Kind.CONFIRMATION: "Booked: {service} on {when} ({reference})",
    OutboxMessage.Kind.RESCHEDULE: "Moved: {service} now on {when} ({reference})",
    OutboxMessage.Kind.CANCELLATION: "Cancelled: {service} on {when} ({reference})",
    OutboxMessage.Kind.REMINDER: "Reminder: {service} tomorrow at {time} ({reference})",
}


def provider_error_summary(exc: Exception) -> str:
    """`TwilioRestException (code 21211, status 400)`: what failed, without the recipient."""
    details = [
        f"{name} {value}"
        for name in ("code", "status", "smtp_code")
        if (value := getattr(exc, name, None)) not in (None, "")
    ]
    return f"{type(exc).__name__}" + (f" ({', '.join(details)})" if details else "")


def customer_token(appointment: Appointment) -> str:
    return signing.dumps({"b": appointment.business_id, "a": appointment.pk}, salt=LINK_SALT)


def customer_token_read(token: str) -> tuple[int, int] | None:
    """(business id, appointment id) from a link's token, or None if it was tampered with."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
        return int(data["b"]), int(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def customer_link(appointment: Appointment) -> str:
    path = reverse("booking_customer", args=[customer_token(appointment)])
    return f"{settings.SITE_URL}{path}"


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
    *, appointment: Appointment, kind: str, change: AppointmentChange | None = None
) -> list[OutboxMessage]:
    """Queue this kind of message for the appointment, once per change (or per start time
    for reminders). Call inside the transaction that made the change."""
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
        from bookings.tasks import outbox_send

        outbox_send.delay(message_id)

    return dispatch


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


def outbox_stale_requeue(*, now: datetime | None = None, older_than_minutes: int = 10) -> int:
    """Hand queued messages that nobody sent (a lost task, a broker outage) to Celery again."""
    from bookings.tasks import outbox_send

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
