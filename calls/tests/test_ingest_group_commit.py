"""Group commit: requests that arrive while a transaction runs share the next one, and each
still gets its own answer (CONTRACTS §3: idempotent ids, accepted and duplicate counts)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.db import connections

from calls.ingest import group_commit
from calls.ingest.services import IngestResult, call_events_ingest, call_events_store
from calls.ingest.validation import events_parse
from calls.models import Call, CallEvent, TranscriptSegment


def _events(business, *ids: str, call: str = "gw-1", seq: int = 0):
    now = datetime.now(UTC).isoformat()
    body = {
        "events": [
            {
                "id": eid,
                "type": "transcript.segment",
                "call_id": call,
                "occurred_at": now,
                "data": {
                    "seq": seq + n,
                    "speaker": "caller",
                    "text": f"line {eid}",
                    "start_ms": 0,
                    "end_ms": 10,
                    "final": True,
                },
            }
            for n, eid in enumerate(ids)
        ]
    }
    return events_parse(body, region=business.default_region)


def test_a_lone_request_runs_at_once_and_gets_its_own_result() -> None:
    assert group_commit.grouped(lambda items: [len(i) for i in items], "abc") == 3


def test_requests_arriving_during_a_transaction_share_the_next_one() -> None:
    started, release = threading.Event(), threading.Event()
    groups: list[list[str]] = []

    def run(items: list[str]) -> list[str]:
        groups.append(list(items))
        if items == ["first"]:
            started.set()
            release.wait(5)
        return [item.upper() for item in items]

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(group_commit.grouped, run, "first")
        started.wait(5)
        others = [pool.submit(group_commit.grouped, run, name) for name in ("b", "c", "d")]
        while len(group_commit._queue) < 3:  # our module's queue, not a dependency's
            threading.Event().wait(0.01)
        release.set()
        assert first.result(5) == "FIRST"
        assert [f.result(5) for f in others] == ["B", "C", "D"]
    assert groups == [["first"], ["b", "c", "d"]]


def test_a_failing_group_fails_each_of_its_requests_and_the_next_one_still_runs() -> None:
    def run(items: list[str]) -> list[str]:
        raise RuntimeError("the disk is on fire")

    with pytest.raises(RuntimeError):
        group_commit.grouped(run, "x")
    assert group_commit.grouped(lambda items: items, "y") == "y"


@pytest.mark.django_db
def test_requests_stored_together_keep_their_own_counts_and_a_repeat_is_a_duplicate(business):
    results = call_events_store(
        [
            (business, _events(business, "e-1", "e-2")),
            (business, _events(business, "e-2", "e-3", seq=1)),  # e-2 again: a duplicate
        ]
    )
    assert results == [IngestResult(2, 0), IngestResult(1, 1)]
    assert CallEvent.objects.filter(business=business).count() == 3
    assert Call.objects.get(business=business).segment_count == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_lose_nothing_and_store_nothing_twice(business):
    def send(n: int) -> IngestResult:
        try:
            # Every id twice, from different threads: each stored once.
            return call_events_ingest(
                business=business, events=_events(business, f"e-{n % 20}", seq=n % 20)
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(send, range(40)))
    assert sum(r.accepted for r in results) == 20
    assert sum(r.duplicates for r in results) == 20
    assert CallEvent.objects.filter(business=business).count() == 20
    assert TranscriptSegment.objects.filter(call__business=business).count() == 20
    assert Call.objects.get(business=business).segment_count == 20
