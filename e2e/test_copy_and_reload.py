"""A new API key survives a reload without a second one being made, and the secret and the
affiliate link each have a copy button that puts them on the clipboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from console.affiliates.services import affiliate_join
from console.tenancy.models import ApiKey, Business, User

pytestmark = pytest.mark.e2e


def test_reloading_after_creating_a_key_makes_no_second_one_and_the_secret_copies(
    business: Business, owner: User, signed_in_page, asgi_live_server
) -> None:
    page = signed_in_page(owner)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/settings/api-keys/")
    page.get_by_label("Name").fill("Voice gateway")
    page.get_by_label("ingest (call events)").check()
    page.get_by_role("button", name="Create key").click()
    secret = page.get_by_test_id("new-secret").inner_text()
    assert secret.startswith("vak_")

    page.get_by_role("button", name="Copy key").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret

    page.reload()
    expect(page.get_by_test_id("new-secret")).to_have_count(0)  # shown once
    assert ApiKey.objects.filter(business=business).count() == 1


def test_the_affiliate_link_copies(signed_in_page, asgi_live_server, db) -> None:
    affiliate = affiliate_join(
        name="Ann", email="ann@partners.test", password="a-long-unusual-passphrase-42"
    )
    page = signed_in_page(affiliate.user)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/affiliates/dashboard/")
    link = page.locator("#referral-link").inner_text().strip()
    assert f"/r/{affiliate.code}/" in link
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
