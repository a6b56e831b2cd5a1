"""Reads for reviewers: the filtered calls list (page, CSV, API) and one call's review.

The list is one query for the rows and one for the count, whatever the page size: the
current analysis is joined through a FilteredRelation, the review through its one-to-one,
and only short, PHI-safe columns are selected (a snippet of the redacted transcript).
Filters use the effective answer: the reviewer's correction where there is one, else the
machine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import (
    BooleanField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, Substr

from calls.models import Call, CallAnalysis
from console.models import Business

SORTS = {
    "newest": ("-started_at", "-id"),
    "oldest": ("started_at", "id"),
    "lead": (F("lead_score_eff").desc(nulls_last=True), "-started_at", "-id"),
    "lead_asc": (F("lead_score_eff").asc(nulls_last=True), "-started_at", "-id"),
    "duration": (F("duration_s").desc(nulls_last=True), "-started_at", "-id"),
    "sentiment": (F("cur__sentiment_score").asc(nulls_last=True), "-started_at", "-id"),
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


def calls_reviewable(*, business: Business) -> QuerySet[Call]:
    """Ended calls of the business with their current analysis and review joined."""
    return (
        Call.objects.filter(business=business, status=Call.Status.ENDED)
        .annotate(cur=FilteredRelation("analyses", condition=Q(analyses__is_current=True)))
        .annotate(
            analysis_id=F("cur__id"),
            intent_machine=F("cur__intent"),
            intent_eff=Coalesce(NullIf(F("review__intent"), Value("")), F("cur__intent")),
            lead_score_machine=F("cur__lead_score"),
            lead_score_eff=Coalesce(F("review__lead_score"), F("cur__lead_score")),
            escalate_machine=F("cur__escalate"),
            escalate_eff=Coalesce(F("review__escalate"), F("cur__escalate")),
            reviewed_eff=Coalesce(F("review__reviewed"), Value(False), output_field=BooleanField()),
            sentiment_label=F("cur__sentiment_label"),
            sentiment_score=F("cur__sentiment_score"),
            urgency_eff=Coalesce(NullIf(F("review__urgency"), Value("")), F("cur__urgency")),
            reason_eff=Coalesce(NullIf(F("review__reason"), Value("")), F("cur__reason")),
            escalation_reason_eff=Coalesce(
                NullIf(F("review__escalation_reason"), Value("")), F("cur__escalation_reason")
            ),
            callback_masked=F("cur__callback_masked"),
            booked=F("cur__booked"),
        )
    )


def calls_filter(queryset: QuerySet[Call], *, business: Business, f: CallFilters) -> QuerySet[Call]:
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
        qs = qs.filter(intent_eff=f.intent)
    if f.sentiment:
        qs = qs.filter(cur__sentiment_label=f.sentiment)
    if f.min_lead is not None:
        qs = qs.filter(lead_score_eff__gte=f.min_lead)
    if f.max_lead is not None:
        qs = qs.filter(lead_score_eff__lte=f.max_lead)
    if f.escalated is not None:
        qs = qs.filter(escalate_eff=f.escalated)
    if f.reviewed is not None:
        qs = qs.filter(reviewed_eff=f.reviewed)
    if f.min_duration is not None:
        qs = qs.filter(duration_s__gte=f.min_duration)
    if f.max_duration is not None:
        qs = qs.filter(duration_s__lte=f.max_duration)
    if f.q.strip():
        qs = transcripts_search(qs, f.q.strip())
    return qs.order_by(*SORTS.get(f.sort, SORTS["newest"]))


def transcripts_search(qs: QuerySet[Call], text: str) -> QuerySet[Call]:
    """Search the redacted transcripts only: PostgreSQL full-text (GIN index, migration
    0002) or a plain contains search on SQLite."""
    if settings.USING_POSTGRES:
        vector = SearchVector("cur__redacted_transcript", config="english")
        query = SearchQuery(text, config="english", search_type="websearch")
        return qs.annotate(search=vector).filter(search=query)
    return qs.filter(cur__redacted_transcript__icontains=text)


def calls_list(*, business: Business, filters: CallFilters) -> QuerySet[Call]:
    """The rows of the calls list: safe columns only (masked numbers, redacted snippet)."""
    qs = calls_filter(calls_reviewable(business=business), business=business, f=filters)
    return qs.annotate(snippet=Substr(F("cur__redacted_transcript"), 1, SNIPPET_CHARS)).only(
        "id",
        "call_id",
        "agent",
        "channel",
        "from_masked",
        "started_at",
        "ended_at",
        "duration_s",
        "end_reason",
        "business_id",
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
    return qs.values_list(
        "call_id",
        "started_at",
        "agent",
        "channel",
        "from_masked",
        "duration_s",
        "end_reason",
        "intent_eff",
        "intent_machine",
        "sentiment_label",
        "sentiment_score",
        "lead_score_eff",
        "lead_score_machine",
        "escalate_eff",
        "escalation_reason_eff",
        "urgency_eff",
        "reason_eff",
        "callback_masked",
        "reviewed_eff",
        "cur__redacted_transcript",
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
    from calls.analysis.pipeline import call_input_build
    from calls.analysis.redact import json_redact, names_find, transcript_redact
    from calls.models import CallNote, CallReview

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
    """Appointments booked in the call: linked to it, or named by a successful booking tool."""
    from bookings.models import Appointment

    references = {
        str(t.result.get("reference"))
        for t in tools
        if t.ok
        and t.name in ("book_appointment", "reschedule_appointment")
        and isinstance(t.result, dict)
        and t.result.get("reference")
    }
    condition = Q(reference__in=references)
    if any(f.name == "call" for f in Appointment._meta.get_fields()):
        condition |= Q(call=call)
    return list(
        Appointment.objects.filter(Q(business_id=call.business_id) & condition)
        .select_related("service", "staff")
        .order_by("start")
    )
