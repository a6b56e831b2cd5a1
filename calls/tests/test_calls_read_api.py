from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from calls.review.services import review_save
from calls.tests.review_calls import ANGRY, BOOKING, PRICES, finished_call

SECRETS = ("Jenny", "4155550199", "415 555 0199", "6285550143", "628 555 0143")


@pytest.fixture
def calls(business):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    return [
        finished_call(
            business,
            "gw-book",
            BOOKING,
            start=now - timedelta(days=2),
            tools=[
                {
                    "name": "book_appointment",
                    "arguments": {"customer": {"name": "Jenny Park", "phone": "4155550199"}},
                    "result": {"reference": "GB-20261127-001"},
                }
            ],
            turns=[(800, False), (1500, True)],
        ),
        finished_call(business, "gw-angry", ANGRY, start=now - timedelta(hours=3)),
        finished_call(business, "gw-live", PRICES, start=now - timedelta(minutes=1), ended=False),
    ]


@pytest.fixture
def api(api_client_for, business):  # type: ignore[no-untyped-def]
    return api_client_for(business, "admin")


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["call_id"] for row in response.json()["results"]]


def test_it_lists_calls_newest_first_with_their_analysis(api, calls) -> None:
    response = api.get("/api/v1/calls")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and ids(response) == ["gw-live", "gw-angry", "gw-book"]
    live, angry, _ = body["results"]
    assert live["status"] == "live" and live["analysis"] is None
    assert angry["analysis"]["intent"]["label"] == "complaint"
    assert angry["analysis"]["escalate"] is True
    assert angry["from"] == "+1 ••• ••• 0123"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "ended"}, ["gw-angry", "gw-book"]),
        ({"intent": "book"}, ["gw-book"]),
        ({"escalated": "true"}, ["gw-angry"]),
        ({"escalated": "false"}, ["gw-book"]),
        ({"min_lead_score": 80}, ["gw-book"]),
    ],
)
def test_it_filters(api, calls, query, expected) -> None:  # type: ignore[no-untyped-def]
    assert ids(api.get("/api/v1/calls", query)) == expected


def test_since_and_until_take_dates_or_date_times(api, business, calls) -> None:
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert ids(api.get("/api/v1/calls", {"since": since})) == ["gw-live", "gw-angry"]
    day = (datetime.now(business.tz) - timedelta(days=2)).date().isoformat()
    assert ids(api.get("/api/v1/calls", {"since": day, "until": day})) == ["gw-book"]


def test_bad_filters_are_a_400_naming_each_field(api, calls) -> None:
    response = api.get(
        "/api/v1/calls",
        {"since": "last week", "intent": "shopping", "min_lead_score": 101, "status": "x"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert set(body["fields"]) == {"since", "intent", "min_lead_score", "status"}
    naive = api.get("/api/v1/calls", {"since": "2026-11-25T10:00:00"})
    assert naive.status_code == 400 and "since" in naive.json()["fields"]


def test_one_call_has_its_redacted_transcript_tools_turns_and_analysis(api, calls) -> None:
    response = api.get("/api/v1/calls/gw-book")
    assert response.status_code == 200
    body = response.json()
    assert body["transcript"][1] == {
        "speaker": "caller",
        "text": "Hi, my name is [NAME], I'd like to book a gel manicure for Friday.",
        "start_ms": 4000,
        "end_ms": 7000,
    }
    assert body["tool_invocations"][0]["arguments"] == {
        "customer": {"name": "[NAME]", "phone": "[PHONE]"}
    }
    assert body["tool_invocations"][0]["result"] == {"reference": "GB-20261127-001"}
    assert [t["latency_ms"] for t in body["turn_metrics"]] == [800, 1500]
    analysis = body["analysis"]
    assert set(analysis) == {
        "sentiment", "intent", "lead_score", "lead_reasons", "escalate",
        "escalation_reason", "slots", "language", "analyzer_version",
    }  # fmt: skip
    assert analysis["language"] == "en"
    assert set(analysis["sentiment"]) == {"score", "label"}
    assert set(analysis["intent"]) == {"label", "confidence"}
    assert analysis["slots"] == {
        "caller_name": "[NAME]",
        "callback_number": "+1 ••• ••• 0199",
        "reason": "new appointment",
        "urgency": "normal",
    }
    assert analysis["lead_reasons"][0]["factor"] == "booked"
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret


def test_a_reviewers_corrections_come_beside_the_analysis(api, owner, calls) -> None:
    review_save(call=calls[0], by=owner, corrections={"intent": "inquiry"}, reviewed=True)
    body = api.get("/api/v1/calls/gw-book").json()
    assert body["analysis"]["intent"]["label"] == "book"
    assert body["review"]["reviewed"] is True
    assert body["review"]["corrections"]["intent"] == "inquiry"


def test_it_needs_the_admin_scope(api_client_for, business, calls) -> None:
    assert api_client_for(business, "ingest").get("/api/v1/calls").status_code == 403
    from rest_framework.test import APIClient

    anonymous = APIClient().get("/api/v1/calls")
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "unauthorized"


def test_another_business_call_is_a_404_and_never_listed(
    api_client_for, other_business, calls
) -> None:
    theirs = api_client_for(other_business, "admin")
    assert theirs.get("/api/v1/calls").json()["count"] == 0
    response = theirs.get("/api/v1/calls/gw-book")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_pages_hold_at_most_the_page_size(api, business) -> None:
    for n in range(5):
        finished_call(business, f"gw-{n}", PRICES)
    body = api.get("/api/v1/calls", {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["count"] == 5 and body["next"]


def test_the_original_is_given_on_request_and_the_look_is_audited(api, calls) -> None:
    from console.audit.models import AuditEntry

    body = api.get("/api/v1/calls/gw-book", {"reveal": "true"}).json()
    assert body["original"]["caller_name"] == "Jenny Park"
    assert body["original"]["callback_number"] == "+14155550199"
    assert body["original"]["from"] == "+14155550123"
    assert "Jenny Park" in body["original"]["transcript"][1]["text"]
    assert "Jenny" not in body["transcript"][1]["text"]  # the redacted copy stays redacted
    entry = AuditEntry.objects.get(action="call.transcript_revealed")
    assert entry.actor is None and entry.actor_label.startswith("API key")
    assert "original" not in api.get("/api/v1/calls/gw-book").json()
    assert AuditEntry.objects.filter(action="call.transcript_revealed").count() == 1
    assert api.get("/api/v1/calls/gw-book", {"reveal": "please"}).status_code == 400
