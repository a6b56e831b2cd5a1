"""Sign-in and out, and switching the business one works in."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from console.audit.log import audit_log_write
from console.tenancy.access import (
    SESSION_KEY,
    SWITCHER_LIMIT,
    access_resolve,
    businesses_for_user,
)
from console.tenancy.forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        access = access_resolve(user, None)
        audit_log_write(
            action="auth.signed_in",
            business=access.business if access else None,
            actor=user,
            request=self.request,
        )
        return response


@require_POST
@login_required
def business_switch(request: HttpRequest) -> HttpResponse:
    try:
        business_id = int(request.POST.get("business", ""))
    except ValueError as exc:
        raise Http404 from exc
    access = access_resolve(request.user, business_id)
    if access is None or access.business.pk != business_id:
        raise Http404
    request.session[SESSION_KEY] = business_id
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


@require_GET
@login_required
def business_search(request: HttpRequest) -> HttpResponse:
    """The switcher's search (htmx): businesses the user may work in whose name or slug
    contains `q`, at most SWITCHER_LIMIT, each a button that switches to it."""
    query = request.GET.get("q", "")
    found = businesses_for_user(
        request.user,  # type: ignore[arg-type]
        query=query,
        limit=SWITCHER_LIMIT + 1,
    )
    return render(
        request,
        "console/_business_matches.html",
        {
            "matches": found[:SWITCHER_LIMIT],
            "more": len(found) > SWITCHER_LIMIT,
            "query": query.strip(),
            "next": request.GET.get("next", ""),
        },
    )


def home(request: HttpRequest) -> HttpResponse:
    """The console's front door: the first page the user's work starts on."""
    if not request.user.is_authenticated:
        return redirect("pricing")  # prospects land on the public site
    if request.access is None and hasattr(request.user, "affiliate"):  # type: ignore[attr-defined]
        return redirect("affiliate_dashboard")  # an affiliate without a business
    return redirect("calls_live")
