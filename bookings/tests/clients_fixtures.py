"""Clients with a history, made through the booking services (bookings.clients tests)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from bookings.models import Appointment, Customer, Service, StaffMember
from bookings.services import (
    CustomerDetails,
    appointment_book,
    appointment_cancel,
    appointment_status_set,
)
from console.tenancy.models import Business


def visit(
    *,
    business: Business,
    service: Service,
    staff: StaffMember,
    customer: Customer | CustomerDetails,
    days_ago: int,
    hour: int = 10,
    status: str = "",
) -> Appointment:
    """An appointment `days_ago` days ago (negative: ahead), booked the day before it, then
    moved to `status` (completed, no_show, cancelled) as the desk would."""
    now = timezone.now()
    local = (now - timedelta(days=days_ago)).astimezone(business.tz)
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if days_ago > 0 and start > now:
        start -= timedelta(days=1)
    booked = appointment_book(
        business=business,
        service=service,
        start=start,
        staff=staff,
        customer=customer,
        enforce_rules=False,
        now=min(start, now) - timedelta(days=1),
    )
    after: datetime = start + timedelta(hours=2)
    if status == Appointment.Status.CANCELLED:
        return appointment_cancel(
            appointment=booked, reason="", now=min(start, now) - timedelta(hours=12)
        )
    if status == Appointment.Status.COMPLETED:
        appointment_status_set(appointment=booked, status="arrived", now=after)
        return appointment_status_set(appointment=booked, status="completed", now=after)
    if status:
        return appointment_status_set(appointment=booked, status=status, now=after)
    return booked
