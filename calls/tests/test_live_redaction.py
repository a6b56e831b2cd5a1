"""Live pages show what callers say redacted, to every role: the original is for the review
page, on request, audited (DESIGN.md)."""

from __future__ import annotations

import pytest

from calls.live.broadcast import (
    call_names_said,
    dashboard_fragment,
    segment_state,
    transcript_fragment_from_states,
)
from calls.models import Call, TranscriptSegment
from calls.tests.factories import call_start, hang_up, say

SAID = "Sure, my number is 415 555 0188 and my email is jo.smith@example.com"


@pytest.mark.parametrize("persona", ["front_desk", "owner"])
def test_the_live_dashboard_never_shows_a_number_or_email_a_caller_said(
    business, persona, request, client_for
):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, SAID)
    html = client_for(request.getfixturevalue(persona)).get("/calls/live/").content.decode()
    assert 'data-call-id="gw-1"' in html
    assert "555 0188" not in html and "jo.smith" not in html
    assert "[PHONE]" in html and "[EMAIL]" in html


def test_the_live_transcript_page_shows_lines_redacted(business, front_desk, client_for):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, SAID)
    pk = Call.objects.get(call_id="gw-1").pk
    html = client_for(front_desk).get(f"/calls/live/{pk}/").content.decode()
    assert "555 0188" not in html and "jo.smith" not in html
    assert "[PHONE]" in html


def test_a_live_line_travels_through_the_channel_layer_redacted(business) -> None:
    call_start(business, "gw-1")
    say(business, "gw-1", 0, SAID)
    segment = TranscriptSegment.objects.get(call__call_id="gw-1", seq=0)
    state = segment_state(segment)
    assert "555 0188" not in state["text"] and "[PHONE]" in state["text"]
    call = segment.call
    fragment = transcript_fragment_from_states(
        call={
            "pk": call.pk,
            "call_id": call.call_id,
            "status": call.status,
            "started_at": call.started_at.isoformat(),
        },
        segments=[state],
    )
    assert "[PHONE]" in fragment and "[[" not in fragment  # redacting twice changes nothing


def test_an_ended_call_opens_on_its_review_page(business, front_desk, client_for) -> None:
    call_start(business, "gw-1")
    hang_up(business, "gw-1")
    pk = Call.objects.get(call_id="gw-1").pk
    response = client_for(front_desk).get(f"/calls/live/{pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/calls/{pk}/"


def test_front_desk_cannot_export_calls(business, front_desk, client_for) -> None:
    response = client_for(front_desk).get("/calls/export.csv")
    assert response.status_code == 403


def test_an_export_is_written_to_the_audit_log(business, manager, client_for) -> None:
    from console.audit.models import AuditEntry

    response = client_for(manager).get("/calls/export.csv", {"q": "refund"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action="calls.exported")
    assert entry.actor == manager and entry.data["filters"] == ["q"]


def test_a_name_said_earlier_in_the_call_is_masked_in_a_later_live_line(business) -> None:
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "Hi, my name is Ikaika Kealoha.")
    say(business, "gw-1", 1, "kealoha, like I said")
    call = Call.objects.get(call_id="gw-1")
    segment = TranscriptSegment.objects.get(call=call, seq=1)
    state = segment_state(segment, names=call_names_said(call=call))
    assert "kealoha" not in state["text"].lower() and "[NAME]" in state["text"]


def test_the_live_dashboard_never_shows_a_name_a_caller_said(business, front_desk, client_for):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "hi this is jenny park i wanted a blow dry")
    html = client_for(front_desk).get("/calls/live/").content.decode()
    assert 'data-call-id="gw-1"' in html
    assert "jenny" not in html.lower() and "[NAME]" in html


@pytest.mark.parametrize("ended", [False, True])
def test_the_freshly_drawn_live_page_masks_a_name_said_earlier_in_the_call(
    business, front_desk, client_for, ended
):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "Hi, my name is Ikaika Kealoha.")
    say(business, "gw-1", 1, "kealoha, like I said")
    if ended:
        hang_up(business, "gw-1")
    html = client_for(front_desk).get("/calls/live/").content.decode()
    assert 'data-call-id="gw-1"' in html
    assert "kealoha" not in html.lower()
    assert TranscriptSegment.objects.get(call__call_id="gw-1", seq=1).text == "kealoha, like I said"


def test_the_live_card_sent_after_a_line_masks_names_said_before_it(business) -> None:
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "my name is Ikaika Kealoha")
    say(business, "gw-1", 1, "yes kealoha")
    call = Call.objects.get(call_id="gw-1")
    html = dashboard_fragment(call=call, names=call_names_said(call=call))
    assert "kealoha" not in html.lower()


def test_the_transcript_page_masks_a_name_said_earlier_when_it_recurs(
    business, front_desk, client_for
):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "Hi, my name is Ikaika Kealoha.")
    say(business, "gw-1", 1, "kealoha, like I said")
    pk = Call.objects.get(call_id="gw-1").pk
    html = client_for(front_desk).get(f"/calls/live/{pk}/").content.decode()
    assert "kealoha" not in html.lower() and "ikaika" not in html.lower()
    assert TranscriptSegment.objects.get(call_id=pk, seq=1).text == "kealoha, like I said"


def test_a_bare_answer_in_a_later_batch_still_sees_the_agents_question(business) -> None:
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "Can I take your name?", speaker="agent")
    call = Call.objects.get(call_id="gw-1")
    assert call_names_said(call=call) == []
    say(business, "gw-1", 1, "ikaika kealoha")
    assert [n.lower() for n in call_names_said(call=call)] == ["ikaika", "kealoha"]
