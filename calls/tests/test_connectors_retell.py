"""Retell's webhook events mapped onto our calls (CONTRACTS §8), against fixtures shaped
after Retell's documented payloads (fixtures/README.md)."""

from __future__ import annotations

import pytest

from calls.models import Call, CallAnalysis, CallEvent, PlatformAnalysis
from calls.tests.connector_deliveries import connector_make, deliver, fixture

pytestmark = pytest.mark.django_db

CALL_ID = "Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6"


@pytest.fixture
def retell(business):
    return connector_make(business, "retell")


def the_call(business) -> Call:
    return Call.objects.get(business=business, call_id=CALL_ID)


def test_call_started_creates_the_call_with_its_numbers_and_agent(business, retell):
    response = deliver(retell, fixture("retell_call_started"))
    assert response.status_code == 202
    assert response.json() == {"accepted": 1, "duplicates": 0}
    call = the_call(business)
    assert call.status == Call.Status.RINGING
    assert call.channel == "pstn" and call.agent == "Ava (Glow Salon)"
    assert call.from_number == "+14155550123" and call.to_number == "+14155550199"
    assert call.started_at.isoformat().startswith("2026-11-24T15:04:05")


def test_transcript_updated_writes_the_lines_so_far_the_last_one_partial(business, retell):
    deliver(retell, fixture("retell_transcript_updated"))
    call = the_call(business)
    lines = list(call.segments.order_by("seq"))
    assert [s.speaker for s in lines] == ["agent", "caller", "agent", "agent"]
    assert lines[1].text == "Hi, I'd like to book a gel manicure on Friday afternoon."
    assert lines[1].start_ms == 4100 and lines[1].end_ms > lines[1].start_ms
    assert [s.final for s in lines] == [True, True, True, False]
    assert call.status == Call.Status.LIVE


def test_a_tool_call_is_recorded_with_its_result(business, retell):
    deliver(retell, fixture("retell_transcript_updated"))
    tool = the_call(business).tool_invocations.get()
    assert tool.name == "check_availability"
    assert tool.arguments == {"service": "gel manicure", "date": "2026-11-27"}
    assert tool.result["slots"][1]["start"] == "2026-11-27T15:30:00+00:00"
    assert tool.ok is True


def test_call_ended_ends_the_call_with_its_duration_and_every_line_final(business, retell):
    deliver(retell, fixture("retell_transcript_updated"))
    deliver(retell, fixture("retell_call_ended"))
    call = the_call(business)
    assert call.status == Call.Status.ENDED
    assert call.duration_s == 19 and call.end_reason == "caller_hangup"
    lines = list(call.segments.order_by("seq"))
    assert len(lines) == 5 and all(s.final for s in lines)
    assert lines[3].text.startswith("I have 2 pm or 3:30 pm")
    assert call.tool_invocations.count() == 1  # the same tool call, restated: stored once


def test_call_analyzed_keeps_retells_analysis_beside_ours(
    business, retell, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(retell, fixture("retell_call_ended"))  # our analysis runs once it ends
    ours = CallAnalysis.objects.get(call__business=business, call__call_id=CALL_ID)
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(retell, fixture("retell_call_analyzed"))
    assert response.status_code == 202
    kept = PlatformAnalysis.objects.get(call=the_call(business))
    assert kept.platform == "retell"
    assert kept.data["user_sentiment"] == "Positive"
    assert kept.data["call_summary"].startswith("The caller booked")
    # Ours is untouched: the same row, the same answer.
    again = CallAnalysis.objects.get(call__business=business, call__call_id=CALL_ID)
    assert again.pk == ours.pk and again.sentiment_label == ours.sentiment_label
    assert again.redacted_transcript == ours.redacted_transcript


def test_the_same_delivery_twice_changes_nothing(business, retell):
    first = deliver(retell, fixture("retell_call_ended")).json()
    events = CallEvent.objects.filter(business=business).count()
    second = deliver(retell, fixture("retell_call_ended")).json()
    assert first["accepted"] > 0
    assert second == {"accepted": 0, "duplicates": first["accepted"] + first["duplicates"]}
    assert CallEvent.objects.filter(business=business).count() == events
    assert the_call(business).segments.count() == 5


def test_ended_before_started_is_fine(business, retell):
    deliver(retell, fixture("retell_call_ended"))
    response = deliver(retell, fixture("retell_call_started"))
    assert response.status_code == 202
    assert response.json()["accepted"] == 0  # call_ended already said all call_started says
    call = the_call(business)
    assert call.status == Call.Status.ENDED and call.has_start_event
    assert call.started_at.isoformat().startswith("2026-11-24T15:04:05")
    assert Call.objects.filter(business=business).count() == 1


def test_an_event_retell_sends_that_we_do_not_map_is_acknowledged(business, retell):
    payload = fixture("retell_call_started") | {"event": "transfer_started"}
    response = deliver(retell, payload)
    assert response.status_code == 202
    assert response.json() == {"accepted": 0, "duplicates": 0, "ignored": "transfer_started"}
    assert not Call.objects.exists()


def test_a_payload_without_its_call_is_a_400(business, retell):
    response = deliver(retell, {"event": "call_started"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_payload"
    assert "call.call_id" in response.json()["fields"]


def test_a_bad_number_is_a_400_naming_the_field_and_nothing_is_stored(business, retell):
    payload = fixture("retell_call_started")
    payload["call"]["from_number"] = "not a phone"
    response = deliver(retell, payload)
    assert response.status_code == 400
    assert response.json()["fields"]["0"]["data.from"]
    assert not Call.objects.exists()


def test_the_call_api_shows_retells_analysis_beside_ours_its_text_only_revealed(
    business, retell, api_client_for
):
    deliver(retell, fixture("retell_call_analyzed"))
    api = api_client_for(business, "admin")
    body = api.get(f"/api/v1/calls/{CALL_ID}").json()
    assert body["platform_analysis"]["platform"] == "retell"
    assert "The caller booked" not in str(body)
    revealed = api.get(f"/api/v1/calls/{CALL_ID}?reveal=true").json()
    assert revealed["original"]["platform_analysis"]["user_sentiment"] == "Positive"


def test_a_withheld_number_still_records_the_call(business, retell):
    payload = fixture("retell_call_started")
    del payload["call"]["from_number"]
    assert deliver(retell, payload).status_code == 202
    call = the_call(business)
    assert call.from_number == "" and call.to_number == "+14155550199"
