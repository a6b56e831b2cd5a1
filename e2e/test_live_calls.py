"""The live calls page in Chromium: events sent through the API make the call and its
transcript appear without a reload."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime

import pytest

from console.tenancy.apikeys import api_key_create

pytestmark = pytest.mark.e2e


def _send(base_url: str, secret: str, *events: dict) -> None:
    request = urllib.request.Request(  # noqa: S310 (the test's own live server)
        f"{base_url}/api/v1/events",
        data=json.dumps({"events": list(events)}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 202


def _event(eid: str, etype: str, data: dict) -> dict:
    return {
        "id": eid,
        "type": etype,
        "call_id": "gw-e2e",
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": data,
    }


def _line(eid: str, seq: int, speaker: str, text: str, *, final: bool = True) -> dict:
    data = {
        "seq": seq,
        "speaker": speaker,
        "text": text,
        "start_ms": 0,
        "end_ms": 1,
        "final": final,
    }
    return _event(eid, "transcript.segment", data)


def test_a_call_and_its_transcript_appear_live(
    signed_in_page, asgi_live_server, business, front_desk
):
    from playwright.sync_api import expect

    secret = api_key_create(business=business, name="gateway", scopes=["ingest"]).secret
    base = asgi_live_server.url
    page = signed_in_page(front_desk)
    page.goto("/calls/live/")
    expect(page.locator("#conn-status")).to_have_text("Live")

    _send(
        base,
        secret,
        _event(
            "e1",
            "call.started",
            {"from": "+14155550123", "to": "+14155550100", "channel": "pstn", "agent": "Ava"},
        ),
        _line("e2", 0, "agent", "Thanks for calling Salon One, how can I help?"),
    )
    card = page.locator('#live-calls [data-call-id="gw-e2e"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("+1 ••• ••• 0123")
    expect(card).to_contain_text("Thanks for calling Salon One")

    card.locator("a.call-link").click()
    expect(page.locator("#conn-status")).to_have_text("Live")
    transcript = page.locator("ol.transcript")
    expect(transcript.locator("li.line.agent")).to_contain_text("how can I help?")

    _send(base, secret, _line("e3", 1, "caller", "I'd like a", final=False))
    partial = transcript.locator("li.line.caller.partial")
    expect(partial).to_contain_text("I'd like a")

    _send(base, secret, _line("e4", 1, "caller", "I'd like a haircut on Friday."))
    final = transcript.locator("li.line.caller")
    expect(final).to_have_count(1)
    expect(final).to_contain_text("I'd like a haircut on Friday.")
    expect(final).not_to_have_class(re.compile(r"\bpartial\b"))

    _send(base, secret, _event("e5", "call.ended", {"reason": "caller_hangup", "duration_s": 9}))
    expect(page.locator(".call-head .call-status")).to_have_text("Ended")


def test_a_dropped_socket_is_announced_and_the_page_catches_up_on_reconnect(
    signed_in_page, asgi_live_server, business, front_desk
):
    """The server goes away: the page says so. A call starts meanwhile (stored, but its live
    message reaches nobody). The server comes back: the page reconnects and redraws from the
    database, so the call is there."""
    from playwright.sync_api import expect

    from calls.ingest import call_events_ingest
    from calls.validation import events_parse

    page = signed_in_page(front_desk)
    page.goto("/calls/live/")
    status = page.locator("#conn-status")
    expect(status).to_have_text("Live")

    asgi_live_server.stop()
    expect(status).to_have_text("Connection lost: reconnecting…")

    started = _event(
        "while-away",
        "call.started",
        {"from": "+14155550177", "to": "+14155550100", "channel": "pstn", "agent": "Ava"},
    )
    call_events_ingest(business=business, events=events_parse({"events": [started]}, region="US"))

    asgi_live_server.start()
    expect(status).to_have_text("Live", timeout=20_000)
    expect(page.locator('#live-calls [data-call-id="gw-e2e"]')).to_contain_text("+1 ••• ••• 0177")
