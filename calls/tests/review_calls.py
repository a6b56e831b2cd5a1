"""Finished calls for the review tests, made through the real ingest service (and so
analysed by the real pipeline through calls.hooks → Celery, eager in tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from django.test import TestCase

from calls.ingest import call_events_ingest
from calls.models import Call
from calls.validation import events_parse
from console.tenancy.models import Business

_ids = count(1)

BOOKING = [
    ("agent", "Thanks for calling, this is Ava. How can I help?"),
    ("caller", "Hi, my name is Jenny Park, I'd like to book a gel manicure for Friday."),
    ("agent", "I have 2pm. What's the best number for you?"),
    ("caller", "It's 415 555 0199. Thank you so much, that's wonderful!"),
]
ANGRY = [
    ("agent", "Thanks for calling, this is Ava."),
    ("caller", "My hair is ruined, this is unacceptable and I want a refund."),
    ("agent", "I'm sorry to hear that."),
    ("caller", "I want to speak to the manager, not a robot. Call me on 628 555 0143."),
]
PRICES = [
    ("agent", "Thanks for calling, this is Ava."),
    ("caller", "Hi, how much is a haircut?"),
    ("agent", "A haircut is 45 dollars."),
    ("caller", "Great, thanks!"),
]


def call_events(
    call_id: str,
    lines: list[tuple[str, str]],
    *,
    start: datetime | None = None,
    agent: str = "Ava",
    channel: str = "pstn",
    number: str = "+14155550123",
    tools: list[dict[str, Any]] = (),  # type: ignore[assignment]
    turns: list[tuple[int, bool]] = (),  # type: ignore[assignment]
    duration_s: int = 90,
    ended: bool = True,
) -> list[dict[str, Any]]:
    start = start or datetime.now(UTC) - timedelta(minutes=5)

    def event(etype: str, data: dict[str, Any], offset_s: float) -> dict[str, Any]:
        return {
            "id": f"evt-review-{next(_ids)}",
            "type": etype,
            "call_id": call_id,
            "occurred_at": (start + timedelta(seconds=offset_s)).isoformat(),
            "data": data,
        }

    events = [
        event(
            "call.started",
            {"from": number, "to": "+14155550100", "channel": channel, "agent": agent},
            0,
        )
    ]
    for seq, (speaker, text) in enumerate(lines):
        events.append(
            event(
                "transcript.segment",
                {
                    "seq": seq,
                    "speaker": speaker,
                    "text": text,
                    "start_ms": seq * 4000,
                    "end_ms": seq * 4000 + 3000,
                    "final": True,
                },
                seq * 4 + 3,
            )
        )
    for index, tool in enumerate(tools):
        events.append(
            event(
                "tool.invoked",
                {
                    "name": tool["name"],
                    "arguments": tool.get("arguments", {}),
                    "result": tool.get("result", {}),
                    "ok": tool.get("ok", True),
                    "latency_ms": tool.get("latency_ms", 300),
                },
                10 + index,
            )
        )
    for turn, (latency, barge) in enumerate(turns):
        events.append(
            event(
                "turn.metrics", {"turn": turn, "latency_ms": latency, "barge_in": barge}, 5 + turn
            )
        )
    if ended:
        events.append(
            event("call.ended", {"reason": "caller_hangup", "duration_s": duration_s}, duration_s)
        )
    return events


def finished_call(
    business: Business, call_id: str, lines: list[tuple[str, str]], **kw: Any
) -> Call:
    """Ingest a whole call (one batch) and return it; `call.ended` queues the analysis."""
    events = call_events(call_id, lines, **kw)
    # Tests run inside a transaction: run the after-commit hooks (the analysis) as a
    # committed ingest would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_events_ingest(business=business, events=events_parse({"events": events}, region="US"))
    return Call.objects.get(business=business, call_id=call_id)
