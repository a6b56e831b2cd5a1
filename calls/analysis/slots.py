"""What the caller gave us: name, callback number (E.164), reason, urgency.

Names are read by calls.analysis.names, spoken numbers by calls.analysis.phone_numbers.

In: CallInput and the intent label. Out: Slots. The reason is matched to the business's
services (names and spoken aliases, fuzzy) where it can; otherwise it is the clinical
concern or the intent in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from calls.analysis.names import caller_name_find
from calls.analysis.phone_numbers import callback_spoken
from calls.analysis.types import CallInput, ServiceOption
from console.privacy.phones import phone_to_e164_or_none

URGENCIES = ("low", "normal", "high", "emergency")

# Said by the caller: these make a call an emergency (and escalate it, see escalation.py).
RED_FLAGS: tuple[tuple[str, str], ...] = (
    (r"\bchest (pain|pains|tightness|pressure)\b", "chest pain"),
    (
        r"\b(can't|cannot|can not|hard to|trouble|struggling to) breathe?\b|\bshort(ness)? of breath\b",  # noqa: E501
        "difficulty breathing",
    ),
    (
        r"\b(bleeding|blood) (a lot|heavily|won't stop|that won't stop|everywhere)\b|\bheavy bleeding\b|\bwon't stop bleeding\b",  # noqa: E501
        "heavy bleeding",
    ),
    (
        r"\b(suicid\w*|kill myself|end(ing)? my life|don't want to (live|be here)|hurt myself)\b",
        "suicidal talk",
    ),
    (r"\b(overdose[d]?|took too many)\b", "overdose"),
    (
        r"\b(passed out|fainted|collapsed|unconscious|not responding|unresponsive|seizure|stroke|face (is )?drooping|slurred|arm (feels |is |went )?numb)\b",  # noqa: E501
        "loss of consciousness or stroke signs",
    ),
    (
        r"\b(allergic reaction|throat (is |feels )?(swelling|closing|tight)|anaphyla\w*)\b",
        "severe allergic reaction",
    ),
)
_RED_FLAGS = [(re.compile(p, re.IGNORECASE), label) for p, label in RED_FLAGS]
_HIGH = re.compile(
    r"\b(urgent\w*|asap|as soon as possible|right away|immediately|today|tonight|this morning|"
    r"this afternoon|in (a lot of )?pain|really hurts|emergency|can't wait|getting worse)\b",
    re.IGNORECASE,
)
_LOW = re.compile(
    r"\b(no rush|no hurry|whenever|sometime|some time|next month|in a few weeks|just wondering|"
    r"just curious|not urgent|flexible|just checking)\b",
    re.IGNORECASE,
)
_CLINICAL_REASONS = re.compile(
    r"\b((?:chest|back|tooth|ear|stomach|knee|head)\s?(?:pain|ache)|headache|migraine|fever|"
    r"rash|cough|sore throat|infection|bleeding|prescription refill|prescription|medication|"
    r"test results|lab results|blood pressure|checkup|check-up|vaccination|flu shot|physical)\b",
    re.IGNORECASE,
)
_INTENT_REASONS = {
    "book": "new appointment",
    "reschedule": "move an appointment",
    "cancel": "cancel an appointment",
    "inquiry": "question about prices or services",
    "complaint": "complaint",
    "clinical": "clinical concern",
    "other": "",
}
SERVICE_MATCH_MIN = 85


@dataclass(frozen=True)
class Slots:
    caller_name: str
    callback_number: str  # E.164 or ""
    reason: str
    reason_service_id: int | None
    urgency: str
    red_flags: tuple[str, ...]


def red_flags_find(caller_lines: list[str]) -> list[str]:
    found: list[str] = []
    for text in caller_lines:
        for pattern, label in _RED_FLAGS:
            if pattern.search(text) and label not in found:
                found.append(label)
    return found


def callback_find(call: CallInput) -> str:
    """The number to call back on: the last one the caller said aloud (a correction of its
    last digits applied), else the one the agent booked with, else the caller id."""
    spoken = callback_spoken(call.lines, region=call.region)
    if spoken:
        return spoken
    for tool in call.tools:
        customer = tool.arguments.get("customer")
        if isinstance(customer, dict) and isinstance(customer.get("phone"), str):
            e164 = phone_to_e164_or_none(customer["phone"], region=call.region)
            if e164:
                return e164
    return phone_to_e164_or_none(call.from_number, region=call.region) or ""


def service_match(text: str, services: tuple[ServiceOption, ...]) -> ServiceOption | None:
    """The service the caller named, by name or alias (fuzzy, whole words)."""
    best: tuple[float, ServiceOption] | None = None
    lowered = text.lower()
    for service in services:
        for label in (service.name, *service.aliases):
            label = label.lower().strip()
            if len(label) < 3:
                continue
            score = 100.0 if re.search(rf"\b{re.escape(label)}\b", lowered) else 0.0
            if not score:
                score = fuzz.partial_ratio(label, lowered) if len(label) >= 5 else 0.0
            if score >= SERVICE_MATCH_MIN and (best is None or score > best[0]):
                best = (score, service)
    return best[1] if best else None


def _tool_service(call: CallInput) -> ServiceOption | None:
    for tool in call.tools:
        service = tool.result.get("service") if isinstance(tool.result, dict) else None
        if isinstance(service, dict) and service.get("name"):
            for option in call.services:
                if option.id == service.get("id") or option.name == service["name"]:
                    return option
            return ServiceOption(id=None, name=str(service["name"]))
    return None


def urgency_assess(caller_lines: list[str], *, intent: str, red_flags: list[str]) -> str:
    if red_flags:
        return "emergency"
    text = "\n".join(caller_lines)
    if _HIGH.search(text) and intent in ("clinical", "complaint", "book", "reschedule"):
        return "high"
    if _LOW.search(text) or intent in ("inquiry", "other"):
        return "low"
    return "normal"


def slots_extract(call: CallInput, *, intent: str) -> Slots:
    red_flags = red_flags_find(call.caller_lines)
    service = _tool_service(call) or service_match(call.caller_text, call.services)
    if service is not None:
        reason, service_id = service.name, service.id
    else:
        clinical = _CLINICAL_REASONS.search(call.caller_text)
        if red_flags:
            reason = red_flags[0]
        elif clinical:
            reason = clinical.group(0).lower()
        else:
            reason = _INTENT_REASONS.get(intent, "")
        service_id = None
    return Slots(
        caller_name=caller_name_find(call.lines, call.tools),
        callback_number=callback_find(call),
        reason=reason,
        reason_service_id=service_id,
        urgency=urgency_assess(call.caller_lines, intent=intent, red_flags=red_flags),
        red_flags=tuple(red_flags),
    )
