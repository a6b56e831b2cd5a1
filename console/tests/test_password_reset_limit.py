"""Password-reset emails are rate limited per address and per account
(PASSWORD_RESET_RATE), without saying whether the account exists."""

from __future__ import annotations

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from console.tenancy.models import User


def reset(address: str, email: str):
    return Client(REMOTE_ADDR=address).post(reverse("password_reset"), {"email": email})


def test_password_resets_are_limited_per_address(owner: User, settings) -> None:
    cache.clear()
    settings.PASSWORD_RESET_RATE = "3/h"
    answers = [reset("198.51.100.7", f"nobody{n}@x.test").status_code for n in range(3)]
    assert answers == [302, 302, 302]
    refused = reset("198.51.100.7", owner.email)
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert mail.outbox == []
    assert reset("198.51.100.8", owner.email).status_code == 302  # another address
    assert len(mail.outbox) == 1


def test_password_resets_are_limited_per_account_across_addresses(owner: User, settings) -> None:
    cache.clear()
    settings.PASSWORD_RESET_RATE = "3/h"
    for n in range(3):
        assert reset(f"198.51.100.{n + 1}", owner.email.upper()).status_code == 302
    assert len(mail.outbox) == 3
    assert reset("198.51.100.9", owner.email).status_code == 429
    assert len(mail.outbox) == 3
    # The same answer for an account that does not exist: the limit reveals nothing.
    for n in range(3):
        reset(f"198.51.100.{n + 20}", "ghost@x.test")
    assert reset("198.51.100.30", "ghost@x.test").status_code == 429
