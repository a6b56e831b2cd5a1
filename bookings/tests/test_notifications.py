"""Confirmations and reminders: outbox rows, sent after commit, retried, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import sms
from bookings.models import OutboxMessage
from bookings.notifications import reminders_queue
from bookings.outbox import outbox_message_send
from bookings.services import (
    CustomerDetails,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from bookings.tests.conftest import at

pytestmark = pytest.mark.django_db


def book(business, haircut, start, email="carol@example.test"):
    return appointment_book(
        business=business,
        service=haircut,
        start=start,
        customer=CustomerDetails("Carol", "+14155550123", email),
    )


def test_book_move_and_cancel_each_send_an_sms_and_an_email(
    business, haircut, ana, monday, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(business, haircut, at(monday, 10))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(appointment=appointment, start=at(monday, 14))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment)
    kinds = list(
        OutboxMessage.objects.filter(appointment=appointment)
        .order_by("id")
        .values_list("kind", "channel", "status")
    )
    assert kinds == [
        ("confirmation", "sms", "sent"),
        ("confirmation", "email", "sent"),
        ("reschedule", "sms", "sent"),
        ("reschedule", "email", "sent"),
        ("cancellation", "sms", "sent"),
        ("cancellation", "email", "sent"),
    ]
    assert all(appointment.reference in m.body for m in sms.outbox)
    assert "14:00" in sms.outbox[1].body
    assert len(mailoutbox) == 3
    cancel_ics = mailoutbox[2].attachments[0][1]
    cancel_ics = cancel_ics.decode() if isinstance(cancel_ics, bytes) else cancel_ics
    assert "METHOD:CANCEL" in cancel_ics


def test_nothing_is_sent_when_the_booking_rolls_back(business, haircut, ana, monday) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        book(business, haircut, at(monday, 10))
        raise RuntimeError("something after the booking failed")
    assert OutboxMessage.objects.count() == 0
    assert sms.outbox == []


def test_a_customer_without_email_gets_only_the_sms(business, haircut, ana, monday) -> None:
    appointment = book(business, haircut, at(monday, 10), email="")
    assert list(
        OutboxMessage.objects.filter(appointment=appointment).values_list("channel", flat=True)
    ) == ["sms"]


def test_a_failed_send_is_recorded_and_retried_until_it_gives_up(
    business, haircut, ana, monday, settings
) -> None:
    settings.SMS_BACKEND = "bookings.tests.test_notifications.BrokenBackend"
    appointment = book(business, haircut, at(monday, 10), email="")
    message = OutboxMessage.objects.get(appointment=appointment)
    from bookings.outbox import MAX_ATTEMPTS, SendFailed

    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(SendFailed):
            outbox_message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts >= MAX_ATTEMPTS - 1
    assert message.last_error == "ProviderRefused (code 21211, status 400)"
    assert "0123" not in message.last_error  # the provider quoted the number; we do not
    outbox_message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "failed"


def test_a_sent_message_is_never_sent_again(business, haircut, ana, monday) -> None:
    appointment = book(business, haircut, at(monday, 10), email="")
    message = OutboxMessage.objects.get(appointment=appointment)
    outbox_message_send(message_id=message.pk)
    outbox_message_send(message_id=message.pk)
    assert len(sms.outbox) == 1


class ProviderRefused(Exception):
    def __init__(self, to: str) -> None:
        super().__init__(f"The 'To' number {to} is not a valid phone number.")
        self.code, self.status = 21211, 400


class BrokenBackend:
    def send(self, *, to: str, body: str) -> str:
        raise ProviderRefused(to)


def test_reminders_go_once_24_hours_ahead_and_again_after_a_move(
    business, haircut, ana, monday
) -> None:
    appointment = book(business, haircut, at(monday, 10), email="")
    assert reminders_queue(now=at(monday, 8) - timedelta(days=2)) == 0  # too early
    day_before = at(monday, 10) - timedelta(hours=23)
    assert reminders_queue(now=day_before) == 1
    assert reminders_queue(now=day_before) == 0  # once
    appointment_reschedule(appointment=appointment, start=at(monday, 11))
    assert reminders_queue(now=day_before) == 1  # the new time gets its own reminder
    reminders = OutboxMessage.objects.filter(kind="reminder")
    assert reminders.count() == 2
    assert "Reminder" in reminders.first().subject


def test_cancelled_appointments_get_no_reminder(business, haircut, ana, monday) -> None:
    appointment = book(business, haircut, at(monday, 10), email="")
    appointment_cancel(appointment=appointment)
    assert reminders_queue(now=at(monday, 10) - timedelta(hours=2)) == 0


def test_the_beat_task_runs(business, haircut, ana) -> None:
    from bookings.tasks import reminders_send

    assert "reminders queued" in reminders_send.delay().get()
    assert timezone.now()


def test_old_idempotency_records_are_pruned(business) -> None:
    from bookings.models import IdempotencyRecord
    from bookings.tasks import idempotency_prune

    old = IdempotencyRecord.objects.create(
        business=business, key="a", endpoint="x", request_hash="h"
    )
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    IdempotencyRecord.objects.create(business=business, key="b", endpoint="x", request_hash="h")
    assert idempotency_prune.delay().get() == "1 idempotency records pruned"
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["b"]


def test_a_booking_made_less_than_a_day_ahead_gets_no_separate_reminder(
    business, haircut, ana
) -> None:
    from datetime import time

    from bookings.catalog.services import HoursInterval, staff_update

    soon = (timezone.now() + timedelta(hours=5)).astimezone(business.tz)
    staff_update(staff=ana, hours=[HoursInterval(soon.weekday(), time(0), time(23, 59))])
    start = soon.replace(minute=0, second=0, microsecond=0)
    if start.hour > 22:
        pytest.skip("too close to midnight for this check")
    book(business, haircut, start, email="")
    assert reminders_queue() == 0
