"""What raises a live alert, line by line, in English and Spanish, and what does not."""

from __future__ import annotations

import pytest

from calls.alerts.detect import (
    ANGRY_CALLER,
    HUMAN_REQUEST,
    RED_FLAG,
    TOOL_FAILURES,
    alerts_detect,
    angry_caller_find,
    human_request_find,
    tool_failures_find,
)


@pytest.mark.parametrize(
    ("lines", "language"),
    [
        (["I want to talk to a real person"], "en"),
        (["Can I speak with someone at the front desk?"], "en"),
        (["operator"], "en"),
        (["Operator, please."], "en"),
        (["Agent."], "en"),  # only with a second one: see below
        (["Just put me through to the clinic, please"], "en"),
        (["I don't want to talk to a robot"], "en"),
        (["Can you transfer me to a nurse?"], "en"),
        (["human please"], "en"),
        (["¿Puedo hablar con una persona?"], "es"),
        (["Quiero hablar con alguien de verdad"], "es"),
        (["pásame con la recepcionista por favor"], "es"),
        (["No quiero hablar con una máquina"], "es"),
        (["Necesito una persona real"], "es"),
        (["operadora"], "es"),
        (["Quiero un operador, por favor"], "es"),
        (["Get me a representative"], "en"),
        (["Okay. Operator!"], "en"),
    ],
)
def test_it_hears_a_caller_asking_for_a_person(lines, language):
    if lines == ["Agent."]:
        assert human_request_find(lines) is None
        lines = ["Agent.", "AGENT!"]
    found = human_request_find(lines)
    assert found is not None and found.kind == HUMAN_REQUEST and found.language == language


def test_agent_said_twice_in_one_line_is_a_request():
    assert human_request_find(["agent agent"]) is not None
    assert human_request_find(["agente, agente"]) is not None


@pytest.mark.parametrize(
    "lines",
    [
        ["I'd like a haircut on Friday, please"],
        ["I don't need to talk to a person, you're doing fine"],
        ["No hace falta hablar con una persona, gracias"],
        ["My travel agent booked the wrong flight", "so I need to move my appointment"],
        ["Are you open on Saturday?", "Great, book me in at ten"],
        ["Quiero una cita para el martes"],
        ["I'll talk to my husband and call back"],
        ["My husband works as a machine operator, he can only come after six"],
        ["Hi, I'm a sales representative from a hair product company"],
        ["Mi esposo es operador de grúa y sale tarde"],
    ],
)
def test_ordinary_lines_ask_for_nobody(lines):
    assert human_request_find(lines) is None


@pytest.mark.parametrize(
    ("lines", "language"),
    [
        (["This is ridiculous, I've been on hold forever"], "en"),
        (["This is the third time you've lost my booking"], "en"),
        (["I'm so frustrated with this service"], "en"),
        (["What the fuck is going on with you people"], "en"),
        (["WHY CAN'T YOU JUST BOOK IT!"], "en"),
        (
            [
                "Your system is terrible, you messed it up again",
                "You always get my booking wrong, it is awful and I hate it",
            ],
            "en",
        ),
        (["Esto es inaceptable"], "es"),
        (["Estoy harta de llamar y que nadie me ayude"], "es"),
        (["Es la tercera vez que llamo, qué vergüenza"], "es"),
        (["Estoy muy enojado con ustedes"], "es"),
    ],
)
def test_it_hears_an_angry_caller(lines, language):
    found = angry_caller_find(lines)
    assert found is not None and found.kind == ANGRY_CALLER and found.language == language


@pytest.mark.parametrize(
    "lines",
    [
        ["I'm not angry, just checking my time"],
        ["Thank you so much, that's perfect"],
        ["My chest hurts so badly and I'm scared"],  # distress, not anger
        ["I've had a terrible headache since yesterday"],
        ["No estoy enojada, solo quería confirmar"],
        ["Ridiculously good haircut last time, thank you!"],
        ["Muchas gracias, hasta luego"],
        ["Your system is terrible, you messed it up again", "OK, thanks, Friday works"],
    ],
)
def test_calm_or_distressed_callers_are_not_angry(lines):
    # One strongly negative line aimed at us is not yet anger; the same twice is (above).
    assert angry_caller_find(lines) is None


def test_two_failed_tools_need_a_person_and_one_does_not():
    assert tool_failures_find(1) is None
    found = tool_failures_find(2)
    assert found is not None and found.kind == TOOL_FAILURES and found.detail == "2"


def test_a_red_flag_is_an_alert_with_its_kind():
    found = alerts_detect(caller_texts=["Hi", "I have chest pain and my arm feels numb"])
    assert [(d.kind, d.detail) for d in found] == [(RED_FLAG, "cardiac")]


def test_one_finding_per_kind_however_many_lines_raise_it():
    found = alerts_detect(
        caller_texts=["operator", "I want a real person", "this is ridiculous"], failed_tools=3
    )
    assert sorted(d.kind for d in found) == sorted([HUMAN_REQUEST, ANGRY_CALLER, TOOL_FAILURES])


def test_an_ordinary_call_raises_nothing():
    assert alerts_detect(caller_texts=["Can I book a trim on Friday?", "Thanks!"]) == []
