"""Which business a request works in, and what the user may do there.

A signed-in user works in one business at a time (kept in the session); a user with
several memberships switches between them; platform staff may switch to any business.
Every query of tenant data starts from `request.access.business`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from console.tenancy.models import Business, Membership, User
from console.tenancy.subscription import business_is_read_only

SESSION_KEY = "business_id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MESSAGE = "This business is read-only until it has a plan: nothing was changed."
Check = Callable[..., bool]


# Signing someone in right after creating their account (trial, affiliate): axes's backend
# needs the request, which `login` does not pass.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Access:
    user: User
    business: Business
    role: str | None  # None: platform staff without a membership here

    @property
    def platform_staff(self) -> bool:
        return self.user.is_platform_staff

    def can(self, check: Check) -> bool:
        return check(self.role, platform_staff=self.platform_staff)

    @property
    def role_label(self) -> str:
        if self.role:
            return dict(Membership._meta.get_field("role").choices or [])[self.role]
        return "Platform staff"


def access_resolve(user: Any, business_id: int | None) -> Access | None:
    """The user's access to `business_id`, or to their first business; None if they have none."""
    if user is None or not user.is_authenticated:
        return None
    memberships = list(Membership.objects.filter(user=user).select_related("business"))
    by_business = {m.business_id: m for m in memberships}
    if business_id is not None:
        if business_id in by_business:
            m = by_business[business_id]
            return Access(user=user, business=m.business, role=m.role)
        if user.is_platform_staff:
            business = Business.objects.filter(pk=business_id).first()
            if business is not None:
                return Access(user=user, business=business, role=None)
    if memberships:
        m = memberships[0]
        return Access(user=user, business=m.business, role=m.role)
    if user.is_platform_staff:
        business = Business.objects.order_by("name").first()
        if business is not None:
            return Access(user=user, business=business, role=None)
    return None


# Platform staff may see thousands of businesses: the switcher lists this many and searches.
SWITCHER_LIMIT = 20


def businesses_for_user(user: User, *, query: str = "", limit: int | None = None) -> list[Business]:
    """The businesses `user` may work in (platform staff: all), whose name or slug contains
    `query`, by name, at most `limit`: one query."""
    query = " ".join(query.split())[:100]
    if user.is_platform_staff:
        businesses = Business.objects.order_by("name", "pk")
    else:
        businesses = Business.objects.filter(memberships__user=user).order_by("name", "pk")
    if query:
        businesses = businesses.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    return list(businesses[:limit] if limit is not None else businesses)


def switcher_businesses(access: Access) -> list[Business]:
    """The switcher's list: the first SWITCHER_LIMIT by name, and always the current one."""
    listed = businesses_for_user(access.user, limit=SWITCHER_LIMIT)
    if all(b.pk != access.business.pk for b in listed):
        listed.insert(0, access.business)
    return listed


class CurrentBusinessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.access = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            request.access = access_resolve(  # type: ignore[attr-defined]
                user, request.session.get(SESSION_KEY)
            )
        return self.get_response(request)


def business_context(request: HttpRequest) -> dict[str, Any]:
    access: Access | None = getattr(request, "access", None)
    if access is None:
        return {"access": None}
    return {
        "access": access,
        "access_businesses": lambda: switcher_businesses(access),
        "switcher_searchable": access.platform_staff,
    }


def _read_only_refusal(request: HttpRequest) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    if htmx:  # htmx swaps no 4xx: reload the page, which shows the message and the banner
        messages.error(request, READ_ONLY_MESSAGE)
        response = HttpResponse(READ_ONLY_MESSAGE, status=402, content_type="text/plain")
        response["HX-Redirect"] = htmx.current_url_abs_path or "/"
        return response
    return render(request, "billing/read_only.html", status=402)


def business_view(
    check: Check | None = None, *, read_only_ok: bool = False
) -> Callable[[Callable[..., HttpResponse]], Any]:
    """A console page: signed in, working in a business, allowed by `check` (a roles.can_*).

    While the business is read-only (trial ended unpaid, subscription cancelled), its pages
    still show their data but refuse writes (any non-GET/HEAD/OPTIONS) with 402, unless the
    view says `read_only_ok` (billing itself: the way back to a plan).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access: Access | None = request.access  # type: ignore[attr-defined]
            if access is None:
                return render(request, "console/no_business.html", status=403)
            if check is not None and not access.can(check):
                raise PermissionDenied("Your role does not allow this.")
            if (
                not read_only_ok
                and request.method not in SAFE_METHODS
                and business_is_read_only(access.business)
            ):
                return _read_only_refusal(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
