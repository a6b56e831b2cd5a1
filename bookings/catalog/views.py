"""Settings → Services, Staff (with weekly hours and dated exceptions), Booking rules.
Managers and owners only; the writes are bookings.catalog's (the admin API's too)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bookings.catalog.forms import (
    WEEKDAYS,
    ExceptionForm,
    RulesForm,
    ServiceForm,
    StaffForm,
    hours_format,
)
from bookings.catalog.services import (
    service_create,
    service_delete,
    service_update,
    staff_create,
    staff_delete,
    staff_exception_create,
    staff_exception_delete,
    staff_update,
)
from bookings.models import Service, StaffException, StaffMember
from bookings.services import BookingError
from console.tenancy.access import business_view
from console.tenancy.models import Business
from console.tenancy.roles import can_manage_business
from console.tenancy.services import business_update

manage = business_view(can_manage_business)


def _business(request: HttpRequest) -> Business:
    return request.access.business  # type: ignore[attr-defined]


# --- Services ------------------------------------------------------------------------------


@require_http_methods(["GET"])
@manage
def services_list(request: HttpRequest) -> HttpResponse:
    services = Service.objects.filter(business=_business(request)).order_by("-active", "name")
    return render(
        request, "bookings/settings/services.html", {"services": services, "tab": "services"}
    )


@require_http_methods(["GET", "POST"])
@manage
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    business = _business(request)
    service = get_object_or_404(Service, business=business, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = ServiceForm(request.POST)
        if form.is_valid():
            values = form.values()
            try:
                if service is None:
                    service_create(business=business, **values)
                else:
                    service_update(service=service, changes=values)
            except BookingError as exc:
                form.add_error("name" if exc.field_name == "name" else None, exc.message)
            else:
                messages.success(request, f"Saved {values['name']}.")
                return redirect("settings_services")
    elif service is not None:
        form = ServiceForm(
            initial={
                "name": service.name,
                "aliases": ", ".join(service.aliases or []),
                "duration_minutes": service.duration_minutes,
                "buffer_minutes": service.buffer_minutes,
                "price": Decimal(service.price_cents) / 100,
                "active": service.active,
            }
        )
    else:
        form = ServiceForm(initial={"duration_minutes": 30, "price": 0, "active": True})
    return render(
        request,
        "bookings/settings/service_form.html",
        {"form": form, "service": service, "tab": "services"},
    )


@require_POST
@manage
def service_remove(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, business=_business(request), pk=pk)
    service_delete(service=service)
    messages.success(request, f"Removed {service.name} (kept, inactive, if it was ever booked).")
    return redirect("settings_services")


# --- Staff ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
@manage
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = (
        StaffMember.objects.filter(business=_business(request))
        .prefetch_related("services", "hours")
        .order_by("-active", "name")
    )
    rows = []
    for person in staff:
        by_day: dict[int, list[tuple]] = {}
        for h in person.hours.all():
            by_day.setdefault(h.weekday, []).append((h.start, h.end))
        rows.append(
            (
                person,
                [(WEEKDAYS[d][:3], hours_format(sorted(v))) for d, v in sorted(by_day.items())],
            )
        )
    return render(request, "bookings/settings/staff.html", {"rows": rows, "tab": "staff"})


def _staff_initial(person: StaffMember) -> dict[str, object]:
    initial: dict[str, object] = {
        "name": person.name,
        "services": list(person.services.values_list("pk", flat=True)),
        "active": person.active,
    }
    for weekday in range(7):
        initial[f"hours_{weekday}"] = hours_format(
            sorted((h.start, h.end) for h in person.hours.all() if h.weekday == weekday)
        )
    return initial


@require_http_methods(["GET", "POST"])
@manage
def staff_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    business = _business(request)
    person = get_object_or_404(StaffMember, business=business, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = StaffForm(request.POST, business=business)
        if form.is_valid():
            data = form.cleaned_data
            service_ids = [s.pk for s in data["services"]]
            try:
                if person is None:
                    person = staff_create(
                        business=business,
                        name=data["name"],
                        service_ids=service_ids,
                        hours=data["hours"],
                        active=data["active"],
                    )
                else:
                    staff_update(
                        staff=person,
                        name=data["name"],
                        service_ids=service_ids,
                        hours=data["hours"],
                        active=data["active"],
                    )
            except BookingError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Saved {person.name}.")
                return redirect("settings_staff_edit", pk=person.pk)
    elif person is not None:
        form = StaffForm(business=business, initial=_staff_initial(person))
    else:
        form = StaffForm(business=business, initial={"active": True})
    exceptions = list(person.exceptions.order_by("-start")[:50]) if person is not None else []
    tz = business.tz
    return render(
        request,
        "bookings/settings/staff_form.html",
        {
            "form": form,
            "person": person,
            "hour_fields": [form[f"hours_{d}"] for d in range(7)],
            "exceptions": [
                (
                    e,
                    f"{e.start.astimezone(tz):%a %-d %b %Y %H:%M}",
                    f"{e.end.astimezone(tz):%a %-d %b %Y %H:%M}",
                )
                for e in exceptions
            ],
            "exception_form": ExceptionForm(business=business),
            "tab": "staff",
        },
    )


@require_POST
@manage
def staff_remove(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(StaffMember, business=_business(request), pk=pk)
    staff_delete(staff=person)
    messages.success(request, f"Removed {person.name} (kept, inactive, if ever booked).")
    return redirect("settings_staff")


@require_POST
@manage
def exception_add(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request)
    person = get_object_or_404(StaffMember, business=business, pk=pk)
    form = ExceptionForm(request.POST, business=business)
    if form.is_valid():
        data = form.cleaned_data
        try:
            staff_exception_create(
                staff=person,
                start=data["start"],
                end=data["end"],
                kind=data["kind"],
                note=data["note"],
            )
        except BookingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Exception added.")
    else:
        errors = "; ".join(" ".join(str(e) for e in v) for v in form.errors.values())
        messages.error(request, f"Not added: {errors}")
    return redirect("settings_staff_edit", pk=person.pk)


@require_POST
@manage
def exception_remove(request: HttpRequest, pk: int, exception_pk: int) -> HttpResponse:
    business = _business(request)
    person = get_object_or_404(StaffMember, business=business, pk=pk)
    exception = get_object_or_404(StaffException, staff=person, pk=exception_pk)
    staff_exception_delete(exception=exception)
    messages.success(request, "Exception removed.")
    return redirect("settings_staff_edit", pk=person.pk)


# --- Booking rules -------------------------------------------------------------------------


RULE_FIELDS = (
    "slot_interval_minutes",
    "min_notice_minutes",
    "max_advance_days",
    "cancellation_window_hours",
)


@require_http_methods(["GET", "POST"])
@manage
def booking_rules(request: HttpRequest) -> HttpResponse:
    business = _business(request)
    if request.method == "POST":
        form = RulesForm(request.POST)
        if form.is_valid():
            try:
                business_update(
                    business=business,
                    changes={f: form.cleaned_data[f] for f in RULE_FIELDS},
                    by=request.user,  # type: ignore[arg-type]
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, "; ".join(exc.messages))
            else:
                messages.success(request, "Booking rules saved.")
                return redirect("settings_booking_rules")
    else:
        form = RulesForm(initial={f: getattr(business, f) for f in RULE_FIELDS})
    return render(request, "bookings/settings/rules.html", {"form": form, "tab": "rules"})
