"""POST /api/v1/events: the contract's rules one by one (CONTRACTS §3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from calls.models import Call, CallEvent, ToolInvocation, TranscriptSegment, TurnMetric

URL = "/api/v1/events"


def event(
    eid: str,
    etype: str,
    data: dict[str, Any],
    *,
    call: str = "gw-1",
    at: str = "2026-11-24T15:04:05.120Z",
) -> dict[str, Any]:
    return {"id": eid, "type": etype, "call_id": call, "occurred_at": at, "data": data}


def started(eid: str = "e-start", **kw: Any) -> dict[str, Any]:
    data = {"from": "+1 415 555 0123", "to": "(415) 555-0199", "channel": "pstn", "agent": "Ava"}
    return event(eid, "call.started", data, **kw)


def segment(
    eid: str,
    seq: int,
    text: str = "Hello",
    *,
    final: bool = True,
    speaker: str = "caller",
    **kw: Any,
) -> dict[str, Any]:
    data = {
        "seq": seq,
        "speaker": speaker,
        "text": text,
        "start_ms": seq * 1000,
        "end_ms": seq * 1000 + 800,
        "final": final,
    }
    return event(eid, "transcript.segment", data, **kw)


def ended(eid: str = "e-end", **kw: Any) -> dict[str, Any]:
    return event(eid, "call.ended", {"reason": "caller_hangup", "duration_s": 42}, **kw)


@pytest.fixture
def api(business, api_client_for):
    return api_client_for(business, "ingest")


def post(api, body: Any):
    return api.post(URL, body, format="json")


def test_it_accepts_one_event_and_creates_the_call_on_first_sight(api, business):
    response = post(api, started())
    assert response.status_code == 202
    assert response.json() == {"accepted": 1, "duplicates": 0}
    call = Call.objects.get(business=business, call_id="gw-1")
    assert call.from_number == "+14155550123"
    assert call.to_number == "+14155550199"
    assert call.from_masked == "+1 ••• ••• 0123"
    assert call.agent == "Ava" and call.channel == "pstn" and call.status == "ringing"


def test_it_acknowledges_a_repeated_event_as_a_duplicate_and_changes_nothing(api, business):
    post(api, segment("e1", 0, "first"))
    response = post(api, segment("e1", 0, "changed"))
    assert response.status_code == 202
    assert response.json() == {"accepted": 0, "duplicates": 1}
    assert TranscriptSegment.objects.get().text == "first"
    assert CallEvent.objects.count() == 1


def test_it_counts_a_repeat_inside_one_batch_as_a_duplicate(api):
    response = post(api, {"events": [segment("e1", 0), segment("e1", 0)]})
    assert response.json() == {"accepted": 1, "duplicates": 1}


def test_it_stores_a_batch_of_every_type(api, business):
    batch = [
        started("a"),
        segment("b", 0, "Hi, I'd like a haircut", at="2026-11-24T15:04:06Z"),
        segment("c", 1, "Sure, when?", speaker="agent", at="2026-11-24T15:04:07Z"),
        event(
            "d",
            "tool.invoked",
            {
                "name": "check_availability",
                "arguments": {"service": "cut"},
                "result": {"slots": []},
                "ok": True,
                "latency_ms": 120,
            },
        ),
        event(
            "e", "turn.metrics", {"turn": 1, "latency_ms": 640, "barge_in": False, "asr_ms": 100}
        ),
        ended("f", at="2026-11-24T15:05:00Z"),
    ]
    response = post(api, {"events": batch})
    assert response.status_code == 202, response.json()
    assert response.json() == {"accepted": 6, "duplicates": 0}
    call = Call.objects.get()
    assert call.status == "ended" and call.duration_s == 42 and call.end_reason == "caller_hangup"
    assert call.segment_count == 2 and call.tool_count == 1 and call.turn_count == 1
    assert call.last_text == "Sure, when?" and call.last_speaker == "agent"
    assert call.last_tool_name == "check_availability" and call.last_tool_ok is True
    assert call.last_turn_latency_ms == 640
    assert ToolInvocation.objects.get().arguments == {"service": "cut"}
    assert TurnMetric.objects.get().asr_ms == 100


def test_a_batch_with_one_bad_event_stores_nothing_and_names_it_by_index(api):
    batch = [started("a"), segment("b", 0), segment("c", -1), {"id": "d"}]
    response = post(api, {"events": batch})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_events"
    assert set(body["fields"]) == {"2", "3"}
    assert "data.seq" in body["fields"]["2"]
    assert {"type", "call_id", "occurred_at", "data"} <= set(body["fields"]["3"])
    assert Call.objects.count() == 0 and CallEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"occurred_at": "2026-11-24T15:04:05"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"type": "call.exploded"}, "type"),
        ({"id": ""}, "id"),
        ({"id": 5}, "id"),
        ({"call_id": "x" * 129}, "call_id"),
    ],
)
def test_it_names_the_bad_top_level_field(api, bad, field):
    response = post(api, {**segment("e1", 0), **bad})
    assert response.status_code == 400
    assert field in response.json()["fields"]["0"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"seq": "1"}, "data.seq"),
        ({"seq": True}, "data.seq"),
        ({"speaker": "robot"}, "data.speaker"),
        ({"final": "yes"}, "data.final"),
        ({"start_ms": 900, "end_ms": 100}, "data.end_ms"),
        ({"seq": 2**40}, "data.seq"),
    ],
)
def test_it_names_the_bad_segment_field(api, data, field):
    body = segment("e1", 0)
    body["data"].update(data)
    response = post(api, body)
    assert response.status_code == 400
    assert field in response.json()["fields"]["0"]


def test_it_refuses_a_phone_call_with_a_number_that_is_not_one(api):
    body = started()
    body["data"]["from"] = "not a number"
    response = post(api, body)
    assert response.status_code == 400
    assert "data.from" in response.json()["fields"]["0"]


def test_it_refuses_more_than_500_events(api):
    response = post(api, {"events": [segment(f"e{i}", i) for i in range(501)]})
    assert response.status_code == 400
    assert "events" in response.json()["fields"]


def test_it_accepts_500_events(api):
    response = post(api, {"events": [segment(f"e{i}", i) for i in range(500)]})
    assert response.status_code == 202
    assert Call.objects.get().segment_count == 500


def test_it_tolerates_events_out_of_order(api):
    post(api, ended("z", at="2026-11-24T15:09:00Z"))
    post(api, segment("b", 1, "later line", at="2026-11-24T15:05:00Z"))
    post(api, segment("a", 0, "first line", at="2026-11-24T15:04:30Z"))
    post(api, started("s", at="2026-11-24T15:04:00Z"))
    call = Call.objects.get()
    assert call.status == "ended"
    assert call.started_at.isoformat() == "2026-11-24T15:04:00+00:00"
    assert call.last_text == "later line"
    assert call.from_masked == "+1 ••• ••• 0123"
    assert list(call.segments.values_list("seq", flat=True)) == [0, 1]


def test_a_final_segment_replaces_the_partial_one_and_a_late_partial_does_not(api):
    post(api, segment("p", 0, "I'd like a hair", final=False, at="2026-11-24T15:04:05Z"))
    post(api, segment("f", 0, "I'd like a haircut.", final=True, at="2026-11-24T15:04:06Z"))
    post(api, segment("p2", 0, "I'd like", final=False, at="2026-11-24T15:04:04Z"))
    seg = TranscriptSegment.objects.get()
    assert seg.text == "I'd like a haircut." and seg.final
    assert Call.objects.get().segment_count == 1


def test_the_first_segment_makes_a_ringing_call_live(api):
    post(api, started())
    post(api, segment("s0", 0))
    assert Call.objects.get().status == "live"


def test_it_refuses_a_request_without_a_key(business):
    response = Client().post(URL, json.dumps(started()), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_it_refuses_a_key_without_the_ingest_scope(business, api_client_for):
    response = post(api_client_for(business, "tools", "admin"), started())
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_a_body_over_1_mib_is_413(api):
    big = segment("e1", 0, "x" * (1024 * 1024))
    response = post(api, big)
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


def test_a_body_that_is_not_json_is_415(api):
    response = api.post(URL, "id=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def test_malformed_json_is_400(api):
    response = api.post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


def test_the_same_event_id_in_two_businesses_makes_two_calls_that_stay_apart(
    api, business, other_business, api_client_for
):
    other = api_client_for(other_business, "ingest")
    assert post(api, started("same")).json() == {"accepted": 1, "duplicates": 0}
    assert post(other, started("same")).json() == {"accepted": 1, "duplicates": 0}
    assert Call.objects.filter(business=business).count() == 1
    assert Call.objects.filter(business=other_business).count() == 1
    post(other, segment("seg", 0, "clinic secret"))
    assert Call.objects.get(business=business).segment_count == 0


def test_it_stores_personal_data_encrypted(api):
    from django.db import connection

    post(api, {"events": [started(), segment("s", 0, "my number is 07700 900123")]})
    with connection.cursor() as cursor:
        cursor.execute("SELECT from_number, last_text FROM calls_call")
        raw_from, raw_text = cursor.fetchone()
        cursor.execute("SELECT text FROM calls_transcriptsegment")
        (raw_seg,) = cursor.fetchone()
        cursor.execute("SELECT payload FROM calls_callevent")
        payloads = [row[0] for row in cursor.fetchall()]
    for raw in [raw_from, raw_text, raw_seg, *payloads]:
        assert "0123" not in raw and "07700" not in raw and raw.startswith("gAAAA")


def test_a_business_whose_trial_ended_is_refused_with_402_and_nothing_is_stored(api, business):
    from datetime import timedelta

    from django.utils import timezone

    business.subscription_status = "trialing"
    business.trial_ends_at = timezone.now() - timedelta(minutes=1)
    business.save()
    response = post(api, started())
    assert response.status_code == 402
    assert response.json()["error"] == "trial_expired"
    assert CallEvent.objects.count() == 0


def test_a_runaway_client_is_rate_limited_with_retry_after(api, monkeypatch):
    from calls.ingest.api import IngestRate

    monkeypatch.setenv("INGEST_RATE_LIMIT", "1")
    monkeypatch.setattr(IngestRate, "_windows", {})
    assert post(api, started("a")).status_code == 202
    response = post(api, started("b"))
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1


def test_it_answers_json_for_a_method_other_than_post(api):
    response = api.get(URL)
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_a_host_django_refuses_is_400_and_nothing_is_stored(api):
    response = api.post(URL, started(), format="json", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert CallEvent.objects.count() == 0


def test_an_unexpected_error_is_a_logged_500_with_the_security_headers(api, monkeypatch, caplog):
    import logging

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr("calls.ingest.api.call_events_ingest", broken)
    api.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = post(api, started())
    assert response.status_code == 500
    assert any("the disk is on fire" in str(r.exc_info) for r in caplog.records if r.exc_info)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
