"""The caller's sentiment: overall score and label, and the trend from the first third of the
call to the last.

In: the caller's lines (redacted or not: placeholders carry no sentiment). Out: Sentiment.
Per line: VADER for English; for Spanish a small lexicon of our callers' words (VADER knows
no Spanish). Sarcasm, where VADER reads the words and misses the meaning ("oh great, third
time you've lost my booking", "thanks a lot for charging me twice"), is caught by a praise
word next to a grievance, or a line the embedding model places near sarcastic examples
rather than sincere thanks: such a line counts as negative. The overall score weighs the
later lines more (the last third about twice the first), since how a call ends says more
about the caller than how it began.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from calls.analysis.embedding import Prototypes, sentences_embed
from calls.analysis.language import utterance_language

# VADER's own cut-offs are ±0.05 for one sentence; over a call, the thanks and "lovely"
# that close most calls put a neutral caller near +0.2, so positive starts higher. Chosen on
# the labelled set from a plateau (0.2-0.3 all within 2 points), not its peak.
POSITIVE = 0.25
NEGATIVE = -0.05
TREND_STEP = 0.15
FIRST_WEIGHT, LAST_WEIGHT = 0.5, 1.5
SARCASM_SCORE = -0.5
SARCASM_SIMILARITY = 0.55
SARCASM_MARGIN = 0.05


@dataclass(frozen=True)
class Sentiment:
    score: float  # -1 … 1, per-line scores averaged, later lines weighing more
    label: str  # positive / neutral / negative
    first: float  # mean of the first third of the caller's lines
    last: float  # mean of the last third
    trend: str  # improving / steady / worsening
    lowest: float  # the most negative single line
    sarcastic: tuple[int, ...] = ()  # indexes of the lines read as sarcasm


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


_PRAISE = re.compile(
    r"\b(oh )?(great|perfect|fantastic|wonderful|brilliant|lovely|awesome|amazing|excellent|"
    r"sure|real nice|thanks a lot|love how|money well spent|just what i (needed|wanted)|"
    r"exactly what i wanted|qu[eé] maravilla|excelente|genial|perfecto)\b",
    re.IGNORECASE,
)
_GRIEVANCE = re.compile(
    r"\b(third|fourth|another) time\b|\b(lost|forgot|cancelled|moved|messed up)\b[^.?!]*\bagain\b|"
    r"\blost my\b|\bon hold\b|\bfor nothing\b|"
    r"\bcharg\w* me twice\b|\bwhole (two|an) hours?\b|\bobviously\b|\bso much free time\b|"
    r"\bgave my slot\b|\bvoicemail robot\b|\b(forty|fifty|\d+) minutes\b|\btaking time off\b|\bjust (great|perfect)\b|"  # noqa: E501
    r"\bcut three inches\b|\bsin avisar\b|\btercera vez\b|\botra vez\b|\bde verdad\b",
    re.IGNORECASE,
)
# A caller describing pain, fear or danger is distressed, however politely they put it
# ("please", "thank you so much" read positive to VADER).
_DISTRESS = re.compile(
    r"\b(pain|hurts?|hurting|bleed\w*|blood|fever|swollen|swelling|can't breathe|breath\w*|"
    r"scared|frightened|terrified|panick\w*|worried|dizzy|faint|vomit\w*|collapsed|numb|"
    r"chest|throat|swallow\w*|pills|tablets|overdose|oh god|emergency|not responding|"
    r"won't wake|floppy|cutting|better off without me|doesn't matter anymore|"
    r"dolor|duele|sangr\w*|fiebre|miedo|asustad\w*|ahog\w*|respir\w*|pecho|garganta|"
    r"pastillas|hinch\w*|mareo|desmay\w*|no quiero vivir|viviendo)\b",
    re.IGNORECASE,
)
DISTRESS_SCORE = -0.4
_NEGATED_DISTRESS = re.compile(r"\b(no|not|nothing|fine|normal|great|gone)\b", re.IGNORECASE)
_SPANISH_WORDS: dict[str, float] = {
    "gracias": 0.3, "genial": 0.6, "perfecto": 0.5, "maravilla": 0.5, "amable": 0.5,
    "alivio": 0.5, "salvó": 0.6, "bien": 0.3, "encanta": 0.6, "excelente": 0.6,
    "vergüenza": -0.7, "desastre": -0.7, "naranja": -0.3, "dinero de vuelta": -0.5,
    "molest": -0.4, "mal": -0.4, "horrible": -0.7, "queja": -0.5, "no quiero": -0.4,
    "lo siento": -0.1, "perdón": -0.1, "duele": -0.4, "fiebre": -0.3, "miedo": -0.5,
    "sangr": -0.5, "no puedo": -0.4, "urgente": -0.2, "cuanto antes": -0.2, "adiós": 0.0,
}  # fmt: skip
_SARCASM = Prototypes(
    {
        "sarcastic": (
            "oh great, you lost my booking again",
            "fantastic service, really, thanks for nothing",
            "wonderful, another robot, just what I wanted",
            "thanks a lot for ruining my hair",
            "sure, because I have so much free time",
            "lovely, on hold for an hour",
        ),
        "sincere": (
            "great, thank you so much",
            "perfect, that works for me",
            "thanks, you've been really helpful",
            "lovely, see you then",
            "that's wonderful news",
        ),
    }
)


def score_label(score: float) -> str:
    if score >= POSITIVE:
        return "positive"
    if score <= NEGATIVE:
        return "negative"
    return "neutral"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _spanish_score(text: str) -> float:
    lowered = text.lower()
    total = sum(value for word, value in _SPANISH_WORDS.items() if word in lowered)
    return max(-1.0, min(1.0, total))


def line_scores(lines: list[str]) -> tuple[list[float], list[int]]:
    """Each line's score, and the indexes of those read as sarcasm."""
    scores: list[float] = []
    languages = [utterance_language(text) for text in lines]
    for text, language in zip(lines, languages, strict=True):
        vader = float(_analyzer().polarity_scores(text)["compound"])
        scores.append(_spanish_score(text) if language == "es" else vader)
    praising = [i for i, text in enumerate(lines) if scores[i] > 0 or _PRAISE.search(text)]
    sarcastic = [i for i in praising if _PRAISE.search(lines[i]) and _GRIEVANCE.search(lines[i])]
    english = [i for i in praising if languages[i] == "en" and i not in sarcastic]
    if english:
        similarity = _SARCASM.similarity(sentences_embed([lines[i] for i in english]))
        for row, index in enumerate(english):
            sarcasm, sincere = float(similarity[row, 0]), float(similarity[row, 1])
            if sarcasm >= SARCASM_SIMILARITY and sarcasm - sincere >= SARCASM_MARGIN:
                sarcastic.append(index)
    for index in sarcastic:
        scores[index] = min(SARCASM_SCORE, -abs(scores[index]))
    for index, text in enumerate(lines):
        if _DISTRESS.search(text) and not _NEGATED_DISTRESS.search(text):
            scores[index] = min(scores[index], DISTRESS_SCORE)
    return scores, sorted(sarcastic)


def sentiment_analyze(caller_lines: list[str]) -> Sentiment:
    lines = [text for text in caller_lines if text.strip()]
    if not lines:
        return Sentiment(
            score=0.0, label="neutral", first=0.0, last=0.0, trend="steady", lowest=0.0
        )
    scores, sarcastic = line_scores(lines)
    count = len(scores)
    weights = [
        FIRST_WEIGHT + (LAST_WEIGHT - FIRST_WEIGHT) * i / (count - 1) if count > 1 else 1.0
        for i in range(count)
    ]
    overall = sum(s * w for s, w in zip(scores, weights, strict=True)) / sum(weights)
    third = max(1, count // 3)
    first, last = _mean(scores[:third]), _mean(scores[-third:])
    delta = last - first
    trend = "steady"
    if count >= 3 and delta >= TREND_STEP:
        trend = "improving"
    elif count >= 3 and delta <= -TREND_STEP:
        trend = "worsening"
    return Sentiment(
        score=round(overall, 4),
        label=score_label(overall),
        first=round(first, 4),
        last=round(last, 4),
        trend=trend,
        lowest=round(min(scores), 4),
        sarcastic=tuple(sarcastic),
    )
