"""The first-day checklist page, its test-call button and its dismissal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from console.onboarding.checklist import checklist_close, checklist_get
from console.onboarding.tasks import practice_call_queue
from console.tenancy import roles
from console.tenancy.access import Access, business_view

PAGE = "onboarding/checklist.html"


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


@require_GET
@business_view(roles.can_manage_business)
def checklist(request: HttpRequest) -> HttpResponse:
    business = _access(request).business
    steps = checklist_get(business=business)
    if steps.complete and business.checklist_open:
        checklist_close(business=business)  # done: it leaves the navigation
    return render(request, PAGE, {"checklist": steps})


@require_POST
@business_view(roles.can_manage_business)
def practice_call_start(request: HttpRequest) -> HttpResponse:
    business = _access(request).business
    practice_call_queue(business=business)
    return render(request, f"{PAGE}#test-call", {"placed": True})


@require_POST
@business_view(roles.can_manage_business)
def dismiss(request: HttpRequest) -> HttpResponse:
    checklist_close(business=_access(request).business)
    return redirect("home")
