"""What reviewers do to a finished call: correct the analysis, mark it reviewed, add notes,
look at the original transcript (audited), re-run the analysis.

Corrections live in CallReview beside the machine's answer (CallAnalysis is never edited).
Views check roles (console.roles) before calling these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from calls.models import Call, CallAnalysis, CallNote, CallReview
from calls.models.analysis import effective_fields
from calls.tasks import calls_analysis_queue
from console.audit.log import audit_log_write
from console.tenancy.models import ApiKey, User

CORRECTABLE = (
    "intent",
    "lead_score",
    "escalate",
    "escalation_reason",
    "caller_name",
    "callback_number",
    "reason",
    "urgency",
)
# Personal data: the audit log records that it changed, not what it says. The reasons are
# free text and, at a clinic, health details ("chest pain since Monday").
PERSONAL = frozenset({"caller_name", "callback_number", "reason", "escalation_reason"})


@dataclass(frozen=True)
class RevealedLine:
    speaker: str
    text: str
    start_ms: int


@dataclass(frozen=True)
class Revealed:
    lines: list[RevealedLine]
    from_number: str
    caller_name: str
    callback_number: str
    tools: list[dict[str, Any]]


def review_save(
    *,
    call: Call,
    by: User,
    corrections: dict[str, Any],
    reviewed: bool,
    request: HttpRequest | None = None,
) -> CallReview:
    """Store the reviewer's corrections ("" / None: the machine was right) and the flag."""
    unknown = set(corrections) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    with transaction.atomic():
        review, _ = CallReview.objects.select_for_update().get_or_create(call=call)
        changed = [
            name
            for name in CORRECTABLE
            if name in corrections and getattr(review, name) != corrections[name]
        ]
        for name in changed:
            setattr(review, name, corrections[name])
        now = timezone.now()
        if changed:
            review.corrected_by, review.corrected_at = by, now
        if reviewed != review.reviewed:
            review.reviewed = reviewed
            review.reviewed_by = by if reviewed else None
            review.reviewed_at = now if reviewed else None
        review.save()
        analysis = CallAnalysis.objects.filter(call=call, is_current=True).first()
        if analysis is not None:
            CallAnalysis.objects.filter(pk=analysis.pk).update(**effective_fields(analysis, review))
        audit_log_write(
            action="call.review_saved",
            business=call.business,
            actor=by,
            obj=call,
            request=request,
            data={
                "reviewed": reviewed,
                "changed": {
                    name: ("(changed)" if name in PERSONAL else corrections[name])
                    for name in changed
                },
            },
        )
    return review


def note_add(*, call: Call, by: User, text: str, request: HttpRequest | None = None) -> CallNote:
    text = text.strip()
    if not text:
        raise ValueError("A note needs some text.")
    note = CallNote.objects.create(call=call, author=by, author_label=by.email, text=text[:5000])
    audit_log_write(
        action="call.note_added", business=call.business, actor=by, obj=call, request=request
    )
    return note


def transcript_reveal(
    *,
    call: Call,
    by: User | None,
    api_key: ApiKey | None = None,
    request: HttpRequest | None = None,
) -> Revealed:
    """The original transcript, numbers and tool payloads. Each look is audited, whether a
    person (by) or a machine client (api_key) asked."""
    analysis = CallAnalysis.objects.filter(call=call, is_current=True).first()
    audit_log_write(
        action="call.transcript_revealed",
        business=call.business,
        actor=by,
        api_key=api_key,
        obj=call,
        request=request,
        data={"call_id": call.call_id},
    )
    return Revealed(
        lines=[
            RevealedLine(speaker=s.speaker, text=s.text, start_ms=s.start_ms)
            for s in call.segments.filter(final=True).order_by("seq")
        ],
        from_number=call.from_number or "",
        caller_name=analysis.caller_name if analysis else "",
        callback_number=analysis.callback_number if analysis else "",
        tools=[
            {"name": t.name, "arguments": t.arguments, "result": t.result}
            for t in call.tool_invocations.order_by("occurred_at", "id")
        ],
    )


def call_reanalyze(*, call: Call, by: User, request: HttpRequest | None = None) -> None:
    audit_log_write(
        action="call.reanalysis_queued", business=call.business, actor=by, obj=call, request=request
    )
    transaction.on_commit(lambda: calls_analysis_queue(call_pks=[call.pk]))
