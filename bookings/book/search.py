"""Search the book from any page: a reference (said or typed any way), a phone, a name."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from bookings.book.pages import book_search
from console.tenancy.access import business_view


@require_GET
@business_view()
def search(request: HttpRequest) -> HttpResponse:
    business = request.access.business  # type: ignore[attr-defined]
    result = book_search(business=business, query=request.GET.get("q", ""))
    if result.kind == "reference":
        # A reference names one appointment: open it on its day.
        (appointment,) = result.appointments
        day = appointment.start.astimezone(business.tz).date()
        query = urlencode({"date": day.isoformat(), "appt": appointment.pk})
        return redirect(f"{reverse('book_day')}?{query}")
    rows = [(a, a.start.astimezone(business.tz)) for a in result.appointments]
    return render(request, "bookings/book/search.html", {"result": result, "rows": rows})
