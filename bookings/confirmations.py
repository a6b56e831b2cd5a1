"""Sending an appointment's confirmation again, from the console (the customer lost it)."""

from __future__ import annotations

from django.db import transaction

from bookings import notifications
from bookings.models import Appointment, AppointmentChange, OutboxMessage
from bookings.services import InvalidTransition, appointment_changed_on_commit
from console.tenancy.models import User


def appointment_confirmation_resend(
    *, appointment: Appointment, by: User | None
) -> list[OutboxMessage]:
    """Queue the confirmation SMS (and email) again, once per press: each resend is its own
    history entry, and the outbox dedupes on that entry, so a retried request of the same
    press cannot send twice. Raises InvalidTransition unless booked or confirmed."""
    with transaction.atomic():
        current = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("service", "staff", "customer", "business")
            .get(pk=appointment.pk)
        )
        if not current.is_active:
            raise InvalidTransition(
                f"A {current.get_status_display().lower()} appointment gets no confirmation."
            )
        change = AppointmentChange.objects.create(
            appointment=current,
            action="resent",
            actor=by,
            actor_label=(by.email if by is not None else "system")[:200],
            before={},
            after={"sent": "confirmation"},
        )
        messages = notifications.appointment_messages_queue(
            appointment=current, kind="confirmation", change=change
        )
        appointment_changed_on_commit(appointment=current, action="resent")
    return messages
