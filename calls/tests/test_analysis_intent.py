from __future__ import annotations

import pytest

from calls.analysis.intent import LABELS, intent_classify
from calls.analysis.types import CallInput, Line, ToolCall


def caller(*texts: str, kind: str = "salon", tools: tuple[ToolCall, ...] = ()) -> CallInput:
    return CallInput(lines=tuple(Line("caller", t) for t in texts), tools=tools, business_kind=kind)


def test_the_labels_are_exactly_the_contracts() -> None:
    assert LABELS == ("book", "reschedule", "cancel", "inquiry", "complaint", "clinical", "other")


@pytest.mark.parametrize(
    ("said", "label"),
    [
        ("I'd like to book a haircut for Saturday", "book"),
        ("Can I reschedule my appointment to next week?", "reschedule"),
        ("I need to cancel my appointment tomorrow", "cancel"),
        ("How much does a colour cost?", "inquiry"),
        ("This is unacceptable, I want a refund", "complaint"),
        ("Hello? Hello?", "other"),
    ],
)
def test_it_recognises_what_the_caller_wants(said: str, label: str) -> None:
    assert intent_classify(caller(said)).label == label


def test_symptoms_at_a_clinic_are_clinical() -> None:
    result = intent_classify(caller("I've had a fever and a rash since yesterday", kind="clinic"))
    assert result.label == "clinical"


def test_a_successful_booking_tool_call_is_strong_evidence() -> None:
    booked = ToolCall("book_appointment", {}, {"reference": "GB-1"}, True)
    result = intent_classify(caller("Friday at two then.", tools=(booked,)))
    assert result.label == "book" and result.confidence >= 0.6


def test_the_confidence_is_lower_when_the_evidence_is_mixed() -> None:
    clear = intent_classify(caller("I want to book a haircut, can you book me in?"))
    mixed = intent_classify(caller("How much is a haircut? Maybe I'll book one."))
    assert 0 < mixed.confidence < clear.confidence <= 0.98


def test_book_in_a_sales_pitch_is_not_a_booking() -> None:
    call = CallInput(
        lines=(
            Line(
                "caller",
                "Hi, this is Kevin from BrightReach Marketing, we help salons book more clients.",
            ),
            Line("caller", "Could I book a quick demo with the owner?"),
        )
    )
    assert intent_classify(call).label == "other"


def test_a_wrong_number_asking_to_book_is_other() -> None:
    call = CallInput(lines=(Line("caller", "Sorry, I was trying to book a table, wrong number."),))
    assert intent_classify(call).label == "other"


def test_the_last_turns_outweigh_the_opening() -> None:
    call = CallInput(
        lines=(
            Line("caller", "Hi, how much is a gel manicure?"),
            Line("caller", "And a pedicure?"),
            Line("caller", "Actually, I have one on Tuesday I won't make. Just cancel it."),
        ),
        tools=(ToolCall("cancel_appointment", {}, {"status": "cancelled"}, True),),
    )
    assert intent_classify(call).label == "cancel"


def test_a_red_flag_at_a_clinic_makes_the_call_clinical_even_when_booked() -> None:
    call = CallInput(
        lines=(Line("caller", "I'd like to book in, I've had a weight on my chest all morning."),),
        tools=(ToolCall("book_appointment", {}, {"reference": "OC-1"}, True),),
        business_kind="clinic",
    )
    assert intent_classify(call, red_flag=True).label == "clinical"
