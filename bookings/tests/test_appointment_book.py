from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bookings.models import Appointment, AppointmentChange, OutboxMessage, Service, StaffMember
from bookings.services import (
    BookingError,
    CustomerDetails,
    OutsideRules,
    SlotUnavailable,
    appointment_book,
)
from bookings.tests.conftest import at
from console.tenancy.models import Business

pytestmark = pytest.mark.django_db(transaction=False)

CAROL = CustomerDetails(name="Carol", phone="(415) 555-0123", email="carol@example.test")


def book(business: Business, service: Service, start, **kw) -> Appointment:
    return appointment_book(
        business=business, service=service, start=start, customer=kw.pop("customer", CAROL), **kw
    )


def test_it_books_a_free_slot_with_a_reference_and_history(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    appointment = book(business, haircut, at(monday, 10), staff=ana)
    assert appointment.reference == f"GB-{monday:%Y%m%d}-001"
    assert appointment.end - appointment.start == timedelta(minutes=45)
    assert appointment.blocks_until - appointment.end == timedelta(minutes=15)
    assert appointment.customer.phone == "+14155550123"
    assert AppointmentChange.objects.get(appointment=appointment).action == "booked"


def test_it_refuses_a_clashing_booking_with_alternatives(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    book(business, haircut, at(monday, 10), staff=ana)
    with pytest.raises(SlotUnavailable) as caught:
        # 10:45 is inside the 15 minutes of buffer after the first one.
        book(business, haircut, at(monday, 10, 45), staff=ana)
    starts = [slot.start for slot in caught.value.alternatives]
    assert starts and all(s >= at(monday, 11) or s <= at(monday, 9, 15) for s in starts)
    assert Appointment.objects.count() == 1


def test_it_gives_the_slot_to_someone_else_who_does_the_service(
    business: Business, haircut: Service, ana: StaffMember, ben: StaffMember, monday: date
) -> None:
    first = book(business, haircut, at(monday, 10))
    second = book(business, haircut, at(monday, 10), customer=CustomerDetails("Dan", "4155550199"))
    assert {first.staff, second.staff} == {ana, ben}
    assert second.reference.endswith("-002")


def test_it_refuses_the_past_too_soon_too_far_and_outside_hours(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    now = timezone.now()
    with pytest.raises(OutsideRules, match="past"):
        book(business, haircut, now - timedelta(hours=1), staff=ana)
    with pytest.raises(OutsideRules, match="notice"):
        book(business, haircut, now + timedelta(minutes=30), staff=ana)
    with pytest.raises(OutsideRules, match="ahead"):
        book(business, haircut, at(monday + timedelta(days=140), 10), staff=ana)
    with pytest.raises(OutsideRules, match="working hours"):
        book(business, haircut, at(monday, 12), staff=ana)  # runs into lunch
    with pytest.raises(OutsideRules, match="working hours"):
        book(business, haircut, at(monday + timedelta(days=6), 10), staff=ana)  # Sunday


def test_staff_booking_by_hand_may_skip_the_rules_but_not_the_past_or_a_clash(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    book(business, haircut, at(monday, 12), staff=ana, enforce_rules=False)
    with pytest.raises(SlotUnavailable):
        book(business, haircut, at(monday, 12, 30), staff=ana, enforce_rules=False)


def test_it_refuses_a_bad_phone_number_and_a_staff_member_who_does_not_do_it(
    business: Business,
    manicure: Service,
    haircut: Service,
    ana: StaffMember,
    ben: StaffMember,
    monday: date,
) -> None:
    with pytest.raises(BookingError, match="phone"):
        book(business, haircut, at(monday, 10), customer=CustomerDetails("X", "12"))
    with pytest.raises(BookingError, match="does not do"):
        book(business, manicure, at(monday, 10), staff=ben)


def test_it_queues_an_sms_and_an_email_and_sends_them_after_commit(
    business: Business,
    haircut: Service,
    ana: StaffMember,
    monday: date,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> None:
    from bookings import sms

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(business, haircut, at(monday, 10), staff=ana)
    messages = OutboxMessage.objects.filter(appointment=appointment)
    assert {m.channel: m.status for m in messages} == {"sms": "sent", "email": "sent"}
    assert appointment.reference in sms.outbox[0].body
    assert "/b/" in sms.outbox[0].body
    (email,) = mailoutbox
    assert appointment.reference in email.subject
    _name, content, mimetype = email.attachments[0]
    text = content.decode() if isinstance(content, bytes) else content
    assert mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in text and appointment.reference in text
