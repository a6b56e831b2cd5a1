"""The JSON shapes of CONTRACTS.md §4, shared by the tools API and the admin API."""

from __future__ import annotations

from typing import Any

from bookings.models import Appointment, Service, StaffMember
from bookings.selectors import Slot
from console.privacy.phones import phone_mask


def service_brief(service: Service) -> dict[str, Any]:
    return {"id": service.pk, "name": service.name}


def staff_brief(staff: StaffMember) -> dict[str, Any]:
    return {"id": staff.pk, "name": staff.name}


def appointment_json(appointment: Appointment, *, full_phone: bool = False) -> dict[str, Any]:
    """An appointment; times in the business's local offset. The tools API (the voice agent)
    gets the phone masked, the admin API in full."""
    tz = appointment.business.tz
    phone = appointment.customer.phone
    return {
        "reference": appointment.reference,
        "status": appointment.status,
        "start": appointment.start.astimezone(tz).isoformat(),
        "end": appointment.end.astimezone(tz).isoformat(),
        "service": service_brief(appointment.service),
        "staff": staff_brief(appointment.staff),
        "customer": {
            "name": appointment.customer.name,
            "phone": phone if full_phone else phone_mask(phone),
        },
    }


def slot_json(slot: Slot, *, tz: Any) -> dict[str, Any]:
    return {
        "start": slot.start.astimezone(tz).isoformat(),
        "end": slot.end.astimezone(tz).isoformat(),
        "staff": staff_brief(slot.staff),
    }
