"""Reads of the appointment book. Every function starts from a business."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import CharField, QuerySet, Value
from django.utils import timezone

from bookings.availability import (
    DatedInterval,
    Rules,
    StaffCalendar,
    WeeklyInterval,
    slots_free_by_day,
)
from bookings.models import (
    Appointment,
    Customer,
    Service,
    SlotHold,
    StaffException,
    StaffMember,
    WorkingHours,
)
from bookings.references import reference_normalize
from console.privacy.encryption import blind_index
from console.privacy.phones import phone_to_e164_or_none
from console.tenancy.models import Business


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime
    staff: StaffMember


def business_rules(*, business: Business, now: datetime | None = None) -> Rules:
    """The business's booking rules as of `now`: earliest start and last bookable day."""
    now = now or timezone.now()
    today = now.astimezone(business.tz).date()
    return Rules(
        interval_minutes=business.slot_interval_minutes,
        earliest=now + timedelta(minutes=business.min_notice_minutes),
        latest_day=today + timedelta(days=business.max_advance_days),
    )


def staff_for_service(*, business: Business, service: Service) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(business=business, active=True, services=service).order_by(
            "name", "id"
        )
    )


def staff_calendars(
    *,
    business: Business,
    staff: Sequence[StaffMember],
    start: datetime,
    end: datetime,
    exclude_appointment_id: int | None = None,
    weekly: dict[int, list[WeeklyInterval]] | None = None,
) -> dict[int, StaffCalendar]:
    """Hours, exceptions, holding appointments and live slot holds of `staff` around
    [start, end) (an expired hold is free time).

    Two queries (one if `weekly` hours are already known): availability is on the voice
    agent's critical path, and round trips are most of its cost.
    """
    ids = [s.pk for s in staff]
    if weekly is None:
        weekly = {pk: [] for pk in ids}
        for staff_id, day, w_start, w_end in WorkingHours.objects.filter(
            staff_id__in=ids
        ).values_list("staff_id", "weekday", "start", "end"):
            weekly[staff_id].append(WeeklyInterval(day, w_start, w_end))
    calendars = {
        pk: StaffCalendar(weekly=weekly.get(pk, []), off=[], extra=[], busy=[]) for pk in ids
    }
    exceptions = (
        StaffException.objects.filter(staff_id__in=ids, start__lt=end, end__gt=start)
        .order_by()
        .values_list("staff_id", "start", "end", "kind")
    )
    busy = Appointment.objects.filter(
        staff_id__in=ids,
        status__in=Appointment.HOLDING,
        start__lt=end,
        blocks_until__gt=start,
    )
    if exclude_appointment_id is not None:
        busy = busy.exclude(pk=exclude_appointment_id)
    booked = (
        busy.order_by()
        .annotate(kind=Value(BUSY, output_field=CharField()))
        .values_list("staff_id", "start", "blocks_until", "kind")
    )
    held = (
        SlotHold.objects.filter(
            staff_id__in=ids,
            status=SlotHold.Status.HELD,
            expires_at__gt=timezone.now(),
            start__lt=end,
            blocks_until__gt=start,
        )
        .order_by()
        .annotate(kind=Value(BUSY, output_field=CharField()))
        .values_list("staff_id", "start", "blocks_until", "kind")
    )
    for staff_id, d_start, d_end, kind in exceptions.union(booked, held, all=True):
        calendar = calendars[staff_id]
        target = {StaffException.Kind.OFF: calendar.off, BUSY: calendar.busy}.get(
            kind, calendar.extra
        )
        target.append(DatedInterval(d_start, d_end))  # type: ignore[attr-defined]
    return calendars


BUSY = "busy"


_SERVICE_FIELDS = ("id", "name", "aliases", "duration_minutes", "buffer_minutes", "price_cents")


def service_with_staff(*, business: Business, service_id: int) -> Service | None:
    """An active service with its active staff and their weekly hours, in one query.

    The staff ride along on the instance for `availability_list`, which then needs
    one query fewer: the voice agent waits on every round trip.
    """
    rows = (
        Service.objects.filter(business=business, active=True, pk=service_id)
        .order_by("staff__name", "staff__id")
        .values_list(
            *_SERVICE_FIELDS,
            "staff__id",
            "staff__name",
            "staff__active",
            "staff__hours__weekday",
            "staff__hours__start",
            "staff__hours__end",
        )
    )
    service: Service | None = None
    people: dict[int, StaffMember] = {}
    weekly: dict[int, list[WeeklyInterval]] = {}
    for row in rows:
        if service is None:
            service = Service(
                business=business, active=True, **dict(zip(_SERVICE_FIELDS, row, strict=False))
            )
        staff_id, name, active, day, w_start, w_end = row[len(_SERVICE_FIELDS) :]
        if staff_id is None or not active:
            continue
        if staff_id not in people:
            people[staff_id] = StaffMember(pk=staff_id, name=name, business=business, active=True)
            weekly[staff_id] = []
        if day is not None:
            weekly[staff_id].append(WeeklyInterval(day, w_start, w_end))
    if service is not None:
        service._bookable_staff = (list(people.values()), weekly)  # type: ignore[attr-defined]
    return service


def _people_with_hours(
    *, business: Business, service: Service
) -> tuple[list[StaffMember], dict[int, list[WeeklyInterval]]]:
    """Active staff who do `service` and their weekly hours, in one query (or none, when
    `service_with_staff` fetched them already)."""
    known = getattr(service, "_bookable_staff", None)
    if known is not None:
        return known  # type: ignore[no-any-return]
    people: dict[int, StaffMember] = {}
    weekly: dict[int, list[WeeklyInterval]] = {}
    rows = (
        StaffMember.objects.filter(business=business, active=True, services=service)
        .order_by("name", "id")
        .values_list("id", "name", "hours__weekday", "hours__start", "hours__end")
    )
    for staff_id, name, day, w_start, w_end in rows:
        if staff_id not in people:
            people[staff_id] = StaffMember(pk=staff_id, name=name, business=business, active=True)
            weekly[staff_id] = []
        if day is not None:
            weekly[staff_id].append(WeeklyInterval(day, w_start, w_end))
    return list(people.values()), weekly


def availability_list(
    *,
    business: Business,
    service: Service,
    day_from: date,
    day_to: date,
    staff: StaffMember | None = None,
    now: datetime | None = None,
    apply_rules: bool = True,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """Free slots for `service` on local days day_from..day_to, ascending.

    With `staff`, that person's slots; without, each start time once, given to whoever
    doing the service has the fewest bookings that day (ties: by name).
    """
    tz = business.tz
    weekly: dict[int, list[WeeklyInterval]] | None = None
    if staff is not None:
        people = [staff]
    else:
        people, weekly = _people_with_hours(business=business, service=service)
    if not people:
        return []
    rules = business_rules(business=business, now=now)
    if not apply_rules:
        rules = Rules(
            interval_minutes=business.slot_interval_minutes, earliest=now or timezone.now()
        )
    window_start = datetime.combine(day_from, time(0), tzinfo=tz).astimezone(UTC) - timedelta(
        hours=12
    )
    window_end = datetime.combine(day_to + timedelta(days=1), time(0), tzinfo=tz).astimezone(
        UTC
    ) + timedelta(hours=12)
    calendars = staff_calendars(
        business=business,
        staff=people,
        start=window_start,
        end=window_end,
        exclude_appointment_id=exclude_appointment_id,
        weekly=weekly,
    )
    duration = timedelta(minutes=service.duration_minutes)
    buffer = timedelta(minutes=service.buffer_minutes)
    load: dict[tuple[int, date], int] = defaultdict(int)
    for person in people:
        for busy in calendars[person.pk].busy:
            load[(person.pk, busy.start.astimezone(tz).date())] += 1
    best: dict[datetime, tuple[int, int, StaffMember]] = {}
    for order, person in enumerate(people):
        by_day = slots_free_by_day(
            calendar=calendars[person.pk],
            day_from=day_from,
            day_to=day_to,
            tz=tz,
            duration=duration,
            buffer=buffer,
            rules=rules,
        )
        for day, starts in by_day.items():
            rank = (load[(person.pk, day)], order)
            for start in starts:
                held = best.get(start)
                if held is None or rank < held[:2]:
                    best[start] = (*rank, person)
    return [Slot(start=s, end=s + duration, staff=best[s][2]) for s in sorted(best)]


def slots_nearest(
    *,
    business: Business,
    service: Service,
    around: datetime,
    staff: StaffMember | None = None,
    count: int = 3,
    now: datetime | None = None,
) -> list[Slot]:
    """The `count` free slots closest to `around` (the alternatives offered after a clash)."""
    day = around.astimezone(business.tz).date()
    for days in (1, 7, 21):
        slots = availability_list(
            business=business,
            service=service,
            staff=staff,
            day_from=day - timedelta(days=days - 1 if days > 1 else 0),
            day_to=day + timedelta(days=days),
            now=now,
        )
        if len(slots) >= count:
            break
    slots.sort(key=lambda s: (abs((s.start - around).total_seconds()), s.start))
    return sorted(slots[:count], key=lambda s: s.start)


def services_active(*, business: Business) -> QuerySet[Service]:
    return Service.objects.filter(business=business, active=True).order_by("name")


def customer_by_phone(*, business: Business, phone: str) -> Customer | None:
    e164 = phone_to_e164_or_none(phone, region=business.default_region)
    if e164 is None:
        return None
    return Customer.objects.filter(business=business, phone_index=blind_index(e164)).first()


def appointments_base(*, business: Business) -> QuerySet[Appointment]:
    return Appointment.objects.filter(business=business).select_related(
        "service", "staff", "customer"
    )


def appointment_by_reference(*, business: Business, reference: str) -> Appointment | None:
    """Forgiving lookup (CONTRACTS §5); None for an unknown or another business's reference."""
    canonical = reference_normalize(reference)
    if canonical is None:
        return None
    return appointments_base(business=business).filter(reference=canonical).first()


def appointments_for_phone(*, business: Business, phone: str) -> list[Appointment]:
    customer = customer_by_phone(business=business, phone=phone)
    if customer is None:
        return []
    return list(appointments_base(business=business).filter(customer=customer).order_by("start"))
