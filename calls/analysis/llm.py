"""The model-backed analysis: ask an OpenAI-compatible chat endpoint, trust nothing it says.

In: the call, the offline engine's result on it, and whether the business's BAA covers the
provider. Out: the offline result with the model's answer merged in (`dataclasses.replace` on
each step's result, so whatever fields the steps grow survive).

- What is sent: the offline engine's redacted transcript (with the names it found scrubbed
  once more), the business kind, its service names and the tools' names and outcomes. The
  original transcript, the caller id and the tools' arguments only when `baa_covered`.
- The reply must match REPLY_SCHEMA (sent as a strict `json_schema` response format) and the
  contract's ranges, or it is refused whole (ReplyInvalid) and the caller falls back.
- The offline safety layer stays on top: the model can add an escalation or raise the
  urgency, never remove an escalation the offline engine found nor lower its urgency.
- Nothing here logs the transcript, the reply or the key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema
from django.conf import settings

from calls.analysis.lead_score import EMERGENCY_CAP, LeadScore
from calls.analysis.redact import transcript_redact, transcript_text
from calls.analysis.types import CallInput, Line
from calls.models import CallAnalysis
from console.privacy.phones import phone_to_e164_or_none

if TYPE_CHECKING:
    from openai import OpenAI
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.shared_params import ResponseFormatJSONSchema

from calls.analysis.offline import AnalysisResult

LLM_VERSION = "llm-1"
INTENTS = tuple(CallAnalysis.Intent.values)
URGENCIES = tuple(CallAnalysis.Urgency.values)  # low → emergency, in rising order
SENTIMENTS = ("positive", "neutral", "negative")
_URGENCY_RANK = {urgency: rank for rank, urgency in enumerate(URGENCIES)}
MAX_TEXT = 200
MAX_NAME = 120
MAX_LEAD_REASONS = 12

# The strictest common subset of JSON Schema (every property required, no extra ones, no
# numeric or length limits), which OpenAI, Azure, vLLM and Ollama all enforce; the ranges
# and lengths are checked on our side in reply_parse.
_LEAD_REASON = {
    "type": "object",
    "properties": {
        "factor": {"type": "string"},
        "points": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["factor", "points", "detail"],
    "additionalProperties": False,
}
REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "sentiment": {
            "type": "object",
            "properties": {
                "score": {"type": "number"},
                "label": {"type": "string", "enum": list(SENTIMENTS)},
            },
            "required": ["score", "label"],
            "additionalProperties": False,
        },
        "intent": {
            "type": "object",
            "properties": {
                "label": {"type": "string", "enum": list(INTENTS)},
                "confidence": {"type": "number"},
            },
            "required": ["label", "confidence"],
            "additionalProperties": False,
        },
        "lead_score": {"type": "integer"},
        "lead_reasons": {"type": "array", "items": _LEAD_REASON},
        "escalate": {"type": "boolean"},
        "escalation_reason": {"type": "string"},
        "slots": {
            "type": "object",
            "properties": {
                "caller_name": {"type": "string"},
                "callback_number": {"type": "string"},
                "reason": {"type": "string"},
                "urgency": {"type": "string", "enum": list(URGENCIES)},
            },
            "required": ["caller_name", "callback_number", "reason", "urgency"],
            "additionalProperties": False,
        },
        "language": {"type": "string"},
    },
    "required": [
        "sentiment",
        "intent",
        "lead_score",
        "lead_reasons",
        "escalate",
        "escalation_reason",
        "slots",
        "language",
    ],
    "additionalProperties": False,
}
_VALIDATOR = jsonschema.Draft202012Validator(REPLY_SCHEMA)
_LANGUAGE = re.compile(r"^[a-z]{2}$")

_INSTRUCTIONS = """\
You analyse a finished phone call between a {kind}'s AI receptionist (Agent) and a caller
(Caller). Reply with the JSON object of the schema, nothing else.
- sentiment: the caller's feeling over the call; score from -1 (very negative) to 1 (very
  positive), label positive, neutral or negative. Sarcasm is not positive.
- intent: what the caller wanted, judged on the whole call (when the caller changes their
  mind, the last turns decide): book, reschedule, cancel, inquiry, complaint, clinical (a
  health concern or symptom) or other; confidence from 0 to 1. A word like "book" in a
  marketing call or a wrong number is not a booking.
- lead_score: 0 to 100, how promising the call is as business; lead_reasons: the factors
  that moved it, each with its points (positive or negative) and a short detail.
- escalate: true when a person must look at the call now: a clinical red flag (chest pain,
  pressure or tightness, trouble breathing, stroke signs, a severe allergic reaction, poisoning
  or an overdose, self-harm, heavy bleeding, a child in danger), however indirectly it was said
  and in any language; a caller asking for a human; a very angry caller; repeated tool
  failures. A booking made during the call does not cancel a red flag.
  escalation_reason: why, in a few words ("" when escalate is false).
- slots: caller_name (the person the call is about, as last corrected; spelled names
  assembled), callback_number (E.164; a number said aloud beats the caller id), reason (what
  the call was about, in a few words: a service from the list when one fits), urgency: low,
  normal, high or emergency (emergency for any red flag).
- language: the caller's language as an ISO 639-1 code (en, es, ...).
Never put a person's name, a phone number or any other identifier in reason,
escalation_reason or lead_reasons.
"""
_REDACTED_NOTE = """\
The transcript is redacted: [NAME], [PHONE], [DOB] and the other bracketed placeholders
stand for personal details. Do not guess them: give "" for caller_name and callback_number.
"""


class ReplyInvalid(ValueError):
    """The model's reply broke the schema or the contract's ranges."""


@dataclass(frozen=True)
class ModelReply:
    sentiment_score: float
    sentiment_label: str
    intent: str
    intent_confidence: float
    lead_score: int
    lead_reasons: tuple[dict[str, object], ...]
    escalate: bool
    escalation_reason: str
    caller_name: str
    callback_number: str
    reason: str
    urgency: str
    language: str


def llm_version(*, model: str) -> str:
    """The analyzer_version of analyses made with this model (the column holds 32)."""
    return f"{LLM_VERSION}:{model}"[:32]


def reply_parse(content: str | None) -> ModelReply:
    """The model's reply as checked data, or ReplyInvalid: JSON, schema, enums, ranges."""
    try:
        data = json.loads(content or "")
    except ValueError as exc:
        raise ReplyInvalid("not JSON") from exc
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        # The path, never the value: the value may be a name the model saw.
        raise ReplyInvalid(f"schema: {'/'.join(str(p) for p in error.absolute_path) or '.'}")
    sentiment, intent, slots = data["sentiment"], data["intent"], data["slots"]
    _check(-1.0 <= sentiment["score"] <= 1.0, "sentiment.score")
    _check(0.0 <= intent["confidence"] <= 1.0, "intent.confidence")
    _check(0 <= data["lead_score"] <= 100, "lead_score")
    _check(len(data["lead_reasons"]) <= MAX_LEAD_REASONS, "lead_reasons")
    for item in data["lead_reasons"]:
        _check(-100 <= item["points"] <= 100, "lead_reasons.points")
        _check(len(item["factor"]) <= 40 and len(item["detail"]) <= MAX_TEXT, "lead_reasons")
    _check(len(data["escalation_reason"]) <= MAX_TEXT, "escalation_reason")
    _check(len(slots["reason"]) <= MAX_TEXT, "slots.reason")
    _check(len(slots["caller_name"]) <= MAX_NAME, "slots.caller_name")
    _check(len(slots["callback_number"]) <= 32, "slots.callback_number")
    _check(bool(_LANGUAGE.match(data["language"])), "language")
    return ModelReply(
        sentiment_score=round(float(sentiment["score"]), 4),
        sentiment_label=sentiment["label"],
        intent=intent["label"],
        intent_confidence=round(float(intent["confidence"]), 2),
        lead_score=int(data["lead_score"]),
        lead_reasons=tuple(
            {"factor": r["factor"].strip(), "points": int(r["points"]), "detail": r["detail"]}
            for r in data["lead_reasons"]
        ),
        escalate=data["escalate"],
        escalation_reason=data["escalation_reason"].strip(),
        caller_name=slots["caller_name"].strip(),
        callback_number=slots["callback_number"].strip(),
        reason=slots["reason"].strip(),
        urgency=slots["urgency"],
        language=data["language"],
    )


def _check(ok: bool, where: str) -> None:
    if not ok:
        raise ReplyInvalid(f"out of range: {where}")


def names_scrub(text: str, names: list[str]) -> str:
    """`text` with every word of these names (any case, whole words) replaced by [NAME]."""
    words = sorted(
        {w for name in names for w in re.findall(r"[^\W\d_][\w'’-]+", name)},
        key=len,
        reverse=True,
    )
    if not words:
        return text
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    return pattern.sub("[NAME]", text)


def _known_names(offline: AnalysisResult) -> list[str]:
    return [*offline.redaction.names, offline.slots.caller_name]


def prompt_build(
    call: CallInput, offline: AnalysisResult, *, baa_covered: bool
) -> list[ChatCompletionMessageParam]:
    """The chat messages for this call: redacted unless the provider is BAA-covered."""
    facts: dict[str, object] = {
        "business_kind": call.business_kind,
        "services": [service.name for service in call.services],
    }
    if baa_covered:
        facts["caller_id"] = call.from_number
        facts["tools"] = [
            {"name": t.name, "ok": t.ok, "arguments": t.arguments, "result": t.result}
            for t in call.tools
        ]
        transcript = transcript_text(call.lines)
        instructions = _INSTRUCTIONS
    else:
        facts["tools"] = [{"name": t.name, "ok": t.ok} for t in call.tools]
        # Belt and braces: every name the offline engine heard goes, whatever its case.
        transcript = names_scrub(offline.redaction.text, _known_names(offline))
        instructions = _INSTRUCTIONS + _REDACTED_NOTE
    facts["transcript"] = transcript
    return [
        {"role": "system", "content": instructions.format(kind=call.business_kind)},
        {"role": "user", "content": json.dumps(facts, ensure_ascii=False, default=str)},
    ]


@cache
def _client(base_url: str, api_key: str, timeout: float, max_retries: int) -> OpenAI:
    from openai import OpenAI

    # The library retries timeouts, connection errors, 408, 409, 429 and 5xx with backoff,
    # at most max_retries times; each attempt gives up after `timeout` seconds.
    return OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries)


def model_reply_fetch(messages: list[ChatCompletionMessageParam]) -> ModelReply:
    """Ask the configured endpoint. Raises the openai library's APIError subclasses for
    transport and HTTP failures, ReplyInvalid for a reply we cannot use."""
    client = _client(
        settings.LLM_BASE_URL,
        settings.LLM_API_KEY,
        float(settings.LLM_TIMEOUT_S),
        int(settings.LLM_MAX_RETRIES),
    )
    response_format: ResponseFormatJSONSchema = {
        "type": "json_schema",
        "json_schema": {"name": "call_analysis", "strict": True, "schema": REPLY_SCHEMA},
    }
    completion = client.chat.completions.create(
        model=settings.LLM_MODEL, messages=messages, response_format=response_format
    )
    if not completion.choices:
        raise ReplyInvalid("no choices")
    message = completion.choices[0].message
    if getattr(message, "refusal", None):
        raise ReplyInvalid("refused")
    return reply_parse(message.content)


def _text_scrub(text: str, names: list[str]) -> str:
    """Free text from the model, with any identifier in it redacted as a transcript is."""
    redacted = transcript_redact(CallInput(lines=(Line(speaker="agent", text=text),)))
    return names_scrub(redacted.lines[0].text if redacted.lines else "", names)[:MAX_TEXT]


def _service_id(reason: str, call: CallInput) -> int | None:
    wanted = reason.strip().lower()
    for service in call.services:
        if wanted in (label.strip().lower() for label in (service.name, *service.aliases)):
            return service.id
    return None


def analysis_merge(
    offline: AnalysisResult, reply: ModelReply, *, call: CallInput, baa_covered: bool
) -> AnalysisResult:
    """The model's answer over the offline result; the offline escalation always holds."""
    slots = offline.slots
    caller_name, callback = slots.caller_name, slots.callback_number
    if baa_covered:
        # The model saw the original call; without that it saw placeholders only.
        caller_name = reply.caller_name or caller_name
        callback = phone_to_e164_or_none(reply.callback_number, region=call.region) or callback
    names = [*_known_names(offline), caller_name]

    reason = _text_scrub(reply.reason, names) or slots.reason
    service_id = slots.reason_service_id if reason == slots.reason else _service_id(reason, call)

    offline_escalation = offline.escalation
    held = offline_escalation.escalate or slots.urgency == "emergency"
    urgency = reply.urgency
    if held and _URGENCY_RANK[slots.urgency] > _URGENCY_RANK[urgency]:
        urgency = slots.urgency
    reasons = list(offline_escalation.reasons)
    model_escalates = reply.escalate or reply.urgency == "emergency"
    if model_escalates:
        said = _text_scrub(reply.escalation_reason, names) or f"urgency {reply.urgency}"
        reasons.append(f"model: {said}")
    escalate = offline_escalation.escalate or model_escalates
    escalation_reason = offline_escalation.reason if offline_escalation.escalate else ""
    if escalate and not escalation_reason:
        escalation_reason = reasons[-1]

    lead_reasons = tuple(
        {
            "factor": _text_scrub(str(r["factor"]), names)[:40],
            "points": r["points"],
            "detail": _text_scrub(str(r["detail"]), names),
        }
        for r in reply.lead_reasons
    )
    merged = replace(
        offline,
        sentiment=replace(
            offline.sentiment, score=reply.sentiment_score, label=reply.sentiment_label
        ),
        intent=replace(offline.intent, label=reply.intent, confidence=reply.intent_confidence),
        slots=replace(
            slots,
            caller_name=caller_name,
            callback_number=callback,
            reason=reason,
            reason_service_id=service_id,
            urgency=urgency,
        ),
        lead=_lead_capped(
            score=reply.lead_score, reasons=lead_reasons, emergency=urgency == "emergency"
        ),
        escalation=replace(
            offline_escalation,
            escalate=escalate,
            reason=escalation_reason,
            reasons=tuple(reasons),
        ),
    )
    # The offline engine may carry the language as plain text; keep its type if not.
    if isinstance(getattr(merged, "language", None), str):
        merged = replace(merged, language=reply.language)  # type: ignore[call-arg]
    return merged


def _lead_capped(
    *, score: int, reasons: tuple[dict[str, object], ...], emergency: bool
) -> LeadScore:
    """The model's lead score, held to the offline engine's rule: an emergency is not a sales
    lead (lead_score.EMERGENCY_CAP), whatever the model says."""
    if emergency and score > EMERGENCY_CAP:
        cap = {
            "factor": "emergency",
            "points": EMERGENCY_CAP - score,
            "detail": "an emergency call: care first, not a sales lead",
        }
        return LeadScore(score=EMERGENCY_CAP, reasons=(*reasons, cap))
    return LeadScore(score=score, reasons=reasons)
