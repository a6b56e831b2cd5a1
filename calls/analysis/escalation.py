"""Should a human look at this call now? With the reason.

In: CallInput, the sentiment and the red flags. Out: Escalation. Reasons, strongest first:
red flags (always: a booking or a cancel made in the same call never outweighs one), the
caller asked for a human, the agent handed the caller to a person, a strongly negative
caller, repeated tool failures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from calls.analysis.red_flags import RedFlag, red_flags_reason
from calls.analysis.sentiment import Sentiment
from calls.analysis.types import CallInput

STRONGLY_NEGATIVE = -0.5
LINE_VERY_NEGATIVE = -0.75
TOOL_FAILURES = 2
HUMAN_REQUEST = re.compile(
    r"\b((speak|talk) (to|with) (a |an |the )?(real |actual |live )?(person|human|someone|somebody|"
    r"manager|practice manager|supervisor|owner|receptionist|doctor|nurse)|real person|human being|"
    r"transfer me|put me through|representative|operator|not a (robot|machine|bot)|"
    r"stop (talking|this)|are you a (robot|bot|machine)|human,? please|have the owner call me|"
    r"hablar con (una persona|alguien|la encargada|el encargado|la due[ñn]a|el due[ñn]o|"
    r"un humano|el gerente)|persona de verdad|es usted un robot|eres un robot)\b",
    re.IGNORECASE,
)
_HANDOFF = re.compile(
    r"\b(transfer(ring)? you|put(ting)? you through|connect(ing)? you (with|to)|"
    r"get(ting)? (a|the|our) (nurse|doctor|midwife|manager)|let the manager know|"
    r"le paso con|la paso con|lo paso con)\b",
    re.IGNORECASE,
)
HANDOFF_END_REASONS = frozenset({"transferred", "transfer", "handoff", "human_handoff"})


@dataclass(frozen=True)
class Escalation:
    escalate: bool
    reason: str
    reasons: tuple[str, ...]


def escalation_decide(
    call: CallInput, *, sentiment: Sentiment, red_flags: Sequence[RedFlag] = ()
) -> Escalation:
    reasons: list[str] = []
    if red_flags:
        reasons.append(red_flags_reason(red_flags))
    if any(HUMAN_REQUEST.search(text) for text in call.caller_lines):
        reasons.append("caller asked for a human")
    agent_lines = [line.text for line in call.lines if line.speaker == "agent"]
    if call.end_reason in HANDOFF_END_REASONS or any(_HANDOFF.search(t) for t in agent_lines):
        reasons.append("the agent handed the caller to a person")
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
