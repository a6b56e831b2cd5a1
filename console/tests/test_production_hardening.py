"""Production refuses what is only safe on a laptop: the development encryption and hash
keys printed in settings.py; and the affiliate cookie travels over HTTPS only there."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from console.affiliates.models import Affiliate
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401
from console.tests.test_affiliates import BROWSER, make_user
from console.tests.test_settings import PROBE, PROD_ENV, run

DEV_FIELD_KEY = "3q2-7wFwVtmz1yC9Cv6nYQnNLgk7gpnK7Pq9ySOpQ1Y="
DEV_HASH_KEY = "dev-only-blind-index-key"


def test_production_refuses_the_development_encryption_key() -> None:
    for keys in (DEV_FIELD_KEY, f"{PROD_ENV['FIELD_ENCRYPTION_KEYS']},{DEV_FIELD_KEY}"):
        result = run(["-c", PROBE], {**PROD_ENV, "FIELD_ENCRYPTION_KEYS": keys})
        assert result.returncode != 0
        assert "FIELD_ENCRYPTION_KEYS" in result.stderr and "development" in result.stderr


def test_production_refuses_the_development_hash_key() -> None:
    result = run(["-c", PROBE], {**PROD_ENV, "FIELD_HASH_KEY": DEV_HASH_KEY})
    assert result.returncode != 0
    assert "FIELD_HASH_KEY" in result.stderr and "development" in result.stderr


def test_production_starts_with_keys_of_its_own() -> None:
    result = run(["-c", PROBE], PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert DEV_FIELD_KEY not in PROD_ENV["FIELD_ENCRYPTION_KEYS"]


def test_the_affiliate_cookie_is_secure_where_the_session_cookie_is(
    catalogue: None, settings
) -> None:
    Affiliate.objects.create(user=make_user("aff@partners.test"), code="ann22")
    settings.SESSION_COOKIE_SECURE = True  # what production sets
    response = Client(HTTP_USER_AGENT=BROWSER).get(reverse("referral_link", args=["ann22"]))
    cookie = response.cookies["ref"]
    assert cookie["secure"] is True and cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
