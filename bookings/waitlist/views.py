"""The waitlist's pages: the client's one-tap offer page (signed link, no login) and the
desk's list in the book (see who waits, add someone, take them off)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bookings.models import Service, StaffMember, WaitlistEntry
from bookings.services import BookingError, CustomerDetails, SlotUnavailable
from bookings.waitlist.services import (
    QUEUED,
    offer_token_read,
    waitlist_join,
    waitlist_offer_accept,
    waitlist_position,
    waitlist_remove,
)
from console.privacy.phones import phone_mask
from console.tenancy.access import business_view
from console.tenancy.models import Business

OFFER = "bookings/waitlist/offer.html"
DESK = "bookings/waitlist/list.html"


def _offer_entry(token: str) -> WaitlistEntry:
    read = offer_token_read(token)
    if read is None:
        raise Http404("This link is not valid.")
    business_id, entry_id, _ = read
    entry = (
        WaitlistEntry.objects.filter(pk=entry_id, business_id=business_id)
        .select_related("business", "service", "offered_staff")
        .first()
    )
    if entry is None:
        raise Http404("This offer no longer exists.")
    return entry


@require_http_methods(["GET", "POST"])
def offer_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the offer and one button (link previews must not book); POST books it."""
    entry = _offer_entry(token)
    context = {"entry": entry, "business": entry.business, "token": token, "error": ""}
    if entry.offered_start is not None:
        context["start_local"] = entry.offered_start.astimezone(entry.business.tz)
    live = (
        entry.status == WaitlistEntry.Status.OFFERED
        and entry.offer_expires_at is not None
        and entry.offer_expires_at > timezone.now()
    )
    context["live"] = live
    if request.method == "GET":
        return render(request, OFFER, context)
    try:
        appointment = waitlist_offer_accept(token=token)
    except SlotUnavailable:
        context.update(
            live=False, error="Sorry, someone has just taken that time. You are still on the list."
        )
        return render(request, OFFER, context, status=409)
    except BookingError as exc:
        context.update(live=False, error=exc.message)
        return render(request, OFFER, context, status=409)
    context.update(live=False, appointment=appointment)
    return render(request, OFFER, context)


class WaitlistForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    staff = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(), required=False, empty_label="Anyone"
    )
    start = forms.DateTimeField(
        label="From", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label="To", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    name = forms.CharField(max_length=150)
    phone = forms.CharField(max_length=40)

    def __init__(self, *args: object, business: Business, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.business = business
        self.fields["service"].queryset = Service.objects.filter(business=business, active=True)  # type: ignore[attr-defined]
        self.fields["staff"].queryset = StaffMember.objects.filter(business=business, active=True)  # type: ignore[attr-defined]

    def _aware(self, value: datetime) -> datetime:
        return value if timezone.is_aware(value) else value.replace(tzinfo=self.business.tz)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for name in ("start", "end"):
            if isinstance(data.get(name), datetime):
                data[name] = self._aware(
                    timezone.make_naive(data[name]) if timezone.is_aware(data[name]) else data[name]
                )
        return data


def _business(request: HttpRequest) -> Business:
    return request.access.business  # type: ignore[attr-defined]


def _desk_context(business: Business, form: WaitlistForm) -> dict[str, object]:
    entries = list(
        WaitlistEntry.objects.filter(business=business)
        .select_related("service", "staff", "customer", "offered_staff")
        .order_by("created_at", "id")[:200]
    )
    tz = business.tz
    rows = [
        {
            "entry": e,
            "position": waitlist_position(entry=e) if e.status in QUEUED else None,
            "start": e.start.astimezone(tz),
            "end": e.end.astimezone(tz),
            "phone": phone_mask(e.customer.phone),
            "offered": e.offered_start.astimezone(tz) if e.offered_start else None,
        }
        for e in entries
    ]
    return {"rows": rows, "form": form, "tz": tz}


@business_view()
@require_http_methods(["GET", "POST"])
def desk_list(request: HttpRequest) -> HttpResponse:
    business = _business(request)
    if request.method == "GET":
        return render(request, DESK, _desk_context(business, WaitlistForm(business=business)))
    form = WaitlistForm(request.POST, business=business)
    if form.is_valid():
        data = form.cleaned_data
        try:
            waitlist_join(
                business=business,
                service=data["service"],
                staff=data["staff"],
                start=data["start"],
                end=data["end"],
                customer=CustomerDetails(name=data["name"], phone=data["phone"]),
            )
        except BookingError as exc:
            field = exc.field_name if exc.field_name in form.fields else None
            if exc.field_name in ("from", "to"):
                field = "start" if exc.field_name == "from" else "end"
            if exc.field_name == "customer.phone":
                field = "phone"
            form.add_error(field, exc.message)
        else:
            return redirect("waitlist_desk")
    return render(request, DESK, _desk_context(business, form), status=400)


@business_view()
@require_POST
def desk_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WaitlistEntry, business=_business(request), pk=pk)
    waitlist_remove(entry=entry)
    return redirect("waitlist_desk")
