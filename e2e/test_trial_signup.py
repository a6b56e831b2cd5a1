"""A prospect goes from the pricing page through the trial sign-up into the console."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import make_user
from console.affiliates.models import Affiliate, Referral
from console.tenancy.models import Business, Membership
from console.tests.billing_fixtures import catalogue_seed

pytestmark = pytest.mark.e2e


def test_a_prospect_goes_from_pricing_through_the_trial_into_the_console(
    asgi_live_server: Any, page: Any
) -> None:
    catalogue_seed()  # an earlier browser test may have flushed the seeded plans
    Affiliate.objects.create(user=make_user("aff@partners.test"), code="e2eaff")
    base = asgi_live_server.url

    page.goto(f"{base}/r/e2eaff/")  # an affiliate's link lands on pricing
    assert page.url == f"{base}/pricing/"
    starter = page.locator("#plan-starter")
    assert "$499" in starter.inner_text()
    assert "$1,499" in page.locator("#plan-growth").inner_text()
    starter.get_by_role("link", name="Start 14-day free trial").click()

    page.wait_for_url(f"{base}/trial/?plan=starter")
    # The time zone is suggested from the browser's own.
    assert page.locator("#id_timezone").input_value() == page.evaluate(
        "Intl.DateTimeFormat().resolvedOptions().timeZone"
    )
    page.fill("#id_business_name", "Browser Beauty Bar")
    page.select_option("#id_kind", "salon")
    page.select_option("#id_timezone", "Europe/Madrid")
    page.fill("#id_owner_name", "Bea")
    page.fill("#id_email", "bea@browser.test")
    page.fill("#id_password", "12345678")
    page.get_by_role("button", name="Start my free trial").click()
    assert "entirely numeric" in page.locator("#password-errors").inner_text()

    page.fill("#id_password", "a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Start my free trial").click()
    page.wait_for_selector("#trial-banner")
    assert "/trial/" not in page.url and "/pricing/" not in page.url
    assert "14 days left" in page.locator("#trial-banner").inner_text()
    assert "bea@browser.test" in page.locator(".who").inner_text()

    business = Business.objects.get(name="Browser Beauty Bar")
    assert business.timezone == "Europe/Madrid"
    assert Membership.objects.filter(business=business, user__email="bea@browser.test").exists()
    assert Referral.objects.get(business=business).affiliate.code == "e2eaff"
