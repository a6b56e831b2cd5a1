"""Storing call events (CONTRACTS §3): one transaction per batch, a fixed number of queries
per batch whatever its size, idempotent by event id, tolerant of order and of first sight.
One implementation on PostgreSQL and SQLite (the embedded test run exercises production's
code): the ORM's select_for_update and bulk_create(update_conflicts=True), and one portable
INSERT ... ON CONFLICT DO NOTHING RETURNING for the events.

After commit: one live update per call touched (calls.live.broadcast) and, for calls that
just ended, their post-call analysis queued (calls.tasks).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from calls.alerts.services import call_alerts_detect
from calls.ingest import group_commit
from calls.ingest.validation import Event
from calls.live import broadcast as live
from calls.models import Call, CallEvent, ToolInvocation, TranscriptSegment, TurnMetric
from calls.tasks import calls_analysis_queue
from console.privacy.encryption import blind_index
from console.privacy.phones import phone_mask
from console.tenancy.models import Business

RETRIES = 3


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    duplicates: int


@dataclass
class CallChange:
    """What one batch did to one call: what the live views need to redraw."""

    call: Call
    created: bool = False
    ended_now: bool = False
    segments: dict[int, TranscriptSegment] = field(default_factory=dict)
    tools_added: int = 0
    before: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.before = {name: getattr(self.call, name) for name in _CALL_UPDATE_FIELDS}

    def changed(self) -> dict[str, Any]:
        return {
            name: getattr(self.call, name)
            for name in _CALL_UPDATE_FIELDS
            if getattr(self.call, name) != self.before[name]
        }


def call_events_ingest(*, business: Business, events: list[Event]) -> IngestResult:
    """Store valid events (see calls.ingest.validation.events_parse). Safe to retry.

    With INGEST_GROUP_COMMIT, requests that arrive while another request's transaction is
    running share the next transaction (calls.ingest.group_commit): under load, one set of
    round trips serves many requests."""
    if settings.INGEST_GROUP_COMMIT:
        return group_commit.grouped(
            call_events_store, (business, events), before_wait=_connection_give_back
        )
    return call_events_store([(business, events)])[0]


def _connection_give_back() -> None:
    # While another request's transaction stores our events, our connection goes back to
    # the pool: a group is not capped by the pool's size.
    if not connection.in_atomic_block:
        connection.close()


def call_events_store(items: list[tuple[Business, list[Event]]]) -> list[IngestResult]:
    """Store several requests' events in one transaction; a result per request, in order.
    Each request's events were validated: nothing but a race can fail here, and a race
    (a concurrent request stored one of these events, or created one of these calls, first)
    is retried, what it stored then counting as duplicates."""
    for attempt in range(RETRIES):
        try:
            return _store_once(items)
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _store_once(items: list[tuple[Business, list[Event]]]) -> list[IngestResult]:
    merged: dict[int, tuple[Business, dict[str, Event]]] = {}
    for business, events in items:
        unique = merged.setdefault(business.pk, (business, {}))[1]
        for event in events:
            unique.setdefault(event.id, event)  # a repeat, here or elsewhere, is a duplicate
    fresh: set[tuple[int, str]] = set()
    with transaction.atomic():
        for business, unique in merged.values():
            fresh |= {(business.pk, eid) for eid in _ingest_once(business, list(unique.values()))}
    results = []
    for business, events in items:
        accepted = 0
        for event in events:
            key = (business.pk, event.id)
            if key in fresh:
                fresh.discard(key)  # only its first sending is accepted
                accepted += 1
        results.append(IngestResult(accepted=accepted, duplicates=len(events) - accepted))
    return results


def tool_invocation_record(
    *,
    business: Business,
    call_id: str,
    name: str,
    arguments: dict[str, Any],
    result: dict[str, Any],
    ok: bool,
    latency_ms: int,
    occurred_at: datetime | None = None,
) -> None:
    """A tool the voice agent called through our tools API, tied to its call.

    Creates the call on first sight; the live views update once the caller's transaction
    commits.
    """
    when = occurred_at or timezone.now()
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                calls = _calls_lock(business=business, first_seen={call_id: when})
                change = CallChange(call=calls[call_id][0], created=calls[call_id][1])
                ToolInvocation.objects.create(
                    call=change.call,
                    name=name[:100],
                    arguments=arguments,
                    result=result,
                    ok=ok,
                    latency_ms=max(0, int(latency_ms)),
                    occurred_at=when,
                    source="tools_api",
                )
                _tool_apply(change, name=name[:100], ok=ok, latency_ms=latency_ms)
                _touch(change.call, when)
                change.call.save()
                transaction.on_commit(_broadcaster(change), robust=True)
                call_alerts_detect(business=business, changes=[change])  # live alerts
            return
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise


def _broadcaster(change: CallChange) -> Any:
    """The live update of one change, as a named function: a robust on_commit logs a failure
    by the callable's name, which a functools.partial lacks (the logging itself raised)."""

    def calls_broadcast_on_commit() -> None:
        live.calls_broadcast(changes=[change])

    return calls_broadcast_on_commit


def _ingest_once(business: Business, events: list[Event]) -> set[str]:
    """Inside the transaction: one business's events, each id once. Returns the ids stored
    now (the others were stored before)."""
    unique = {e.id: e for e in events}
    now = timezone.now()
    # Lock (or create) the calls, then let the unique index sort new events from known
    # ones: INSERT ... ON CONFLICT DO NOTHING RETURNING, one statement for the batch.
    calls = _calls_lock(business=business, first_seen=_first_seen(unique.values()))
    stored = _events_insert(business, calls, list(unique.values()), now)
    fresh = [e for e in unique.values() if e.id in stored]
    if not fresh:
        return set()
    touched = {e.call_id for e in fresh}
    changes = {
        cid: CallChange(call=call, created=created)
        for cid, (call, created) in calls.items()
        if cid in touched
    }

    segments = [e for e in fresh if e.type == "transcript.segment"]
    turns = [e for e in fresh if e.type == "turn.metrics"]
    tools = [e for e in fresh if e.type == "tool.invoked"]
    # Apply in the order things happened, so "last" means latest, whatever the arrival.
    for event in sorted(fresh, key=lambda e: e.occurred_at):
        change = changes[event.call_id]
        _touch(change.call, event.occurred_at)
        if event.type == "call.started":
            _started_apply(change.call, event)
        elif event.type == "call.ended":
            if change.call.status != Call.Status.ENDED:
                change.ended_now = True
            _ended_apply(change.call, event)
        elif event.type == "tool.invoked":
            _tool_apply(
                change,
                name=event.data["name"],
                ok=event.data["ok"],
                latency_ms=event.data["latency_ms"],
            )
    if segments:
        _segments_upsert(changes, segments)
    if turns:
        _turns_upsert(changes, turns)
    if tools:
        ToolInvocation.objects.bulk_create(
            [
                ToolInvocation(
                    call=changes[e.call_id].call,
                    name=e.data["name"],
                    arguments=e.data["arguments"],
                    result=e.data["result"],
                    ok=e.data["ok"],
                    latency_ms=e.data["latency_ms"],
                    occurred_at=e.occurred_at,
                )
                for e in tools
            ]
        )
    for change in changes.values():
        if change.call.status == Call.Status.RINGING and change.call.segment_count:
            change.call.status = Call.Status.LIVE
        change.call.updated_at = now
    for change in changes.values():
        # A plain UPDATE per call of what changed: batches touch a few calls, and
        # bulk_update's CASE expressions over every column cost more than they save
        # (and would re-encrypt the phone numbers each time).
        Call.objects.filter(pk=change.call.pk).update(**change.changed())

    ended = [c.call.pk for c in changes.values() if c.ended_now]
    transaction.on_commit(lambda: live.calls_broadcast(changes=changes.values()), robust=True)
    # Live alerts (calls.alerts): stored with the lines that raise them, sent after the above.
    call_alerts_detect(business=business, changes=changes.values())
    if ended:
        transaction.on_commit(lambda: calls_ended(call_ids=ended), robust=True)
    return stored


def calls_ended(*, call_ids: list[int]) -> None:
    """After the transaction that ended these calls (pks) commits: queue their analysis.

    A broker hiccup must not fail an ingest that has already committed: the beat sweep
    (calls_analysis_sweep) picks up any call left unanalysed."""
    try:
        calls_analysis_queue(call_pks=call_ids)
    except Exception:
        logger.exception("Could not queue the analysis of calls %s", call_ids)


_CALL_UPDATE_FIELDS = [
    "agent",
    "channel",
    "from_number",
    "from_masked",
    "from_hash",
    "to_number",
    "to_masked",
    "to_hash",
    "status",
    "started_at",
    "ended_at",
    "duration_s",
    "end_reason",
    "has_start_event",
    "segment_count",
    "tool_count",
    "turn_count",
    "last_seq",
    "last_speaker",
    "last_text",
    "last_tool_name",
    "last_tool_ok",
    "last_tool_latency_ms",
    "last_turn",
    "last_turn_latency_ms",
    "last_event_at",
    "updated_at",
]


def _first_seen(events: Iterable[Event]) -> dict[str, datetime]:
    first_seen: dict[str, datetime] = {}
    for event in events:
        seen = first_seen.get(event.call_id)
        if seen is None or event.occurred_at < seen:
            first_seen[event.call_id] = event.occurred_at
    return first_seen


def _events_insert(
    business: Business, calls: dict[str, tuple[Call, bool]], events: list[Event], now: datetime
) -> set[str]:
    """Stores the events not stored before; returns their ids. One statement, the same SQL on
    PostgreSQL and SQLite (ON CONFLICT ... RETURNING): Django's bulk_create cannot say which
    rows ignore_conflicts skipped, and that is exactly what a retry needs to know."""
    meta = CallEvent._meta
    payload = meta.get_field("payload")
    columns = ["business_id", "call_id", "event_id", "type", "occurred_at", "received_at"]
    params: list[Any] = []
    for e in events:
        params += [business.pk, calls[e.call_id][0].pk, e.id, e.type]
        params += [_datetime(e.occurred_at), _datetime(now)]
        params.append(payload.get_db_prep_value(e.raw, connection))
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {meta.db_table} ({', '.join(columns)}, payload)"  # noqa: S608 (names from the model)
            f" VALUES {', '.join([row] * len(events))}"
            " ON CONFLICT (business_id, event_id) DO NOTHING RETURNING event_id",
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def _datetime(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _latest_wins(events: list[Event], key: Any) -> dict[Any, Event]:
    """Per key, the event that stands: a final line beats a partial one, then the latest."""
    chosen: dict[Any, Event] = {}
    for event in sorted(events, key=lambda e: e.occurred_at):
        k = key(event)
        current = chosen.get(k)
        if current is None or event.data.get("final", True) or not current.data.get("final", True):
            chosen[k] = event
    return chosen


def _known(
    model: Any, changes: dict[str, CallChange], keys: set[tuple[int, int]], field: str, last: str
) -> dict[tuple[int, int], bool]:
    """Which of these (call pk, number) rows exist already, with their `final` flag (True for
    models without one). Only numbers up to the call's last one can exist (the call is locked
    and `last` is its highest stored), so the usual batch, the next lines, costs no query."""
    last_by_pk = {c.call.pk: getattr(c.call, last) for c in changes.values()}
    maybe = {(pk, n) for pk, n in keys if last_by_pk[pk] is not None and n <= last_by_pk[pk]}
    if not maybe:
        return {}
    values = [field, "call_id"] + (["final"] if field == "seq" else [])
    rows = model.objects.filter(
        call_id__in={pk for pk, _ in maybe}, **{f"{field}__in": {n for _, n in maybe}}
    ).values_list(*values)
    return {(r[1], r[0]): (r[2] if len(r) > 2 else True) for r in rows}


def _segments_upsert(changes: dict[str, CallChange], events: list[Event]) -> None:
    """A later segment with the same seq replaces a partial one; a final one stays final.
    One bulk_create(update_conflicts=True) for the batch, on both databases."""
    chosen = _latest_wins(events, lambda e: (changes[e.call_id].call.pk, e.data["seq"]))
    known = _known(TranscriptSegment, changes, set(chosen), "seq", "last_seq")
    by_pk = {c.call.pk: c for c in changes.values()}
    rows: list[TranscriptSegment] = []
    for (call_pk, seq), e in sorted(chosen.items(), key=lambda item: item[0][1]):
        if known.get((call_pk, seq)) and not e.data["final"]:
            continue  # a late partial never overwrites the final line
        change = by_pk[call_pk]
        d = e.data
        segment = TranscriptSegment(
            call=change.call,
            seq=seq,
            speaker=d["speaker"],
            text=d["text"],
            start_ms=d["start_ms"],
            end_ms=d["end_ms"],
            final=d["final"],
            occurred_at=e.occurred_at,
        )
        rows.append(segment)
        change.segments[seq] = segment
        call = change.call
        if (call_pk, seq) not in known:
            call.segment_count += 1
        if call.last_seq is None or seq >= call.last_seq:
            call.last_seq = seq
            call.last_speaker = segment.speaker
            call.last_text = segment.text
    if rows:
        TranscriptSegment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["call", "seq"],
            update_fields=["speaker", "text", "start_ms", "end_ms", "final", "occurred_at"],
        )


def _turns_upsert(changes: dict[str, CallChange], events: list[Event]) -> None:
    """The latest metrics of a turn stand. One bulk_create(update_conflicts=True)."""
    chosen = _latest_wins(events, lambda e: (changes[e.call_id].call.pk, e.data["turn"]))
    known = _known(TurnMetric, changes, set(chosen), "turn", "last_turn")
    by_pk = {c.call.pk: c.call for c in changes.values()}
    rows: list[TurnMetric] = []
    for (call_pk, turn), e in sorted(chosen.items(), key=lambda item: item[0][1]):
        d = e.data
        call = by_pk[call_pk]
        rows.append(
            TurnMetric(
                call=call,
                turn=turn,
                latency_ms=d["latency_ms"],
                barge_in=d["barge_in"],
                asr_ms=d["asr_ms"],
                llm_ms=d["llm_ms"],
                tts_ms=d["tts_ms"],
                occurred_at=e.occurred_at,
            )
        )
        if (call_pk, turn) not in known:
            call.turn_count += 1
        if call.last_turn is None or turn >= call.last_turn:
            call.last_turn = turn
            call.last_turn_latency_ms = d["latency_ms"]
    TurnMetric.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["call", "turn"],
        update_fields=["latency_ms", "barge_in", "asr_ms", "llm_ms", "tts_ms", "occurred_at"],
    )


def _calls_lock(
    *, business: Business, first_seen: dict[str, datetime]
) -> dict[str, tuple[Call, bool]]:
    """The calls by gateway id, locked for this transaction; created on first sight."""
    ids = sorted(first_seen)
    found = {c.call_id: c for c in _locked(business, ids)}
    missing = [cid for cid in ids if cid not in found]
    if missing:
        Call.objects.bulk_create(
            [
                Call(
                    business=business,
                    call_id=cid,
                    started_at=first_seen[cid],
                    last_event_at=first_seen[cid],
                )
                for cid in missing
            ],
            ignore_conflicts=True,
        )
        found.update({c.call_id: c for c in _locked(business, missing)})
    created = set(missing)
    return {cid: (found[cid], cid in created) for cid in ids}


def _locked(business: Business, ids: Iterable[str]) -> list[Call]:
    # Ordered by id so that two batches touching the same calls lock them in the same order.
    return list(
        Call.objects.select_for_update()
        .filter(business=business, call_id__in=list(ids))
        .order_by("id")
    )


def _touch(call: Call, when: datetime) -> None:
    if call.last_event_at is None or when > call.last_event_at:
        call.last_event_at = when
    if not call.has_start_event and when < call.started_at:
        call.started_at = when


def _started_apply(call: Call, event: Event) -> None:
    data = event.data
    call.has_start_event = True
    call.started_at = event.occurred_at
    call.channel = data["channel"]
    call.agent = data["agent"]
    for side in ("from", "to"):
        number = data[side]
        setattr(call, f"{side}_number", number)
        setattr(call, f"{side}_masked", phone_mask(number))
        setattr(call, f"{side}_hash", blind_index(number) if number else "")


def _ended_apply(call: Call, event: Event) -> None:
    call.status = Call.Status.ENDED
    call.ended_at = event.occurred_at
    call.duration_s = event.data["duration_s"]
    call.end_reason = event.data["reason"]


def _tool_apply(change: CallChange, *, name: str, ok: bool, latency_ms: int) -> None:
    call = change.call
    call.tool_count += 1
    call.last_tool_name = name
    call.last_tool_ok = ok
    call.last_tool_latency_ms = latency_ms
    change.tools_added += 1
    if call.status == Call.Status.RINGING:
        call.status = Call.Status.LIVE
