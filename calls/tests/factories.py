"""Calls made the way the gateway makes them: through the ingest service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from calls.ingest import call_events_ingest
from calls.models import Call
from calls.validation import events_parse
from console.tenancy.models import Business

_ids = count(1)


def raw_event(
    call_id: str, etype: str, data: dict[str, Any], *, at: datetime | None = None
) -> dict[str, Any]:
    return {
        "id": f"evt-{next(_ids)}",
        "type": etype,
        "call_id": call_id,
        "occurred_at": (at or datetime.now(UTC)).isoformat(),
        "data": data,
    }


def ingest(business: Business, *events: dict[str, Any]) -> None:
    call_events_ingest(
        business=business, events=events_parse({"events": list(events)}, region="US")
    )


def call_start(business: Business, call_id: str = "gw-1", *, number: str = "+14155550123") -> Call:
    ingest(
        business,
        raw_event(
            call_id,
            "call.started",
            {"from": number, "to": "+14155550199", "channel": "pstn", "agent": "Ava"},
            at=datetime.now(UTC) - timedelta(seconds=30),
        ),
    )
    return Call.objects.get(business=business, call_id=call_id)


def say(
    business: Business,
    call_id: str,
    seq: int,
    text: str,
    *,
    speaker: str = "caller",
    final: bool = True,
) -> None:
    ingest(
        business,
        raw_event(
            call_id,
            "transcript.segment",
            {
                "seq": seq,
                "speaker": speaker,
                "text": text,
                "start_ms": 0,
                "end_ms": 10,
                "final": final,
            },
        ),
    )


def hang_up(business: Business, call_id: str) -> None:
    ingest(
        business, raw_event(call_id, "call.ended", {"reason": "caller_hangup", "duration_s": 30})
    )
