"""What the caller wanted: one of CONTRACTS §3's labels, with a confidence.

In: CallInput (caller lines and the agent's tool calls). Out: Intent. Rules: weighted
phrases in the caller's words, plus what the agent actually did with its tools (a successful
booking is strong evidence of `book`). The confidence is the winner's share of the evidence,
squeezed into 0.35 … 0.98 so that a lone weak cue never reads as certainty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calls.analysis.types import CallInput

LABELS = ("book", "reschedule", "cancel", "inquiry", "complaint", "clinical", "other")

_RULES: dict[str, list[tuple[str, float]]] = {
    "book": [
        (r"\b(book|booking|schedule)\b", 2.0),
        (r"\b(make|get|set up) an? (appointment|booking)\b", 3.0),
        (r"\b(appointment|slot|opening)s? (for|on|this|next|tomorrow|today)\b", 1.5),
        (r"\b(come in|get in|fit me in|squeeze me in)\b", 1.5),
        (r"\b(i'd|i would|i want|i'd like|like) (to )?(book|get|have) (a|an|my)\b", 1.5),
        (r"\bnew (client|patient)\b", 1.0),
        (r"\bavailab(le|ility)\b", 0.8),
    ],
    "reschedule": [
        (r"\b(reschedul\w*|rebook\w*)\b", 4.0),
        (r"\b(move|change|push|shift|switch) (my|the|our|it)\b", 2.5),
        (r"\b(different|another|later|earlier) (day|time|date)\b", 2.0),
        (r"\bcan't make (it|my|the)\b", 1.5),
    ],
    "cancel": [
        (r"\bcancel\w*\b", 4.0),
        (r"\b(won't|will not|can't|cannot) (be able to )?(make|come|attend)\b", 1.0),
        (r"\bcall(ing)? off\b", 2.0),
    ],
    "inquiry": [
        (r"\b(how much|price|prices|pricing|cost|costs|charge|fee|fees|quote)\b", 2.5),
        (
            r"\b(do you (do|offer|have|take|accept)|are you open|opening hours|what time do you)\b",
            2.0,
        ),
        (r"\b(hours|parking|located|address|insurance|gift card|deposit)\b", 1.0),
        (r"\b(just )?(wondering|curious|a question|quick question|information|info)\b", 1.0),
    ],
    "complaint": [
        (
            r"\b(complain\w*|complaint|unacceptable|ridiculous|terrible|awful|horrible|disgusting)\b",
            3.0,
        ),
        (r"\b(refund|money back|compensation)\b", 3.0),
        (r"\b(ruined|botched|messed up|burned|burnt|damaged|rude|worst)\b", 2.5),
        (r"\b(not happy|unhappy|disappointed|upset|furious|angry)\b", 2.0),
        (r"\b(manager|supervisor)\b", 1.0),
    ],
    "clinical": [
        (
            r"\b(pain|painful|hurts?|ache|aching|bleed\w*|fever|rash|swollen|swelling|infect\w*)\b",
            2.0,
        ),
        (r"\b(symptom\w*|dizzy|dizziness|nause\w*|vomit\w*|breath\w*|chest|faint\w*)\b", 2.0),
        (
            r"\b(prescription|medication|meds|dose|refill|side effects?|test results?|lab results?)\b",  # noqa: E501
            2.5,
        ),
        (r"\b(suicid\w*|kill myself|end my life|overdose)\b", 5.0),
        (r"\b(is it normal|should i be worried|worried about)\b", 1.5),
    ],
}
_COMPILED = {
    label: [(re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in rules]
    for label, rules in _RULES.items()
}
_TOOL_EVIDENCE = {
    "book_appointment": ("book", 4.0),
    "reschedule_appointment": ("reschedule", 4.0),
    "cancel_appointment": ("cancel", 4.0),
}
MIN_EVIDENCE = 1.5


@dataclass(frozen=True)
class Intent:
    label: str
    confidence: float
    scores: dict[str, float]


def intent_classify(call: CallInput) -> Intent:
    scores = dict.fromkeys(LABELS, 0.0)
    for text in call.caller_lines:
        for label, rules in _COMPILED.items():
            for pattern, weight in rules:
                if pattern.search(text):
                    scores[label] += weight
    for tool in call.tools:
        evidence = _TOOL_EVIDENCE.get(tool.name)
        if evidence is not None:
            label, weight = evidence
            scores[label] += weight if tool.ok else weight / 2
    # Clinical words at a salon are about a treatment gone wrong, i.e. a complaint.
    if call.business_kind != "clinic" and scores["clinical"] and scores["complaint"]:
        scores["complaint"] += scores["clinical"]
        scores["clinical"] = 0.0
    # A reschedule or cancel mentions booking words too; the specific intent wins.
    for specific in ("reschedule", "cancel"):
        if scores[specific] >= 4.0:
            scores["book"] *= 0.5
    best = max(LABELS, key=lambda label: scores[label])
    total = sum(scores.values())
    if scores[best] < MIN_EVIDENCE:
        return Intent(label="other", confidence=0.5, scores=scores)
    share = scores[best] / total if total else 0.0
    confidence = 0.35 + 0.63 * share * min(1.0, scores[best] / 6.0)
    return Intent(label=best, confidence=round(min(0.98, confidence), 2), scores=scores)
