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

from django.db import IntegrityError, transaction
from django.utils import timezone

from calls import hooks, live
from calls.models import Call, CallEvent, ToolInvocation, TranscriptSegment, TurnMetric
from calls.validation import Event
from console.encryption import blind_index
from console.models import Business
from console.phones import phone_mask

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
            return
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise


def _ingest_once(*, business: Business, events: list[Event]) -> IngestResult:
    with transaction.atomic():
        known = set(
            CallEvent.objects.filter(
                business=business, event_id__in={e.id for e in events}
            ).values_list("event_id", flat=True)
        )
        fresh: list[Event] = []
        for event in events:
            if event.id in known:
                continue
            known.add(event.id)  # a repeat inside the batch is a duplicate too
            fresh.append(event)
        duplicates = len(events) - len(fresh)
        if not fresh:
            return IngestResult(accepted=0, duplicates=duplicates)

        first_seen: dict[str, datetime] = {}
        for event in fresh:
            seen = first_seen.get(event.call_id)
            if seen is None or event.occurred_at < seen:
                first_seen[event.call_id] = event.occurred_at
        calls = _calls_lock(business=business, first_seen=first_seen)
        changes = {
            cid: CallChange(call=call, created=created) for cid, (call, created) in calls.items()
        }

        now = timezone.now()
        CallEvent.objects.bulk_create(
            [
                CallEvent(
                    business=business,
                    call=changes[e.call_id].call,
                    event_id=e.id,
                    type=e.type,
                    occurred_at=e.occurred_at,
                    received_at=now,
                    payload=e.raw,
                )
                for e in fresh
            ]
        )

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
        Call.objects.bulk_update([c.call for c in changes.values()], _CALL_UPDATE_FIELDS)

        ended = [c.call.pk for c in changes.values() if c.ended_now]
        transaction.on_commit(lambda: live.calls_broadcast(changes=changes.values()), robust=True)
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
    if replaced:
        TranscriptSegment.objects.bulk_update(
            replaced, ["speaker", "text", "start_ms", "end_ms", "final", "occurred_at"]
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
    if replaced:
        TurnMetric.objects.bulk_update(
            replaced, ["latency_ms", "barge_in", "asr_ms", "llm_ms", "tts_ms", "occurred_at"]
        )
    calls_by_pk = {c.call.pk: c.call for c in changes.values()}
    for call_pk, _turn in new_keys:
        calls_by_pk[call_pk].turn_count += 1
