"""Slot holds: a time kept for a caller for a few minutes while they confirm (`hold_slot`),
then turned into the booking by its id (`book_appointment` with `hold_id`).

A live hold is busy time for everyone else: availability and the booking path read it
through bookings.selectors.staff_calendars, and on PostgreSQL the database refuses any
appointment or hold over it (bookings_timeclaim, migration 0003). It ends by itself at
`expires_at`: nothing has to run for an expired hold to stop blocking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from bookings.models import Appointment, Service, SlotHold, StaffMember
from bookings.selectors import slots_nearest
from bookings.services import (
    CLASH_ERRORS,
    BookingError,
    CustomerDetails,
    SlotUnavailable,
    _aware,
    _is_overlap_violation,
    appointment_book,
    staff_free_for,
    time_claim_check,
)
from console.tenancy.models import ApiKey, Business

HOLD_MINUTES_DEFAULT = 5
HOLD_MINUTES_MAX = 10

# Called after a hold is taken or ends, with (hold_id): the book's live update registers
# here (BookingsConfig.ready), as it does in services.on_appointment_changed.
on_hold_changed: list[Callable[[int], None]] = []


class HoldNotFound(BookingError):
    code = "not_found"
    status = 404


class HoldEnded(BookingError):
    """Expired, already booked or released: the time is no longer kept."""

    code = "hold_expired"
    status = 409


def hold_changed_on_commit(*, hold: SlotHold) -> None:
    hold_id = hold.pk

    def run() -> None:
        for listener in on_hold_changed:
            listener(hold_id)

    transaction.on_commit(run, robust=True)


def hold_state(*, hold: SlotHold, now: datetime | None = None) -> str:
    """held / expired / booked / released, as the desk and the API name it."""
    now = now or timezone.now()
    if hold.status == SlotHold.Status.HELD and hold.expires_at <= now:
        return "expired"
    return str(hold.status)


def hold_create(
    *,
    business: Business,
    service: Service,
    start: datetime,
    staff: StaffMember | None = None,
    minutes: int = HOLD_MINUTES_DEFAULT,
    call: Any = None,
    now: datetime | None = None,
) -> SlotHold:
    """Hold `service` at `start` (aware) with `staff`, or with anyone free who does it, for
    `minutes` (1..HOLD_MINUTES_MAX). The booking rules apply as for a booking by the agent.

    Raises SlotUnavailable (with the nearest alternatives) if the time is booked or held,
    OutsideRules, or BookingError for bad input.
    """
    now = now or timezone.now()
    start = _aware(start).replace(microsecond=0)
    if not 1 <= minutes <= HOLD_MINUTES_MAX:
        raise BookingError(f"A hold lasts 1 to {HOLD_MINUTES_MAX} minutes.", field_name="minutes")
    claim = time_claim_check(business=business, service=service, start=start, staff=staff, now=now)
    end, blocks_until = claim.end, claim.blocks_until
    with transaction.atomic():
        free = staff_free_for(business=business, service=service, claim=claim)
        hold = _insert_first_free(
            business=business,
            service=service,
            people=free,
            start=start,
            end=end,
            blocks_until=blocks_until,
            expires_at=timezone.now() + timedelta(minutes=minutes),
            call=call,
        )
        if hold is not None:
            hold_changed_on_commit(hold=hold)
            return hold
    raise SlotUnavailable(
        "That time is taken.",
        alternatives=slots_nearest(
            business=business, service=service, staff=staff, around=start, now=now
        ),
    )


def _insert_first_free(
    *,
    business: Business,
    service: Service,
    people: list[StaffMember],
    start: datetime,
    end: datetime,
    blocks_until: datetime,
    expires_at: datetime,
    call: Any,
) -> SlotHold | None:
    for person in people:
        try:
            with transaction.atomic():  # a savepoint: a clash on one person tries the next
                return SlotHold.objects.create(
                    business=business,
                    service=service,
                    staff=person,
                    start=start,
                    end=end,
                    blocks_until=blocks_until,
                    expires_at=expires_at,
                    call=call,
                )
        except CLASH_ERRORS as exc:
            if not _is_overlap_violation(exc):
                raise
    return None


def hold_get(*, business: Business, hold_id: int) -> SlotHold:
    """The business's hold, or HoldNotFound (another business's id is unknown here)."""
    hold = (
        SlotHold.objects.filter(business=business, pk=hold_id)
        .select_related("service", "staff")
        .first()
    )
    if hold is None:
        raise HoldNotFound("No such hold.", field_name="hold_id")
    return hold


@dataclass(frozen=True)
class HeldBooking:
    hold: SlotHold
    appointment: Appointment


def hold_book(
    *,
    business: Business,
    hold_id: int,
    customer: CustomerDetails,
    notes: str = "",
    source: str = Appointment.Source.VOICE,
    call: Any = None,
    api_key: ApiKey | None = None,
    now: datetime | None = None,
) -> HeldBooking:
    """Book the held time for `customer` through appointment_book; the hold ends (booked).

    All in one transaction: the hold is locked, checked live and marked booked (which frees
    its claim), then the appointment takes the time. The booking rules are those of the
    moment the hold was taken: a caller who confirmed in time keeps the time they were given.
    Raises HoldNotFound, HoldEnded, or what appointment_book raises.
    """
    now = now or timezone.now()
    with transaction.atomic():
        hold = (
            SlotHold.objects.select_for_update(of=("self",))
            .filter(business=business, pk=hold_id)
            .select_related("service", "staff")
            .first()
        )
        if hold is None:
            raise HoldNotFound("No such hold.", field_name="hold_id")
        state = hold_state(hold=hold, now=now)
        if state != "held":
            raise HoldEnded(
                "That hold has expired; check availability again."
                if state in ("expired", "released")
                else "That hold was already booked.",
                field_name="hold_id",
            )
        hold.status = SlotHold.Status.BOOKED
        hold.save(update_fields=["status"])
        appointment = appointment_book(
            business=business,
            service=hold.service,
            staff=hold.staff,
            start=hold.start,
            customer=customer,
            notes=notes,
            source=source,
            call=call,
            api_key=api_key,
            now=min(now, hold.created_at),
        )
        hold.appointment = appointment
        hold.save(update_fields=["appointment"])
        hold_changed_on_commit(hold=hold)
    return HeldBooking(hold=hold, appointment=appointment)


def holds_live(
    *, business: Business, staff_ids: list[int], start: datetime, end: datetime
) -> list[SlotHold]:
    """The live holds of these staff members overlapping [start, end), for the book."""
    return list(
        SlotHold.objects.filter(
            business=business,
            staff_id__in=staff_ids,
            status=SlotHold.Status.HELD,
            expires_at__gt=timezone.now(),
            start__lt=end,
            end__gt=start,
        )
        .select_related("service")
        .order_by("start", "id")
    )
