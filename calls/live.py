"""The live views' fragments: rendered from the same partials the pages use, sent after
commit (calls.events). Live messages are hints; pages render from the database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from calls.events import broadcast_call_fragments
from calls.models import Call

if TYPE_CHECKING:
    from calls.ingest import CallChange

DASHBOARD = "calls/live.html"
TRANSCRIPT = "calls/transcript.html"


def dashboard_fragment(*, call: Call) -> str:
    """The call's card on the live dashboard; an ended call leaves the live list for the
    recently ended one."""
    if call.status == Call.Status.ENDED:
        return render_to_string(f"{DASHBOARD}#call-ended-oob", {"call": call, "oob": True})
    return render_to_string(f"{DASHBOARD}#call-card", {"call": call, "oob": True})


def transcript_fragment(*, call: Call, segments: Iterable[object]) -> str:
    context = {"call": call, "segments": segments, "oob": True}
    head = render_to_string(f"{TRANSCRIPT}#call-head", context)
    return head + render_to_string(f"{TRANSCRIPT}#segments-oob", context) if segments else head


def calls_broadcast(*, changes: Iterable[CallChange]) -> None:
    """One update per call touched: its dashboard card and its transcript's new lines."""
    for change in changes:
        call = change.call
        segments = [change.segments[seq] for seq in sorted(change.segments)]
        broadcast_call_fragments(
            business_id=call.business_id,
            call_pk=call.pk,
            call_id=call.call_id,
            dashboard_html=dashboard_fragment(call=call),
            transcript_html=transcript_fragment(call=call, segments=segments),
        )
