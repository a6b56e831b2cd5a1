from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from calls.analysis.agreement import reviewer_agreement_compute
from calls.models import CallAnalysis
from calls.review.services import review_save
from calls.tests.review_calls import ANGRY, BOOKING, PRICES, finished_call


def _today(business):  # type: ignore[no-untyped-def]
    return datetime.now(business.tz).date()


def test_agreement_counts_the_fields_reviewers_left_alone(business, owner) -> None:
    booked = finished_call(business, "a", BOOKING)
    angry = finished_call(business, "b", ANGRY)
    finished_call(business, "c", PRICES)  # not reviewed: not counted
    review_save(call=booked, by=owner, corrections={}, reviewed=True)
    review_save(call=angry, by=owner, corrections={"intent": "other"}, reviewed=True)
    today = _today(business)
    result = reviewer_agreement_compute(
        business=business, since=today - timedelta(days=1), until=today
    )
    rows = {row.name: row for row in result.fields}
    assert result.reviewed == 2
    assert (rows["intent"].reviewed, rows["intent"].agreed, rows["intent"].percent) == (2, 1, 50)
    assert rows["urgency"].agreed == 2 and rows["escalate"].agreed == 2


def test_a_correction_to_the_machines_own_answer_still_agrees(business, owner) -> None:
    call = finished_call(business, "a", BOOKING)
    machine = CallAnalysis.objects.get(call=call, is_current=True)
    review_save(
        call=call,
        by=owner,
        corrections={"intent": machine.intent, "lead_score": machine.lead_score + 5},
        reviewed=True,
    )
    today = _today(business)
    result = reviewer_agreement_compute(business=business, since=today, until=today)
    rows = {row.name: row for row in result.fields}
    assert rows["intent"].agreed == 1 and rows["lead_score"].agreed == 1


def test_a_call_a_reviewer_escalated_and_the_machine_did_not_is_counted(business, owner) -> None:
    call = finished_call(business, "a", PRICES)
    assert not CallAnalysis.objects.get(call=call, is_current=True).escalate
    review_save(call=call, by=owner, corrections={"escalate": True}, reviewed=True)
    today = _today(business)
    result = reviewer_agreement_compute(business=business, since=today, until=today)
    assert result.missed_escalations == 1
    assert {row.name: row.agreed for row in result.fields}["escalate"] == 0


def test_the_metrics_page_shows_the_agreement(client_for, owner, business) -> None:
    call = finished_call(business, "a", BOOKING)
    review_save(call=call, by=owner, corrections={"intent": "other"}, reviewed=True)
    body = client_for(owner).get(reverse("calls_metrics")).content.decode()
    assert "Reviewers' agreement with the machine" in body
    assert "From 1 reviewed call:" in body


def test_another_business_reviews_are_not_counted(client_for, outsider, owner, business) -> None:
    call = finished_call(business, "a", BOOKING)
    review_save(call=call, by=owner, corrections={"intent": "other"}, reviewed=True)
    response = client_for(outsider).get(reverse("calls_metrics"))
    assert response.context["agreement"].reviewed == 0
    assert "No reviewed calls in this range yet." in response.content.decode()
