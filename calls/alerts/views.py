"""Acknowledging a live alert. The list itself is part of the live page (calls.views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from calls.alerts.live import ATTENTION
from calls.alerts.selectors import alert_get, attention_context
from calls.alerts.services import call_alert_acknowledge
from console.tenancy.access import business_view
from console.tenancy.roles import can_acknowledge_alerts


@require_POST
@business_view(can_acknowledge_alerts)
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    business = request.access.business  # type: ignore[attr-defined]
    alert = alert_get(business=business, pk=pk)
    call_alert_acknowledge(business=business, alert=alert, user=request.user, request=request)  # type: ignore[arg-type]
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("calls_live")
    return render(request, ATTENTION, attention_context(business=business))
