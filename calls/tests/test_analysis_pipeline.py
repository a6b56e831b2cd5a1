from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError

from calls.analysis import ANALYZER_VERSION
from calls.analysis.pipeline import call_analyze
from calls.models import CallAnalysis
from calls.tasks import call_analysis_task, calls_analysis_sweep
from calls.tests.review_calls import ANGRY, BOOKING, finished_call

BOOK_TOOL = {
    "name": "book_appointment",
    "arguments": {"customer": {"name": "Jenny Park", "phone": "4155550199"}},
    "result": {"reference": "GB-20261127-001"},
}


def test_ending_a_call_stores_one_analysis_with_every_step(business) -> None:
    call = finished_call(business, "gw-1", BOOKING, tools=[BOOK_TOOL], duration_s=95)
    analysis = CallAnalysis.objects.get(call=call)
    assert analysis.analyzer_version == ANALYZER_VERSION and analysis.is_current
    assert analysis.intent == "book" and analysis.intent_confidence > 0.5
    assert analysis.sentiment_label == "positive"
    assert analysis.caller_name == "Jenny Park"
    assert analysis.callback_number == "+14155550199"
    assert analysis.callback_masked == "+1 ••• ••• 0199"
    assert analysis.booked and analysis.lead_score >= 80
    assert not analysis.escalate
    assert "Jenny" not in analysis.redacted_transcript
    assert "[PHONE]" in analysis.redacted_transcript
    assert analysis.redacted_lines[1]["speaker"] == "caller"


def test_an_angry_caller_is_escalated_with_the_reason(business) -> None:
    call = finished_call(business, "gw-1", ANGRY)
    analysis = CallAnalysis.objects.get(call=call)
    assert analysis.intent == "complaint"
    assert analysis.escalate and analysis.escalation_reason == "caller asked for a human"


def test_running_it_again_rewrites_the_same_row(business) -> None:
    call = finished_call(business, "gw-1", BOOKING)
    first = CallAnalysis.objects.get(call=call)
    again = call_analyze(call_pk=call.pk)
    call_analysis_task.delay(call.pk)
    assert again is not None and again.pk == first.pk
    assert CallAnalysis.objects.filter(call=call).count() == 1


def test_a_new_analyzer_version_adds_a_row_and_becomes_current(business) -> None:
    call = finished_call(business, "gw-1", BOOKING)
    newer = call_analyze(call_pk=call.pk, version="rules-2")
    rows = {a.analyzer_version: a.is_current for a in CallAnalysis.objects.filter(call=call)}
    assert rows == {ANALYZER_VERSION: False, "rules-2": True}
    assert newer is not None and newer.is_current


def test_a_call_still_in_progress_is_not_analysed(business) -> None:
    call = finished_call(business, "gw-1", BOOKING, ended=False)
    assert call_analyze(call_pk=call.pk) is None
    assert not CallAnalysis.objects.exists()


def test_a_broker_failure_does_not_fail_the_ingest(business) -> None:
    with mock.patch("calls.tasks.call_analysis_task.delay", side_effect=ConnectionError("down")):
        call = finished_call(business, "gw-1", BOOKING)
    assert call.status == "ended"
    assert not CallAnalysis.objects.exists()


def test_the_task_retries_a_database_error(business) -> None:
    call = finished_call(business, "gw-1", BOOKING, ended=False)
    call.status, call.duration_s = "ended", 30
    call.save()
    real = call_analyze
    calls = []

    def flaky(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("database restarting")
        return real(**kwargs)

    with mock.patch("calls.tasks.call_analyze", side_effect=flaky):
        result = call_analysis_task.apply(args=[call.pk], throw=False)
    assert len(calls) == 2 and result.successful()
    assert CallAnalysis.objects.filter(call=call).count() == 1
    assert call_analysis_task.retry_backoff and call_analysis_task.max_retries


def test_the_sweep_picks_up_calls_whose_task_was_lost(business) -> None:
    with mock.patch("calls.tasks.call_analysis_task.delay"):
        lost = finished_call(
            business, "gw-lost", BOOKING, start=datetime.now(UTC) - timedelta(minutes=30)
        )
        recent = finished_call(business, "gw-recent", BOOKING, duration_s=5)
    recent.ended_at = datetime.now(UTC)
    recent.save()
    assert calls_analysis_sweep() == 1
    assert list(CallAnalysis.objects.values_list("call_id", flat=True)) == [lost.pk]


def test_analyze_calls_runs_the_pending_ones(business) -> None:
    with mock.patch("calls.tasks.call_analysis_task.delay"):
        finished_call(business, "gw-1", BOOKING)
        finished_call(business, "gw-2", ANGRY)
    out = StringIO()
    call_command("analyze_calls", "--pending", stdout=out)
    assert out.getvalue().strip().endswith("analysed 2 calls")
    call_command("analyze_calls", "gw-1", "--business", business.slug, stdout=out)
    assert CallAnalysis.objects.count() == 2


def test_analyze_calls_needs_to_be_told_which_calls(business) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("analyze_calls")
    with pytest.raises(CommandError):
        call_command("analyze_calls", "gw-1")
