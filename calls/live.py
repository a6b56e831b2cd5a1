"""The live views' fragments, rendered from the same partials the pages use, and what is
sent after commit (calls.events). Live messages are hints; pages render from the database.

What goes through the channel layer is state, not HTML: plain values that survive msgpack,
callers' words already redacted so the original never leaves the database on the live path.
The server processes that hold live pages of the business render from it: the dashboard card
once per process for each state of a call (the first socket renders, the others reuse it),
transcript lines by the socket of a page showing that call. A business nobody watches costs
no rendering at all: the card was a seventh of the CPU of a single-event ingest
(bench/ingest.py), most of the time for nobody.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from calls.analysis.redact import text_redact
from calls.events import broadcast_call_fragments
from calls.models import Call, TranscriptSegment
from calls.selectors import with_current_analysis

if TYPE_CHECKING:
    from calls.ingest import CallChange

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
# What a dashboard card shows of a call (templates/calls/live.html, call-card and call-ended).
_CARD_FIELDS = (
    *_HEAD_FIELDS,
    "segment_count",
    "tool_count",
    "last_speaker",
    "last_turn_latency_ms",
)
_ANALYSIS_FIELDS = ("analysis_intent", "analysis_lead_score", "analysis_escalate")
_CARDS_KEPT = 512
_cards: OrderedDict[str, str] = OrderedDict()  # this process's rendered cards, by state


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


def card_state(call: Call) -> dict[str, Any]:
    """The dashboard card's values, its last line redacted (plain values for the layer)."""
    state = {name: getattr(call, name) for name in _CARD_FIELDS}
    state["started_at"] = call.started_at.isoformat()
    state["last_text"] = text_redact(call.last_text) if call.last_text else ""
    for name in _ANALYSIS_FIELDS:
        state[name] = getattr(call, name, None)
    return state


def dashboard_fragment_from_state(state: dict[str, Any]) -> str:
    """The card from sent state, rendered once per state in this process."""
    key = json.dumps(state, sort_keys=True, default=str)
    html = _cards.get(key)
    if html is None:
        values = {name: state[name] for name in _CARD_FIELDS}
        call = Call(
            **values,
            started_at=datetime.fromisoformat(state["started_at"]),
            last_text=state["last_text"],
        )
        for name in _ANALYSIS_FIELDS:
            setattr(call, name, state.get(name))
        html = _cards[key] = dashboard_fragment(call=call)
        if len(_cards) > _CARDS_KEPT:
            _cards.popitem(last=False)
    return html


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
        _call_broadcast(call, segments=[])


def calls_broadcast(*, changes: Iterable[CallChange]) -> None:
    """One update per call touched: its dashboard card, and its state and new lines for
    transcript pages."""
    for change in changes:
        segments = [segment_state(change.segments[seq]) for seq in sorted(change.segments)]
        _call_broadcast(change.call, segments=segments)


def _call_broadcast(call: Call, *, segments: list[dict[str, Any]]) -> None:
    broadcast_call_fragments(
        business_id=call.business_id,
        call_pk=call.pk,
        call_id=call.call_id,
        card=card_state(call),
        call=call_state(call),
        segments=segments,
    )
