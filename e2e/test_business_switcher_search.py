"""Platform staff find and switch to one business among many, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import make_business
from console.tenancy.access import SWITCHER_LIMIT

pytestmark = pytest.mark.e2e


def test_staff_search_the_switcher_and_land_in_the_business(
    owner, platform_staff, signed_in_page
) -> None:
    for n in range(SWITCHER_LIMIT + 5):
        make_business(f"Studio {n:03d}", owner)
    page = signed_in_page(platform_staff)
    page.goto("/settings/")
    expect(page.locator("#business-switch option")).to_have_count(SWITCHER_LIMIT)
    page.get_by_text("Find a business").click()
    page.get_by_test_id("business-search").fill("studio 024")
    matches = page.get_by_test_id("business-matches")
    expect(matches.get_by_role("button")).to_have_count(1)
    matches.get_by_role("button", name="Studio 024").click()
    page.wait_for_url("**/settings/")
    expect(page.locator("#business-switch")).to_have_value(
        page.locator("#business-switch option", has_text="Studio 024").get_attribute("value")
    )
