"""The offline engine: a finished call (CallInput) → AnalysisResult, pure and in process
(redact → language → red flags → sentiment → intent → slots → urgency → lead score →
escalation), and the result as the analysis row stores it. The model-backed engine
(calls.analysis.llm) answers over it; calls.analysis.engines picks one."""

from __future__ import annotations

from dataclasses import dataclass, replace

from calls.analysis.embedding import model_load
from calls.analysis.escalation import Escalation, escalation_decide
from calls.analysis.intent import Intent, intent_classify
from calls.analysis.language import language_detect
from calls.analysis.lead_score import LeadScore, booked_in_call, lead_score_compute
from calls.analysis.red_flags import RedFlag, red_flags_find
from calls.analysis.redact import Redaction, text_redact, transcript_redact
from calls.analysis.sentiment import Sentiment, sentiment_analyze
from calls.analysis.slots import Slots, slots_extract
from calls.analysis.types import CallInput
from calls.analysis.urgency import urgency_assess
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
