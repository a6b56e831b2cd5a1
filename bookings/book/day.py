"""The appointment book: the day view (a column per staff member), the week view (one staff
member), and booking a free time. The page and its live updates render the same partials
(templates/bookings/book/day.html)."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from bookings.book.forms import BookForm
from bookings.book.live import columns_html
from bookings.book.pages import (
    appointment_panel,
    book_day,
    book_week,
    customers_find,
    staff_get,
    staff_on_book,
    week_start,
)
from bookings.days import day_parse
from bookings.matching import service_match
from bookings.models import Appointment, Customer, Service
from bookings.selectors import Slot, customer_by_phone, services_active, slots_nearest
from bookings.services import (
    BookingError,
    CustomerDetails,
    OutsideRules,
    SlotUnavailable,
    appointment_book,
)
from console.tenancy.access import business_view
from console.tenancy.models import Business
from console.tenancy.roles import can_manage_business

DAY = "bookings/book/day.html"
FORM = "bookings/book/book_form.html"
PANEL = "bookings/book/panel.html"


def _business(request: HttpRequest) -> Business:
    return request.access.business  # type: ignore[attr-defined]


def local_today(business: Business) -> date:
    return timezone.now().astimezone(business.tz).date()


def day_param(request: HttpRequest, business: Business) -> date:
    """?date=YYYY-MM-DD, or today in the business's zone (also for a malformed date)."""
    today = local_today(business)
    return day_parse(request.GET.get("date"), default=today, today=today)


def _open_appointment(request: HttpRequest, context: dict[str, Any]) -> None:
    """?appt=<id> opens that appointment's panel, if it is in this business's book; an old or
    foreign link says so in the panel instead of answering the panel's request with a 404."""
    raw = request.GET.get("appt", "")
    if not raw:
        return
    found = (
        raw.isdigit()
        and Appointment.objects.filter(business=_business(request), pk=int(raw)).exists()
    )
    context["open_appointment"] = int(raw) if found else None
    context["stale_link"] = not found


def cancelled_param(request: HttpRequest) -> bool:
    """`?cancelled=1`: cancelled appointments stay on the grid (greyed)."""
    return request.GET.get("cancelled") == "1"


def _day_context(request: HttpRequest, day: date) -> dict[str, Any]:
    business = _business(request)
    show_cancelled = cancelled_param(request)
    return {
        "grid": book_day(business=business, day=day, cancelled=show_cancelled),
        "show_cancelled": show_cancelled,
        "day": day,
        "mode": "day",
        "tz": business.tz,
        "today": local_today(business),
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }


@require_GET
@business_view()
def day_view(request: HttpRequest) -> HttpResponse:
    day = day_param(request, _business(request))
    context = _day_context(request, day)
    _open_appointment(request, context)
    return render(request, DAY, context)


@require_GET
@business_view()
def day_grid(request: HttpRequest) -> HttpResponse:
    """The grid alone, from the database: what a page redraws after its socket reconnects."""
    day = day_param(request, _business(request))
    return render(request, f"{DAY}#book-grid", _day_context(request, day))


def _week_context(request: HttpRequest, staff_pk: int) -> dict[str, Any]:
    business = _business(request)
    staff = staff_get(business=business, pk=staff_pk)
    day = day_param(request, business)
    monday = week_start(day)
    show_cancelled = cancelled_param(request)
    return {
        "grid": book_week(business=business, staff=staff, day=day, cancelled=show_cancelled),
        "show_cancelled": show_cancelled,
        "staff": staff,
        "staff_list": staff_on_book(business=business),
        "day": day,
        "mode": "week",
        "tz": business.tz,
        "today": local_today(business),
        "week_monday": monday,
        "week_sunday": monday + timedelta(days=6),
        "prev_day": monday - timedelta(days=7),
        "next_day": monday + timedelta(days=7),
    }


@require_GET
@business_view()
def week_view(request: HttpRequest, staff_pk: int) -> HttpResponse:
    context = _week_context(request, staff_pk)
    _open_appointment(request, context)
    return render(request, DAY, context)


@require_GET
@business_view()
def week_grid(request: HttpRequest, staff_pk: int) -> HttpResponse:
    return render(request, f"{DAY}#book-grid", _week_context(request, staff_pk))


# --- Booking a free time ---------------------------------------------------------------


def _services_for(business: Business, staff_raw: Any) -> list[Service]:
    """The active services, or only those the chosen staff member does."""
    services = services_active(business=business)
    if staff_raw and str(staff_raw).isdigit():
        services = services.filter(staff=int(staff_raw), staff__active=True)
    return list(services)


def _service_options(
    business: Business, query: str, *, staff_raw: Any = None, selected: Any = None
) -> tuple[list[Service], Service | None]:
    """The picker's choices, best first, and the confident match of what was typed (checked
    for the desk). Nothing is ever picked for them otherwise: a booking needs a service
    chosen. A service already chosen stays in the list, first, whatever the search."""
    services = _services_for(business, staff_raw)
    best = None
    if query.strip():
        result = service_match(query=query, services=services, limit=5)
        best = result.match.service if result.match else None
        ranked = [m.service for m in ([result.match] if result.match else [])]
        services_shown = ranked + [m.service for m in result.alternatives]
    else:
        services_shown = services
    chosen = next((sv for sv in services if str(sv.pk) == str(selected)), None)
    if chosen is not None:
        services_shown = [chosen, *(sv for sv in services_shown if sv.pk != chosen.pk)]
    return services_shown, best


@require_GET
@business_view()
def service_options(request: HttpRequest) -> HttpResponse:
    """The service picker's choices for what was typed, best first (bookings.matching)."""
    business = _business(request)
    query = request.GET.get("service_query", "")[:100]
    selected = request.GET.get("service") or None
    services, best = _service_options(
        business, query, staff_raw=request.GET.get("staff"), selected=selected
    )
    return render(
        request,
        f"{FORM}#service-options",
        {
            "services": services,
            "query": query,
            "selected": selected if any(str(sv.pk) == selected for sv in services) else None,
            "best": best,
        },
    )


@require_GET
@business_view()
def customer_options(request: HttpRequest) -> HttpResponse:
    business = _business(request)
    query = request.GET.get("customer_query", "")[:100]
    return render(
        request,
        f"{FORM}#customer-results",
        {"customers": customers_find(business=business, query=query), "query": query},
    )


@require_GET
@business_view()
def customer_fields(request: HttpRequest) -> HttpResponse:
    """The form's customer part: a picked existing customer, or empty fields for a new one."""
    business = _business(request)
    raw = request.GET.get("customer", "")
    picked = (
        Customer.objects.filter(business=business, pk=int(raw)).first() if raw.isdigit() else None
    )
    return render(request, f"{FORM}#customer-fields", {"picked": picked, "form": None})


def _initial(request: HttpRequest, business: Business) -> dict[str, Any]:
    initial: dict[str, Any] = {"date": day_param(request, business)}
    raw_time = request.GET.get("time", "")
    with contextlib.suppress(ValueError):
        initial["time"] = datetime.strptime(raw_time, "%H:%M").time()  # noqa: DTZ007 (a wall time)
    staff_raw = request.GET.get("staff", "")
    if staff_raw.isdigit():
        initial["staff"] = int(staff_raw)
    return initial


def same_name(a: str, b: str) -> bool:
    """Names as a person would compare them: case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _form_context(request: HttpRequest, form: BookForm, **extra: Any) -> dict[str, Any]:
    business = _business(request)
    selected = form["service"].value()
    picked = None
    customer_raw = form["customer"].value()
    if customer_raw and str(customer_raw).isdigit():
        picked = Customer.objects.filter(business=business, pk=int(customer_raw)).first()
    services, _best = _service_options(
        business, "", staff_raw=form["staff"].value(), selected=selected
    )
    return {
        "form": form,
        "services": services,
        "selected": str(selected) if selected else None,
        "picked": picked,
        "can_override": request.access.can(can_manage_business),  # type: ignore[attr-defined]
        "tz": business.tz,
        **extra,
    }


def _apply_alternative(data: Any) -> Any:
    """An alternative slot button sends `alt=<iso start>|<staff id>`: book that instead."""
    alt = data.get("alt", "")
    if "|" not in alt:
        return data
    iso, staff_id = alt.split("|", 1)
    try:
        start = datetime.fromisoformat(iso)
    except ValueError:
        return data
    data = data.copy()
    data["date"] = start.date().isoformat()
    data["time"] = start.strftime("%H:%M")
    data["staff"] = staff_id
    return data


def _alternatives(business: Business, slots: list[Slot]) -> list[dict[str, str]]:
    """Buttons that book one of these slots instead (see _apply_alternative)."""
    tz = business.tz
    return [
        {
            "value": f"{s.start.astimezone(tz):%Y-%m-%dT%H:%M}|{s.staff.pk}",
            "label": f"{s.start.astimezone(tz):%a %-d %b %H:%M} · {s.staff.name}",
        }
        for s in slots
    ]


@require_http_methods(["GET", "POST"])
@business_view()
def book_new(request: HttpRequest) -> HttpResponse:
    business = _business(request)
    if request.method == "GET":
        form = BookForm(business=business, initial=_initial(request, business))
        return render(request, FORM, _form_context(request, form))
    form = BookForm(_apply_alternative(request.POST), business=business)
    if not form.is_valid():
        return render(request, FORM, _form_context(request, form), status=422)
    data = form.cleaned_data
    customer: Customer | CustomerDetails
    if data.get("customer"):
        found = Customer.objects.filter(business=business, pk=data["customer"]).first()
        if found is None:
            form.add_error(None, "That customer does not exist; enter their details.")
            return render(request, FORM, _form_context(request, form), status=422)
        customer = found
    else:
        on_file = customer_by_phone(business=business, phone=data["customer_phone"])
        if on_file is not None and not same_name(on_file.name, data["customer_name"]):
            # Never book under someone else's name: offer the customer who has that number.
            form.add_error(
                None,
                f"That number is on file for {on_file.name}. Book for them, or use another number.",
            )
            return render(request, FORM, _form_context(request, form, on_file=on_file), status=409)
        customer = CustomerDetails(
            name=data["customer_name"],
            phone=data["customer_phone"],
            email=data.get("customer_email") or "",
        )
    service: Service = data["service"]
    enforce = not (
        data.get("override_rules") and request.access.can(can_manage_business)  # type: ignore[attr-defined]
    )
    try:
        appointment = appointment_book(
            business=business,
            service=service,
            start=form.start,
            staff=data.get("staff"),
            customer=customer,
            notes=data.get("notes") or "",
            by=request.user,  # type: ignore[arg-type]
            enforce_rules=enforce,
        )
    except SlotUnavailable as exc:
        form.add_error(None, exc.message)
        context = _form_context(
            request, form, alternatives=_alternatives(business, exc.alternatives)
        )
        return render(request, FORM, context, status=409)
    except OutsideRules as exc:
        # Outside hours, too soon, too far ahead: offer the nearest times that are not.
        form.add_error(None, exc.message)
        nearest = slots_nearest(
            business=business, service=service, staff=data.get("staff"), around=form.start
        )
        context = _form_context(request, form, alternatives=_alternatives(business, nearest))
        return render(request, FORM, context, status=422)
    except BookingError as exc:
        field = {
            "customer.phone": "customer_phone",
            "customer.name": "customer_name",
            "start": None,
        }.get(exc.field_name or "", exc.field_name)
        form.add_error(field if field in form.fields else None, exc.message)
        return render(request, FORM, _form_context(request, form), status=422)
    appointment = (
        type(appointment)
        .objects.select_related("service", "staff", "customer", "call", "business")
        .get(pk=appointment.pk)
    )
    context = {
        "panel": appointment_panel(appointment=appointment),
        "notice": f"Booked: {appointment.reference}",
    }
    response = render(request, f"{PANEL}#panel", context)
    response.write(columns_html(appointment=appointment))
    return response
