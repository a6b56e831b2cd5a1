"""The live calls page through an outage and through updates: it comes back quickly once the
server does (capped backoff with jitter), shows its cards as stale meanwhile, and a card's
duration never flashes back to 0:00 when the card is redrawn."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from calls.ingest import call_events_ingest
from calls.validation import events_parse
from console.tenancy.apikeys import api_key_create
from e2e.test_live_calls import _send

pytestmark = pytest.mark.e2e


def _started(call_id: str, *, ago: timedelta) -> dict:
    return {
        "id": f"{call_id}-start",
        "type": "call.started",
        "call_id": call_id,
        "occurred_at": (datetime.now(UTC) - ago).isoformat(),
        "data": {"from": "+14155550123", "to": "+14155550100", "channel": "pstn", "agent": "Ava"},
    }


def _said(call_id: str, seq: int, text: str) -> dict:
    return {
        "id": f"{call_id}-{seq}",
        "type": "transcript.segment",
        "call_id": call_id,
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": {
            "seq": seq,
            "speaker": "caller",
            "text": text,
            "start_ms": 0,
            "end_ms": 1,
            "final": True,
        },
    }


def test_the_duration_keeps_counting_when_the_card_is_redrawn(
    signed_in_page, asgi_live_server, business, front_desk
):
    secret = api_key_create(business=business, name="gateway", scopes=["ingest"]).secret
    call_events_ingest(
        business=business,
        events=events_parse(
            {"events": [_started("gw-long", ago=timedelta(minutes=2))]}, region="US"
        ),
    )
    page = signed_in_page(front_desk)
    page.goto("/calls/live/")
    expect(page.locator("#conn-status")).to_have_text("Live")
    card = page.locator('[data-call-id="gw-long"]')
    expect(card.locator(".tick")).to_contain_text("2:0")
    # Record the timer's text at the moment each new card lands, before any later tick.
    page.evaluate(
        """() => { window.seenTicks = [];
          new MutationObserver(() => {
            const tick = document.querySelector('[data-call-id="gw-long"] .tick');
            if (tick) window.seenTicks.push(tick.textContent);
          }).observe(document.getElementById('live-calls'), {childList: true, subtree: true}); }"""
    )
    for seq in range(3):
        _send(asgi_live_server.url, secret, _said("gw-long", seq, f"Line number {seq} here."))
        expect(card).to_contain_text(f"Line number {seq} here.")
    seen = page.evaluate("window.seenTicks")
    assert seen and "0:00" not in seen, seen


def test_after_an_outage_the_page_is_live_within_seconds_and_stale_meanwhile(
    signed_in_page, asgi_live_server, business, front_desk
):
    call_events_ingest(
        business=business,
        events=events_parse(
            {"events": [_started("gw-out", ago=timedelta(seconds=30))]}, region="US"
        ),
    )
    page = signed_in_page(front_desk)
    page.goto("/calls/live/")
    status = page.locator("#conn-status")
    expect(status).to_have_text("Live")
    socket = page.locator("[data-live-socket]")
    tick = page.locator('[data-call-id="gw-out"] .tick')

    asgi_live_server.stop()
    expect(status).to_have_text("Connection lost: reconnecting…")
    expect(socket).to_have_class(re.compile(r"\bstale\b"))
    frozen = tick.inner_text()
    time.sleep(15)  # long enough for an unbounded backoff to grow past half a minute
    assert tick.inner_text() == frozen  # a stale card does not pretend the call goes on

    asgi_live_server.start()
    back = time.monotonic()
    expect(status).to_have_text("Live", timeout=9_000)
    assert time.monotonic() - back < 9
    expect(socket).not_to_have_class(re.compile(r"\bstale\b"))
    expect(tick).not_to_have_text(frozen)
