"""The customer's own link to their appointment (SMS, email, calendar file): signed, no login."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from bookings.models import Appointment

LINK_SALT = "bookings.customer-page"


def customer_token(appointment: Appointment) -> str:
    return signing.dumps({"b": appointment.business_id, "a": appointment.pk}, salt=LINK_SALT)


def customer_token_read(token: str) -> tuple[int, int] | None:
    """(business id, appointment id) from a link's token, or None if it was tampered with."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
        return int(data["b"]), int(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def customer_link(appointment: Appointment) -> str:
    path = reverse("booking_customer", args=[customer_token(appointment)])
    return f"{settings.SITE_URL}{path}"
