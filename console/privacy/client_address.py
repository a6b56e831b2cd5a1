"""Who is asking: the client's address, and how many sign-ups it may make.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address. Each proxy appends the
address it received from to X-Forwarded-For, so with PROXY_COUNT proxies the client is the
PROXY_COUNT-th entry from the right; entries further left came from the client and prove
nothing. Used by the audit log, affiliate clicks, login throttling (django-axes) and the
sign-up limit.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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
