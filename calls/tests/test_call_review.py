from __future__ import annotations

import pytest
from django.urls import reverse

from calls.models import CallAnalysis, CallNote, CallReview
from calls.tests.review_calls import BOOKING, finished_call
from console.audit.models import AuditEntry

TOOLS = [
    {
        "name": "check_availability",
        "arguments": {"service": "gel manicure", "date": "2026-11-27"},
        "result": {"error": "timeout"},
        "ok": False,
        "latency_ms": 2500,
    },
    {
        "name": "book_appointment",
        "arguments": {
            "service": "Gel manicure",
            "customer": {"name": "Jenny Park", "phone": "4155550199"},
        },
        "result": {"reference": "GB-20261127-004", "service": {"id": 3, "name": "Gel manicure"}},
        "latency_ms": 420,
    },
]


@pytest.fixture
def call(business):  # type: ignore[no-untyped-def]
    return finished_call(
        business, "gw-1", BOOKING, tools=TOOLS, turns=[(700, False), (1900, True), (900, False)]
    )


def page(client, call):  # type: ignore[no-untyped-def]
    return client.get(reverse("call_review", args=[call.pk]))


def test_the_review_page_shows_the_conversation_analysis_and_tools(client_for, owner, call) -> None:
    response = page(client_for(owner), call)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hi, my name is [NAME], I&#x27;d like to book a gel manicure" in body
    assert "Caller · 4000 ms" in body
    assert 'data-testid="machine-intent">book<' in body
    assert "an appointment was booked during the call" in body  # the lead score's reasons
    assert "check_availability" in body and "failed" in body and "took 2500 ms" in body
    assert "GB-20261127-004" in body  # what the agent got back, replayable
    assert "median 900 ms · p95 1900 ms · 1 barge-in" in body


def test_the_page_never_shows_the_original_without_asking(client_for, owner, call) -> None:
    body = page(client_for(owner), call).content.decode()
    for secret in ("Jenny", "Park", "4155550199", "415 555 0199"):
        assert secret not in body, secret
    assert not AuditEntry.objects.filter(action="call.transcript_revealed").exists()


def test_a_manager_reveals_the_original_and_the_look_is_audited(client_for, manager, call) -> None:
    response = client_for(manager).post(reverse("call_reveal", args=[call.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "my name is Jenny Park" in body and "415 555 0199" in body
    assert "+14155550123" in body  # the caller id, in full
    entry = AuditEntry.objects.get(action="call.transcript_revealed")
    assert entry.actor == manager and entry.object_id == str(call.pk)


def test_platform_staff_may_reveal_too(client_for, platform_staff, business, call) -> None:
    client = client_for(platform_staff)
    client.post(reverse("business_switch"), {"business": business.pk})
    assert client.post(reverse("call_reveal", args=[call.pk])).status_code == 200
    assert AuditEntry.objects.filter(
        action="call.transcript_revealed", actor=platform_staff
    ).exists()


def test_front_desk_staff_are_refused_the_original(client_for, front_desk, call) -> None:
    client = client_for(front_desk)
    body = page(client, call).content.decode()
    assert 'data-testid="reveal"' not in body
    response = client.post(reverse("call_reveal", args=[call.pk]))
    assert response.status_code == 403
    assert "Jenny" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="call.transcript_revealed").exists()


def test_revealing_needs_a_post(client_for, owner, call) -> None:
    assert client_for(owner).get(reverse("call_reveal", args=[call.pk])).status_code == 405


def test_corrections_are_kept_beside_the_machines_answer(client_for, owner, call) -> None:
    response = client_for(owner).post(
        reverse("call_review_save", args=[call.pk]),
        {
            "intent": "inquiry",
            "lead_score": "35",
            "escalate": "yes",
            "escalation_reason": "wanted the owner",
            "callback_number": "(628) 555-0143",
            "urgency": "high",
            "reviewed": "on",
        },
    )
    assert response.status_code == 302
    review = CallReview.objects.get(call=call)
    assert (review.intent, review.lead_score, review.escalate, review.urgency) == (
        "inquiry",
        35,
        True,
        "high",
    )
    assert (
        review.callback_number == "+16285550143" and review.reviewed and review.reviewed_by == owner
    )
    machine = CallAnalysis.objects.get(call=call)
    assert (machine.intent, machine.escalate) == ("book", False)  # untouched
    body = page(client_for(owner), call).content.decode()
    assert (
        'data-testid="corrected-intent">inquiry<' in body and 'data-testid="reviewed-badge"' in body
    )
    entry = AuditEntry.objects.get(action="call.review_saved")
    assert entry.data["changed"]["callback_number"] == "(changed)"  # no personal data in the log


def test_a_bad_correction_is_explained(client_for, owner, call) -> None:
    response = client_for(owner).post(
        reverse("call_review_save", args=[call.pk]), {"lead_score": "140", "callback_number": "12"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"lead_score", "callback_number"}
    assert not CallReview.objects.exists()


def test_unmarking_reviewed_clears_who_reviewed(client_for, owner, call) -> None:
    client = client_for(owner)
    client.post(reverse("call_review_save", args=[call.pk]), {"reviewed": "on"})
    client.post(reverse("call_review_save", args=[call.pk]), {})
    review = CallReview.objects.get(call=call)
    assert not review.reviewed and review.reviewed_by is None


def test_reviewers_add_notes(client_for, manager, call) -> None:
    client = client_for(manager)
    client.post(reverse("call_note_add", args=[call.pk]), {"text": "Call her back about colour."})
    assert CallNote.objects.get(call=call).text == "Call her back about colour."
    assert "Call her back about colour." in page(client, call).content.decode()
    assert client.post(reverse("call_note_add", args=[call.pk]), {"text": "  "}).status_code == 400


def test_front_desk_staff_cannot_correct_or_add_notes(client_for, front_desk, call) -> None:
    client = client_for(front_desk)
    assert (
        client.post(reverse("call_review_save", args=[call.pk]), {"intent": "other"}).status_code
        == 403
    )
    assert client.post(reverse("call_note_add", args=[call.pk]), {"text": "hi"}).status_code == 403
    assert not CallReview.objects.exists() and not CallNote.objects.exists()


def test_re_running_the_analysis_is_audited_and_keeps_one_row(
    client_for, owner, call, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(reverse("call_reanalyze", args=[call.pk]))
    assert response.status_code == 302
    assert CallAnalysis.objects.filter(call=call).count() == 1
    assert AuditEntry.objects.filter(action="call.reanalysis_queued").exists()


def test_another_business_call_is_not_found(client_for, outsider, call) -> None:
    client = client_for(outsider)
    assert page(client, call).status_code == 404
    assert client.post(reverse("call_reveal", args=[call.pk])).status_code in (403, 404)


def test_another_business_owner_cannot_reveal_our_call(
    client_for, other_owner, other_business, call
) -> None:
    response = client_for(other_owner).post(reverse("call_reveal", args=[call.pk]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="call.transcript_revealed").exists()


def test_a_call_not_analysed_yet_still_shows_its_redacted_transcript(
    client_for, owner, business
) -> None:
    call = finished_call(business, "gw-live", BOOKING, ended=False)
    body = page(client_for(owner), call).content.decode()
    assert "Not analysed yet." in body
    assert "my name is [NAME]" in body and "Jenny" not in body
