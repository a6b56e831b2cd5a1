"""Writes of what a business offers: services, staff, their weekly hours and exceptions.

Used by the admin API, the demo data and (next) the console's settings pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from itertools import pairwise
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from bookings.models import Customer, Service, StaffException, StaffMember, WorkingHours
from bookings.services import BookingError
from console.privacy.encryption import blind_index
from console.privacy.phones import InvalidPhoneNumber, phone_to_e164
from console.tenancy.models import Business, User

SERVICE_FIELDS = {"name", "aliases", "duration_minutes", "buffer_minutes", "price_cents", "active"}


@dataclass(frozen=True)
class HoursInterval:
    weekday: int
    start: time
    end: time


def _aliases(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        text = " ".join(str(value).split())[:80]
        if text and text.lower() not in {s.lower() for s in seen}:
            seen.append(text)
    return seen[:30]


def service_create(
    *,
    business: Business,
    name: str,
    duration_minutes: int,
    aliases: Sequence[str] = (),
    buffer_minutes: int = 0,
    price_cents: int = 0,
    active: bool = True,
) -> Service:
    try:
        with transaction.atomic():
            return Service.objects.create(
                business=business,
                name=name.strip(),
                aliases=_aliases(aliases),
                duration_minutes=duration_minutes,
                buffer_minutes=buffer_minutes,
                price_cents=price_cents,
                active=active,
            )
    except IntegrityError as exc:
        raise BookingError(f"There is already a service called {name}.", field_name="name") from exc


def service_update(*, service: Service, changes: dict[str, Any]) -> Service:
    for key, value in changes.items():
        if key not in SERVICE_FIELDS:
            continue
        setattr(service, key, _aliases(value) if key == "aliases" else value)
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError as exc:
        raise BookingError(
            f"There is already a service called {service.name}.", field_name="name"
        ) from exc
    return service


def service_delete(*, service: Service) -> None:
    """Delete a service nobody ever booked; one with appointments is only deactivated."""
    try:
        with transaction.atomic():
            service.delete()
    except ProtectedError:
        service.active = False
        service.save(update_fields=["active"])


def _check_hours(hours: Sequence[HoursInterval]) -> None:
    by_day: dict[int, list[HoursInterval]] = {}
    for interval in hours:
        if not 0 <= interval.weekday <= 6:
            raise BookingError("weekday is 0 (Monday) to 6 (Sunday).", field_name="hours")
        if interval.start >= interval.end:
            raise BookingError("Each interval must end after it starts.", field_name="hours")
        by_day.setdefault(interval.weekday, []).append(interval)
    for intervals in by_day.values():
        intervals.sort(key=lambda i: i.start)
        for first, second in pairwise(intervals):
            if second.start < first.end:
                raise BookingError("Intervals of one day must not overlap.", field_name="hours")


def staff_hours_set(*, staff: StaffMember, hours: Sequence[HoursInterval]) -> None:
    """Replace the weekly hours (several intervals a day make breaks)."""
    _check_hours(hours)
    with transaction.atomic():
        WorkingHours.objects.filter(staff=staff).delete()
        WorkingHours.objects.bulk_create(
            WorkingHours(staff=staff, weekday=h.weekday, start=h.start, end=h.end) for h in hours
        )


def _services_of(business: Business, service_ids: Iterable[int]) -> list[Service]:
    ids = set(service_ids)
    found = list(Service.objects.filter(business=business, pk__in=ids))
    if len(found) != len(ids):
        raise BookingError("Unknown service id.", field_name="services")
    return found


def staff_create(
    *,
    business: Business,
    name: str,
    service_ids: Iterable[int] = (),
    hours: Sequence[HoursInterval] = (),
    user: User | None = None,
    active: bool = True,
) -> StaffMember:
    with transaction.atomic():
        staff = StaffMember.objects.create(
            business=business, name=name.strip(), user=user, active=active
        )
        staff.services.set(_services_of(business, service_ids))
        staff_hours_set(staff=staff, hours=hours)
    return staff


def staff_update(
    *,
    staff: StaffMember,
    name: str | None = None,
    service_ids: Iterable[int] | None = None,
    hours: Sequence[HoursInterval] | None = None,
    active: bool | None = None,
) -> StaffMember:
    with transaction.atomic():
        if name is not None:
            staff.name = name.strip()
        if active is not None:
            staff.active = active
        staff.save()
        if service_ids is not None:
            staff.services.set(_services_of(staff.business, service_ids))
        if hours is not None:
            staff_hours_set(staff=staff, hours=hours)
    return staff


def staff_delete(*, staff: StaffMember) -> None:
    """Delete someone never booked; otherwise they stay on the book, inactive."""
    try:
        with transaction.atomic():
            staff.delete()
    except ProtectedError:
        staff.active = False
        staff.save(update_fields=["active"])


def staff_exception_create(
    *, staff: StaffMember, start: datetime, end: datetime, kind: str, note: str = ""
) -> StaffException:
    if start.tzinfo is None or end.tzinfo is None:
        raise BookingError("Times need a UTC offset.", field_name="start")
    if start >= end:
        raise BookingError("The end must be after the start.", field_name="end")
    if kind not in StaffException.Kind.values:
        raise BookingError("kind is 'off' or 'extra'.", field_name="kind")
    return StaffException.objects.create(staff=staff, start=start, end=end, kind=kind, note=note)


def staff_exception_delete(*, exception: StaffException) -> None:
    exception.delete()


def customer_update(
    *,
    customer: Customer,
    name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Customer:
    if name is not None:
        if not name.strip():
            raise BookingError("A name is required.", field_name="name")
        customer.name = name.strip()[:150]
    if email is not None:
        customer.email = email
    if phone is not None:
        try:
            e164 = phone_to_e164(phone, region=customer.business.default_region)
        except InvalidPhoneNumber as exc:
            raise BookingError(str(exc), field_name="phone") from exc
        customer.phone, customer.phone_index, customer.phone_last4 = (
            e164,
            blind_index(e164),
            e164[-4:],
        )
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        raise BookingError("Another customer has that phone number.", field_name="phone") from exc
    return customer
