"""Reading appointments over the admin API sends full phone numbers: each read is in the
audit log (who, how many, which filters), as for customers, never the numbers themselves."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at
from console.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(business, api_client_for) -> APIClient:
    return api_client_for(business, "admin")


def test_reading_appointments_is_written_to_the_audit_log(
    admin: APIClient, business, haircut, ana, monday
) -> None:
    booked = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        customer=CustomerDetails("Carol Danvers", "+14155550123"),
    )
    listed = admin.get("/api/v1/appointments")
    assert listed.json()["results"][0]["customer"]["phone"] == "+14155550123"
    by_phone = admin.get("/api/v1/appointments", {"phone": "415 555 0123", "status": "booked"})
    assert by_phone.json()["count"] == 1
    assert admin.get("/api/v1/appointments", {"phone": "415 555 0999"}).json()["count"] == 0
    admin.get(f"/api/v1/appointments/{booked.reference}")

    entries = list(
        AuditEntry.objects.filter(action__startswith="appointments.")
        .order_by("id")
        .values_list("action", "data", "business_id", "actor_label")
    )
    assert [(action, data) for action, data, _, _ in entries] == [
        ("appointments.listed", {"count": 1, "filters": []}),
        ("appointments.listed", {"count": 1, "filters": ["phone", "status"]}),
        ("appointments.listed", {"count": 0, "filters": ["phone"]}),
        ("appointments.read", {"count": 1, "filters": []}),
    ]
    assert {business_id for _, _, business_id, _ in entries} == {business.pk}
    assert all(label.startswith("API key ") for _, _, _, label in entries)
    dumped = str(list(AuditEntry.objects.values()))
    assert "0123" not in dumped and "0999" not in dumped and "Carol" not in dumped


def test_a_refused_appointments_read_is_not_audited(admin: APIClient) -> None:
    assert admin.get("/api/v1/appointments", {"date": "nope"}).status_code == 400
    assert admin.get("/api/v1/appointments/GB-20260101-001").status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="appointments.").exists()
