"""Reschedule, cancel and status changes through the one write path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Appointment
from bookings.services import (
    CustomerDetails,
    InvalidTransition,
    OutsideRules,
    SlotUnavailable,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    appointment_status_set,
    appointment_status_undo,
)
from bookings.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(business, haircut, ana, monday) -> Appointment:
    return appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123"),
    )


def test_a_reschedule_may_overlap_its_own_old_time(appointment, monday) -> None:
    moved = appointment_reschedule(appointment=appointment, start=at(monday, 10, 15))
    assert moved.start == at(monday, 10, 15)
    change = moved.changes.last()
    assert change.action == "rescheduled"
    assert change.before["start"] != change.after["start"]


def test_a_reschedule_onto_a_taken_time_is_refused_and_changes_nothing(
    appointment, business, haircut, monday
) -> None:
    appointment_book(
        business=business,
        service=haircut,
        staff=appointment.staff,
        start=at(monday, 14),
        customer=CustomerDetails("Dan", "+14155550199"),
    )
    with pytest.raises(SlotUnavailable):
        appointment_reschedule(appointment=appointment, start=at(monday, 14, 30))
    appointment.refresh_from_db()
    assert appointment.start == at(monday, 10)


def test_a_reschedule_to_another_staff_member(appointment, ben, monday) -> None:
    moved = appointment_reschedule(appointment=appointment, start=at(monday, 10), staff=ben)
    assert moved.staff == ben


def test_cancel_twice_is_harmless_and_a_cancelled_one_cannot_move(appointment, monday) -> None:
    appointment_cancel(appointment=appointment, reason="ill")
    again = appointment_cancel(appointment=appointment)
    assert again.status == "cancelled" and again.cancel_reason == "ill"
    assert appointment.changes.filter(action="cancelled").count() == 1
    with pytest.raises(InvalidTransition):
        appointment_reschedule(appointment=appointment, start=at(monday, 11))


def test_statuses_follow_the_life_of_an_appointment(appointment) -> None:
    during = appointment.start + timedelta(minutes=5)
    appointment_status_set(appointment=appointment, status="confirmed")
    appointment_status_set(appointment=appointment, status="arrived", now=during)
    appointment_status_set(appointment=appointment, status="completed", now=during)
    appointment.refresh_from_db()
    assert appointment.status == "completed"
    with pytest.raises(InvalidTransition):
        appointment_status_set(appointment=appointment, status="booked")
    with pytest.raises(InvalidTransition):
        appointment_cancel(appointment=appointment)


def test_nobody_arrives_or_is_a_no_show_long_before_the_start(appointment) -> None:
    for status in ("arrived", "no_show"):
        with pytest.raises(InvalidTransition):
            appointment_status_set(
                appointment=appointment, status=status, now=appointment.start - timedelta(days=1)
            )
    early = appointment.start - timedelta(minutes=20)  # a client who walks in early
    appointment_status_set(appointment=appointment, status="arrived", now=early)
    with pytest.raises(InvalidTransition):
        appointment_status_set(appointment=appointment, status="completed", now=early)


def test_a_status_change_cannot_be_undone_after_the_window(appointment, settings) -> None:
    settings.STATUS_UNDO_MINUTES = 10
    appointment_status_set(appointment=appointment, status="confirmed")
    later = timezone.now() + timedelta(minutes=11)
    with pytest.raises(InvalidTransition):
        appointment_status_undo(appointment=appointment, now=later)
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"


def test_undoing_a_no_show_whose_time_was_rebooked_is_refused(
    appointment, business, haircut
) -> None:
    appointment_status_set(
        appointment=appointment, status="no_show", now=appointment.start + timedelta(minutes=1)
    )
    appointment_book(
        business=business,
        service=haircut,
        staff=appointment.staff,
        start=appointment.start,
        customer=CustomerDetails("Walk In", "+14155550100"),
    )
    with pytest.raises(SlotUnavailable):
        appointment_status_undo(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == "no_show"


def test_a_no_show_frees_the_time(appointment, business, haircut, monday) -> None:
    appointment_status_set(
        appointment=appointment, status="no_show", now=appointment.start + timedelta(minutes=1)
    )
    walk_in = appointment_book(
        business=business,
        service=haircut,
        staff=appointment.staff,
        start=at(monday, 10),
        customer=CustomerDetails("Walk In", "+14155550100"),
    )
    assert walk_in.status == "booked"


def test_the_voice_agent_cannot_move_inside_the_cancellation_window(
    business, haircut, ana, monday
) -> None:
    appointment = appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123"),
    )
    with pytest.raises(OutsideRules, match="hours' notice"):
        appointment_reschedule(
            appointment=appointment,
            start=at(monday, 11),
            source="voice",
            now=at(monday, 10) - timedelta(hours=2),
        )
    with pytest.raises(OutsideRules):
        appointment_cancel(
            appointment=appointment, source="voice", now=at(monday, 10) - timedelta(hours=2)
        )
    # Staff at the console may.
    appointment_cancel(appointment=appointment, now=at(monday, 10) - timedelta(hours=2))
