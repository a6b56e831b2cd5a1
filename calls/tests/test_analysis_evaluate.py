from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from calls.analysis.evaluation import EVAL_DIR, Report, evaluate, examples_load
from calls.analysis.red_flags import KINDS
from calls.review.services import review_save
from calls.tests.review_calls import BOOKING, finished_call

# A false emergency sends a person to a call that did not need one, and alerts that cry
# wolf get ignored: at 2% a clinic taking 100 calls a day has about two needless alerts a
# day, which a front desk can absorb; more would teach them to skip the real one.
FALSE_EMERGENCY_MAX = 0.02


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(examples_load())


def test_the_labelled_set_has_at_least_150_calls_half_salon_half_clinic() -> None:
    examples = examples_load()
    assert len(examples) >= 150
    salon = sum(1 for e in examples if e.call.business_kind == "salon")
    assert 0.4 <= salon / len(examples) <= 0.6
    assert {e.labels["intent"] for e in examples} == {
        "book", "reschedule", "cancel", "inquiry", "complaint", "clinical", "other",
    }  # fmt: skip


def test_about_a_fifth_of_the_labelled_set_is_spanish_or_mixed() -> None:
    examples = examples_load()
    spanish = sum(1 for e in examples if e.language in ("es", "mixed"))
    assert spanish / len(examples) >= 0.18


def test_the_loader_reads_every_yaml_file_in_the_eval_folder() -> None:
    ids = {e.id for e in examples_load()}
    for path in EVAL_DIR.glob("*.yaml"):
        assert {e.id for e in examples_load(path)} <= ids


def test_every_kind_of_red_flag_is_in_the_labelled_set_in_both_languages() -> None:
    seen = {(e.labels["red_flag"], e.language) for e in examples_load() if e.labels.get("red_flag")}
    assert {kind for kind, _ in seen} == set(KINDS)
    assert {kind for kind, language in seen if language != "en"} == set(KINDS)


def test_no_labelled_emergency_is_missed(report: Report) -> None:
    assert report.emergencies >= 40
    assert report.missed == []
    assert report.emergency_recall == 1.0
    assert report.emergencies_escalated == report.emergencies


def test_false_emergencies_on_other_calls_stay_under_the_threshold(report: Report) -> None:
    assert report.non_emergencies >= 100
    assert report.false_emergency_rate <= FALSE_EMERGENCY_MAX, report.false_emergencies


def test_the_analyzer_clears_a_floor_on_the_labelled_set(report: Report) -> None:
    assert report.fields["intent"].accuracy >= 0.8
    assert report.fields["urgency"].accuracy >= 0.85
    assert report.fields["escalate"].precision_recall(True)[1] >= 0.95
    assert report.phi_removed == report.phi_total


def test_evaluate_analysis_prints_emergency_recall_first_then_fields_kinds_and_languages() -> None:
    out = StringIO()
    # One file keeps the test quick; it holds both kinds of call and all three languages.
    call_command("evaluate_analysis", "--file", str(EVAL_DIR / "emergencies.yaml"), stdout=out)
    text = out.getvalue()
    for field in ("intent", "sentiment", "urgency", "escalate", "callback_number"):
        assert f"{field} " in text
    assert "precision" in text and "recall" in text
    lines = text.strip().splitlines()
    assert lines[1].startswith("emergency recall 100.0%")
    for group in ("salon", "clinic", "en", "es", "mixed"):
        assert any(line.strip().startswith(f"{group} ") for line in lines)
    assert lines[-1].startswith("intent accuracy")


def test_reviewers_corrections_are_labels_too(business, owner) -> None:
    call = finished_call(business, "gw-1", BOOKING)
    review_save(call=call, by=owner, corrections={"intent": "inquiry"}, reviewed=True)
    out = StringIO()
    call_command("evaluate_analysis", "--corrections", stdout=out)
    text = out.getvalue()
    assert "1 labelled calls" in text
    assert "intent           accuracy   0.0%  (0/1)" in text


def test_without_reviews_there_is_nothing_to_evaluate(db) -> None:
    with pytest.raises(CommandError):
        call_command("evaluate_analysis", "--corrections")
