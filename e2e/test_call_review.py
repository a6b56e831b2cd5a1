from __future__ import annotations

import pytest
from playwright.sync_api import expect

from calls.models import CallReview
from calls.tests.review_calls import ANGRY, BOOKING, finished_call
from console.audit.models import AuditEntry

pytestmark = pytest.mark.e2e


def test_a_manager_reviews_and_corrects_a_call(business, manager, signed_in_page) -> None:
    finished_call(business, "gw-angry", ANGRY, agent="Max")
    call = finished_call(business, "gw-book", BOOKING, agent="Ava")
    page = signed_in_page(manager)
    page.goto("/")
    page.get_by_role("link", name="Calls", exact=True).click()

    # Filtering swaps the table in place (htmx) and keeps the filter in the address.
    page.wait_for_function("() => window.htmx !== undefined")
    rows = page.locator("#calls-table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("Intent").select_option("book")
    page.wait_for_url("**intent=book**", timeout=30_000)
    expect(rows).to_have_count(1)
    assert "[NAME]" in rows.first.inner_text() and "Jenny" not in rows.first.inner_text()
    rows.first.get_by_role("link").click()

    page.wait_for_url(f"**/calls/{call.pk}/")
    assert page.get_by_test_id("machine-intent").inner_text() == "book"
    assert "Jenny" not in page.locator("#transcript").inner_text()
    page.get_by_test_id("reveal").click()
    page.get_by_text("This look has been recorded in the audit log.").wait_for()
    assert "my name is Jenny Park" in page.locator("#transcript").inner_text()
    assert AuditEntry.objects.filter(action="call.transcript_revealed", actor=manager).exists()

    form = page.locator("#review")
    form.get_by_label("Intent").select_option("inquiry")
    form.get_by_label("Lead score").fill("42")
    form.get_by_label("Reviewed").check()
    form.get_by_role("button", name="Save review").click()

    page.get_by_text("Review saved.").wait_for()
    assert page.get_by_test_id("corrected-intent").inner_text() == "inquiry"
    assert page.get_by_test_id("corrected-lead").inner_text() == "42"
    assert page.get_by_test_id("machine-intent").inner_text() == "book"
    page.get_by_test_id("reviewed-badge").wait_for()

    page.locator("#notes").get_by_label("Note").fill("Wanted prices first; call back Friday.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Wanted prices first; call back Friday.").wait_for()

    review = CallReview.objects.get(call=call)
    assert (review.intent, review.lead_score, review.reviewed) == ("inquiry", 42, True)
