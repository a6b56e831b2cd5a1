"""Holds and bookings racing for the same time on PostgreSQL: the database decides (one
exclusion constraint over bookings_timeclaim), and an expired hold is reclaimed in the
transaction that takes its time, with no sweeper."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone
from rest_framework.test import APIClient

from bookings.holds import hold_create
from bookings.models import Appointment, Service, SlotHold, StaffMember
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at
from console.tenancy.models import Business

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

WORKERS = 40  # connections at once: PostgreSQL here allows 100, shared with others


def overlapping(intervals: list[tuple]) -> list[tuple]:
    clashes = []
    ordered = sorted(intervals)
    for (s1, e1, who1), (s2, e2, who2) in pairwise(ordered):
        if s2 < e1:
            clashes.append(((s1, e1, who1), (s2, e2, who2)))
    return clashes


def test_200_concurrent_holds_and_bookings_of_overlapping_times_never_double_book(
    business: Business, haircut: Service, ana: StaffMember, monday: date, api_client_for
) -> None:
    auth = api_client_for(business, "tools")._credentials["HTTP_AUTHORIZATION"]
    # 200 requests over 10:00–11:45 in 15-minute steps: every one overlaps several others.
    starts = [at(monday, 10) + timedelta(minutes=15 * (i % 8)) for i in range(200)]
    barrier = threading.Barrier(WORKERS)

    def work(i: int) -> tuple[int, dict]:
        try:
            if i < WORKERS:
                barrier.wait()
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=auth)
            if i % 2:
                body = {"service": haircut.pk, "start": starts[i].isoformat()}
                response = client.post("/api/v1/tools/hold_slot", body, format="json")
            else:
                body = {
                    "service": haircut.pk,
                    "start": starts[i].isoformat(),
                    "customer": {"name": f"C{i}", "phone": f"+1415555{i:04d}"},
                }
                response = client.post("/api/v1/tools/book_appointment", body, format="json")
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(work, range(200)))
    statuses = Counter(status for status, _ in results)
    assert set(statuses) <= {201, 409}, statuses  # 0 500s
    assert statuses[201] >= 2
    assert all(b["error"] == "slot_unavailable" for s, b in results if s == 409)
    now = timezone.now()
    taken = [
        (a.start, a.blocks_until, f"appointment {a.pk}")
        for a in Appointment.objects.filter(status__in=Appointment.HOLDING)
    ] + [
        (h.start, h.blocks_until, f"hold {h.pk}")
        for h in SlotHold.objects.filter(status=SlotHold.Status.HELD, expires_at__gt=now)
    ]
    assert len(taken) == statuses[201]
    assert overlapping(taken) == []  # 0 double bookings


def test_an_expired_hold_s_time_goes_to_exactly_one_of_many_racing_bookings(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    # A real expiry, not a rewritten one: its claim row is still in bookings_timeclaim.
    hold = SlotHold.objects.create(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        end=at(monday, 10, 45),
        blocks_until=at(monday, 11),
        expires_at=timezone.now() + timedelta(seconds=1),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bookings_timeclaim WHERE hold_id = %s", [hold.pk])
        assert cursor.fetchone() == (1,)
    time.sleep(1.2)
    barrier = threading.Barrier(20)

    def work(i: int) -> object:
        try:
            barrier.wait()
            if i % 2:
                return hold_create(
                    business=business, service=haircut, staff=ana, start=at(monday, 10)
                )
            return appointment_book(
                business=business,
                service=haircut,
                staff=ana,
                start=at(monday, 10),
                customer=CustomerDetails(f"C{i}", f"+1415555{i:04d}"),
            )
        except Exception as exc:  # collected and asserted on below
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(work, range(20)))
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds["SlotUnavailable"] == 19, kinds
    assert kinds["Appointment"] + kinds["SlotHold"] == 1, kinds
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bookings_timeclaim WHERE hold_id = %s", [hold.pk])
        assert cursor.fetchone() == (0,)


def test_a_hold_cannot_be_taken_over_an_appointment_even_if_python_misses_it(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123"),
    )
    with pytest.raises(IntegrityError, match="time_claim_no_overlap"):
        SlotHold.objects.create(
            business=business,
            service=haircut,
            staff=ana,
            start=at(monday, 10, 30),
            end=at(monday, 11, 15),
            blocks_until=at(monday, 11, 30),
            expires_at=timezone.now() + timedelta(minutes=5),
        )


def test_racing_bookings_of_one_hold_id_book_it_once(
    business: Business, haircut: Service, ana: StaffMember, monday: date, api_client_for
) -> None:
    auth = api_client_for(business, "tools")._credentials["HTTP_AUTHORIZATION"]
    hold = hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    barrier = threading.Barrier(20)

    def work(i: int) -> tuple[int, dict]:
        try:
            barrier.wait()
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=auth)
            if i % 2:  # a plain booking of the held time, from someone else
                body: dict = {"service": haircut.pk, "start": at(monday, 10).isoformat()}
            else:
                body = {"hold_id": hold.pk}
            body["customer"] = {"name": f"C{i}", "phone": f"+1415555{i:04d}"}
            response = client.post("/api/v1/tools/book_appointment", body, format="json")
            return response.status_code, response.json()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(work, range(20)))
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: 19}, results
    (booked,) = [b for s, b in results if s == 201]
    assert booked["customer"]["name"] in {f"C{i}" for i in range(0, 20, 2)}  # a holder's
    assert Appointment.objects.get().reference == booked["reference"]
    assert SlotHold.objects.get(pk=hold.pk).status == SlotHold.Status.BOOKED


def test_truncating_the_book_forgets_its_claims_too(
    business: Business, haircut: Service, ana: StaffMember, monday: date
) -> None:
    appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Carol", "+14155550123"),
    )
    hold_create(business=business, service=haircut, staff=ana, start=at(monday, 14))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bookings_timeclaim")
        assert cursor.fetchone() == (2,)
        cursor.execute("TRUNCATE bookings_appointment, bookings_slothold CASCADE")
        cursor.execute("SELECT count(*) FROM bookings_timeclaim")
        assert cursor.fetchone() == (0,)
