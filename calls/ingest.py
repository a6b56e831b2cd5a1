"""Storing call events (CONTRACTS §3): one transaction per batch, a fixed number of queries
per batch whatever its size, idempotent by event id, tolerant of order and of first sight.

After commit: one live update per call touched (calls.live) and, for calls that just ended,
calls.hooks.calls_ended (the post-call analysis hangs there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from calls import hooks, live
from calls.alerts.services import call_alerts_detect  # live alerts
from calls.models import Call, CallEvent, ToolInvocation, TranscriptSegment, TurnMetric
from calls.validation import Event
from console.privacy.encryption import blind_index
from console.privacy.phones import phone_mask
from console.tenancy.models import Business

RETRIES = 3


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
    """Store valid events (see calls.validation.events_parse). Safe to retry."""
    for attempt in range(RETRIES):
        try:
            return _ingest_once(business=business, events=events)
        except IntegrityError:
            # A concurrent request stored one of these events (or created one of these
            # calls) first. Try again: what it stored now counts as duplicates.
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


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
                transaction.on_commit(partial(live.calls_broadcast, changes=[change]), robust=True)
                call_alerts_detect(business=business, changes=[change])  # live alerts
            return
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise


def _ingest_once(*, business: Business, events: list[Event]) -> IngestResult:
    unique: dict[str, Event] = {}
    for event in events:
        unique.setdefault(event.id, event)  # a repeat inside the batch is a duplicate too
    now = timezone.now()
    fast = connection.vendor == "postgresql"
    with transaction.atomic():
        if fast:
            # Lock (or create) the calls, then let the unique index sort new from known:
            # INSERT ... ON CONFLICT DO NOTHING RETURNING, one round trip for the batch.
            calls = _calls_lock(business=business, first_seen=_first_seen(unique.values()))
            stored = _events_insert_pg(business, calls, list(unique.values()), now)
            fresh = [e for e in unique.values() if e.id in stored]
        else:
            known = set(
                CallEvent.objects.filter(business=business, event_id__in=list(unique)).values_list(
                    "event_id", flat=True
                )
            )
            fresh = [e for e in unique.values() if e.id not in known]
            if fresh:
                calls = _calls_lock(business=business, first_seen=_first_seen(fresh))
                CallEvent.objects.bulk_create(
                    [
                        CallEvent(
                            business=business,
                            call=calls[e.call_id][0],
                            event_id=e.id,
                            type=e.type,
                            occurred_at=e.occurred_at,
                            received_at=now,
                            payload=e.raw,
                        )
                        for e in fresh
                    ]
                )
        duplicates = len(events) - len(fresh)
        if not fresh:
            return IngestResult(accepted=0, duplicates=duplicates)
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
            (_segments_upsert_pg if fast else _segments_upsert)(changes, segments)
        if turns:
            (_turns_upsert_pg if fast else _turns_upsert)(changes, turns)
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
            transaction.on_commit(lambda: hooks.calls_ended(call_ids=ended), robust=True)
        return IngestResult(accepted=len(fresh), duplicates=duplicates)


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


def _events_insert_pg(
    business: Business, calls: dict[str, tuple[Call, bool]], events: list[Event], now: datetime
) -> set[str]:
    """Stores the events not stored before; returns their ids."""
    payload = CallEvent._meta.get_field("payload")
    rows: list[tuple[Any, ...]] = []
    for e in events:
        rows.append(
            (
                business.pk,
                calls[e.call_id][0].pk,
                e.id,
                e.type,
                e.occurred_at,
                now,
                payload.get_db_prep_value(e.raw, connection),
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO calls_callevent"
            " (business_id, call_id, event_id, type, occurred_at, received_at, payload)"
            " SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[],"
            " %s::timestamptz[], %s::timestamptz[], %s::text[])"
            " ON CONFLICT (business_id, event_id) DO NOTHING RETURNING event_id",
            _columns(rows, 7),
        )
        return {row[0] for row in cursor.fetchall()}


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as one list per column: INSERT ... SELECT FROM unnest(arrays) keeps the SQL
    short and constant, so psycopg parses it once instead of once per batch size."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width


def _latest_wins(events: list[Event], key: Any) -> dict[Any, Event]:
    """Per key, the event that stands: a final line beats a partial one, then the latest."""
    chosen: dict[Any, Event] = {}
    for event in sorted(events, key=lambda e: e.occurred_at):
        k = key(event)
        current = chosen.get(k)
        if current is None or event.data.get("final", True) or not current.data.get("final", True):
            chosen[k] = event
    return chosen


def _segments_upsert_pg(changes: dict[str, CallChange], events: list[Event]) -> None:
    """One INSERT ... ON CONFLICT for the batch; the WHERE keeps a final line final."""
    chosen = _latest_wins(events, lambda e: (e.call_id, e.data["seq"]))
    text = TranscriptSegment._meta.get_field("text")
    rows: list[tuple[Any, ...]] = []
    for (call_id, seq), e in chosen.items():
        d = e.data
        rows.append(
            (
                changes[call_id].call.pk,
                seq,
                d["speaker"],
                text.get_db_prep_value(d["text"], connection),
                d["start_ms"],
                d["end_ms"],
                d["final"],
                e.occurred_at,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO calls_transcriptsegment"
            " (call_id, seq, speaker, text, start_ms, end_ms, final, occurred_at)"
            " SELECT * FROM unnest(%s::bigint[], %s::int[], %s::text[], %s::text[], %s::int[],"
            " %s::int[], %s::bool[], %s::timestamptz[])"
            " ON CONFLICT (call_id, seq) DO UPDATE SET speaker = EXCLUDED.speaker,"
            " text = EXCLUDED.text, start_ms = EXCLUDED.start_ms, end_ms = EXCLUDED.end_ms,"
            " final = EXCLUDED.final, occurred_at = EXCLUDED.occurred_at"
            " WHERE NOT calls_transcriptsegment.final OR EXCLUDED.final"
            " RETURNING id, call_id, seq, (xmax = 0)",
            _columns(rows, 8),
        )
        written = cursor.fetchall()
    by_pk = {c.call.pk: c for c in changes.values()}
    for pk, call_pk, seq, inserted in sorted(written, key=lambda r: r[2]):
        change = by_pk[call_pk]
        e = chosen[(change.call.call_id, seq)]
        d = e.data
        segment = TranscriptSegment(
            pk=pk,
            call=change.call,
            seq=seq,
            speaker=d["speaker"],
            text=d["text"],
            start_ms=d["start_ms"],
            end_ms=d["end_ms"],
            final=d["final"],
            occurred_at=e.occurred_at,
        )
        change.segments[seq] = segment
        call = change.call
        if inserted:
            call.segment_count += 1
        if call.last_seq is None or seq >= call.last_seq:
            call.last_seq = seq
            call.last_speaker = segment.speaker
            call.last_text = segment.text


def _turns_upsert_pg(changes: dict[str, CallChange], events: list[Event]) -> None:
    chosen = _latest_wins(events, lambda e: (e.call_id, e.data["turn"]))
    rows: list[tuple[Any, ...]] = []
    for (call_id, turn), e in chosen.items():
        d = e.data
        rows.append(
            (
                changes[call_id].call.pk,
                turn,
                d["latency_ms"],
                d["barge_in"],
                d["asr_ms"],
                d["llm_ms"],
                d["tts_ms"],
                e.occurred_at,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO calls_turnmetric"
            " (call_id, turn, latency_ms, barge_in, asr_ms, llm_ms, tts_ms, occurred_at)"
            " SELECT * FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::bool[], %s::int[],"
            " %s::int[], %s::int[], %s::timestamptz[])"
            " ON CONFLICT (call_id, turn) DO UPDATE SET latency_ms = EXCLUDED.latency_ms,"
            " barge_in = EXCLUDED.barge_in, asr_ms = EXCLUDED.asr_ms,"
            " llm_ms = EXCLUDED.llm_ms, tts_ms = EXCLUDED.tts_ms,"
            " occurred_at = EXCLUDED.occurred_at"
            " RETURNING call_id, turn, (xmax = 0)",
            _columns(rows, 8),
        )
        written = cursor.fetchall()
    by_pk = {c.call.pk: c.call for c in changes.values()}
    for call_pk, turn, inserted in written:
        call = by_pk[call_pk]
        if inserted:
            call.turn_count += 1
        if call.last_turn is None or turn >= call.last_turn:
            call.last_turn = turn
            call.last_turn_latency_ms = chosen[(call.call_id, turn)].data["latency_ms"]


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
    if connection.vendor == "postgresql":
        # The same query, written out: compiling it was a sixth of the CPU of a single-event
        # request (bench/ingest.py).
        return list(
            Call.objects.raw(
                "SELECT * FROM calls_call WHERE business_id = %s"
                " AND call_id = ANY(%s) ORDER BY id FOR UPDATE",
                [business.pk, list(ids)],
            )
        )
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


def _segments_upsert(changes: dict[str, CallChange], events: list[Event]) -> None:
    """A later segment with the same seq replaces a partial one; a final one stays final."""
    calls_by_pk = {c.call.pk: c for c in changes.values()}
    existing = {
        (call_pk, seq): (pk, final)
        for pk, call_pk, seq, final in TranscriptSegment.objects.filter(
            call_id__in=[c.call.pk for c in changes.values()],
            seq__in={e.data["seq"] for e in events},
        ).values_list("pk", "call_id", "seq", "final")
    }
    wanted: dict[tuple[int, int], TranscriptSegment] = {}
    for event in sorted(events, key=lambda e: e.occurred_at):
        change = changes[event.call_id]
        key = (change.call.pk, event.data["seq"])
        current = wanted.get(key)
        current_final = current.final if current else existing.get(key, (None, False))[1]
        if (current is not None or key in existing) and current_final and not event.data["final"]:
            continue  # a late partial never overwrites the final line
        wanted[key] = TranscriptSegment(
            pk=existing[key][0] if key in existing else None,
            call=change.call,
            seq=event.data["seq"],
            speaker=event.data["speaker"],
            text=event.data["text"],
            start_ms=event.data["start_ms"],
            end_ms=event.data["end_ms"],
            final=event.data["final"],
            occurred_at=event.occurred_at,
        )
    new_keys = {key for key, s in wanted.items() if s.pk is None}
    new = [wanted[key] for key in new_keys]
    replaced = [s for key, s in wanted.items() if key not in new_keys]
    if new:
        TranscriptSegment.objects.bulk_create(new)
    _rows_update(
        TranscriptSegment,
        replaced,
        ["speaker", "text", "start_ms", "end_ms", "final", "occurred_at"],
    )
    for (call_pk, seq), segment in wanted.items():
        change = calls_by_pk[call_pk]
        change.segments[seq] = segment
        call = change.call
        if (call_pk, seq) in new_keys:
            call.segment_count += 1
        if call.last_seq is None or seq >= call.last_seq:
            call.last_seq = seq
            call.last_speaker = segment.speaker
            call.last_text = segment.text


def _turns_upsert(changes: dict[str, CallChange], events: list[Event]) -> None:
    existing = {
        (call_pk, turn): pk
        for pk, call_pk, turn in TurnMetric.objects.filter(
            call_id__in=[c.call.pk for c in changes.values()],
            turn__in={e.data["turn"] for e in events},
        ).values_list("pk", "call_id", "turn")
    }
    wanted: dict[tuple[int, int], TurnMetric] = {}
    for event in sorted(events, key=lambda e: e.occurred_at):
        change = changes[event.call_id]
        key = (change.call.pk, event.data["turn"])
        wanted[key] = TurnMetric(
            pk=existing.get(key),
            call=change.call,
            turn=event.data["turn"],
            latency_ms=event.data["latency_ms"],
            barge_in=event.data["barge_in"],
            asr_ms=event.data["asr_ms"],
            llm_ms=event.data["llm_ms"],
            tts_ms=event.data["tts_ms"],
            occurred_at=event.occurred_at,
        )
        call = change.call
        if call.last_turn is None or event.data["turn"] >= call.last_turn:
            call.last_turn = event.data["turn"]
            call.last_turn_latency_ms = event.data["latency_ms"]
    new_keys = {key for key, m in wanted.items() if m.pk is None}
    new = [wanted[key] for key in new_keys]
    replaced = [m for key, m in wanted.items() if key not in new_keys]
    if new:
        TurnMetric.objects.bulk_create(new)
    _rows_update(
        TurnMetric,
        replaced,
        ["latency_ms", "barge_in", "asr_ms", "llm_ms", "tts_ms", "occurred_at"],
    )
    calls_by_pk = {c.call.pk: c.call for c in changes.values()}
    for call_pk, _turn in new_keys:
        calls_by_pk[call_pk].turn_count += 1


def _rows_update(model: Any, rows: list[Any], fields: list[str]) -> None:
    """Replaced rows are usually one or two (a partial line made final): plain UPDATEs are
    cheaper than bulk_update's CASE expressions until there are many."""
    if len(rows) > 10:
        model.objects.bulk_update(rows, fields)
        return
    for row in rows:
        model.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in fields})
