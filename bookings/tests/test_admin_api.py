"""Managing the book over the API (scope `admin`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from bookings.models import Appointment, Service, StaffMember
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at
from console.tenancy.models import Business

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(business: Business, api_client_for) -> APIClient:
    return api_client_for(business, "admin")


@pytest.fixture
def theirs(other_business: Business, api_client_for) -> APIClient:
    return api_client_for(other_business, "admin")


def test_services_can_be_created_listed_updated_and_deleted(admin: APIClient) -> None:
    created = admin.post(
        "/api/v1/services",
        {
            "name": "Gel Manicure",
            "aliases": ["gel mani", "gel mani"],
            "duration_minutes": 45,
            "buffer_minutes": 10,
            "price_cents": 4500,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    service = created.json()
    assert service["aliases"] == ["gel mani"]
    assert service["active"] is True
    listed = admin.get("/api/v1/services").json()
    assert [s["name"] for s in listed["results"]] == ["Gel Manicure"]
    patched = admin.patch(f"/api/v1/services/{service['id']}", {"price_cents": 5000}, format="json")
    assert patched.json()["price_cents"] == 5000
    duplicate = admin.post(
        "/api/v1/services", {"name": "Gel Manicure", "duration_minutes": 30}, format="json"
    )
    assert duplicate.status_code == 400
    assert admin.delete(f"/api/v1/services/{service['id']}").status_code == 204
    assert admin.get(f"/api/v1/services/{service['id']}").status_code == 404


def test_a_service_with_bad_fields_is_a_400_naming_them(admin: APIClient) -> None:
    response = admin.post("/api/v1/services", {"name": "", "duration_minutes": 0}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"name", "duration_minutes"}


def test_staff_carry_their_services_and_hours_with_breaks(admin: APIClient, haircut) -> None:
    body = {
        "name": "Ana",
        "services": [haircut.pk],
        "hours": [
            {"weekday": 0, "start": "09:00", "end": "12:30"},
            {"weekday": 0, "start": "13:30", "end": "17:00"},
        ],
    }
    created = admin.post("/api/v1/staff", body, format="json")
    assert created.status_code == 201, created.json()
    staff = created.json()
    assert staff["services"] == [haircut.pk]
    assert staff["hours"] == body["hours"]
    overlapping = admin.patch(
        f"/api/v1/staff/{staff['id']}",
        {
            "hours": [
                {"weekday": 0, "start": "09:00", "end": "12:00"},
                {"weekday": 0, "start": "11:00", "end": "13:00"},
            ]
        },
        format="json",
    )
    assert overlapping.status_code == 400
    backwards = admin.patch(
        f"/api/v1/staff/{staff['id']}",
        {"hours": [{"weekday": 0, "start": "12:00", "end": "09:00"}]},
        format="json",
    )
    assert backwards.status_code == 400
    renamed = admin.patch(f"/api/v1/staff/{staff['id']}", {"name": "Ana B"}, format="json")
    assert renamed.json()["name"] == "Ana B"
    assert renamed.json()["hours"] == body["hours"]  # a partial update keeps the hours


def test_staff_exceptions_can_be_added_listed_and_removed(
    admin: APIClient, ana: StaffMember, monday: date
) -> None:
    url = f"/api/v1/staff/{ana.pk}/exceptions"
    created = admin.post(
        url,
        {"start": at(monday, 9).isoformat(), "end": at(monday, 17).isoformat(), "kind": "off"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert admin.get(url).json()["results"][0]["kind"] == "off"
    bad = admin.post(
        url,
        {"start": at(monday, 17).isoformat(), "end": at(monday, 9).isoformat(), "kind": "off"},
        format="json",
    )
    assert bad.status_code == 400
    assert admin.delete(f"{url}/{created.json()['id']}").status_code == 204


def test_customers_are_unique_by_phone_in_any_format(admin: APIClient) -> None:
    first = admin.post(
        "/api/v1/customers", {"name": "Carol", "phone": "(415) 555-0123"}, format="json"
    )
    assert first.status_code == 201
    assert first.json()["phone"] == "+14155550123"
    again = admin.post(
        "/api/v1/customers", {"name": "C", "phone": "+1 415 555 0123"}, format="json"
    )
    assert again.status_code == 409
    found = admin.get("/api/v1/customers", {"phone": "415.555.0123"}).json()["results"]
    assert [c["name"] for c in found] == ["Carol"]
    bad = admin.post("/api/v1/customers", {"name": "X", "phone": "12"}, format="json")
    assert bad.status_code == 400


def book(business, service, start, n):
    return appointment_book(
        business=business,
        service=service,
        start=start,
        customer=CustomerDetails(f"Customer {n}", f"+1415555{n:04d}"),
    )


def test_appointments_list_by_date_staff_status_and_phone(
    admin: APIClient, business, haircut, ana, ben, monday
) -> None:
    a = book(business, haircut, at(monday, 10), 1)
    b = book(business, haircut, at(monday, 10), 2)
    c = book(business, haircut, at(monday + timedelta(days=1), 10), 1)
    from bookings.services import appointment_cancel

    appointment_cancel(appointment=c)

    def refs(**params):
        response = admin.get("/api/v1/appointments", params)
        assert response.status_code == 200, response.json()
        return sorted(x["reference"] for x in response.json()["results"])

    assert refs(date=str(monday)) == sorted([a.reference, b.reference])
    assert refs(staff=a.staff_id) == sorted(
        x.reference for x in (a, b, c) if x.staff_id == a.staff_id
    )
    assert refs(status="cancelled") == [c.reference]
    assert refs(phone="415 555 0001") == sorted([a.reference, c.reference])
    assert admin.get("/api/v1/appointments", {"date": "nope"}).status_code == 400
    assert admin.get("/api/v1/appointments", {"status": "nope"}).status_code == 400


def test_the_appointments_list_costs_the_same_queries_for_more_rows(
    admin: APIClient, business, haircut, ana, ben, monday, django_assert_max_num_queries
) -> None:
    for n in range(6):
        book(business, haircut, at(monday, 9 + n % 3), n)
    with django_assert_max_num_queries(5):  # key, its last use, count, page (joined)
        response = admin.get("/api/v1/appointments")
    assert response.json()["count"] == 6


def test_the_staff_list_costs_the_same_queries_for_more_rows(
    admin: APIClient, ana, ben, django_assert_max_num_queries
) -> None:
    admin.get("/api/v1/staff")  # the key's first use also loads it and marks it used
    # The key (on PostgreSQL: the check that it has not changed), count, page, services, hours.
    with django_assert_max_num_queries(5):
        response = admin.get("/api/v1/staff")
    assert response.json()["count"] == 2


def test_appointments_are_created_moved_given_a_status_and_cancelled(
    admin: APIClient, haircut, ana, monday
) -> None:
    created = admin.post(
        "/api/v1/appointments",
        {
            "service": haircut.pk,
            "start": at(monday, 10).isoformat(),
            "customer": {"name": "Carol", "phone": "4155550123"},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    ref = created.json()["reference"]
    assert created.json()["source"] == "api"
    moved = admin.patch(
        f"/api/v1/appointments/{ref}", {"start": at(monday, 14).isoformat()}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["start"] == at(monday, 14).isoformat()
    confirmed = admin.patch(f"/api/v1/appointments/{ref}", {"status": "confirmed"}, format="json")
    assert confirmed.json()["status"] == "confirmed"
    wrong = admin.patch(f"/api/v1/appointments/{ref}", {"status": "completed"}, format="json")
    assert wrong.status_code == 409 and wrong.json()["error"] == "invalid_status"
    cancelled = admin.delete(f"/api/v1/appointments/{ref}")
    assert cancelled.json()["status"] == "cancelled"
    assert Appointment.objects.get(reference=ref).changes.count() == 4


def test_another_business_objects_are_404_everywhere(
    theirs: APIClient, business, haircut: Service, ana: StaffMember, monday
) -> None:
    appointment = book(business, haircut, at(monday, 10), 1)
    exception_url = f"/api/v1/staff/{ana.pk}/exceptions"
    for method, url in [
        ("get", f"/api/v1/services/{haircut.pk}"),
        ("patch", f"/api/v1/services/{haircut.pk}"),
        ("delete", f"/api/v1/services/{haircut.pk}"),
        ("get", f"/api/v1/staff/{ana.pk}"),
        ("delete", f"/api/v1/staff/{ana.pk}"),
        ("get", exception_url),
        ("get", f"/api/v1/customers/{appointment.customer_id}"),
        ("delete", f"/api/v1/customers/{appointment.customer_id}"),
        ("get", f"/api/v1/appointments/{appointment.reference}"),
        ("patch", f"/api/v1/appointments/{appointment.reference}"),
        ("delete", f"/api/v1/appointments/{appointment.reference}"),
    ]:
        response = getattr(theirs, method)(url, {}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    for url in ["/api/v1/services", "/api/v1/staff", "/api/v1/customers", "/api/v1/appointments"]:
        assert theirs.get(url).json()["count"] == 0
    assert (
        theirs.post(
            exception_url,
            {"start": at(monday, 9).isoformat(), "end": at(monday, 10).isoformat(), "kind": "off"},
            format="json",
        ).status_code
        == 404
    )
    appointment.refresh_from_db()
    assert appointment.status == "booked"
    haircut.refresh_from_db()
    assert haircut.active


def test_the_admin_api_needs_the_admin_scope(business, api_client_for) -> None:
    tools_only = api_client_for(business, "tools")
    assert tools_only.get("/api/v1/services").status_code == 403
    assert APIClient().get("/api/v1/services").status_code == 401


def test_reading_customers_is_written_to_the_audit_log(admin: APIClient) -> None:
    from console.audit.models import AuditEntry

    created = admin.post(
        "/api/v1/customers", {"name": "Carol", "phone": "(415) 555-0123"}, format="json"
    ).json()
    listed = admin.get("/api/v1/customers", {"phone": "415.555.0123"})
    assert listed.json()["results"][0]["phone"] == "+14155550123"
    admin.get(f"/api/v1/customers/{created['id']}")
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "data"))
    assert ("customers.listed", {"count": 1, "filters": ["phone"]}) in entries
    assert ("customers.read", {"count": 1, "filters": []}) in entries
    assert all("0123" not in str(data) for _, data in entries)  # who looked, not what
