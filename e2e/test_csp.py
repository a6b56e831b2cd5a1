"""The main pages in Chromium under the Content-Security-Policy: no violation reported (a
policy that blocked htmx, its socket, a script or a style would show here), and the
behaviours that used to be inline handlers still work."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at, next_weekday
from calls.models import Call
from calls.tests.factories import call_start, say
from calls.tests.review_calls import BOOKING, finished_call

pytestmark = pytest.mark.e2e

# Runs before any page script, outside the page's CSP (Playwright's init scripts).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def watched(page: Any) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return messages


def assert_no_violation(page: Any, messages: list[str], path: str) -> None:
    page.wait_for_load_state("networkidle")
    reported = page.evaluate("window.__cspViolations")
    assert reported == [] and messages == [], (path, reported, messages)


def test_the_main_pages_raise_no_csp_violation(business, owner, signed_in_page, asgi_live_server):
    haircut = service_create(business=business, name="Haircut", duration_minutes=45)
    hours = [HoursInterval(day, time(9), time(17)) for day in range(7)]
    ana = staff_create(business=business, name="Ana", service_ids=[haircut.pk], hours=hours)
    monday = next_weekday(0)
    appointment = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    )
    ended = finished_call(business, "gw-book", BOOKING, agent="Ava")
    call_start(business, "gw-live")
    say(business, "gw-live", 0, "Hello, I would like a haircut")
    live = Call.objects.get(call_id="gw-live")

    page = signed_in_page(owner)
    messages = watched(page)
    for path in [
        f"/book/?date={monday.isoformat()}&appt={appointment.pk}",
        "/calls/live/",
        f"/calls/live/{live.pk}/",
        "/calls/",
        f"/calls/{ended.pk}/",
        "/calls/metrics/",
        "/settings/",
        "/settings/members/",
        "/settings/api-keys/",
        "/pricing/",
        "/api/docs/",
    ]:
        page.goto(path)
        assert_no_violation(page, messages, path)
        if path.startswith(("/book/", "/calls/live/")):
            page.locator("#conn-status", has_text="Live").wait_for()  # the socket connected

    # The panel's close button (was an inline onclick) empties the panel.
    page.goto(f"/book/?date={monday.isoformat()}&appt={appointment.pk}")
    page.locator("#panel .panel-close").click()
    assert page.locator("#panel").inner_html().strip() == ""
    # The day picker (was an inline onchange) changes the day.
    tuesday = next_weekday(1, after=monday).isoformat()
    page.locator("#book-date").fill(tuesday)
    page.wait_for_url(f"**date={tuesday}**")
    assert_no_violation(page, messages, "/book/ after the day changed")


def test_the_trial_page_runs_its_nonced_script(page, asgi_live_server):
    messages = watched(page)
    page.goto(f"{asgi_live_server.url}/trial/")
    assert_no_violation(page, messages, "/trial/")
    chosen = page.locator("#id_timezone").input_value()
    assert chosen == page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
