"""Settings → Connectors: create one per platform account, see its webhook URL, rotate its
secret, revoke it. Owners and managers only; the secret is shown once, after the redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from calls.connectors.forms import ConnectorCreateForm, ConnectorRotateForm
from calls.connectors.services import (
    ConnectorError,
    connector_create,
    connector_revoke,
    connector_rotate,
    connector_webhook_url,
)
from calls.models import Connector
from console.tenancy import roles
from console.tenancy.access import Access, business_view

NEW_SECRET_SESSION_KEY = "connector_new_secret"  # noqa: S105 (a session key name)


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _connector_for(access: Access, pk: int) -> Connector:
    return get_object_or_404(Connector, business=access.business, pk=pk)


@business_view(roles.can_manage_business)
def connectors(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = ConnectorCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = connector_create(
                business=access.business,
                platform=form.cleaned_data["platform"],
                secret=form.cleaned_data["secret"],
                by=access.user,
                request=request,
            )
        except ConnectorError as exc:
            form.add_error(None, exc.message)
        else:
            # A reload must not make a second connector; the secret rides in the session
            # to the next page only.
            request.session[NEW_SECRET_SESSION_KEY] = [created.connector.pk, created.secret]
            return redirect("settings_connectors")
    _new_pk, new_secret = request.session.pop(NEW_SECRET_SESSION_KEY, [None, None])
    rows = [
        {"connector": c, "url": connector_webhook_url(connector=c)}
        for c in Connector.objects.filter(business=access.business)
    ]
    return render(
        request,
        "calls/settings_connectors.html",
        {
            "form": form,
            "rows": rows,
            "new_secret": new_secret,
            "rotate_form": ConnectorRotateForm(),
        },
    )


@require_POST
@business_view(roles.can_manage_business)
def connector_rotate_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    connector = _connector_for(access, pk)
    form = ConnectorRotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("secret", ["Check it."])))
        return redirect("settings_connectors")
    try:
        rotated = connector_rotate(
            connector=connector, secret=form.cleaned_data["secret"], by=access.user, request=request
        )
    except ConnectorError as exc:
        messages.error(request, exc.message)
        return redirect("settings_connectors")
    request.session[NEW_SECRET_SESSION_KEY] = [connector.pk, rotated.secret]
    messages.success(request, "Secret rotated: give the platform the new one now.")
    return redirect("settings_connectors")


@require_POST
@business_view(roles.can_manage_business)
def connector_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    connector = _connector_for(access, pk)
    connector_revoke(connector=connector, by=access.user, request=request)
    messages.success(request, f"{connector} revoked: its webhook URL no longer accepts calls.")
    return redirect("settings_connectors")
