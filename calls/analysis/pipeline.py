"""Runs the steps on one finished call and stores the result.

`analysis_run` is pure (CallInput → AnalysisResult): the evaluation command and the tests
use it directly. `call_analyze` loads a call, runs it and writes one CallAnalysis row per
call and analyzer version (a re-run updates that row; a new version adds a row and becomes
the current one), so running it twice, or a retried task, never duplicates anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from django.db import transaction

from calls.analysis.embedding import model_load
from calls.analysis.engines import engine_answer, engine_values, engine_version
from calls.analysis.escalation import Escalation, escalation_decide
from calls.analysis.intent import Intent, intent_classify
from calls.analysis.language import language_detect
from calls.analysis.lead_score import LeadScore, booked_in_call, lead_score_compute
from calls.analysis.red_flags import RedFlag, red_flags_find
from calls.analysis.redact import Redaction, text_redact, transcript_redact
from calls.analysis.sentiment import Sentiment, sentiment_analyze
from calls.analysis.slots import Slots, slots_extract
from calls.analysis.types import CallInput, Line, ServiceOption, ToolCall
from calls.analysis.urgency import urgency_assess
from calls.live.broadcast import call_analysed_broadcast
from calls.models import Call, CallAnalysis, CallReview
from calls.models.analysis import effective_fields
from console.privacy.phones import phone_mask


@dataclass(frozen=True)
class AnalysisResult:
    redaction: Redaction
    sentiment: Sentiment
    intent: Intent
    slots: Slots
    lead: LeadScore
    escalation: Escalation
    booked: bool
    red_flags: tuple[RedFlag, ...] = ()  # evidence redacted
    language: str = "en"  # en, es or mixed


def analysis_run(call: CallInput) -> AnalysisResult:
    """Safety first: the red flags are found before anything else and force the call to an
    emergency, escalated, whatever the other steps make of it."""
    model_load()  # a worker waits for the model: the red flags use it after the call
    redaction = transcript_redact(call)
    red_flags = tuple(
        replace(flag, evidence=text_redact(flag.evidence, names=redaction.names))
        for flag in red_flags_find(call.caller_lines)
    )
    sentiment = sentiment_analyze(call.caller_lines)
    intent = intent_classify(call, red_flag=bool(red_flags))
    slots = slots_extract(call, intent=intent.label)
    # slots.py finds names and numbers; urgency and red flags are decided here.
    reason = slots.reason
    if red_flags and slots.reason_service_id is None:
        reason = red_flags[0].description
    slots = replace(
        slots,
        urgency=urgency_assess(call.caller_lines, intent=intent.label, red_flags=red_flags),
        red_flags=tuple(flag.kind for flag in red_flags),
        reason=reason,
    )
    lead = lead_score_compute(
        call, intent=intent.label, slots=slots, sentiment=sentiment, emergency=bool(red_flags)
    )
    escalation = escalation_decide(call, sentiment=sentiment, red_flags=red_flags)
    return AnalysisResult(
        redaction=redaction,
        sentiment=sentiment,
        intent=intent,
        slots=slots,
        lead=lead,
        escalation=escalation,
        booked=booked_in_call(call),
        red_flags=red_flags,
        language=language_detect(call.caller_lines),
    )


def call_input_build(call: Call) -> CallInput:
    """The call as the steps see it: final transcript lines in order, tools in order."""
    segments = call.segments.filter(final=True).order_by("seq")
    tools = call.tool_invocations.order_by("occurred_at", "id")
    services = call.business.services.filter(active=True).order_by("id")  # bookings' Service
    return CallInput(
        lines=tuple(
            Line(speaker=s.speaker, text=s.text or "", start_ms=s.start_ms, end_ms=s.end_ms)
            for s in segments
        ),
        tools=tuple(
            ToolCall(
                name=t.name,
                arguments=t.arguments if isinstance(t.arguments, dict) else {},
                result=t.result if isinstance(t.result, dict) else {},
                ok=t.ok,
                latency_ms=t.latency_ms,
            )
            for t in tools
        ),
        services=tuple(
            ServiceOption(id=s.pk, name=s.name, aliases=tuple(str(a) for a in s.aliases or ()))
            for s in services
        ),
        business_kind=call.business.kind,
        region=call.business.default_region or "US",
        from_number=call.from_number or "",
        duration_s=call.duration_s,
        end_reason=call.end_reason,
    )


def call_analyze(*, call_pk: int, version: str | None = None) -> CallAnalysis | None:
    """Analyse the call with the configured engine (engines.py) and store the result; None
    if the call is gone or not ended."""
    call = Call.objects.select_related("business").filter(pk=call_pk).first()
    if call is None or call.status != Call.Status.ENDED:
        return None
    version = version or engine_version()
    answer = engine_answer(call_input_build(call), baa_covered=call.business.llm_baa_covered)
    values = engine_values(answer)
    with transaction.atomic():
        # Lock the call so two workers analysing it at once write one row, one current.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        CallAnalysis.objects.filter(call=call, is_current=True).exclude(
            analyzer_version=version
        ).update(is_current=False)
        analysis, _ = CallAnalysis.objects.update_or_create(
            call=call,
            analyzer_version=version,
            defaults={**values, **call_columns(call), "is_current": True},
        )
        review = CallReview.objects.filter(call=call).first()
        for name, value in effective_fields(analysis, review).items():
            setattr(analysis, name, value)
        analysis.save(update_fields=[*EFFECTIVE_FIELDS, "updated_at"])
        # Dashboards show the ended call's intent, lead score and escalation once known.
        transaction.on_commit(partial(call_analysed_broadcast, call_pk=call.pk))
    return analysis


EFFECTIVE_FIELDS = ("intent_effective", "lead_score_effective", "escalate_effective", "reviewed")


def call_columns(call: Call) -> dict[str, object]:
    """The call's facts the reviewers' list shows and filters on (see CallAnalysis)."""
    return {
        "business_id": call.business_id,
        "started_at": call.started_at,
        "agent": call.agent,
        "channel": call.channel,
        "duration_s": call.duration_s,
    }


def analysis_values(result: AnalysisResult) -> dict[str, object]:
    slots = result.slots
    return {
        "redacted_transcript": result.redaction.text,
        "redacted_lines": [
            {
                "speaker": line.speaker,
                "text": line.text,
                "start_ms": line.start_ms,
                "end_ms": line.end_ms,
            }
            for line in result.redaction.lines
        ],
        "sentiment_score": result.sentiment.score,
        "sentiment_label": result.sentiment.label,
        "sentiment_first": result.sentiment.first,
        "sentiment_last": result.sentiment.last,
        "sentiment_trend": result.sentiment.trend,
        "intent": result.intent.label,
        "intent_confidence": result.intent.confidence,
        "caller_name": slots.caller_name,
        "callback_number": slots.callback_number,
        "callback_masked": phone_mask(slots.callback_number) if slots.callback_number else "",
        "reason": slots.reason[:200],
        "reason_service_id": slots.reason_service_id,
        "urgency": slots.urgency,
        "lead_score": result.lead.score,
        "lead_reasons": list(result.lead.reasons),
        "escalate": result.escalation.escalate,
        "escalation_reason": result.escalation.reason[:200],
        "booked": result.booked,
        "details": {
            "intent_scores": result.intent.scores,
            "escalation_reasons": list(result.escalation.reasons),
            "red_flags": [
                {"kind": flag.kind, "evidence": flag.evidence, "language": flag.language}
                for flag in result.red_flags
            ],
            "sentiment_lowest": result.sentiment.lowest,
            "sarcastic_lines": list(result.sentiment.sarcastic),
            "language": result.language,
        },
    }


def calls_unanalysed(
    *,
    business_id: int | None = None,
    version: str | None = None,
    ended_before: datetime | None = None,
    ended_after: datetime | None = None,
    limit: int | None = None,
) -> list[int]:
    """Ended calls (pks, oldest first) with no analysis by `version` (the configured
    engine's by default)."""
    calls = Call.objects.filter(status=Call.Status.ENDED).exclude(
        analyses__analyzer_version=version or engine_version()
    )
    if ended_before is not None:
        calls = calls.filter(ended_at__lt=ended_before)
    if ended_after is not None:
        calls = calls.filter(ended_at__gte=ended_after)
    if business_id is not None:
        calls = calls.filter(business_id=business_id)
    pks = calls.order_by("ended_at", "pk").values_list("pk", flat=True)
    return list(pks[:limit] if limit else pks)
