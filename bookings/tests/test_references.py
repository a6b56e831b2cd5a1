"""References, CONTRACTS.md §5: format, order, uniqueness, never reused, forgiving lookup."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bookings.models import Service, StaffMember
from bookings.references import reference_normalize
from bookings.selectors import appointment_by_reference
from bookings.services import (
    CustomerDetails,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from bookings.tests.conftest import at
from console.tenancy.models import Business

pytestmark = pytest.mark.django_db


def book(business, service, start, n: int = 0):
    return appointment_book(
        business=business,
        service=service,
        start=start,
        customer=CustomerDetails(f"Customer {n}", f"+1415555{n:04d}"),
    )


def test_references_are_prefix_local_date_and_order_of_booking(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    # Booked in this order: 14:00, then 10:00, then the next day.
    refs = [
        book(business, haircut, at(monday, 14), 1).reference,
        book(business, haircut, at(monday, 10), 2).reference,
        book(business, haircut, at(monday + timedelta(days=1), 10), 3).reference,
    ]
    day, next_day = f"{monday:%Y%m%d}", f"{monday + timedelta(days=1):%Y%m%d}"
    assert refs == [f"GB-{day}-001", f"GB-{day}-002", f"GB-{next_day}-001"]


def test_the_date_is_the_local_start_date_not_utc(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    from bookings.catalog.services import HoursInterval, staff_update

    staff_update(
        staff=ana,
        hours=[HoursInterval(monday.weekday(), at(monday, 20).time(), at(monday, 23).time())],
    )
    # 21:00 in New York is already tomorrow in UTC.
    appointment = book(business, haircut, at(monday, 21), 1)
    assert appointment.reference == f"GB-{monday:%Y%m%d}-001"


def test_each_business_counts_on_its_own_with_its_own_prefix(
    business: Business, haircut: Service, ana: StaffMember, monday: date, other_business: Business
) -> None:
    from bookings.catalog.services import service_create, staff_create
    from bookings.tests.conftest import WEEKDAYS_9_TO_5_WITH_LUNCH

    theirs = service_create(business=other_business, name="Consultation", duration_minutes=30)
    staff_create(
        business=other_business,
        name="Dr Lee",
        service_ids=[theirs.pk],
        hours=WEEKDAYS_9_TO_5_WITH_LUNCH,
    )
    ours = book(business, haircut, at(monday, 10), 1)
    other = book(other_business, theirs, at(monday, 10, tz="Europe/London"), 2)
    assert ours.reference.endswith("-001") and ours.reference.startswith("GB-")
    assert other.reference == f"OC-{monday:%Y%m%d}-001"


def test_a_reschedule_keeps_the_reference_even_to_another_day(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    appointment = book(business, haircut, at(monday, 10), 1)
    moved = appointment_reschedule(
        appointment=appointment, start=at(monday + timedelta(days=2), 11)
    )
    assert moved.reference == appointment.reference
    assert moved.start == at(monday + timedelta(days=2), 11)


def test_a_cancellation_does_not_free_the_number(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    first = book(business, haircut, at(monday, 10), 1)
    appointment_cancel(appointment=first)
    second = book(business, haircut, at(monday, 10), 2)
    assert second.reference.endswith("-002")


def test_a_refused_booking_uses_no_number(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    from bookings.services import SlotUnavailable

    book(business, haircut, at(monday, 10), 1)
    with pytest.raises(SlotUnavailable):
        book(business, haircut, at(monday, 10), 2)
    assert book(business, haircut, at(monday, 11), 3).reference.endswith("-002")


def test_the_thousandth_has_four_digits() -> None:
    from bookings.references import reference_format

    assert reference_format(prefix="GB", day=date(2026, 11, 25), number=1000) == "GB-20261125-1000"
    assert reference_format(prefix="GB", day=date(2026, 11, 25), number=7) == "GB-20261125-007"


@pytest.mark.parametrize(
    "spoken",
    [
        "GB-20261125-007",
        "gb-20261125-007",
        "gb 20261125 7",
        "GB.20261125.007",
        "GB20261125007",
        "gb 2026 11 25 007",
        " GB-20261125-7 ",
        "GB 20261125 #7",
    ],
)
def test_lookup_forgives_case_spaces_dots_dashes_and_zeros(spoken: str) -> None:
    assert reference_normalize(spoken) == "GB-20261125-007"


@pytest.mark.parametrize(
    "nonsense", ["", "hello", "GB-2026-007", "GB-20261340-001", "G-20261125-001", "GB-20261125-000"]
)
def test_lookup_refuses_what_cannot_be_a_reference(nonsense: str) -> None:
    assert reference_normalize(nonsense) is None


def test_lookup_finds_only_this_business_appointments(
    business: Business, haircut: Service, ana: StaffMember, monday: date, other_business: Business
) -> None:
    appointment = book(business, haircut, at(monday, 10), 1)
    spoken = appointment.reference.lower().replace("-", " ")
    assert appointment_by_reference(business=business, reference=spoken) == appointment
    assert appointment_by_reference(business=other_business, reference=spoken) is None
