from __future__ import annotations

import dataclasses
import time

import pytest

from calls.analysis import embedding, red_flags
from calls.analysis.offline import analysis_run
from calls.analysis.red_flags import KINDS, RedFlag, red_flags_find
from calls.analysis.types import CallInput, Line, ToolCall


@pytest.fixture(autouse=True, scope="module")
def _model_loaded() -> None:
    # red_flags_find never waits for a cold load; these tests measure it with the model.
    embedding.model_load()


def kinds(*texts: str) -> list[str]:
    return [flag.kind for flag in red_flags_find(texts)]


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("There's a weight on my chest, like someone sitting on it.", "cardiac"),
        ("My husband's got this squeezing feeling in his chest when he walks.", "cardiac"),
        ("I get winded going up the stairs, I have to stop halfway.", "breathing"),
        ("I had a facial this morning and my throat feels funny now.", "anaphylaxis"),
        ("My toddler swallowed some of my pills, the packet's open.", "poisoning"),
        ("Her face has dropped on one side and she's talking funny.", "stroke"),
        ("It's soaked through three towels and it won't stop.", "bleeding"),
        ("Everyone would be better off without me.", "self_harm"),
        ("My baby is floppy and won't wake up properly.", "child_danger"),
        ("Siento una presión en el pecho que me baja por el brazo.", "cardiac"),
        ("Me falta el aire hasta sentada.", "breathing"),
        ("Mi hijo se tomó unas pastillas de mi bolso.", "poisoning"),
        ("Ya no quiero seguir viviendo.", "self_harm"),
        ("Mi madre tiene la cara torcida y no puede hablar bien.", "stroke"),
    ],
)
def test_it_hears_a_red_flag_said_indirectly_in_english_and_spanish(said: str, kind: str) -> None:
    assert kind in kinds(said)


@pytest.mark.parametrize(
    "said",
    [
        "I'm thinking of dying my hair dark red.",
        "Honestly my colour is killing me, the roots are two inches.",
        "I'd literally die for a blowout before my date tonight.",
        "My red colour is bleeding into my pillowcase.",
        "I can't breathe without my morning coffee.",
        "No chest pain, I'm not short of breath, just a cough.",
        "No me duele el pecho ni me falta el aire.",
        "My dad had a heart attack five years ago, it's his yearly check.",
        "I had a stroke two years ago and need physio for my shoulder.",
        "The chest pains I had last month have completely gone.",
        "I read that paracetamol overdose is dangerous, how many can I safely take?",
        "Please cancel everything I have booked, I'm moving to another city.",
        "Me muero por hacerme unas mechas.",
    ],
)
def test_hyperbole_negations_and_history_raise_nothing(said: str) -> None:
    assert kinds(said) == []


def test_two_hints_of_self_harm_while_cancelling_raise_it_and_one_does_not() -> None:
    assert kinds("Cancel both, I won't be needing them.") == []
    assert kinds("Cancel both, I won't be needing them.", "It doesn't matter anymore.") == [
        "self_harm"
    ]


def test_a_red_flag_says_its_kind_evidence_and_language() -> None:
    (flag,) = red_flags_find(["Hello.", "Me corté y no para de sangrar."])
    assert flag == RedFlag(
        kind="bleeding", evidence="Me corté y no para de sangrar.", language="es"
    )
    assert flag.kind in KINDS
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.kind = "cardiac"  # type: ignore[misc]


def test_a_child_who_swallowed_pills_is_a_child_in_danger_too() -> None:
    assert set(kinds("My toddler swallowed some of my blood pressure pills.")) == {
        "poisoning",
        "child_danger",
    }


def test_no_words_no_flags() -> None:
    assert red_flags_find([]) == [] and red_flags_find(["", "  "]) == []


BOOKED_HEART_ATTACK = CallInput(
    lines=(
        Line("agent", "Oakwood Clinic, how can I help?"),
        Line(
            "caller",
            "Can I see a doctor this week? There's a weight on my chest going into my jaw.",
        ),
        Line("agent", "I have Thursday at 10."),
        Line("caller", "Thursday's fine, thanks so much, that's lovely."),
    ),
    tools=(
        ToolCall(
            "book_appointment",
            {"service": "GP consultation"},
            {"reference": "OC-1", "service": {"id": 11, "name": "GP consultation"}},
            True,
        ),
    ),
    business_kind="clinic",
    duration_s=120,
)


def test_a_booking_never_outweighs_a_red_flag() -> None:
    result = analysis_run(BOOKED_HEART_ATTACK)
    assert result.booked
    assert result.slots.urgency == "emergency"
    assert result.escalation.escalate
    assert result.escalation.reason.startswith("red flag: heart attack signs")
    assert result.intent.label == "clinical"
    assert result.lead.score <= 20
    assert any(reason["factor"] == "emergency" for reason in result.lead.reasons)


def test_the_evidence_in_the_reason_is_redacted() -> None:
    call = CallInput(
        lines=(
            Line(
                "caller",
                "Hi, my name is Maria Lopez and my husband collapsed, he's not responding.",
            ),
        ),
        business_kind="clinic",
    )
    result = analysis_run(call)
    assert result.slots.urgency == "emergency"
    assert "Lopez" not in result.escalation.reason
    assert all("Lopez" not in flag.evidence for flag in result.red_flags)


def test_it_runs_per_live_segment_in_well_under_the_budget() -> None:
    red_flags_find(["warm up the model"])
    segments: list[str] = []
    timings = []
    for said in (
        "Hi, I'd like to book a flu jab.",
        "Actually, I've had a tight chest since this morning.",
        "And I'm a bit sweaty.",
        "Thursday would be fine.",
    ):
        segments.append(said)
        start = time.perf_counter()
        red_flags_find(segments)
        timings.append(time.perf_counter() - start)
    # 50 ms is the target on a warm model (bench/analysis.py); shared CI cores get slack.
    assert max(timings) < 0.5


def test_the_demo_caller_with_a_swollen_jaw_who_struggles_to_swallow_is_an_emergency() -> None:
    call = CallInput(
        lines=(
            Line(
                "caller",
                "I had a tooth out on Monday and now my jaw is really swollen and I've got a fever.",  # noqa: E501
            ),
            Line("agent", "Are you having any trouble breathing or swallowing?"),
            Line("caller", "A bit with swallowing, yes. It's getting worse since this morning."),
            Line("agent", "I'm connecting you to a nurse now."),
            Line("caller", "Okay, thank you. Please hurry."),
        ),
        business_kind="clinic",
        end_reason="transferred",
    )
    result = analysis_run(call)
    assert (result.slots.urgency, result.escalation.escalate) == ("emergency", True)
    assert result.sentiment.label != "positive"
    assert kinds("My jaw is swollen after the extraction.") == []


def test_before_the_model_is_loaded_the_live_path_uses_the_rules_without_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embedding, "model_ready", lambda: False)
    monkeypatch.setattr(red_flags, "sentences_embed", None)  # would raise if called
    assert kinds("My toddler swallowed some of my pills.") == ["poisoning", "child_danger"]
