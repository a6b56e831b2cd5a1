"""Spoken service names → a service: "gel mani" → Gel Manicure, "colour" ↔ "color".

Phrases and names are normalised the same way (spelling variants, short forms, "&" → "and",
plurals, filler words) and then scored with rapidfuzz against each service's name and
aliases. A match is *confident* when it scores high enough and clearly beats the runner-up;
otherwise the caller gets alternatives to offer ("did you mean …?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bookings.models import Service

CONFIDENT_SCORE = 80.0
CLEAR_MARGIN = 6.0
ALTERNATIVE_SCORE = 45.0

# Variant spellings and short forms, word → canonical word.
_WORDS = {
    "colour": "color",
    "colours": "color",
    "colors": "color",
    "coloring": "color",
    "colouring": "color",
    "dye": "color",
    "tint": "color",
    "mani": "manicure",
    "manis": "manicure",
    "manny": "manicure",
    "pedi": "pedicure",
    "pedis": "pedicure",
    "blowdry": "blow dry",
    "blow-dry": "blow dry",
    "blowout": "blow dry",
    "blowdrying": "blow dry",
    "haircut": "hair cut",
    "haircuts": "hair cut",
    "trim": "cut",
    "cuts": "cut",
    "gents": "men",
    "gentlemen": "men",
    "mens": "men",
    "man": "men",
    "ladies": "women",
    "womens": "women",
    "woman": "women",
    "lady": "women",
    "eyebrow": "brow",
    "eyebrows": "brow",
    "brows": "brow",
    "waxing": "wax",
    "highlight": "highlights",
    "foils": "highlights",
    "physio": "physiotherapy",
    "physical therapy": "physiotherapy",
    "checkup": "check up",
    "check-up": "check up",
    "consult": "consultation",
    "followup": "follow up",
    "follow-up": "follow up",
    "jab": "vaccination",
    "shot": "vaccination",
    "vaccine": "vaccination",
    "bloods": "blood test",
    "cleaning": "clean",
    "hygienist": "clean",
}
_FILLER = {
    "a",
    "an",
    "the",
    "i",
    "id",
    "i'd",
    "like",
    "want",
    "need",
    "to",
    "book",
    "get",
    "have",
    "some",
    "my",
    "me",
    "please",
    "for",
    "appointment",
    "session",
    "just",
    "can",
    "could",
    "do",
    "you",
    "um",
    "uh",
    "and",
    "with",
    "of",
    "new",
}


def phrase_normalize(text: str) -> str:
    text = (text or "").lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"['’]s\b", "s", text)
    text = re.sub(r"[^a-z0-9\s-]", " ", text)
    for phrase, canonical in _WORDS.items():
        if " " in phrase or "-" in phrase:
            text = re.sub(rf"\b{re.escape(phrase)}\b", canonical, text)
    words: list[str] = []
    for word in text.split():
        word = _WORDS.get(word, word)
        words.extend(word.split())
    kept = [w for w in words if w not in _FILLER]
    return " ".join(kept or words)


@dataclass(frozen=True)
class Match:
    service: Service
    score: float


@dataclass(frozen=True)
class MatchResult:
    match: Match | None  # confident
    alternatives: list[Match]


def _score(query: str, candidate: str) -> float:
    if not query or not candidate:
        return 0.0
    if query == candidate:
        return 100.0
    # token_set forgives word order and extra words ("cut and blow dry" / "cut blow dry");
    # token_sort charges for words left unmatched, so "shellac nails" prefers the service
    # called "shellac" over the one called "nails" rather than tying them.
    return 0.5 * fuzz.token_set_ratio(query, candidate) + 0.5 * fuzz.token_sort_ratio(
        query, candidate
    )


def service_match(*, query: str, services: Iterable[Service], limit: int = 3) -> MatchResult:
    """Best services for a spoken phrase; `match` only when confident."""
    normalized = phrase_normalize(query)
    scored: list[Match] = []
    for service in services:
        names = [service.name, *(service.aliases or [])]
        best = max(_score(normalized, phrase_normalize(name)) for name in names)
        scored.append(Match(service=service, score=round(best, 1)))
    scored.sort(key=lambda m: (-m.score, m.service.name))
    top = scored[0] if scored else None
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    confident = (
        top is not None
        and top.score >= CONFIDENT_SCORE
        and (top.score - runner_up >= CLEAR_MARGIN or (top.score == 100.0 and runner_up < 100.0))
    )
    if confident:
        assert top is not None
        others = [m for m in scored[1:] if m.score >= ALTERNATIVE_SCORE][:limit]
        return MatchResult(match=top, alternatives=others)
    return MatchResult(
        match=None, alternatives=[m for m in scored if m.score >= ALTERNATIVE_SCORE][:limit]
    )
