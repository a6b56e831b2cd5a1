"""Vapi's server messages mapped onto our calls (CONTRACTS §8), against fixtures shaped
after Vapi's documented payloads (fixtures/README.md)."""

from __future__ import annotations

import pytest

from calls.models import Call, CallEvent, PlatformAnalysis
from calls.tests.connector_deliveries import connector_make, deliver, fixture

pytestmark = pytest.mark.django_db

CALL_ID = "3f5c8d2e-7a41-4b6e-9c1d-2e8f0a6b4c11"


@pytest.fixture
def vapi(business):
    return connector_make(business, "vapi")


def the_call(business) -> Call:
    return Call.objects.get(business=business, call_id=CALL_ID)


def test_status_update_creates_the_call_with_its_numbers_and_assistant(business, vapi):
    response = deliver(vapi, fixture("vapi_status_update"))
    assert response.status_code == 202
    assert response.json() == {"accepted": 1, "duplicates": 0}
    call = the_call(business)
    assert call.channel == "pstn" and call.agent == "Ava (Glow Salon)"
    assert call.from_number == "+14155550123" and call.to_number == "+14155550199"
    assert call.started_at.isoformat().startswith("2026-11-24T15:04:05")


def test_a_transcript_message_adds_its_line_after_the_artifacts(business, vapi):
    deliver(vapi, fixture("vapi_transcript"))
    lines = list(the_call(business).segments.order_by("seq"))
    assert [(s.seq, s.speaker) for s in lines] == [(0, "agent"), (1, "caller")]
    assert lines[1].text == "Hi, I'd like to book a gel manicure on Friday afternoon."
    assert lines[1].final
    assert lines[0].start_ms == 400 and lines[0].end_ms == 3600


def test_a_partial_transcript_is_replaced_by_the_final_line(business, vapi):
    partial = fixture("vapi_transcript")
    partial["message"]["transcriptType"] = "partial"
    partial["message"]["transcript"] = "Hi, I'd like to book"
    deliver(vapi, partial)
    assert not the_call(business).segments.get(seq=1).final
    deliver(vapi, fixture("vapi_transcript"))
    line = the_call(business).segments.get(seq=1)
    assert line.final and line.text.endswith("Friday afternoon.")
    assert the_call(business).segments.count() == 2


def test_tool_calls_record_the_invocation(business, vapi):
    deliver(vapi, fixture("vapi_tool_calls"))
    tool = the_call(business).tool_invocations.get()
    assert tool.name == "check_availability"
    assert tool.arguments == {"service": "gel manicure", "date": "2026-11-27"}
    assert the_call(business).last_tool_name == "check_availability"


def test_the_end_of_call_report_ends_the_call_with_lines_tools_and_duration(business, vapi):
    deliver(vapi, fixture("vapi_end_of_call_report"))
    call = the_call(business)
    assert call.status == Call.Status.ENDED
    assert call.duration_s == 19 and call.end_reason == "caller_hangup"
    lines = list(call.segments.order_by("seq"))
    assert [s.speaker for s in lines] == ["agent", "caller", "agent", "agent", "caller"]
    assert lines[4].text == "Three thirty please."
    tool = call.tool_invocations.get()  # the report's tool call, with its result
    assert tool.result["slots"][0]["start"] == "2026-11-27T14:00:00+00:00"
    kept = PlatformAnalysis.objects.get(call=call)
    assert kept.platform == "vapi" and kept.data["structuredData"] == {"booked": True}


def test_a_whole_call_in_order_stores_each_line_and_tool_once(business, vapi):
    for name in ("vapi_status_update", "vapi_transcript", "vapi_tool_calls"):
        assert deliver(vapi, fixture(name)).status_code == 202
    deliver(vapi, fixture("vapi_end_of_call_report"))
    call = the_call(business)
    assert call.segments.count() == 5
    assert call.tool_invocations.count() == 1
    assert call.status == Call.Status.ENDED


def test_the_same_delivery_twice_changes_nothing(business, vapi):
    first = deliver(vapi, fixture("vapi_end_of_call_report")).json()
    events = CallEvent.objects.filter(business=business).count()
    second = deliver(vapi, fixture("vapi_end_of_call_report")).json()
    assert second == {"accepted": 0, "duplicates": first["accepted"]}
    assert CallEvent.objects.filter(business=business).count() == events
    assert the_call(business).tool_invocations.count() == 1


def test_the_report_before_the_status_update_is_fine(business, vapi):
    deliver(vapi, fixture("vapi_end_of_call_report"))
    assert deliver(vapi, fixture("vapi_status_update")).json()["accepted"] == 0
    call = the_call(business)
    assert call.status == Call.Status.ENDED and call.has_start_event
    assert call.segments.count() == 5


def test_a_message_type_we_do_not_map_is_acknowledged(business, vapi):
    payload = {"message": {"type": "speech-update", "status": "started", "role": "user"}}
    response = deliver(vapi, payload)
    assert response.status_code == 202
    assert response.json()["ignored"] == "speech-update"


def test_a_body_that_is_not_a_server_message_is_a_400(business, vapi):
    response = deliver(vapi, ["not", "a", "message"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_payload"
