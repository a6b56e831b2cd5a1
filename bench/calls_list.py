"""Calls list benchmark (issue 4). Run on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/console_bench_calls \
        .venv/bin/python bench/calls_list.py [--calls 100000] [--rounds 20]

It migrates the database and, once (kept between runs unless --fresh), fills a bench
business with N ended calls and their analyses (bulk inserts; redacted transcripts drawn
from realistic templates, so full-text search has work to do). Then it requests the
reviewers' calls list through the whole Django stack in process (session, middleware, the
filtered query, the count, template rendering; no network) for a mix of filters, searches,
sorts and deep pages, and prints p50/p95 per scenario and overall. Target: p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

BUSINESS_NAME = "Bench Calls Salon"
OWNER = "bench-calls-owner@bench.test"
AGENTS = ["Ava", "Max", "Nova", "Iris"]
INTENTS = [
    "book",
    "book",
    "book",
    "reschedule",
    "cancel",
    "inquiry",
    "inquiry",
    "complaint",
    "other",
]
LINES = {
    "book": (
        "Caller: Hi, my name is [NAME], I'd like to book a {service} on {day}.\n"
        "Agent: I have {hour}pm with {staff}.\nCaller: Perfect, my number is [PHONE]."
    ),
    "reschedule": (
        "Caller: I need to move my {service} from {day} to next week.\n"
        "Agent: {day2} at {hour} works.\nCaller: Great, thanks."
    ),
    "cancel": (
        "Caller: Please cancel my {service} on {day}, reference GB-20261127-00{hour}.\n"
        "Agent: Done, it's cancelled."
    ),
    "inquiry": (
        "Caller: How much is a {service}? And are you open on {day}?\n"
        "Agent: A {service} is {price} dollars, and yes we are."
    ),
    "complaint": (
        "Caller: My {service} was a disaster, this is unacceptable and I want a refund.\n"
        "Agent: I'm sorry, I'll ask the manager to call you at [PHONE]."
    ),
    "other": "Caller: Hello? Sorry, wrong number.\nAgent: No problem, have a nice {day}.",
}
SERVICES = ["haircut", "colour", "gel manicure", "pedicure", "blow dry", "balayage", "brow wax"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def fill(business, n: int) -> None:  # type: ignore[no-untyped-def]
    from calls.models import Call, CallAnalysis

    rng = random.Random(4)
    now = datetime.now(UTC)
    batch = 5000
    made = 0
    while made < n:
        size = min(batch, n - made)
        calls = []
        for i in range(size):
            start = now - timedelta(seconds=rng.randint(60, 90 * 86400))
            duration = rng.randint(5, 600)
            calls.append(
                Call(
                    business=business,
                    call_id=f"bench-{made + i:07d}",
                    agent=rng.choice(AGENTS),
                    channel=rng.choice(["pstn", "pstn", "webrtc", "mobile"]),
                    from_number="+14155550123",
                    from_masked="+1 ••• ••• 0123",
                    status="ended",
                    started_at=start,
                    ended_at=start + timedelta(seconds=duration),
                    duration_s=duration,
                    end_reason="caller_hangup",
                    has_start_event=True,
                    segment_count=6,
                )
            )
        Call.objects.bulk_create(calls, batch_size=1000)
        analyses = []
        for call in calls:
            intent = rng.choice(INTENTS)
            text = LINES[intent].format(
                service=rng.choice(SERVICES),
                day=rng.choice(DAYS),
                day2=rng.choice(DAYS),
                hour=rng.randint(1, 9),
                staff=rng.choice(["Sam", "Jess", "Maria"]),
                price=rng.randint(20, 200),
            )
            sentiment = {"complaint": -0.6, "other": 0.0}.get(intent, rng.uniform(-0.2, 0.8))
            analyses.append(
                CallAnalysis(
                    call=call,
                    business=business,
                    started_at=call.started_at,
                    agent=call.agent,
                    channel=call.channel,
                    duration_s=call.duration_s,
                    analyzer_version="rules-1",
                    is_current=True,
                    redacted_transcript="Agent: Thanks for calling, this is Ava.\n" + text,
                    sentiment_score=sentiment,
                    sentiment_label="negative"
                    if sentiment <= -0.05
                    else "positive"
                    if sentiment >= 0.05
                    else "neutral",
                    intent=intent,
                    intent_confidence=0.8,
                    callback_masked="+1 ••• ••• 0123",
                    reason=rng.choice(SERVICES),
                    urgency="normal",
                    lead_score=rng.randint(0, 100),
                    escalate=intent == "complaint",
                    escalation_reason="caller asked for a human" if intent == "complaint" else "",
                    booked=intent == "book",
                )
            )
            analysis = analyses[-1]
            analysis.intent_effective = analysis.intent
            analysis.lead_score_effective = analysis.lead_score
            analysis.escalate_effective = analysis.escalate
        CallAnalysis.objects.bulk_create(analyses, batch_size=1000)
        made += size
        print(f"  {made} calls", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench business")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from calls.models import Call
    from calls.review.forms import CallFilterForm
    from calls.review.pagination import ReviewListPaginator
    from calls.review.selectors import calls_list
    from console.tenancy.models import Business, User
    from console.tenancy.services import business_create, user_create

    if not settings.USING_POSTGRES:
        print("Run it on PostgreSQL: set DATABASE_URL.")
        return 2
    call_command("migrate", verbosity=0)
    owner = User.objects.filter(email=OWNER).first() or user_create(
        email=OWNER,
        password=os.environ.get("BENCH_PASSWORD", "bench-pass-1234"),
    )
    business = Business.objects.filter(name=BUSINESS_NAME).first()
    if business is not None and (
        args.fresh or Call.objects.filter(business=business).count() != args.calls
    ):
        Call.objects.filter(business=business).delete()
    if business is None:
        business = business_create(
            name=BUSINESS_NAME,
            kind="salon",
            timezone_name="America/New_York",
            prefix="GB",
            owner=owner,
            trial_days=None,
        )
    if Call.objects.filter(business=business).count() != args.calls:
        print(f"Filling {args.calls} calls …", flush=True)
        started = time.perf_counter()
        fill(business, args.calls)
        # What autovacuum does soon after a load: statistics and the visibility map.
        with connection.cursor() as cursor:
            for table in ("calls_call", "calls_callanalysis", "calls_callreview"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"  filled in {time.perf_counter() - started:.0f} s")
    total = Call.objects.filter(business=business).count()

    client = Client()
    client.force_login(owner)
    today = datetime.now(business.tz).date()
    scenarios = {
        "first page": {},
        "page 200": {"page": 200},
        "last page": {"page": "last"},
        "100 per page": {"per_page": 100},
        "intent=book": {"intent": "book"},
        "escalated, lead>=50": {"escalated": "yes", "min_lead": 50},
        "agent+channel+sentiment": {"agent": "Nova", "channel": "webrtc", "sentiment": "positive"},
        "last 7 days, by lead": {"since": (today - timedelta(days=7)).isoformat(), "sort": "lead"},
        "duration 60-120 s": {"min_duration": 60, "max_duration": 120},
        "reviewed=no, oldest": {"reviewed": "no", "sort": "oldest"},
        "search refund": {"q": "refund"},
        "search gel manicure, by lead": {"q": "gel manicure", "sort": "lead"},
        "search balayage + intent": {"q": "balayage", "intent": "reschedule"},
    }
    everything: list[float] = []
    print(f"\n{total} calls in the bench business; {args.rounds} rounds per scenario\n")
    print(f"{'scenario':<32}{'rows':>8}{'queries':>9}{'db p50':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for name, query in scenarios.items():
        client.get("/calls/", query)  # warm
        times, db_times = [], []
        for _ in range(args.rounds):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/calls/", query)
                times.append((time.perf_counter() - started) * 1000)
            db_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            assert response.status_code == 200, response.status_code
        form = CallFilterForm(query)
        form.is_valid()
        paginator = ReviewListPaginator(calls_list(business=business, filters=form.filters()), 50)
        rows = f"{paginator.count}{'+' if paginator.capped else ''}"
        everything += times
        print(
            f"{name:<32}{rows:>8}{len(queries):>9}{p(db_times, 50):>9.1f}"
            f"{p(times, 50):>9.1f}{p(times, 95):>9.1f}"
        )
    verdict = "PASS" if p(everything, 95) < 150 else "FAIL"
    print(
        f"\nall pages: p50 {p(everything, 50):.1f} ms, p95 {p(everything, 95):.1f} ms, "
        f"max {max(everything):.1f} ms (target p95 < 150 ms): {verdict}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
