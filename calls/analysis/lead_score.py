"""How promising the call is as business, 0–100, with the reasons that moved it.

In: CallInput and the earlier steps' outputs. Out: LeadScore. Starts at BASE; each factor
adds or removes points and says why, so the reviewer sees the arithmetic. An emergency is
not a sales lead, whatever was booked: its score is capped at EMERGENCY_CAP.
"""

from __future__ import annotations

from dataclasses import dataclass

from calls.analysis.sentiment import Sentiment
from calls.analysis.slots import Slots
from calls.analysis.types import CallInput

BASE = 40
_INTENT_POINTS = {
    "book": (15, "wants to book"),
    "reschedule": (5, "keeps an existing appointment"),
    "inquiry": (10, "asked about prices or services"),
    "clinical": (5, "clinical concern: needs care"),
    "cancel": (-20, "cancelled"),
    "complaint": (-15, "complaint"),
    "other": (-10, "no clear business intent"),
}
EMERGENCY_CAP = 20
BOOKING_TOOLS = frozenset({"book_appointment", "reschedule_appointment"})


@dataclass(frozen=True)
class LeadScore:
    score: int
    reasons: tuple[dict[str, object], ...]  # {"factor", "points", "detail"}


def booked_in_call(call: CallInput) -> bool:
    return any(tool.ok and tool.name in BOOKING_TOOLS for tool in call.tools)


def lead_score_compute(
    call: CallInput, *, intent: str, slots: Slots, sentiment: Sentiment, emergency: bool = False
) -> LeadScore:
    reasons: list[dict[str, object]] = []

    def add(factor: str, points: int, detail: str) -> None:
        if points:
            reasons.append({"factor": factor, "points": points, "detail": detail})

    if booked_in_call(call):
        add("booked", 30, "an appointment was booked during the call")
    points, detail = _INTENT_POINTS.get(intent, (0, ""))
    add("intent", points, detail)
    if slots.caller_name and slots.callback_number:
        add("contact", 10, "name and callback number given")
    elif slots.caller_name or slots.callback_number:
        add("contact", 5, "part of the contact details given")
    else:
        add("contact", -10, "no contact details")
    if sentiment.label == "positive":
        add("sentiment", 10, f"positive caller ({sentiment.score:+.2f})")
    elif sentiment.label == "negative":
        add("sentiment", -10, f"negative caller ({sentiment.score:+.2f})")
    if call.duration_s is not None:
        if call.duration_s < 20:
            add("duration", -15, f"very short call ({call.duration_s} s)")
        elif call.duration_s >= 60:
            add("duration", 5, f"engaged call ({call.duration_s} s)")
    failures = sum(1 for tool in call.tools if not tool.ok)
    if failures:
        add("tool_failures", -min(15, 5 * failures), f"{failures} tool call(s) failed")
    score = BASE + sum(int(r["points"]) for r in reasons)  # type: ignore[call-overload]
    if emergency and score > EMERGENCY_CAP:
        add("emergency", EMERGENCY_CAP - score, "an emergency call: care first, not a sales lead")
        score = EMERGENCY_CAP
    return LeadScore(score=max(0, min(100, score)), reasons=tuple(reasons))
