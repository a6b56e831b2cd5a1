"""Password-reset emails, rate limited per client address and per account.

Unlimited, the reset form lets anyone mail any account as often as they like (a nuisance
for the account holder, and a cost and a reputation risk for our sending domain).
PASSWORD_RESET_RATE (django-ratelimit's "N/period") applies to each address and to each
email asked about, whether or not an account has it: the refusal says nothing about which
accounts exist. Only requests that would send count.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from console.privacy.client_address import client_ip

TOO_MANY_RESETS = (
    "Too many password reset requests in a short time. No email was sent; please try again later."
)


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _email(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("email", "")).strip().lower()


def password_reset_refused(request: HttpRequest) -> bool:
    """True when this address or this email has had PASSWORD_RESET_RATE resets already;
    otherwise the request is counted for both."""
    rate = settings.PASSWORD_RESET_RATE
    if not rate:
        return False
    limited = False
    for group, key in (("password_reset:address", _address), ("password_reset:email", _email)):
        usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
        limited = limited or (usage is not None and usage["count"] >= usage["limit"])
    if limited:
        return True
    for group, key in (("password_reset:address", _address), ("password_reset:email", _email)):
        get_usage(request, group=group, key=key, rate=rate, increment=True)
    return False


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        if password_reset_refused(self.request):
            form.add_error(None, TOO_MANY_RESETS)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
