"""How many sign-ups (trials, affiliate accounts) a client address may make: SIGNUP_RATE,
counted by django-ratelimit in the cache; only sign-ups actually made count."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from console.privacy.client_address import client_ip

TOO_MANY_SIGNUPS = (
    "Too many sign-ups from your network in a short time. Nothing was created; please try "
    "again later."
)


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
