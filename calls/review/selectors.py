"""Reads for reviewers: the filtered calls list (page, CSV), one call's review.

The list reads one table: the current CallAnalysis of each analysed call carries the call's
facts (started, agent, channel, duration) and the effective answer (the reviewer's
correction where there is one, else the machine's), so filtering, sorting, counting and
searching 100,000 calls needs no join (bench/calls_list.py). A page is one query for the
count and one for the rows (their calls joined by primary key), whatever its size. Calls
appear once analysed, seconds after they end (calls_analysis_sweep catches stragglers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, Substr

from calls.analysis.pipeline import call_input_build
from calls.analysis.redact import json_redact, names_find, transcript_redact
from calls.models import Call, CallAnalysis, CallNote, CallReview
from console.tenancy.models import Business

SORTS = {
    "newest": ("-started_at", "-id"),
    "oldest": ("started_at", "id"),
    "lead": ("-lead_score_effective", "-started_at", "-id"),
    "lead_asc": ("lead_score_effective", "-started_at", "-id"),
    "duration": (F("duration_s").desc(nulls_last=True), "-started_at", "-id"),
    "sentiment": ("sentiment_score", "-started_at", "-id"),
}
SNIPPET_CHARS = 180


@dataclass(frozen=True)
class CallFilters:
    since: date | None = None
    until: date | None = None
    agent: str = ""
    channel: str = ""
    intent: str = ""
    sentiment: str = ""
    min_lead: int | None = None
    max_lead: int | None = None
    escalated: bool | None = None
    reviewed: bool | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    q: str = ""
    sort: str = "newest"


def _day_start(day: date, business: Business) -> datetime:
    return datetime.combine(day, time.min, tzinfo=business.tz)


def calls_reviewable(*, business: Business) -> QuerySet[CallAnalysis]:
    """The business's analysed calls: their current analyses."""
    return CallAnalysis.objects.filter(business=business, is_current=True)


def calls_filter(
    queryset: QuerySet[CallAnalysis], *, business: Business, f: CallFilters
) -> QuerySet[CallAnalysis]:
    qs = queryset
    if f.since:
        qs = qs.filter(started_at__gte=_day_start(f.since, business))
    if f.until:
        qs = qs.filter(started_at__lt=_day_start(f.until + timedelta(days=1), business))
    if f.agent:
        qs = qs.filter(agent=f.agent)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.intent:
        qs = qs.filter(intent_effective=f.intent)
    if f.sentiment:
        qs = qs.filter(sentiment_label=f.sentiment)
    if f.min_lead is not None:
        qs = qs.filter(lead_score_effective__gte=f.min_lead)
    if f.max_lead is not None:
        qs = qs.filter(lead_score_effective__lte=f.max_lead)
    if f.escalated is not None:
        qs = qs.filter(escalate_effective=f.escalated)
    if f.reviewed is not None:
        qs = qs.filter(reviewed=f.reviewed)
    if f.min_duration is not None:
        qs = qs.filter(duration_s__gte=f.min_duration)
    if f.max_duration is not None:
        qs = qs.filter(duration_s__lte=f.max_duration)
    if f.q.strip():
        qs = transcripts_search(qs, f.q.strip())
    return qs.order_by(*SORTS.get(f.sort, SORTS["newest"]))


def transcripts_search(qs: QuerySet[CallAnalysis], text: str) -> QuerySet[CallAnalysis]:
    """Search the redacted transcripts only: PostgreSQL full-text on the GIN index of
    migration 0002 (the expression here must stay the index's), or contains on SQLite."""
    if settings.USING_POSTGRES:
        vector = SearchVector("redacted_transcript", config="english")
        query = SearchQuery(text, config="english", search_type="websearch")
        return qs.annotate(search=vector).filter(search=query)
    return qs.filter(redacted_transcript__icontains=text)


def calls_list(*, business: Business, filters: CallFilters) -> QuerySet[CallAnalysis]:
    """The rows of the calls list: safe columns only (masked numbers, redacted snippet)."""
    qs = calls_filter(calls_reviewable(business=business), business=business, f=filters)
    return (
        qs.select_related("call")
        .annotate(snippet=Substr("redacted_transcript", 1, SNIPPET_CHARS))
        .only(
            "id",
            "started_at",
            "agent",
            "channel",
            "duration_s",
            "intent",
            "intent_effective",
            "sentiment_label",
            "lead_score_effective",
            "escalate_effective",
            "reviewed",
            "booked",
            "call__id",
            "call__call_id",
            "call__from_masked",
            "call__channel",
        )
    )


def call_agents(*, business: Business) -> list[str]:
    return list(
        Call.objects.filter(business=business)
        .exclude(agent="")
        .order_by("agent")
        .values_list("agent", flat=True)
        .distinct()
    )


def call_current_analysis(*, call: Call) -> CallAnalysis | None:
    return (
        CallAnalysis.objects.filter(call=call, is_current=True)
        .select_related("reason_service")
        .first()
    )


def export_rows(*, business: Business, filters: CallFilters) -> Any:
    """Rows for the CSV export: the filtered calls, redacted text, masked numbers."""
    qs = calls_filter(calls_reviewable(business=business), business=business, f=filters)
    review = CallReview.objects.filter(call_id=OuterRef("call_id"))
    return qs.annotate(
        escalation_reason_fixed=Subquery(review.values("escalation_reason")[:1]),
        urgency_fixed=Subquery(review.values("urgency")[:1]),
        reason_fixed=Subquery(review.values("reason")[:1]),
    ).values_list(
        "call__call_id",
        "started_at",
        "agent",
        "channel",
        "call__from_masked",
        "duration_s",
        "call__end_reason",
        "intent_effective",
        "intent",
        "sentiment_label",
        "sentiment_score",
        "lead_score_effective",
        "lead_score",
        "escalate_effective",
        Coalesce(NullIf("escalation_reason_fixed", Value("")), "escalation_reason"),
        Coalesce(NullIf("urgency_fixed", Value("")), "urgency"),
        Coalesce(NullIf("reason_fixed", Value("")), "reason"),
        "callback_masked",
        "reviewed",
        "redacted_transcript",
    )


@dataclass(frozen=True)
class ReviewLine:
    speaker: str
    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class ReviewTool:
    name: str
    ok: bool
    latency_ms: int
    at_ms: int  # since the call started
    arguments: Any
    result: Any


@dataclass(frozen=True)
class CallReviewData:
    call: Call
    analysis: CallAnalysis | None
    review: Any  # CallReview | None
    notes: list[Any]
    lines: list[ReviewLine]
    tools: list[ReviewTool]
    turns: list[Any]
    turn_median_ms: int | None
    turn_p95_ms: int | None
    barge_ins: int
    appointments: list[Any]


def percentile(values: list[int], fraction: float) -> int | None:
    """Nearest-rank percentile (p50 = median of an odd list)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))  # ceil
    return ordered[min(len(ordered), rank) - 1]


def call_review_data(*, call: Call) -> CallReviewData:
    """Everything the review page shows, PHI-safe (the original is transcript_reveal's)."""
    analysis = call_current_analysis(call=call)
    call_input = call_input_build(call)
    if analysis is not None and analysis.redacted_lines:
        lines = [
            ReviewLine(
                speaker=str(line.get("speaker", "")),
                text=str(line.get("text", "")),
                start_ms=int(line.get("start_ms") or 0),
                end_ms=int(line.get("end_ms") or 0),
            )
            for line in analysis.redacted_lines
        ]
    else:
        lines = [
            ReviewLine(
                speaker=line.speaker, text=line.text, start_ms=line.start_ms, end_ms=line.end_ms
            )
            for line in transcript_redact(call_input).lines
        ]
    names = names_find(call_input)
    tools = [
        ReviewTool(
            name=t.name,
            ok=t.ok,
            latency_ms=t.latency_ms,
            at_ms=max(0, int((t.occurred_at - call.started_at).total_seconds() * 1000)),
            arguments=json_redact(t.arguments, names=names),
            result=json_redact(t.result, names=names),
        )
        for t in call.tool_invocations.order_by("occurred_at", "id")
    ]
    turns = list(call.turn_metrics.order_by("turn"))
    latencies = [t.latency_ms for t in turns]
    return CallReviewData(
        call=call,
        analysis=analysis,
        review=CallReview.objects.filter(call=call).first(),
        notes=list(CallNote.objects.filter(call=call).order_by("created_at", "id")),
        lines=lines,
        tools=tools,
        turns=turns,
        turn_median_ms=percentile(latencies, 0.5),
        turn_p95_ms=percentile(latencies, 0.95),
        barge_ins=sum(1 for t in turns if t.barge_in),
        appointments=call_appointments(call=call, tools=call_input.tools),
    )


def call_appointments(*, call: Call, tools: Any = ()) -> list[Any]:
    """Appointments booked in the call: linked to it, or named by a successful booking tool.

    Read through the business's appointments (bookings sits above calls and links its
    appointments to them; calls never imports bookings)."""
    references = {
        str(t.result.get("reference"))
        for t in tools
        if t.ok
        and t.name in ("book_appointment", "reschedule_appointment")
        and isinstance(t.result, dict)
        and t.result.get("reference")
    }
    return list(
        call.business.appointments.filter(Q(reference__in=references) | Q(call=call))
        .select_related("service", "staff")
        .order_by("start")
    )
