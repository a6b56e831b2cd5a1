"""The calls list's filters live in the address bar, and the CSV export uses exactly them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from calls.tests.review_calls import ANGRY, BOOKING, PRICES, finished_call

pytestmark = pytest.mark.e2e


def test_the_address_and_the_export_follow_every_filter(business, manager, signed_in_page) -> None:
    finished_call(business, "gw-angry", ANGRY, agent="Max")
    finished_call(business, "gw-book-ava", BOOKING, agent="Ava")
    finished_call(business, "gw-book-max", BOOKING, agent="Max")
    finished_call(business, "gw-prices", PRICES, agent="Ava")
    page = signed_in_page(manager)
    page.goto("/calls/")
    page.wait_for_function("() => window.htmx !== undefined")
    rows = page.locator("#calls-table tbody tr")
    expect(rows).to_have_count(4)

    page.get_by_label("Intent").select_option("book")
    expect(rows).to_have_count(2)
    page.wait_for_url("**intent=book**")
    page.get_by_label("Agent").fill("Max")
    page.get_by_label("Agent").press("Enter")
    expect(rows).to_have_count(1)
    # The address bar holds the filters on screen, not the step before.
    page.wait_for_url("**agent=Max**")
    assert "intent=book" in page.url

    export = page.get_by_test_id("export-csv")
    assert "agent=Max" in (export.get_attribute("href") or "")
    with page.expect_download() as download_info:
        export.click()
    body = Path(download_info.value.path()).read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(body)))
    assert [r["call_id"] for r in exported] == ["gw-book-max"]

    # Reloading the address shows the same filters and rows.
    page.reload()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Agent")).to_have_value("Max")
