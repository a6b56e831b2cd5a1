"""The appointment panel beside the book: details, history, and every change staff make to
an appointment (move, cancel, status, resend), each through bookings.services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bookings.book.forms import CancelForm, MoveForm, StatusForm
from bookings.book.live import columns_html
from bookings.book.pages import appointment_get, appointment_panel
from bookings.days import day_parse
from bookings.models import Appointment, StaffMember
from bookings.selectors import availability_list, slots_nearest, staff_for_service
from bookings.services import (
    BookingError,
    OutsideRules,
    SlotUnavailable,
    appointment_cancel,
    appointment_confirmation_resend,
    appointment_reschedule,
    appointment_status_set,
    appointment_status_undo,
)
from console.tenancy.access import business_view
from console.tenancy.models import Business

PANEL = "bookings/book/panel.html"


def _business(request: HttpRequest) -> Business:
    return request.access.business  # type: ignore[attr-defined]


def _render(
    request: HttpRequest,
    appointment: Appointment,
    *,
    notice: str = "",
    error: str = "",
    alternatives: list[Any] | None = None,
    status: int = 200,
    changed: bool = False,
) -> HttpResponse:
    context = {
        "panel": appointment_panel(appointment=appointment),
        "notice": notice,
        "error": error,
        "alternatives": [
            (s, s.start.astimezone(appointment.business.tz)) for s in alternatives or []
        ],
    }
    response = render(request, f"{PANEL}#panel", context, status=status)
    if changed:
        # The socket brings the same columns within a second; the response brings them at once.
        response.write(columns_html(appointment=appointment))
    return response


def _told(notify: bool) -> str:
    return "The client is being told." if notify else "The client was not told."


def _reload(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_related(
        "service", "staff", "customer", "call", "business"
    ).get(pk=appointment.pk)


@require_GET
@business_view()
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, appointment_get(business=_business(request), pk=pk))


@require_GET
@business_view()
def free_slots(request: HttpRequest, pk: int) -> HttpResponse:
    """The free times to move it to on one day (with whoever does the service, or one
    staff member)."""
    business = _business(request)
    appointment = appointment_get(business=business, pk=pk)
    tz = business.tz
    # A malformed or far-off date shows the appointment's own day.
    day = day_parse(
        request.GET.get("date"),
        default=appointment.start.astimezone(tz).date(),
        today=timezone.now().astimezone(tz).date(),
    )
    staff_raw = request.GET.get("staff", "")
    staff = (
        StaffMember.objects.filter(business=business, pk=int(staff_raw)).first()
        if staff_raw.isdigit()
        else None
    )
    slots = availability_list(
        business=business,
        service=appointment.service,
        day_from=day,
        day_to=day,
        staff=staff,
        exclude_appointment_id=appointment.pk,
    )
    return render(
        request,
        f"{PANEL}#free-slots",
        {
            "panel": appointment_panel(appointment=appointment),
            "slots": [(s, s.start.astimezone(tz)) for s in slots],
            "slot_day": day,
            "slot_staff": staff,
            "staff_choices": staff_for_service(business=business, service=appointment.service),
        },
    )


@require_POST
@business_view()
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Reschedule to a picked slot or to where the block was dropped: the same checks."""
    business = _business(request)
    appointment = appointment_get(business=business, pk=pk)
    form = MoveForm(request.POST, business=business)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        return _render(request, appointment, error=f"Cannot move it: {errors}", status=422)
    try:
        moved = appointment_reschedule(
            appointment=appointment,
            start=form.start,
            staff=form.cleaned_data.get("staff"),
            by=request.user,  # type: ignore[arg-type]
            notify=form.notify_client,
        )
    except SlotUnavailable as exc:
        return _render(
            request, appointment, error=exc.message, alternatives=exc.alternatives, status=409
        )
    except OutsideRules as exc:
        nearest = slots_nearest(
            business=business,
            service=appointment.service,
            staff=form.cleaned_data.get("staff") or appointment.staff,
            around=form.start,
        )
        return _render(request, appointment, error=exc.message, alternatives=nearest, status=422)
    except BookingError as exc:
        return _render(request, appointment, error=exc.message, status=exc.status)
    moved = _reload(moved)
    local = moved.start.astimezone(business.tz)
    return _render(
        request,
        moved,
        notice=f"Moved to {local:%a %d %b %H:%M} with {moved.staff.name}. "
        + _told(form.notify_client),
        changed=True,
    )


@require_POST
@business_view()
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_get(business=_business(request), pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render(
            request, appointment, error="Cannot cancel it: check the reason.", status=422
        )
    try:
        cancelled = appointment_cancel(
            appointment=appointment,
            reason=form.cleaned_data["reason"],
            by=request.user,  # type: ignore[arg-type]
            notify=form.notify_client,
        )
    except BookingError as exc:
        return _render(request, appointment, error=exc.message, status=exc.status)
    return _render(
        request,
        _reload(cancelled),
        notice="Cancelled. " + _told(form.notify_client),
        changed=True,
    )


@require_POST
@business_view()
def status(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_get(business=_business(request), pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _render(request, appointment, error="Unknown status.", status=422)
    try:
        changed = appointment_status_set(
            appointment=appointment,
            status=form.cleaned_data["status"],
            by=request.user,  # type: ignore[arg-type]
        )
    except BookingError as exc:
        return _render(request, appointment, error=exc.message, status=exc.status)
    changed = _reload(changed)
    return _render(
        request, changed, notice=f"Marked {changed.get_status_display().lower()}.", changed=True
    )


@require_POST
@business_view()
def status_undo(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_get(business=_business(request), pk=pk)
    try:
        restored = appointment_status_undo(
            appointment=appointment,
            by=request.user,  # type: ignore[arg-type]
        )
    except BookingError as exc:
        return _render(request, appointment, error=exc.message, status=exc.status)
    restored = _reload(restored)
    return _render(
        request,
        restored,
        notice=f"Undone: {restored.get_status_display().lower()} again.",
        changed=True,
    )


@require_POST
@business_view()
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = appointment_get(business=_business(request), pk=pk)
    try:
        messages = appointment_confirmation_resend(
            appointment=appointment,
            by=request.user,  # type: ignore[arg-type]
        )
    except BookingError as exc:
        return _render(request, appointment, error=exc.message, status=exc.status)
    channels = " and ".join(sorted({m.get_channel_display() for m in messages})) or "nothing"
    return _render(request, _reload(appointment), notice=f"Confirmation sent again by {channels}.")
