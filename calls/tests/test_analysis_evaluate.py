from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from calls.analysis.evaluation import evaluate, examples_load
from calls.review.services import review_save
from calls.tests.review_calls import BOOKING, finished_call


def test_the_labelled_set_has_at_least_forty_calls_of_both_kinds() -> None:
    examples = examples_load()
    assert len(examples) >= 40
    assert {e.call.business_kind for e in examples} == {"salon", "clinic"}
    assert {e.labels["intent"] for e in examples} == {
        "book", "reschedule", "cancel", "inquiry", "complaint", "clinical", "other",
    }  # fmt: skip


def test_the_analyzer_clears_a_floor_on_the_labelled_set() -> None:
    report = evaluate(examples_load())
    assert report.fields["intent"].accuracy >= 0.7
    assert report.fields["escalate"].precision_recall(True)[1] >= 0.8
    assert report.phi_removed == report.phi_total


def test_evaluate_analysis_prints_accuracy_precision_and_recall_per_field() -> None:
    out = StringIO()
    call_command("evaluate_analysis", stdout=out)
    text = out.getvalue()
    for field in ("intent", "sentiment", "urgency", "escalate", "caller_name", "callback_number"):
        assert f"{field} " in text
    assert "precision" in text and "recall" in text
    assert text.strip().splitlines()[-1].startswith("intent accuracy")


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
