"""Which language the caller speaks: English, Spanish or a mix, offline (lingua).

The detector knows only the two languages our agents speak, which makes it both faster and
surer on the short utterances calls are made of. Built once per process, lazily, under a
lock. A call is `mixed` when each language carries at least MIXED_SHARE of the caller's
words (an utterance the detector is unsure of counts half to each).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

LANGUAGES = ("en", "es")
MIXED_SHARE = 0.2
SURE = 0.85

_lock = threading.Lock()
_detector: Any = None


def _detector_load() -> Any:
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                _detector = (
                    LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector


@lru_cache(maxsize=4096)
def _scores(text: str) -> tuple[float, float]:
    scores = utterance_language_scores_uncached(text)
    return scores["en"], scores["es"]


def utterance_language_scores(text: str) -> dict[str, float]:
    """{"en": p, "es": 1 - p} for one utterance, remembered: the live detectors ask again
    about the earlier utterances of a call on every new segment."""
    en, es = _scores(text)
    return {"en": en, "es": es}


def utterance_language_scores_uncached(text: str) -> dict[str, float]:
    """{"en": p, "es": 1 - p} for one utterance; empty text is English."""
    if not text.strip():
        return {"en": 1.0, "es": 0.0}
    scores = {"en": 0.0, "es": 0.0}
    for value in _detector_load().compute_language_confidence_values(text):
        code = value.language.iso_code_639_1.name.lower()
        if code in scores:
            scores[code] = float(value.value)
    if not any(scores.values()):
        scores["en"] = 1.0
    return scores


def utterance_language(text: str) -> str:
    scores = utterance_language_scores(text)
    return "es" if scores["es"] > scores["en"] else "en"


def language_detect(texts: Sequence[str]) -> str:
    """ "en", "es" or "mixed" for the caller's utterances."""
    words = {"en": 0.0, "es": 0.0}
    for text in texts:
        count = len(text.split())
        if not count:
            continue
        scores = utterance_language_scores(text)
        best = max(scores, key=lambda code: scores[code])
        if scores[best] >= SURE:
            words[best] += count
        else:
            words["en"] += count / 2
            words["es"] += count / 2
    total = words["en"] + words["es"]
    if not total:
        return "en"
    if min(words.values()) / total >= MIXED_SHARE:
        return "mixed"
    return "es" if words["es"] > words["en"] else "en"
