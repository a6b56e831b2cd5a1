"""The live views' fragments, rendered from the same partials the pages use, and what is
sent after commit (calls.live.messages). Live messages are hints; pages render from the
database.

A call's dashboard card is rendered once per state, here, and every dashboard forwards that
same text. Transcript lines are rendered by the consumer of a page that shows that call (most
calls have no such page open, and rendering every line of every call was most of the
ingest's cost), from the state sent along: plain values that survive JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from calls.analysis.redact import text_redact
from calls.live.messages import CallState, broadcast_calls_changed
from calls.models import Call, TranscriptSegment
from calls.selectors import with_current_analysis

if TYPE_CHECKING:
    from calls.ingest.services import CallChange

DASHBOARD = "calls/live.html"
TRANSCRIPT = "calls/transcript.html"

# What the transcript page's head shows of a call.
_HEAD_FIELDS = (
    "pk",
    "call_id",
    "status",
    "from_masked",
    "to_masked",
    "agent",
    "channel",
    "duration_s",
    "end_reason",
    "last_tool_name",
    "last_tool_ok",
    "last_tool_latency_ms",
    "last_turn_latency_ms",
)
_SEGMENT_FIELDS = ("seq", "speaker", "text", "final")


def dashboard_fragment(*, call: Call) -> str:
    """The call's card on the live dashboard; an ended call leaves the live list for the
    recently ended one."""
    if call.status == Call.Status.ENDED:
        return render_to_string(f"{DASHBOARD}#call-ended-oob", {"call": call, "oob": True})
    return render_to_string(f"{DASHBOARD}#call-card", {"call": call, "oob": True})


def transcript_fragment(*, call: Call, segments: Iterable[TranscriptSegment]) -> str:
    segments = list(segments)
    context = {"call": call, "segments": segments, "oob": True}
    head = render_to_string(f"{TRANSCRIPT}#call-head", context)
    return head + render_to_string(f"{TRANSCRIPT}#segments-oob", context) if segments else head


def call_state(call: Call) -> dict[str, Any]:
    state = {name: getattr(call, name) for name in _HEAD_FIELDS}
    state["started_at"] = call.started_at.isoformat()
    return state


def segment_state(segment: TranscriptSegment) -> dict[str, Any]:
    """A new line as sent through the channel layer: its text already redacted, so the
    original never leaves the database on the live path."""
    state = {name: getattr(segment, name) for name in _SEGMENT_FIELDS}
    state["text"] = text_redact(state["text"]) if state["text"] else ""
    return state


def transcript_fragment_from_states(
    *, call: dict[str, Any], segments: Iterable[dict[str, Any]]
) -> str:
    """The transcript fragment from sent state (no database): what a consumer renders."""
    values = {**call, "started_at": datetime.fromisoformat(call["started_at"])}
    instance = Call(**values)
    return transcript_fragment(
        call=instance, segments=[TranscriptSegment(call=instance, **s) for s in segments]
    )


def call_analysed_broadcast(*, call_pk: int) -> None:
    """The ended call's card again, now with its analysis (intent, lead score, escalation)."""
    call = with_current_analysis(Call.objects.filter(pk=call_pk)).first()
    if call is not None:
        _calls_broadcast(call.business_id, [(call, [])])


def calls_broadcast(*, changes: Iterable[CallChange]) -> None:
    """One message for the calls one batch touched (one business): each call's card,
    rendered once, and its state and new lines for transcript pages."""
    touched = [
        (change.call, [segment_state(change.segments[seq]) for seq in sorted(change.segments)])
        for change in changes
    ]
    if touched:
        _calls_broadcast(touched[0][0].business_id, touched)


def _calls_broadcast(business_id: int, touched: list[tuple[Call, list[dict[str, Any]]]]) -> None:
    broadcast_calls_changed(
        business_id=business_id,
        dashboard_html="".join(dashboard_fragment(call=call) for call, _segments in touched),
        items=[
            CallState(call_pk=call.pk, call_id=call.call_id, call=call_state(call), segments=segs)
            for call, segs in touched
        ],
    )
