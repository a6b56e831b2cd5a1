"""The live appointment book: after a booking, move, cancel or status change commits
(bookings.services.on_appointment_changed), render the columns it touched and its panel
from the page's own partials and send them to the business's open books. Live messages
are hints; a page that reconnects redraws from the database."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from bookings.book.events import broadcast_book_fragment
from bookings.book.pages import appointment_panel, book_columns, columns_touched
from bookings.models import Appointment, SlotHold

logger = logging.getLogger(__name__)

DAY = "bookings/book/day.html"
PANEL = "bookings/book/panel.html"


def columns_html(*, appointment: Appointment) -> str:
    """Every column the appointment's latest change touched, out of band."""
    business = appointment.business
    touched = columns_touched(appointment=appointment)
    staff = {s.pk: s for s in business.staff.filter(pk__in={pk for pk, _ in touched})}
    parts = []
    for staff_id, day in sorted(touched):
        if staff_id not in staff:
            continue
        # Every book gets the same fragment: a grid not showing cancelled ones hides them.
        (column,) = book_columns(
            business=business, staff=[staff[staff_id]], days=[day], cancelled=True
        )
        parts.append(
            render_to_string(f"{DAY}#book-col", {"column": column, "oob": True, "tz": business.tz})
        )
    return "".join(parts)


def book_fragments(*, appointment: Appointment) -> str:
    """The columns and the appointment's panel (where it is open), all out of band."""
    return columns_html(appointment=appointment) + render_to_string(
        f"{PANEL}#panel-live", {"panel": appointment_panel(appointment=appointment), "oob": True}
    )


def appointment_changed_broadcast(appointment_id: int, action: str) -> None:
    """Registered in bookings.services.on_appointment_changed; runs after commit."""
    appointment = (
        Appointment.objects.select_related("business", "service", "staff", "customer")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return
    broadcast_book_fragment(
        business_id=appointment.business_id, html=book_fragments(appointment=appointment)
    )


def hold_changed_broadcast(hold_id: int) -> None:
    """Registered in bookings.holds.on_hold_changed; runs after commit: the held column."""
    hold = SlotHold.objects.select_related("business", "staff").filter(pk=hold_id).first()
    if hold is None:
        return
    business = hold.business
    day = hold.start.astimezone(business.tz).date()
    (column,) = book_columns(business=business, staff=[hold.staff], days=[day])
    html = render_to_string(f"{DAY}#book-col", {"column": column, "oob": True, "tz": business.tz})
    broadcast_book_fragment(business_id=business.pk, html=html)
