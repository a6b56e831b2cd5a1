"""The customer's own page, reached by the signed link in every confirmation.

No login: the signed token is the key. The customer sees the booking and, within the
business's rules (cancellation window, notice, horizon), cancels it or picks another slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bookings.customer_links import customer_token_read
from bookings.days import day_parse
from bookings.models import Appointment
from bookings.selectors import availability_list
from bookings.services import BookingError, appointment_cancel, appointment_reschedule
from console.privacy.phones import phone_mask

SOURCE = Appointment.Source.CUSTOMER


def _appointment(token: str) -> Appointment:
    ids = customer_token_read(token)
    if ids is None:
        raise Http404("This link is not valid.")
    business_id, appointment_id = ids
    appointment = (
        Appointment.objects.filter(pk=appointment_id, business_id=business_id)
        .select_related("business", "service", "staff", "customer")
        .first()
    )
    if appointment is None:
        raise Http404("This booking no longer exists.")
    return appointment


def _changeable(appointment: Appointment) -> tuple[bool, str]:
    if not appointment.is_active:
        return False, ""
    window = timedelta(hours=appointment.business.cancellation_window_hours)
    if appointment.start - timezone.now() < window:
        return False, (
            f"Changes online close {appointment.business.cancellation_window_hours} hours "
            f"before the appointment; please call {appointment.business.name}."
        )
    return True, ""


@require_http_methods(["GET"])
def booking_page(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    return _render(request, token, appointment)


def _render(
    request: HttpRequest,
    token: str,
    appointment: Appointment,
    *,
    error: str = "",
    status: int = 200,
    confirm_cancel: bool = False,
) -> HttpResponse:
    business = appointment.business
    tz = business.tz
    changeable, closed_reason = _changeable(appointment)
    today = timezone.now().astimezone(tz).date()
    day = day_parse(
        request.GET.get("date"),
        default=max(today, appointment.start.astimezone(tz).date()),
        today=today,
    )
    slots = []
    if changeable and request.GET.get("date"):
        slots = [
            {"start": s.start.astimezone(tz), "staff": s.staff}
            for s in availability_list(
                business=business,
                service=appointment.service,
                day_from=day,
                day_to=day,
                exclude_appointment_id=appointment.pk,
            )
        ]
    return render(
        request,
        "bookings/customer_page.html",
        {
            "token": token,
            "appointment": appointment,
            "business": business,
            "start_local": appointment.start.astimezone(tz),
            "end_local": appointment.end.astimezone(tz),
            "phone_masked": phone_mask(appointment.customer.phone),
            "changeable": changeable,
            "closed_reason": closed_reason,
            "day": day,
            "min_day": today,
            "max_day": today + timedelta(days=business.max_advance_days),
            "slots": slots,
            "searched": bool(request.GET.get("date")),
            "error": error,
            "confirm_cancel": confirm_cancel,
        },
        status=status,
    )


@require_POST
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Two steps: the first press asks (one stray tap cancels nothing), the second, with
    `confirm`, cancels and says so."""
    appointment = _appointment(token)
    if request.POST.get("confirm") != "yes":
        changeable, closed_reason = _changeable(appointment)
        if not changeable:
            message = closed_reason or "This appointment can no longer be cancelled online."
            return _render(request, token, appointment, error=message, status=409)
        return _render(request, token, appointment, confirm_cancel=True)
    try:
        appointment_cancel(
            appointment=appointment, reason="Cancelled by the customer", source=SOURCE
        )
    except BookingError as exc:
        return _render(request, token, appointment, error=exc.message, status=409)
    messages.success(
        request,
        f"Your appointment {appointment.reference} is cancelled. We have sent you a confirmation.",
    )
    return redirect("booking_customer", token=token)


@require_POST
def booking_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    raw_start, _, staff_id = request.POST.get("slot", "").partition("|")
    try:
        start = datetime.fromisoformat(raw_start)
    except ValueError:
        return _render(request, token, appointment, error="Pick one of the times.", status=400)
    staff = None
    if staff_id.isdigit():
        staff = appointment.business.staff.filter(pk=int(staff_id), active=True).first()
    try:
        appointment_reschedule(appointment=appointment, start=start, staff=staff, source=SOURCE)
    except BookingError as exc:
        return _render(request, token, appointment, error=exc.message, status=409)
    return redirect("booking_customer", token=token)
