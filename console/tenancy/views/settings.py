"""Settings pages: the business, its members, API keys and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from console.audit.models import AuditEntry
from console.tenancy import roles
from console.tenancy.access import Access, business_view
from console.tenancy.apikeys import api_key_create, api_key_revoke
from console.tenancy.forms import ApiKeyCreateForm, BusinessForm, MemberAddForm, MemberRoleForm
from console.tenancy.models import ApiKey, Membership, User
from console.tenancy.services import (
    BusinessError,
    business_update,
    membership_add,
    membership_remove,
    membership_role_set,
    user_create,
)
from console.tenancy.welcome import welcome_email_send


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


@business_view()
def business_settings(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    can_edit = access.can(roles.can_manage_business)
    form = BusinessForm(
        request.POST or None,
        instance=access.business,
        can_set_baa=access.can(roles.can_set_provider_baa),
    )
    if request.method == "POST":
        if not can_edit:
            return HttpResponse("Your role cannot change the business.", status=403)
        if form.is_valid():
            business_update(
                business=access.business,
                changes={f: form.cleaned_data[f] for f in form.fields},
                by=access.user,
                request=request,
            )
            messages.success(request, "Saved.")
            return redirect("settings_business")
    analysis_model = settings.LLM_MODEL if settings.ANALYSIS_ENGINE == "llm" else ""
    return render(
        request,
        "console/settings_business.html",
        {"form": form, "can_edit": can_edit, "analysis_model": analysis_model},
    )


def _membership(access: Access, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "business"), business=access.business, pk=pk
    )


@business_view(roles.can_manage_members)
def members(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        user = User.objects.filter(email=email).first()
        try:
            if user is None:
                user = user_create(email=email, password=None, name=form.cleaned_data["name"])
                welcome_email_send(user=user, business=access.business, request=request)
            membership_add(
                business=access.business,
                user=user,
                role=form.cleaned_data["role"],
                by=access.user,
                request=request,
            )
        except BusinessError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"{email} added.")
            return redirect("settings_members")
    rows = Membership.objects.filter(business=access.business).select_related("user")
    return render(
        request,
        "console/settings_members.html",
        {"form": form, "memberships": rows.order_by("user__email"), "role_form": MemberRoleForm()},
    )


@require_POST
@business_view(roles.can_manage_members)
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    membership = _membership(access, pk)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            membership_role_set(
                membership=membership,
                role=form.cleaned_data["role"],
                by=access.user,
                request=request,
            )
            messages.success(
                request, f"{membership.user.email} is now {membership.get_role_display()}."
            )
        except BusinessError as exc:
            messages.error(request, str(exc))
    return redirect("settings_members")


@require_POST
@business_view(roles.can_manage_members)
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    membership = _membership(access, pk)
    try:
        membership_remove(membership=membership, by=access.user, request=request)  # type: ignore[arg-type]
        messages.success(request, f"{membership.user.email} removed.")
    except BusinessError as exc:
        messages.error(request, str(exc))
    return redirect("settings_members")


NEW_SECRET_SESSION_KEY = "api_key_new_secret"  # noqa: S105 (a session key name)


@business_view(roles.can_manage_api_keys)
def api_keys(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = ApiKeyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = api_key_create(
            business=access.business,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            created_by=access.user,
            request=request,
        )
        # Redirect after the POST (a reload must not make a second key); the secret rides in
        # the server-side session to the next page only, where it is shown once.
        request.session[NEW_SECRET_SESSION_KEY] = created.secret
        return redirect("settings_api_keys")
    new_secret = request.session.pop(NEW_SECRET_SESSION_KEY, None)
    keys = ApiKey.objects.filter(business=access.business)
    return render(
        request,
        "console/settings_api_keys.html",
        {"form": form, "keys": keys, "new_secret": new_secret},
    )


@require_POST
@business_view(roles.can_manage_api_keys)
def api_key_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    api_key = get_object_or_404(ApiKey, business=access.business, pk=pk)
    api_key_revoke(api_key=api_key, by=access.user, request=request)  # type: ignore[arg-type]
    messages.success(request, f"Key {api_key.name} revoked.")
    return redirect("settings_api_keys")


@business_view(roles.can_read_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    entries = AuditEntry.objects.filter(business=access.business).order_by("-created_at", "-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "console/settings_audit.html", {"page": page, "action": action})
