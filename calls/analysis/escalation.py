"""Should a human look at this call now? With the reason.

In: CallInput and the earlier steps' outputs. Out: Escalation. Reasons, strongest first:
clinical red flags, the caller asked for a human, strongly negative, repeated tool failures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calls.analysis.sentiment import Sentiment
from calls.analysis.slots import Slots
from calls.analysis.types import CallInput

STRONGLY_NEGATIVE = -0.5
LINE_VERY_NEGATIVE = -0.75
TOOL_FAILURES = 2
_HUMAN = re.compile(
    r"\b((speak|talk) (to|with) (a |an |the )?(real |actual |live )?(person|human|someone|somebody|"
    r"manager|supervisor|owner|receptionist|doctor|nurse)|real person|human being|"
    r"transfer me|put me through|representative|operator|not a (robot|machine|bot)|"
    r"stop (talking|this)|are you a (robot|bot|machine))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Escalation:
    escalate: bool
    reason: str
    reasons: tuple[str, ...]


def escalation_decide(call: CallInput, *, sentiment: Sentiment, slots: Slots) -> Escalation:
    reasons: list[str] = []
    if slots.red_flags:
        reasons.append("clinical red flag: " + ", ".join(slots.red_flags))
    if any(_HUMAN.search(text) for text in call.caller_lines):
        reasons.append("caller asked for a human")
    if sentiment.score <= STRONGLY_NEGATIVE or (
        sentiment.lowest <= LINE_VERY_NEGATIVE and sentiment.label == "negative"
    ):
        reasons.append(f"strongly negative caller ({sentiment.score:+.2f})")
    failures = sum(1 for tool in call.tools if not tool.ok)
    if failures >= TOOL_FAILURES:
        reasons.append(f"{failures} tool calls failed")
    return Escalation(
        escalate=bool(reasons), reason=reasons[0] if reasons else "", reasons=tuple(reasons)
    )
