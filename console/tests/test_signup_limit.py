"""Sign-ups per client address (django-ratelimit), and who the client is behind proxies."""

from __future__ import annotations

import random

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from console.privacy.client_address import client_ip
from console.tenancy.models import Business, User
from console.tenancy.signup_limit import TOO_MANY_SIGNUPS
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401
from console.tests.test_trial_signup import FORM

PASSWORD = "a-long-unusual-passphrase-42"


def _address() -> str:
    """An address of its own per test: the counts live in the cache, which outlives tests."""
    return "10.{}.{}.{}".format(*(random.randint(1, 254) for _ in range(3)))


def _trial(address: str, n: int, **changes: str):
    data = {**FORM, "business_name": f"Glow Studio {n}", "email": f"ana{n}@glow.test", **changes}
    return Client(REMOTE_ADDR=address).post(reverse("trial"), data)


def test_an_address_that_starts_too_many_trials_is_told_to_wait_and_nothing_is_created(
    catalogue: None, settings
) -> None:
    settings.SIGNUP_RATE = "2/h"
    address = _address()
    assert _trial(address, 1).status_code == 302
    assert _trial(address, 2).status_code == 302

    refused = _trial(address, 3)
    assert refused.status_code == 429
    assert TOO_MANY_SIGNUPS.encode() in refused.content.replace(b"&#x27;", b"'")
    assert b"Glow Studio 3" in refused.content  # what was typed is still in the form
    assert not User.objects.filter(email="ana3@glow.test").exists()
    assert not Business.objects.filter(name="Glow Studio 3").exists()

    assert _trial(_address(), 4).status_code == 302  # another network is not held up


def test_a_form_sent_back_with_mistakes_does_not_use_up_the_allowance(
    catalogue: None, settings
) -> None:
    settings.SIGNUP_RATE = "1/h"
    address = _address()
    for _ in range(3):
        assert _trial(address, 1, password="12345678").status_code == 400
    assert _trial(address, 1).status_code == 302


def test_an_address_that_opens_too_many_affiliate_accounts_is_told_to_wait(
    catalogue: None, settings
) -> None:
    settings.SIGNUP_RATE = "1/h"
    address = _address()

    def join(n: int):
        data = {"name": "Ann", "email": f"ann{n}@partners.test", "password": PASSWORD}
        return Client(REMOTE_ADDR=address).post(reverse("affiliate_join"), data)

    assert join(1).status_code == 302
    refused = join(2)
    assert refused.status_code == 429
    assert b"Too many sign-ups" in refused.content
    assert not User.objects.filter(email="ann2@partners.test").exists()


def test_without_proxies_the_client_is_the_connection_whatever_it_claims(settings) -> None:
    settings.PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1"
    )
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the left entry itself; our one proxy appended the right one.
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 192.0.2.4", "203.0.113.9"),
        (2, "203.0.113.9", "198.51.100.7"),  # fewer entries than proxies: the connection
    ],
)
def test_behind_proxies_the_client_is_what_the_outermost_proxy_saw(
    settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_login_throttling_counts_failures_against_the_client_behind_the_proxy(db, settings) -> None:
    settings.PROXY_COUNT = 1
    Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9").post(
        reverse("login"), {"username": "nobody@salon.test", "password": "wrong"}
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
