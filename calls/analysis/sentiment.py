"""The caller's sentiment with VADER: overall score and label, and the trend from the first
third of the call to the last.

In: the caller's lines (redacted or not: placeholders carry no sentiment). Out: Sentiment.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE = 0.05
NEGATIVE = -0.05
TREND_STEP = 0.15


@dataclass(frozen=True)
class Sentiment:
    score: float  # -1 … 1, VADER compound averaged over the caller's lines
    label: str  # positive / neutral / negative
    first: float  # mean of the first third of the caller's lines
    last: float  # mean of the last third
    trend: str  # improving / steady / worsening
    lowest: float  # the most negative single line


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def score_label(score: float) -> str:
    if score >= POSITIVE:
        return "positive"
    if score <= NEGATIVE:
        return "negative"
    return "neutral"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def sentiment_analyze(caller_lines: list[str]) -> Sentiment:
    scores = [
        float(_analyzer().polarity_scores(text)["compound"])
        for text in caller_lines
        if text.strip()
    ]
    if not scores:
        return Sentiment(
            score=0.0, label="neutral", first=0.0, last=0.0, trend="steady", lowest=0.0
        )
    overall = _mean(scores)
    third = max(1, len(scores) // 3)
    first, last = _mean(scores[:third]), _mean(scores[-third:])
    delta = last - first
    trend = "steady"
    if len(scores) >= 3 and delta >= TREND_STEP:
        trend = "improving"
    elif len(scores) >= 3 and delta <= -TREND_STEP:
        trend = "worsening"
    return Sentiment(
        score=round(overall, 4),
        label=score_label(overall),
        first=round(first, 4),
        last=round(last, 4),
        trend=trend,
        lowest=round(min(scores), 4),
    )
