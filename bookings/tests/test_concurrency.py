"""Under real concurrency (threads, each with its own connection) the database decides:
one booking per slot, and references without gaps or duplicates."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection

from bookings.models import Appointment, Service, StaffMember
from bookings.services import CustomerDetails, SlotUnavailable, appointment_book
from bookings.tests.conftest import at
from console.tenancy.models import Business

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def run_concurrently(count: int, work) -> list[object]:
    results: list[object] = [None] * count
    barrier = threading.Barrier(count)

    def target(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_fifty_bookings_of_one_slot_give_one_booking_and_49_clean_refusals(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    start = at(monday, 10)

    def work(i: int) -> Appointment:
        return appointment_book(
            business=business,
            service=haircut,
            staff=ana,
            start=start,
            customer=CustomerDetails(f"C{i}", f"+1415555{i:04d}"),
        )

    results = run_concurrently(50, work)
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"Appointment": 1, "SlotUnavailable": 49}, kinds
    assert all(r.alternatives for r in results if isinstance(r, SlotUnavailable))
    assert Appointment.objects.count() == 1


def test_concurrent_bookings_of_distinct_slots_number_without_gaps(
    business: Business, haircut: Service, monday: date
) -> None:
    from bookings.catalog.services import HoursInterval, staff_create

    people = [
        staff_create(
            business=business,
            name=f"Staff {n}",
            service_ids=[haircut.pk],
            hours=[HoursInterval(monday.weekday(), at(monday, 8).time(), at(monday, 20).time())],
        )
        for n in range(3)
    ]

    def work(i: int) -> Appointment:
        return appointment_book(
            business=business,
            service=haircut,
            staff=people[i % 3],
            start=at(monday, 8) + timedelta(hours=i // 3),
            customer=CustomerDetails(f"C{i}", f"+1415555{i:04d}"),
        )

    results = run_concurrently(30, work)
    assert all(isinstance(r, Appointment) for r in results), results
    numbers = sorted(int(r.reference.rsplit("-", 1)[1]) for r in results)
    assert numbers == list(range(1, 31))


def test_concurrent_retries_with_one_idempotency_key_book_once(
    business: Business, haircut: Service, ana: StaffMember, monday: date, api_client_for
) -> None:
    from rest_framework.test import APIClient

    secret_client = api_client_for(business, "tools")
    auth = secret_client._credentials["HTTP_AUTHORIZATION"]
    body = {
        "service": haircut.pk,
        "start": at(monday, 10).isoformat(),
        "customer": {"name": "Carol", "phone": "+14155550123"},
    }

    def work(i: int) -> tuple[int, dict]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=auth)
        response = client.post(
            "/api/v1/tools/book_appointment", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1"
        )
        return response.status_code, response.json()

    results = run_concurrently(10, work)
    assert all(not isinstance(r, Exception) for r in results), results
    assert {status for status, _ in results} == {201}
    assert len({data["reference"] for _, data in results}) == 1
    assert Appointment.objects.count() == 1
