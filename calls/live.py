"""The live views' fragments, rendered from the same partials the pages use, and what is
sent after commit (calls.events). Live messages are hints; pages render from the database.

The dashboard card is rendered once, here. Transcript lines are rendered by the consumer of
a page that shows that call (most calls have no such page open, and rendering every line of
every call was most of the ingest's cost), from the state sent along: plain values that
survive the channel layer's msgpack.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from calls.analysis.names import names_mentioned
from calls.analysis.redact import text_redact
from calls.analysis.types import Line
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


def dashboard_fragment(*, call: Call, names: Iterable[str] = ()) -> str:
    """The call's card on the live dashboard; an ended call leaves the live list for the
    recently ended one. `names`: said earlier in the call, masked in its last line."""
    names = list(names)
    if names and call.last_text:
        # The card's last line, redacted with the call's names (the template's filter
        # redacts it again, which changes nothing); a copy, so nothing redacted is saved.
        call = copy.copy(call)
        call.last_text = text_redact(call.last_text, names=names)
    context = {"call": call, "oob": True}
    if call.status == Call.Status.ENDED:
        return render_to_string(f"{DASHBOARD}#call-ended-oob", context)
    return render_to_string(f"{DASHBOARD}#call-card", context)


def transcript_fragment(*, call: Call, segments: Iterable[TranscriptSegment]) -> str:
    segments = list(segments)
    context = {"call": call, "segments": segments, "oob": True}
    head = render_to_string(f"{TRANSCRIPT}#call-head", context)
    return head + render_to_string(f"{TRANSCRIPT}#segments-oob", context) if segments else head


def call_state(call: Call) -> dict[str, Any]:
    state = {name: getattr(call, name) for name in _HEAD_FIELDS}
    state["started_at"] = call.started_at.isoformat()
    return state


def segment_state(segment: TranscriptSegment, *, names: Iterable[str] = ()) -> dict[str, Any]:
    """A new line as sent through the channel layer: its text already redacted, so the
    original never leaves the database on the live path. `names`: the names said in the
    call so far (call_names_said), masked wherever they recur."""
    state = {name: getattr(segment, name) for name in _SEGMENT_FIELDS}
    state["text"] = text_redact(state["text"], names=names) if state["text"] else ""
    return state


def call_names_said(*, call: Call) -> list[str]:
    """Every name said in the call so far, by anyone: what live redaction must mask in
    later lines (a surname said once, then alone). Read incrementally: each process keeps
    what it found per call and reads only the lines since (from the last one it read, so a
    bare answer still sees the agent's question); on a miss it reads the whole call."""
    key = (call.pk, call.call_id, call.started_at)
    with _NAMES_LOCK:
        seen, names = _NAMES_SAID.get(key, (-1, ()))
    segments = call.segments.order_by("seq").values_list("seq", "speaker", "text")
    rows = list(segments.filter(seq__gte=seen))
    if seen >= 0 and (not rows or rows[0][0] != seen):
        seen, names, rows = -1, (), list(segments)  # not the call we read: read it whole
    if rows:
        lines = [Line(speaker=speaker, text=text or "") for _, speaker, text in rows]
        names = tuple(dict.fromkeys([*names, *names_mentioned(lines)]))
        seen = rows[-1][0]
    with _NAMES_LOCK:
        _NAMES_SAID.pop(key, None)
        _NAMES_SAID[key] = (seen, names)
        while len(_NAMES_SAID) > _NAMES_SAID_CALLS:
            _NAMES_SAID.pop(next(iter(_NAMES_SAID)))
    return list(names)


# A call → (the last seq read, the names found so far); the most recently used calls.
_NAMES_SAID: dict[tuple[Any, ...], tuple[int, tuple[str, ...]]] = {}
_NAMES_SAID_CALLS = 2000
_NAMES_LOCK = threading.Lock()


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
        names = call_names_said(call=change.call) if change.segments else []
        segments = [
            segment_state(change.segments[seq], names=names) for seq in sorted(change.segments)
        ]
        _call_broadcast(change.call, segments=segments, names=names)


def _call_broadcast(
    call: Call, *, segments: list[dict[str, Any]], names: Iterable[str] = ()
) -> None:
    broadcast_call_fragments(
        business_id=call.business_id,
        call_pk=call.pk,
        call_id=call.call_id,
        dashboard_html=dashboard_fragment(call=call, names=names),
        call=call_state(call),
        segments=segments,
    )
