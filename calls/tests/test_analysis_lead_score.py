from __future__ import annotations

from calls.analysis.lead_score import BASE, lead_score_compute
from calls.analysis.sentiment import Sentiment
from calls.analysis.slots import Slots
from calls.analysis.types import CallInput, Line, ToolCall

HAPPY = Sentiment(score=0.6, label="positive", first=0.5, last=0.7, trend="steady", lowest=0.3)
ANGRY = Sentiment(score=-0.6, label="negative", first=-0.5, last=-0.7, trend="steady", lowest=-0.8)


def slots(name: str = "", number: str = "") -> Slots:
    return Slots(name, number, "", None, "normal", ())


def test_a_booked_happy_caller_with_details_scores_high_and_says_why() -> None:
    call = CallInput(
        lines=(Line("caller", "book me in"),),
        tools=(ToolCall("book_appointment", {}, {"reference": "GB-1"}, True),),
        duration_s=120,
    )
    result = lead_score_compute(
        call, intent="book", slots=slots("Jo", "+14155550123"), sentiment=HAPPY
    )
    factors = {r["factor"]: r["points"] for r in result.reasons}
    assert result.score == 100
    assert factors["booked"] == 30 and factors["intent"] == 15 and factors["contact"] == 10


def test_a_short_angry_cancellation_with_failures_scores_low_but_not_below_zero() -> None:
    call = CallInput(
        lines=(Line("caller", "cancel it"),),
        tools=tuple(ToolCall("cancel_appointment", {}, {}, False) for _ in range(4)),
        duration_s=10,
    )
    result = lead_score_compute(call, intent="cancel", slots=slots(), sentiment=ANGRY)
    assert result.score == 0
    assert {r["factor"] for r in result.reasons} == {
        "intent",
        "contact",
        "sentiment",
        "duration",
        "tool_failures",
    }
    failures = next(r for r in result.reasons if r["factor"] == "tool_failures")
    assert failures["points"] == -15


def test_the_reasons_add_up_to_the_score() -> None:
    call = CallInput(lines=(Line("caller", "how much"),), duration_s=45)
    result = lead_score_compute(
        call, intent="inquiry", slots=slots(number="+14155550123"), sentiment=HAPPY
    )
    assert result.score == BASE + sum(int(r["points"]) for r in result.reasons)
