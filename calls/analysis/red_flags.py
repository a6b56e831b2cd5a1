"""Red flags said by the caller: what makes a call an emergency.

PLACEHOLDER (branch `alerts`): this file exists so the live alerts (calls.alerts) can run and
be tested; it wraps the English keyword patterns of calls.analysis.slots. The `analysis`
branch replaces it with the real detector behind the same interface (RedFlag,
red_flags_find): keep the interface, take that file's body at merge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from calls.analysis.slots import RED_FLAGS


@dataclass(frozen=True)
class RedFlag:
    # "cardiac", "breathing", "stroke", "anaphylaxis", "poisoning", "self_harm", "bleeding",
    # "child_danger"
    kind: str
    evidence: str
    language: str  # "en" or "es"


# slots.RED_FLAGS labels → the kinds of the interface.
_KINDS = {
    "chest pain": "cardiac",
    "difficulty breathing": "breathing",
    "heavy bleeding": "bleeding",
    "suicidal talk": "self_harm",
    "overdose": "poisoning",
    "loss of consciousness or stroke signs": "stroke",
    "severe allergic reaction": "anaphylaxis",
}
_PATTERNS = [(re.compile(p, re.IGNORECASE), _KINDS[label]) for p, label in RED_FLAGS]


def red_flags_find(texts: Sequence[str]) -> list[RedFlag]:
    """Caller utterances, in order → the red flags found, one per kind, first evidence kept."""
    found: dict[str, RedFlag] = {}
    for text in texts:
        for pattern, kind in _PATTERNS:
            match = pattern.search(text)
            if match and kind not in found:
                found[kind] = RedFlag(kind=kind, evidence=match.group(0), language="en")
    return list(found.values())
