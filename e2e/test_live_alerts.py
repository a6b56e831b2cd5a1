"""Live alerts in Chromium: a caller's red flag reaches the open live page through the API
and the socket, marks the call's card, lists it as needing attention with a tone (Web Audio,
counted here), and stays until someone acknowledges it; the sound switch is remembered."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime

import pytest

from calls.models.alert import CallAlert
from console.audit.models import AuditEntry
from console.tenancy.apikeys import api_key_create

pytestmark = pytest.mark.e2e

# Counts the tones the page plays: every note is an oscillator started on an AudioContext.
COUNT_TONES = """
window.__tones = 0;
(function () {
  var Context = window.AudioContext || window.webkitAudioContext;
  var create = Context.prototype.createOscillator;
  Context.prototype.createOscillator = function () {
    var osc = create.call(this);
    var start = osc.start.bind(osc);
    osc.start = function (when) { window.__tones += 1; return start(when); };
    return osc;
  };
})();
"""


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
        "call_id": "gw-alert",
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": data,
    }


def _line(eid: str, seq: int, speaker: str, text: str) -> dict:
    data = {"seq": seq, "speaker": speaker, "text": text, "start_ms": 0, "end_ms": 1, "final": True}
    return _event(eid, "transcript.segment", data)


def test_a_dashboard_sees_an_alert_appear_and_acknowledges_it(
    signed_in_page, asgi_live_server, business, front_desk, manager
):
    from playwright.sync_api import expect

    secret = api_key_create(business=business, name="gateway", scopes=["ingest"]).secret
    base = asgi_live_server.url
    desk = signed_in_page(front_desk)
    desk.add_init_script(COUNT_TONES)
    office = signed_in_page(manager)
    for page in (desk, office):
        page.goto("/calls/live/")
        expect(page.locator("#conn-status")).to_have_text("Live")
        expect(page.locator("#attention-list")).to_be_empty()

    _send(
        base,
        secret,
        _event(
            "e1",
            "call.started",
            {"from": "+14155550123", "to": "+14155550100", "channel": "pstn", "agent": "Ava"},
        ),
        _line("e2", 0, "agent", "Thanks for calling, how can I help?"),
    )
    card = desk.locator('#live-calls [data-call-id="gw-alert"]')
    expect(card).to_be_visible()
    expect(card).not_to_have_attribute("data-alert", "red_flag")
    assert desk.evaluate("window.__tones") == 0

    _send(base, secret, _line("e3", 1, "caller", "I have chest pain and my left arm feels numb"))
    for page in (desk, office):
        item = page.locator('#attention-list [data-alert="red_flag"][data-call-id="gw-alert"]')
        expect(item).to_be_visible(timeout=2_000)
        expect(item).to_contain_text("Red flag")
        expect(item).to_contain_text("cardiac")
        expect(page.locator('#live-calls [data-call-id="gw-alert"]')).to_have_attribute(
            "data-alert", "red_flag"
        )
    desk.wait_for_function("window.__tones > 0")

    # A later line replaces the card: it stays marked while the alert is open.
    _send(base, secret, _line("e4", 2, "agent", "I'm getting a nurse for you right now."))
    expect(card).to_contain_text("getting a nurse")
    expect(card).to_have_attribute("data-alert", "red_flag")

    # It stays on a reload (the database is the truth) and until someone acknowledges it.
    office.reload()
    expect(office.locator('#attention-list [data-alert="red_flag"]')).to_be_visible()

    desk.locator("#attention-list .alert-ack").click()
    for page in (desk, office):
        expect(page.locator("#attention-list [data-alert]")).to_have_count(0)
        expect(page.locator('#live-calls [data-call-id="gw-alert"]')).not_to_have_attribute(
            "data-alert", "red_flag"
        )
    desk.locator("#attention details.acknowledged summary").click()
    expect(desk.locator("#attention .acknowledged")).to_contain_text("desk@salon.test")
    alert = CallAlert.objects.get(business=business)
    assert alert.acknowledged_by == front_desk
    assert AuditEntry.objects.filter(action="call_alert.acknowledge", actor=front_desk).exists()


def test_the_alert_sound_can_be_turned_off_and_stays_off(
    signed_in_page, asgi_live_server, business, front_desk
):
    from playwright.sync_api import expect

    secret = api_key_create(business=business, name="gateway", scopes=["ingest"]).secret
    page = signed_in_page(front_desk)
    page.add_init_script(COUNT_TONES)
    page.goto("/calls/live/")
    expect(page.locator("#conn-status")).to_have_text("Live")
    switch = page.locator("[data-alert-sound]")
    expect(switch).to_have_attribute("aria-pressed", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "false")
    page.reload()
    expect(page.locator("#conn-status")).to_have_text("Live")
    expect(page.locator("[data-alert-sound]")).to_have_attribute("aria-pressed", "false")

    _send(
        asgi_live_server.url,
        secret,
        _event(
            "s1",
            "call.started",
            {"from": "+14155550123", "to": "+14155550100", "channel": "pstn", "agent": "Ava"},
        ),
        _line("s2", 0, "caller", "operator. I want to talk to a real person"),
    )
    expect(page.locator('#attention-list [data-alert="human_request"]')).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__tones") == 0


def test_an_alert_raised_while_the_socket_was_down_is_there_after_reconnect(
    signed_in_page, asgi_live_server, business, front_desk
):
    """Live messages are hints: a caller asks for a person while the page is cut off; once
    it reconnects, the list redrawn from the database has the alert, and it sounds."""
    from playwright.sync_api import expect

    from calls.ingest import call_events_ingest
    from calls.validation import events_parse

    page = signed_in_page(front_desk)
    page.add_init_script(COUNT_TONES)
    page.goto("/calls/live/")
    status = page.locator("#conn-status")
    expect(status).to_have_text("Live")

    asgi_live_server.stop()
    expect(status).to_have_text("Connection lost: reconnecting…")
    events = [
        _event(
            "r1",
            "call.started",
            {"from": "+14155550177", "to": "+14155550100", "channel": "pstn", "agent": "Ava"},
        ),
        _line("r2", 0, "caller", "¿Puedo hablar con una persona?"),
    ]
    call_events_ingest(business=business, events=events_parse({"events": events}, region="US"))

    asgi_live_server.start()
    expect(status).to_have_text("Live", timeout=20_000)
    item = page.locator('#attention-list [data-alert="human_request"][data-call-id="gw-alert"]')
    expect(item).to_be_visible()
    expect(page.locator('#live-calls [data-call-id="gw-alert"]')).to_have_attribute(
        "data-alert", "human_request"
    )
    page.wait_for_function("window.__tones > 0")


def test_platform_staff_see_alerts_without_a_button_to_acknowledge_them(
    signed_in_page, asgi_live_server, business, front_desk, platform_staff
):
    from playwright.sync_api import expect

    from calls.tests.factories import call_start, say

    call_start(business, "gw-staff")
    say(business, "gw-staff", 0, "I want to talk to a real person")
    page = signed_in_page(platform_staff)
    page.goto("/calls/live/")
    item = page.locator('#attention-list [data-alert="human_request"][data-call-id="gw-staff"]')
    expect(item).to_be_visible()
    expect(item.locator(".alert-ack")).to_be_hidden()
    expect(page.locator(".ack-not-allowed")).to_be_visible()
    # and a live update (rendered for everyone) shows them no button either
    expect(page.locator("#conn-status")).to_have_text("Live")
    secret = api_key_create(business=business, name="gateway", scopes=["ingest"]).secret
    line = {**_line("p1", 1, "caller", "this is ridiculous"), "call_id": "gw-staff"}
    _send(asgi_live_server.url, secret, line)
    angry = page.locator('#attention-list [data-alert="angry_caller"]')
    expect(angry).to_be_visible()
    expect(angry.locator(".alert-ack")).to_be_hidden()
    assert CallAlert.objects.filter(business=business, acknowledged_at__isnull=False).count() == 0
