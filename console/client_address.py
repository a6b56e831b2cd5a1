"""Who is asking: the client's address, and how many sign-ups it may make.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address. Each proxy appends the
address it received from to X-Forwarded-For, so with PROXY_COUNT proxies the client is the
PROXY_COUNT-th entry from the right; entries further left came from the client and prove
nothing. Used by the audit log, affiliate clicks, login throttling (django-axes) and the
sign-up limit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

TOO_MANY_SIGNUPS = (
    "Too many sign-ups from your network in a short time. Nothing was created; please try "
    "again later."
)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def signup_refused(request: HttpRequest, kind: str) -> bool:
    """True when the client's address has made SIGNUP_RATE sign-ups of this kind ("trial",
    "affiliate") in the current period; then nothing should be created."""
    usage = _usage(request, kind, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def signup_count(request: HttpRequest, kind: str) -> None:
    """A sign-up was made. Only those count: a form sent back for a weak password or a typo
    does not use up the allowance."""
    _usage(request, kind, increment=True)


def _usage(request: HttpRequest, kind: str, *, increment: bool) -> dict[str, Any] | None:
    rate = settings.SIGNUP_RATE
    if not rate:
        return None
    return get_usage(request, group=f"signup:{kind}", key=_address, rate=rate, increment=increment)
