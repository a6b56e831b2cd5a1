"""Moving or cancelling from the panel asks whether to tell the client (default yes)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bookings.models import Appointment, OutboxMessage
from bookings.services import CustomerDetails, appointment_book, appointment_cancel
from bookings.tests.conftest import at
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(business: Business, haircut, ana, monday) -> Appointment:
    return appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123", email="a@x.test"),
    )


def _queued(appointment: Appointment, kind: str) -> int:
    return OutboxMessage.objects.filter(appointment=appointment, kind=kind).count()


def test_the_panel_asks_whether_to_tell_the_client_ticked_by_default(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    html = client_for(front_desk).get(reverse("book_panel", args=[appointment.pk])).content.decode()
    assert html.count('name="notify" value="1" checked') == 2  # move and cancel
    assert html.count('name="notify_asked" value="1"') == 2
    assert f'hx-include="#move-notify-{appointment.pk} input"' not in html  # slots load later
    slots = client_for(front_desk).get(reverse("book_free_slots", args=[appointment.pk]))
    assert f'hx-include="#move-notify-{appointment.pk} input"' in slots.content.decode()


def test_a_move_with_the_box_unticked_queues_nothing_and_the_history_says_so(
    client_for, front_desk: User, appointment: Appointment, monday
) -> None:
    response = client_for(front_desk).post(
        reverse("book_move", args=[appointment.pk]),
        {"date": monday.isoformat(), "time": "14:30", "notify_asked": "1"},
    )
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.start == at(monday, 14, 30)
    assert _queued(appointment, OutboxMessage.Kind.RESCHEDULE) == 0
    html = response.content.decode()
    assert "The client was not told." in html
    assert "client not told" in html
    change = appointment.changes.get(action="rescheduled")
    assert change.after["notified"] is False


def test_a_move_with_the_box_ticked_tells_the_client_by_sms_and_email(
    client_for, front_desk: User, appointment: Appointment, monday
) -> None:
    response = client_for(front_desk).post(
        reverse("book_move", args=[appointment.pk]),
        {"date": monday.isoformat(), "time": "14:30", "notify_asked": "1", "notify": "1"},
    )
    assert response.status_code == 200
    assert _queued(appointment, OutboxMessage.Kind.RESCHEDULE) == 2
    assert "client told" in response.content.decode()
    assert appointment.changes.get(action="rescheduled").after["notified"] is True


def test_a_dropped_block_that_was_not_asked_tells_the_client(
    client_for, front_desk: User, appointment: Appointment, monday
) -> None:
    client_for(front_desk).post(
        reverse("book_move", args=[appointment.pk]), {"date": monday.isoformat(), "time": "11:00"}
    )
    assert _queued(appointment, OutboxMessage.Kind.RESCHEDULE) == 2


def test_a_cancel_with_the_box_unticked_queues_nothing_and_the_history_says_so(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    response = client_for(front_desk).post(
        reverse("book_cancel", args=[appointment.pk]),
        {"reason": "Rebooked by phone", "notify_asked": "1"},
    )
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert _queued(appointment, OutboxMessage.Kind.CANCELLATION) == 0
    html = response.content.decode()
    assert "Cancelled: Rebooked by phone · client not told" in html
    assert appointment.changes.get(action="cancelled").after["notified"] is False


def test_a_cancel_with_the_box_ticked_tells_the_client(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    client_for(front_desk).post(
        reverse("book_cancel", args=[appointment.pk]), {"notify_asked": "1", "notify": "1"}
    )
    assert _queued(appointment, OutboxMessage.Kind.CANCELLATION) == 2
    assert appointment.changes.get(action="cancelled").after["notified"] is True


def test_an_overlong_cancel_reason_is_a_clear_error_and_cancels_nothing(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    response = client_for(front_desk).post(
        reverse("book_cancel", args=[appointment.pk]), {"reason": "x" * 301}
    )
    assert response.status_code == 422
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_the_voice_agent_s_cancel_keeps_telling_the_client(appointment: Appointment) -> None:
    appointment_cancel(appointment=appointment, source=Appointment.Source.VOICE)
    assert _queued(appointment, OutboxMessage.Kind.CANCELLATION) == 2
