"""A call's transcript as the live pages show it: redacted as a whole call, for every role.

A line redacted on its own keeps a name that the caller gave on an earlier line or that the
agent sent to a booking tool ("Priya again"); here every line is redacted with all the names
the call has given so far, as the review page does. The original is only the audited reveal
(calls.review.transcript_reveal).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from calls.analysis.names import names_mentioned
from calls.analysis.pipeline import call_input_build
from calls.analysis.redact import names_find, text_redact
from calls.analysis.types import Line
from calls.models import Call, CallAnalysis, TranscriptSegment


@dataclass(frozen=True)
class LiveSegment:
    seq: int
    speaker: str
    text: str
    final: bool


def call_segments_redacted(*, call: Call) -> list[LiveSegment]:
    """Every line of the call (partial ones too) with the call's names and details replaced."""
    names = names_find(call_input_build(call))
    analysis = CallAnalysis.objects.filter(call=call, is_current=True).first()
    if analysis is not None and analysis.caller_name:
        names.append(analysis.caller_name)
    return [
        LiveSegment(
            seq=segment.seq,
            speaker=segment.speaker,
            text=text_redact(segment.text, names=names) if segment.text else "",
            final=segment.final,
        )
        for segment in call.segments.order_by("seq")
    ]


def calls_names_said(calls: Iterable[Call]) -> dict[int, list[str]]:
    """Every name said so far in each of these calls, by anyone (call pk → names): one query
    for all of them, what the live pages mask wherever those names recur."""
    lines: dict[int, list[Line]] = defaultdict(list)
    rows = TranscriptSegment.objects.filter(call__in=list(calls)).order_by("call_id", "seq")
    for call_pk, speaker, text in rows.values_list("call_id", "speaker", "text"):
        lines[call_pk].append(Line(speaker=speaker, text=text or ""))
    return {pk: names_mentioned(said) for pk, said in lines.items()}


def calls_last_lines_redacted(calls: Iterable[Call]) -> None:
    """The cards' last lines on a freshly drawn live page, masked with every name said in
    their calls (as the live updates do, calls.live.broadcast): one query for all the calls.
    Changes the instances only, never what is stored."""
    calls = [call for call in calls if call.last_text]
    if not calls:
        return
    names = calls_names_said(calls)
    for call in calls:
        call.last_text = text_redact(call.last_text, names=names.get(call.pk, []))
