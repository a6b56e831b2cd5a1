"""The trial form's time zone comes from the browser, when it is one of the choices."""

from __future__ import annotations

from typing import Any

import pytest

from console.tests.billing_fixtures import catalogue_seed

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("browser_zone", "chosen"),
    [("Europe/London", "Europe/London"), ("Asia/Tokyo", "Asia/Tokyo")],
)
def test_the_zone_select_starts_on_the_browser_s_zone(
    asgi_live_server: Any, browser: Any, browser_zone: str, chosen: str
) -> None:
    catalogue_seed()
    context = browser.new_context(timezone_id=browser_zone, base_url=asgi_live_server.url)
    page = context.new_page()
    page.goto("/trial/")
    page.wait_for_load_state("load")
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == browser_zone
    assert page.locator("#id_timezone").input_value() == chosen
    context.close()
