"""Bookings benchmark (issue 5). Run on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/console_bench .venv/bin/python bench/bookings.py

It migrates the database, makes a fresh bench business with 10 staff and 2,000 appointments
over the coming month, and measures through the tools API, in process (server time: the
whole Django + DRF stack, no network):
  1. check_availability for one day (target p95 < 20 ms) and for 14 days (p95 < 100 ms);
  2. 50 concurrent book_appointment calls for one slot: exactly 1 booking and 49 clean 409s;
  3. 300 concurrent bookings of distinct slots on one day (50 client threads): references
     001-300 with no gap and no duplicate.
The bench business is deleted at the end (--keep keeps it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
# Messages go to memory: the bench measures booking, not SMS providers.
os.environ.setdefault("SMS_BACKEND", "bookings.sms.LocmemBackend")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

STAFF = 10
APPOINTMENTS = 2000


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="keep the bench business")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 409s are expected here
    logging.getLogger("celery").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from bookings.catalog.services import HoursInterval, service_create, staff_create
    from bookings.models import Appointment
    from bookings.services import BookingError, CustomerDetails, appointment_book
    from console.tenancy.apikeys import api_key_create
    from console.tenancy.models import Business
    from console.tenancy.services import business_create, user_create

    if not settings.USING_POSTGRES:
        print("warning: not on PostgreSQL; the targets are for PostgreSQL")
    call_command("migrate", verbosity=0)
    tag = uuid.uuid4().hex[:6]
    owner = user_create(email=f"bench-{tag}@bench.test", password=None)
    business = business_create(
        name=f"Bench Bookings {tag}",
        kind="salon",
        timezone_name="America/New_York",
        prefix="BB",
        owner=owner,
        trial_days=None,
    )
    tz = business.tz
    secret = api_key_create(business=business, name="bench", scopes=["tools"]).secret
    service = service_create(business=business, name="Standard Cut", duration_minutes=20)
    hours = [HoursInterval(d, clock(8), clock(18)) for d in range(7)]  # 30 slots of 20 min a day
    people = [
        staff_create(
            business=business, name=f"Staff {n:02d}", service_ids=[service.pk], hours=hours
        )
        for n in range(STAFF)
    ]
    today = datetime.now(tz).date()
    first_day = today + timedelta(days=1)

    # --- 2,000 appointments over the next 30 days, through the write path -------------
    started = time.perf_counter()
    rng = random.Random(5)
    free = [
        (person, first_day + timedelta(days=d), slot)
        for person in people
        for d in range(30)
        for slot in range(30)
    ]
    rng.shuffle(free)
    made = 0
    for n, (person, day, slot) in enumerate(free):
        if made >= APPOINTMENTS:
            break
        start = datetime.combine(day, clock(8), tzinfo=tz) + timedelta(minutes=20 * slot)
        try:
            appointment_book(
                business=business,
                service=service,
                staff=person,
                start=start,
                customer=CustomerDetails(f"Customer {n}", f"+1202555{n % 10000:04d}"),
                source=Appointment.Source.API,
            )
            made += 1
        except BookingError:
            continue
    print(
        f"setup: {STAFF} staff, {made} appointments over 30 days "
        f"in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def timed(body: dict[str, object]) -> tuple[float, int, int]:
        t0 = time.perf_counter()
        response = client.post("/api/v1/tools/check_availability", body, format="json")
        elapsed = (time.perf_counter() - t0) * 1000
        return elapsed, response.status_code, len(response.json().get("slots", []))

    # --- 1. check_availability -----------------------------------------------------------
    for label, span, target in (("1 day", 0, 20.0), ("14 days", 13, 100.0)):
        times: list[float] = []
        slots_seen = 0
        for i in range(args.rounds):
            day = first_day + timedelta(days=i % (30 - span))
            body: dict[str, object] = {"service": service.pk}
            if span == 0:
                body["date"] = day.isoformat()
            else:
                body["from"] = day.isoformat()
                body["to"] = (day + timedelta(days=span)).isoformat()
            elapsed, status, slots = timed(body)
            assert status == 200, status
            times.append(elapsed)
            slots_seen += slots
        verdict = "PASS" if p95(times) < target else "FAIL"
        print(
            f"check_availability {label:>7}: p50 {statistics.median(times):6.1f} ms  "
            f"p95 {p95(times):6.1f} ms  (target < {target:.0f} ms) {verdict}  "
            f"[{args.rounds} calls, {slots_seen // args.rounds} slots each on average]"
        )

    # --- 2. 50 concurrent bookings of one slot --------------------------------------------
    far_day: date = today + timedelta(days=40)
    one_slot = datetime.combine(far_day, clock(9), tzinfo=tz).isoformat()

    def book(body: dict[str, object]) -> tuple[int, str]:
        own = APIClient()
        own.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        try:
            response = own.post("/api/v1/tools/book_appointment", body, format="json")
            data = response.json()
            return response.status_code, data.get("reference") or data.get("error", "")
        finally:
            connection.close()

    barrier = threading.Barrier(50)

    def contender(i: int) -> tuple[int, str]:
        barrier.wait()
        return book(
            {
                "service": service.pk,
                "staff": people[0].pk,
                "start": one_slot,
                "customer": {"name": f"Racer {i}", "phone": f"+1303555{i:04d}"},
            }
        )

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(contender, range(50)))
    statuses = Counter(status for status, _ in results)
    codes = Counter(code for status, code in results if status != 201)
    ok = statuses == Counter({201: 1, 409: 49}) and codes == Counter({"slot_unavailable": 49})
    print(
        f"50 concurrent bookings of one slot: {statuses[201]} booked, {statuses[409]} x 409 "
        f"{dict(codes)}, other {sum(v for k, v in statuses.items() if k not in (201, 409))} "
        f"{'PASS' if ok else 'FAIL'}"
    )

    # --- 3. 300 concurrent bookings of distinct slots on one day --------------------------
    race_day = today + timedelta(days=41)
    slots = [
        (person, datetime.combine(race_day, clock(8), tzinfo=tz) + timedelta(minutes=20 * k))
        for person in people
        for k in range(30)
    ]

    def distinct(i: int) -> tuple[int, str]:
        person, start = slots[i]
        return book(
            {
                "service": service.pk,
                "staff": person.pk,
                "start": start.isoformat(),
                "customer": {"name": f"Guest {i}", "phone": f"+1404555{i:04d}"},
            }
        )

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(distinct, range(len(slots))))
    elapsed = time.perf_counter() - t0
    booked = [ref for status, ref in results if status == 201]
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in booked)
    expected = list(range(1, 301))
    ok = numbers == expected and len(set(booked)) == len(booked) == 300
    print(
        f"300 concurrent bookings of distinct slots (50 threads): {len(booked)} booked in "
        f"{elapsed:.1f} s, references {race_day:%Y%m%d}-{numbers[0]:03d}..{numbers[-1]:03d}, "
        f"gaps {len(set(expected) - set(numbers))}, duplicates {len(booked) - len(set(booked))} "
        f"{'PASS' if ok else 'FAIL'}"
    )

    if not args.keep:
        Appointment.objects.filter(business=business).delete()
        Business.objects.filter(pk=business.pk).delete()
        owner.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
