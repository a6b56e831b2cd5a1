from __future__ import annotations

from calls.analysis.slots import slots_extract
from calls.analysis.types import CallInput, Line, ServiceOption, ToolCall

SERVICES = (
    ServiceOption(1, "Gel manicure", ("gel mani",)),
    ServiceOption(2, "Haircut", ("trim",)),
)


def call(*texts: str, **kw: object) -> CallInput:
    return CallInput(lines=tuple(Line("caller", t) for t in texts), services=SERVICES, **kw)  # type: ignore[arg-type]


def test_it_takes_the_name_and_the_number_the_caller_gives() -> None:
    slots = slots_extract(
        call("Hi, my name is Jenny Park.", "My number is 415 555 0199."), intent="book"
    )
    assert slots.caller_name == "Jenny Park"
    assert slots.callback_number == "+14155550199"


def test_a_number_read_out_in_words_is_understood() -> None:
    slots = slots_extract(
        call("it's four one five five five five zero one nine nine"), intent="book"
    )
    assert slots.callback_number == "+14155550199"


def test_without_a_spoken_number_the_caller_id_is_the_callback() -> None:
    slots = slots_extract(
        call("Hi there", from_number="+442071234567", region="GB"), intent="other"
    )
    assert slots.callback_number == "+442071234567"


def test_a_uk_mobile_is_normalised_with_the_business_region() -> None:
    slots = slots_extract(call("call me on 07700 900 777", region="GB"), intent="book")
    assert slots.callback_number == "+447700900777"


def test_the_reason_is_matched_to_a_service_by_alias() -> None:
    slots = slots_extract(call("can I get a gel mani on Friday?"), intent="book")
    assert (slots.reason, slots.reason_service_id) == ("Gel manicure", 1)


def test_the_service_the_agent_booked_wins() -> None:
    tool = ToolCall("book_appointment", {}, {"service": {"id": 2, "name": "Haircut"}}, True)
    slots = slots_extract(call("something for my hair", tools=(tool,)), intent="book")
    assert (slots.reason, slots.reason_service_id) == ("Haircut", 2)


def test_without_a_service_the_reason_is_the_concern_in_words() -> None:
    slots = slots_extract(call("I have a really bad headache"), intent="clinical")
    assert slots.reason == "headache" and slots.reason_service_id is None


def test_urgency_runs_from_low_to_emergency() -> None:
    assert slots_extract(call("how much is a trim? no rush"), intent="inquiry").urgency == "low"
    assert slots_extract(call("book me a haircut next week"), intent="book").urgency == "normal"
    assert (
        slots_extract(call("I need to be seen today, it really hurts"), intent="clinical").urgency
        == "high"
    )
    emergency = slots_extract(call("I have chest pain and my left arm is numb"), intent="clinical")
    assert emergency.urgency == "emergency"
    assert "chest pain" in emergency.red_flags
