"""The voice agent's tools, CONTRACTS.md §4."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from bookings.models import Appointment, Service, StaffMember
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at
from console.tenancy.models import Business

pytestmark = pytest.mark.django_db

CAROL = {"name": "Carol", "phone": "(415) 555-0123", "email": "carol@example.test"}


@pytest.fixture
def tools(business: Business, api_client_for) -> APIClient:
    return api_client_for(business, "tools")


def post(client: APIClient, name: str, body: object, **headers: str):
    return client.post(f"/api/v1/tools/{name}", body, format="json", **headers)


def test_match_service_finds_a_spoken_phrase(tools, haircut, manicure, ana) -> None:
    response = post(tools, "match_service", {"query": "gel mani"})
    assert response.status_code == 200
    assert response.json()["match"]["name"] == "Gel Manicure"
    response = post(tools, "match_service", {"query": "tax return"})
    assert response.json()["match"] is None


def test_check_availability_lists_local_slots_ascending(
    tools, haircut: Service, ana: StaffMember, monday: date
) -> None:
    response = post(tools, "check_availability", {"service": "ladies cut", "date": str(monday)})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["timezone"] == "America/New_York"
    starts = [s["start"] for s in body["slots"]]
    assert starts == sorted(starts)
    assert starts[0] == at(monday, 9).isoformat()
    assert body["slots"][0]["staff"] == {"id": ana.pk, "name": "Ana"}
    # 45 minutes + 15 buffer: 11:45 is the last start before lunch at 12:30.
    assert at(monday, 11, 45).isoformat() in starts
    assert at(monday, 12).isoformat() not in starts


def test_book_appointment_books_and_answers_201(tools, haircut, ana, monday: date) -> None:
    response = post(
        tools,
        "book_appointment",
        {"service": haircut.pk, "start": at(monday, 10).isoformat(), "customer": CAROL},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"] == f"GB-{monday:%Y%m%d}-001"
    assert body["status"] == "booked"
    assert body["start"] == at(monday, 10).isoformat()
    assert body["service"] == {"id": haircut.pk, "name": "Women's Haircut"}
    assert body["customer"]["name"] == "Carol"


def test_a_clash_is_a_409_with_alternatives(tools, haircut, ana, monday: date) -> None:
    body = {"service": haircut.pk, "start": at(monday, 10).isoformat(), "customer": CAROL}
    assert post(tools, "book_appointment", body).status_code == 201
    response = post(tools, "book_appointment", body)
    assert response.status_code == 409
    error = response.json()
    assert error["error"] == "slot_unavailable"
    assert len(error["alternatives"]) == 3
    assert all(a["start"] != at(monday, 10).isoformat() for a in error["alternatives"])


def test_a_retry_with_the_same_idempotency_key_books_nothing_new(
    tools, haircut, ana, monday: date
) -> None:
    body = {"service": haircut.pk, "start": at(monday, 10).isoformat(), "customer": CAROL}
    first = post(tools, "book_appointment", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(tools, "book_appointment", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Appointment.objects.count() == 1
    other = post(
        tools, "book_appointment", {**body, "notes": "different"}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 409
    assert other.json()["error"] == "idempotency_key_reused"


def test_the_same_idempotency_key_of_another_business_is_its_own(
    tools, haircut, ana, monday: date, other_business: Business, api_client_for
) -> None:
    body = {"service": haircut.pk, "start": at(monday, 10).isoformat(), "customer": CAROL}
    assert post(tools, "book_appointment", body, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    theirs = api_client_for(other_business, "tools")
    response = post(theirs, "book_appointment", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 404  # our service id is not theirs: no replay of our booking


def test_reschedule_keeps_the_reference_and_cancel_marks_it_cancelled(
    tools, business, haircut, ana, monday: date
) -> None:
    booked = post(
        tools,
        "book_appointment",
        {"service": haircut.pk, "start": at(monday, 10).isoformat(), "customer": CAROL},
    ).json()
    moved = post(
        tools,
        "reschedule_appointment",
        {
            "reference": booked["reference"].lower().replace("-", " "),
            "start": at(monday, 14).isoformat(),
        },
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["reference"] == booked["reference"]
    assert moved.json()["start"] == at(monday, 14).isoformat()
    cancelled = post(tools, "cancel_appointment", {"reference": booked["reference"]})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


def test_find_appointment_by_reference_or_phone(tools, business, haircut, ana, monday) -> None:
    appointment = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123"),
    )
    number = appointment.reference.rsplit("-", 1)[1].lstrip("0")
    by_ref = post(tools, "find_appointment", {"reference": f"gb {monday:%Y%m%d} {number}"})
    assert [a["reference"] for a in by_ref.json()["appointments"]] == [appointment.reference]
    by_phone = post(tools, "find_appointment", {"phone": "415-555-0123"})
    assert [a["reference"] for a in by_phone.json()["appointments"]] == [appointment.reference]
    assert post(tools, "find_appointment", {"phone": "415-555-0999"}).json() == {"appointments": []}


@pytest.mark.parametrize(
    ("name", "body", "status", "error"),
    [
        (
            "book_appointment",
            {"service": "tax return", "start": "+10d10", "customer": CAROL},
            400,
            "unknown_service",
        ),
        (
            "book_appointment",
            {"service": 999999, "start": "+10d10", "customer": CAROL},
            404,
            "not_found",
        ),
        (
            "book_appointment",
            {"service": "haircut", "start": "-1d10", "customer": CAROL},
            400,
            "outside_rules",
        ),
        (
            "book_appointment",
            {"service": "haircut", "start": "+10d07", "customer": CAROL},
            400,
            "outside_rules",
        ),
        (
            "book_appointment",
            {"service": "haircut", "start": "2026-13-01T10:00", "customer": CAROL},
            400,
            "invalid",
        ),
        (
            "book_appointment",
            {"service": "haircut", "start": "2030-01-07T10:00:00", "customer": CAROL},
            400,
            "invalid",
        ),
        (
            "book_appointment",
            {"service": "haircut", "start": "+10d10", "customer": {"name": "X", "phone": "12"}},
            400,
            "invalid",
        ),
        ("book_appointment", {"service": "haircut", "start": "+10d10"}, 400, "invalid"),
        ("book_appointment", ["not", "an", "object"], 400, "invalid"),
        ("check_availability", {"service": "haircut"}, 400, "invalid"),
        ("check_availability", {"service": "haircut", "date": "2020-01-01"}, 400, "invalid"),
        (
            "check_availability",
            {"service": "tax return", "date": "2030-01-01"},
            400,
            "unknown_service",
        ),
        (
            "check_availability",
            {"service": "haircut", "from": "2030-01-01", "to": "2030-06-01"},
            400,
            "outside_rules",
        ),
        (
            "reschedule_appointment",
            {"reference": "GB-20300101-001", "start": "+10d10"},
            404,
            "not_found",
        ),
        ("reschedule_appointment", {"reference": "nonsense", "start": "+10d10"}, 404, "not_found"),
        ("cancel_appointment", {"reference": "GB-20300101-001"}, 404, "not_found"),
        ("cancel_appointment", {}, 400, "invalid"),
        ("find_appointment", {}, 400, "invalid"),
        ("find_appointment", {"reference": "GB-20300101-001"}, 404, "not_found"),
        ("match_service", {}, 400, "invalid"),
    ],
)
def test_bad_input_is_a_clean_4xx(tools, haircut, ana, monday, name, body, status, error) -> None:
    if isinstance(body, dict) and isinstance(body.get("start"), str) and body["start"][0] in "+-":
        days, hour = body["start"][1:].split("d")
        sign = 1 if body["start"][0] == "+" else -1
        body = {
            **body,
            "start": at(
                monday + timedelta(days=sign * int(days) - 7 if sign < 0 else int(days)), int(hour)
            ).isoformat(),
        }
    response = post(tools, name, body)
    assert response.status_code == status, response.json()
    assert response.json()["error"] == error


def test_another_business_reference_is_a_404(
    business, haircut, ana, monday, other_business: Business, api_client_for
) -> None:
    appointment = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        customer=CustomerDetails("C", "4155550123"),
    )
    theirs = api_client_for(other_business, "tools")
    for name, body in [
        ("find_appointment", {"reference": appointment.reference}),
        ("cancel_appointment", {"reference": appointment.reference}),
        (
            "reschedule_appointment",
            {"reference": appointment.reference, "start": at(monday, 11).isoformat()},
        ),
    ]:
        response = post(theirs, name, body)
        assert response.status_code == 404, (name, response.json())
    assert post(theirs, "find_appointment", {"phone": "4155550123"}).json() == {"appointments": []}
    appointment.refresh_from_db()
    assert appointment.status == "booked" and appointment.start == at(monday, 10)


def test_tools_need_the_tools_scope(business, api_client_for, haircut) -> None:
    admin_only = api_client_for(business, "admin")
    assert post(admin_only, "match_service", {"query": "cut"}).status_code == 403
    assert (
        APIClient().post("/api/v1/tools/match_service", {"query": "x"}, format="json").status_code
        == 401
    )


def test_an_invocation_with_a_call_id_is_recorded_on_that_call(
    tools, business, haircut, ana, monday
) -> None:
    from calls.models import Call, ToolInvocation

    response = post(
        tools,
        "book_appointment",
        {
            "service": "ladies cut",
            "start": at(monday, 10).isoformat(),
            "customer": CAROL,
            "call_id": "gw-call-1",
        },
    )
    assert response.status_code == 201
    failed = post(
        tools, "cancel_appointment", {"reference": "GB-20300101-009", "call_id": "gw-call-1"}
    )
    assert failed.status_code == 404
    call = Call.objects.get(business=business, call_id="gw-call-1")
    invocations = list(ToolInvocation.objects.filter(call=call).order_by("id"))
    assert [(i.name, i.ok) for i in invocations] == [
        ("book_appointment", True),
        ("cancel_appointment", False),
    ]
    assert invocations[0].result["reference"] == response.json()["reference"]
    assert invocations[1].result["error"] == "not_found"
    assert all(i.latency_ms >= 0 for i in invocations)
    assert Appointment.objects.get(reference=response.json()["reference"]).call == call


def test_a_call_id_of_another_business_creates_nothing_in_theirs(
    tools, business, other_business, haircut, ana, monday
) -> None:
    from calls.models import Call

    post(tools, "match_service", {"query": "haircut", "call_id": "shared-id"})
    assert Call.objects.filter(business=business, call_id="shared-id").exists()
    assert not Call.objects.filter(business=other_business).exists()


def test_check_availability_costs_three_queries_however_many_staff(
    tools, business, haircut, ana, ben, monday, django_assert_max_num_queries
) -> None:
    post(tools, "match_service", {"query": "warm up the key"})
    body = {"service": haircut.pk, "from": str(monday), "to": str(monday + timedelta(days=13))}
    with django_assert_max_num_queries(3):  # key; service + staff + hours; exceptions + bookings
        response = post(tools, "check_availability", body)
    assert response.status_code == 200
    assert len(response.json()["slots"]) > 100
