from __future__ import annotations

from calls.analysis.escalation import escalation_decide
from calls.analysis.red_flags import red_flags_find
from calls.analysis.sentiment import sentiment_analyze
from calls.analysis.types import CallInput, Line, ToolCall


def decide(*texts: str, tools: tuple[ToolCall, ...] = (), kind: str = "salon"):  # type: ignore[no-untyped-def]
    call = CallInput(lines=tuple(Line("caller", t) for t in texts), tools=tools, business_kind=kind)
    sentiment = sentiment_analyze(call.caller_lines)
    flags = red_flags_find(call.caller_lines)
    return escalation_decide(call, sentiment=sentiment, red_flags=flags)


def test_a_caller_asking_for_a_human_is_escalated() -> None:
    result = decide("Can I speak to a real person please?")
    assert result.escalate and result.reason == "caller asked for a human"


def test_clinical_red_flags_come_first() -> None:
    result = decide("I want to talk to someone, I'm bleeding heavily", kind="clinic")
    assert result.escalate and result.reason.startswith("red flag: heavy bleeding")
    assert "I'm bleeding heavily" in result.reason
    assert "caller asked for a human" in result.reasons


def test_suicidal_talk_is_escalated() -> None:
    assert decide("I've been thinking about ending my life", kind="clinic").escalate


def test_a_strongly_negative_caller_is_escalated() -> None:
    result = decide("This is horrible. Terrible. I hate this awful place, worst service ever.")
    assert result.escalate and result.reason.startswith("strongly negative")


def test_repeated_tool_failures_escalate_but_one_does_not() -> None:
    failed = ToolCall("check_availability", {}, {"error": "timeout"}, False)
    assert not decide("Saturday please", tools=(failed,)).escalate
    result = decide("Saturday please", tools=(failed, failed))
    assert result.escalate and result.reason == "2 tool calls failed"


def test_an_ordinary_call_is_not_escalated() -> None:
    result = decide("I'd like to book a haircut on Friday, thanks!")
    assert (result.escalate, result.reason) == (False, "")


def test_a_caller_asking_for_a_person_in_spanish_is_escalated() -> None:
    result = decide("¿Es usted un robot? Quiero hablar con una persona.")
    assert result.escalate and result.reason == "caller asked for a human"


def test_a_call_the_agent_handed_to_a_nurse_is_escalated() -> None:
    call = CallInput(
        lines=(
            Line("caller", "I've had a sore ear for a day."),
            Line("agent", "I'm going to transfer you to our nurse now."),
        ),
        business_kind="clinic",
    )
    result = escalation_decide(call, sentiment=sentiment_analyze(call.caller_lines))
    assert result.escalate and result.reason == "the agent handed the caller to a person"
