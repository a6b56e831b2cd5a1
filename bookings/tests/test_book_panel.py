"""The appointment panel: details, history, move, cancel, status, resend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment, OutboxMessage
from bookings.services import CustomerDetails, appointment_book
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
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    )


def test_the_panel_shows_the_appointment_with_a_masked_phone_and_its_history(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    response = client_for(front_desk).get(reverse("book_panel", args=[appointment.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert appointment.reference in html
    assert "Alice Smith" in html
    assert "0123" in html
    assert "+14155550123" not in html
    assert "Booked for" in html


def test_another_business_s_appointment_is_404_everywhere(
    client_for, outsider: User, appointment: Appointment, monday
) -> None:
    client = client_for(outsider)
    assert client.get(reverse("book_panel", args=[appointment.pk])).status_code == 404
    assert client.get(reverse("book_free_slots", args=[appointment.pk])).status_code == 404
    for name, data in (
        ("book_move", {"date": monday.isoformat(), "time": "11:00"}),
        ("book_cancel", {"reason": "x"}),
        ("book_status", {"status": "arrived"}),
        ("book_resend", {}),
    ):
        assert client.post(reverse(name, args=[appointment.pk]), data).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.start == at(monday, 10)


def test_it_lists_free_times_to_move_to(
    client_for, front_desk: User, appointment: Appointment, monday
) -> None:
    response = client_for(front_desk).get(
        reverse("book_free_slots", args=[appointment.pk]), {"date": monday.isoformat()}
    )
    html = response.content.decode()
    assert 'data-time="09:00"' in html
    assert 'data-time="11:00"' in html
    # Its own time stays offered: moving within its own slot is not a clash with itself.
    assert 'data-time="10:00"' in html
    assert 'data-time="12:45"' not in html  # lunch


def test_it_moves_to_a_chosen_slot_keeping_the_reference(
    client_for, front_desk: User, appointment: Appointment, ben, monday
) -> None:
    response = client_for(front_desk).post(
        reverse("book_move", args=[appointment.pk]),
        {"date": monday.isoformat(), "time": "14:30", "staff": ben.pk},
    )
    assert response.status_code == 200
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.start == at(monday, 14, 30)
    assert moved.staff == ben
    assert moved.reference == appointment.reference
    html = response.content.decode()
    assert "Moved to" in html
    # Both columns it touched come back: where it was and where it is.
    assert f'id="col-{appointment.staff_id}-{monday:%Y%m%d}"' in html
    assert f'id="col-{ben.pk}-{monday:%Y%m%d}"' in html


def test_moving_onto_another_appointment_is_refused_with_alternatives(
    client_for, front_desk: User, business: Business, appointment: Appointment, haircut, ana, monday
) -> None:
    appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 15),
        staff=ana,
        customer=CustomerDetails(name="Bob", phone="+14155550124"),
    )
    response = client_for(front_desk).post(
        reverse("book_move", args=[appointment.pk]), {"date": monday.isoformat(), "time": "15:15"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="panel-error"' in html
    assert "Nearest free times" in html
    appointment.refresh_from_db()
    assert appointment.start == at(monday, 10)


def test_a_malformed_move_is_a_clear_error(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    response = client_for(front_desk).post(
        reverse("book_move", args=[appointment.pk]), {"date": "soon", "time": "25:99"}
    )
    assert response.status_code == 422
    assert "Cannot move it" in response.content.decode()


def test_it_cancels_with_a_reason(client_for, front_desk: User, appointment: Appointment) -> None:
    response = client_for(front_desk).post(
        reverse("book_cancel", args=[appointment.pk]), {"reason": "Customer is unwell"}
    )
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancel_reason == "Customer is unwell"
    html = response.content.decode()
    assert "Cancelled: Customer is unwell" in html
    column = html.split('class="book-col"', 1)[1]
    # It frees its time: the column carries it only as a cancelled block (greyed, and hidden
    # on a book that does not show cancelled ones).
    assert 'class="appt status-cancelled"' in column
    assert 'class="appt status-booked"' not in column


@pytest.fixture
def started(business: Business, haircut, ana) -> Appointment:
    """An appointment that began ten minutes ago (booked yesterday, by hand)."""
    start = (timezone.now() - timedelta(minutes=10)).replace(second=0, microsecond=0)
    return appointment_book(
        business=business,
        service=haircut,
        start=start,
        staff=ana,
        customer=CustomerDetails(name="Bea Lane", phone="+14155550124"),
        enforce_rules=False,
        now=start - timedelta(days=1),
    )


def test_an_appointment_not_started_cannot_be_marked_arrived_completed_or_no_show(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    client = client_for(front_desk)
    url = reverse("book_status", args=[appointment.pk])
    for status in ("arrived", "no_show"):
        response = client.post(url, {"status": status})
        assert response.status_code == 409
        assert "before it has started" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    html = client.get(reverse("book_panel", args=[appointment.pk])).content.decode()
    assert '"status": "confirmed"' in html
    assert '"status": "no_show"' not in html
    assert '"status": "arrived"' not in html


def test_a_status_change_can_be_undone_for_a_while_and_the_undo_is_in_the_history(
    client_for, front_desk: User, started: Appointment
) -> None:
    client = client_for(front_desk)
    marked = client.post(reverse("book_status", args=[started.pk]), {"status": "no_show"})
    assert 'data-testid="status-undo"' in marked.content.decode()
    response = client.post(reverse("book_status_undo", args=[started.pk]))
    assert response.status_code == 200
    started.refresh_from_db()
    assert started.status == Appointment.Status.BOOKED
    html = response.content.decode()
    assert "Undone: No-show → Booked" in html
    assert 'data-testid="status-undo"' not in html
    undo = started.changes.get(action="status_undone")
    assert undo.actor == front_desk
    # Nothing more to take back.
    assert client.post(reverse("book_status_undo", args=[started.pk])).status_code == 409


def test_it_marks_arrived_then_completed_and_refuses_out_of_order(
    client_for, front_desk: User, started: Appointment
) -> None:
    appointment = started
    client = client_for(front_desk)
    url = reverse("book_status", args=[appointment.pk])
    assert client.post(url, {"status": "completed"}).status_code == 409
    assert client.post(url, {"status": "arrived"}).status_code == 200
    assert client.post(url, {"status": "completed"}).status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
    assert client.post(url, {"status": "bogus"}).status_code == 422


def test_a_no_show_is_marked(client_for, front_desk: User, started: Appointment) -> None:
    appointment = started
    response = client_for(front_desk).post(
        reverse("book_status", args=[appointment.pk]), {"status": "no_show"}
    )
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW


def test_it_resends_the_confirmation_once_per_press(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    before = OutboxMessage.objects.filter(appointment=appointment, kind="confirmation").count()
    response = client_for(front_desk).post(reverse("book_resend", args=[appointment.pk]))
    assert response.status_code == 200
    assert "Confirmation sent again by SMS" in response.content.decode()
    after = OutboxMessage.objects.filter(appointment=appointment, kind="confirmation").count()
    assert after == before + 1
    assert appointment.changes.filter(action="resent", actor=front_desk).count() == 1


def test_a_cancelled_appointment_gets_no_confirmation(
    client_for, front_desk: User, appointment: Appointment
) -> None:
    client = client_for(front_desk)
    client.post(reverse("book_cancel", args=[appointment.pk]), {"reason": ""})
    response = client.post(reverse("book_resend", args=[appointment.pk]))
    assert response.status_code == 409


def test_the_panel_links_the_call_that_booked_it_to_its_review_page(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    from calls.tests.factories import call_start

    call = call_start(business, "gw-booked-it")
    appointment = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 11),
        staff=ana,
        customer=CustomerDetails(name="Caller", phone="+14155550150"),
        source=Appointment.Source.VOICE,
        call=call,
    )
    html = client_for(front_desk).get(reverse("book_panel", args=[appointment.pk])).content.decode()
    assert f'href="{reverse("call_review", args=[call.pk])}"' in html
    assert "Voice agent" in html


def test_moving_outside_working_hours_is_refused_with_the_nearest_times(
    client_for, front_desk: User, appointment: Appointment, monday
) -> None:
    response = client_for(front_desk).post(
        reverse("book_move", args=[appointment.pk]), {"date": monday.isoformat(), "time": "19:00"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "outside working hours" in html
    assert "Nearest free times" in html
    appointment.refresh_from_db()
    assert appointment.start == at(monday, 10)
