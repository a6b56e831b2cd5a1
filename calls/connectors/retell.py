"""Retell's webhook (`{"event": ..., "call": {call object}}`, docs.retellai.com/features/webhook
and the call object of retell-python-sdk's PhoneCallResponse) as our call events.

Every Retell event carries the whole call object, so each delivery restates what it knows:
the start (from, to, agent), the transcript so far (`transcript_object`, one line per
utterance, by position), the tools called with their results (`transcript_with_tool_calls`)
and, once ended, the end. A call first seen through any of them is complete; deliveries in
any order converge on the same call.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from calls.connectors.mapping import (
    InvalidPayload,
    Mapped,
    content_hash,
    event_make,
    from_epoch_ms,
    json_object,
    list_of,
    ms,
    str_of,
    text_of,
)

PLATFORM = "retell"
EVENTS = ("call_started", "transcript_updated", "call_ended", "call_analyzed")
ENDED_EVENTS = ("call_ended", "call_analyzed")
SPEAKERS = {"user": "caller", "agent": "agent", "transfer_target": "agent"}


def retell_delivery_map(payload: Any, *, received_at: datetime) -> Mapped:
    if not isinstance(payload, dict) or not isinstance(payload.get("event"), str):
        raise InvalidPayload(
            "A Retell webhook names its event.", {"event": "Required: the event's name."}
        )
    kind = payload["event"]
    if kind not in EVENTS:
        return Mapped(kind=kind, ignored=True)
    call = payload.get("call")
    if not isinstance(call, dict) or not isinstance(call.get("call_id"), str):
        raise InvalidPayload(
            "A Retell webhook carries its call.", {"call.call_id": "Required: the call's id."}
        )
    call_id = call["call_id"]
    start = from_epoch_ms(call.get("start_timestamp")) or received_at
    ended = kind in ENDED_EVENTS or call.get("call_status") in ("ended", "error")
    mapped = Mapped(kind=kind, call_id=call_id)
    mapped.events.append(_started(call_id, call, start))
    mapped.events.extend(_lines(call_id, call, start, ended=ended))
    mapped.events.extend(_tools(call_id, call, start, ended=ended))
    if ended:
        mapped.events.append(_ended(call_id, call, start, received_at))
    analysis = call.get("call_analysis")
    if kind == "call_analyzed" and isinstance(analysis, dict):
        mapped.analysis = analysis
    return mapped


def _started(call_id: str, call: dict[str, Any], start: datetime) -> dict[str, Any]:
    # A withheld number must not lose the call: without both numbers it cannot be filed as
    # a phone call (CONTRACTS §3 needs them for pstn), so it is filed without them.
    phone = call.get("call_type") == "phone_call" and bool(
        call.get("from_number") and call.get("to_number")
    )
    agent = text_of(call.get("agent_name"), limit=120) or text_of(call.get("agent_id"), limit=120)
    data = {
        "from": call.get("from_number") or "",
        "to": call.get("to_number") or "",
        "channel": "pstn" if phone else "webrtc",
        "agent": agent.strip() or "Retell agent",
    }
    return event_make(
        platform=PLATFORM, call_id=call_id, kind="started", suffix="", occurred_at=start, data=data
    )


def _lines(
    call_id: str, call: dict[str, Any], start: datetime, *, ended: bool
) -> list[dict[str, Any]]:
    utterances = call.get("transcript_object")
    if not isinstance(utterances, list):
        return []
    events = []
    for seq, utterance in enumerate(utterances):
        if not isinstance(utterance, dict) or str_of(utterance.get("role")) not in SPEAKERS:
            continue
        start_ms, end_ms = _span(utterance)
        # Mid-call, the last utterance may still be growing: partial until a later update
        # (or the end) restates it; the lines before it are done.
        final = ended or seq < len(utterances) - 1
        text = utterance.get("content")
        data = {
            "seq": seq,
            "speaker": SPEAKERS[str_of(utterance["role"])],
            "text": text,
            "start_ms": start_ms,
            "end_ms": end_ms,
            "final": final,
        }
        events.append(
            event_make(
                platform=PLATFORM,
                call_id=call_id,
                kind="seg",
                suffix=f"{seq}:{content_hash(text, final)}",
                occurred_at=start + timedelta(milliseconds=end_ms),
                data=data,
            )
        )
    return events


def _span(utterance: dict[str, Any]) -> tuple[int, int]:
    words = [w for w in list_of(utterance.get("words")) if isinstance(w, dict)]
    if not words:
        return 0, 0
    start_ms = ms(words[0].get("start"), scale=1000) or 0
    end_ms = ms(words[-1].get("end"), scale=1000) or start_ms
    return start_ms, max(start_ms, end_ms)


def _tools(
    call_id: str, call: dict[str, Any], start: datetime, *, ended: bool
) -> list[dict[str, Any]]:
    """A tool call once its result is known (or the call ended without one: a failure)."""
    items = call.get("transcript_with_tool_calls")
    if not isinstance(items, list):
        return []
    invocations: dict[str, tuple[dict[str, Any], int]] = {}
    results: dict[str, dict[str, Any]] = {}
    offset_ms = 0  # where in the call we are: the end of the utterance before the tool
    for item in items:
        if not isinstance(item, dict):
            continue
        role = str_of(item.get("role"))
        if role in SPEAKERS:
            offset_ms = _span(item)[1] or offset_ms
        elif role == "tool_call_invocation" and isinstance(item.get("tool_call_id"), str):
            invocations[item["tool_call_id"]] = (item, offset_ms)
        elif role == "tool_call_result" and isinstance(item.get("tool_call_id"), str):
            results[item["tool_call_id"]] = item
    events = []
    for tool_call_id, (invocation, at_ms) in invocations.items():
        result = results.get(tool_call_id)
        if result is None and not ended:
            continue  # still running: the next update brings its result
        if result is None:
            outcome: dict[str, Any] = {"error": "Retell reported no result for this tool call."}
            ok = False
        else:
            outcome = json_object(result.get("content"), key="content")
            ok = result.get("successful") is not False
        data = {
            "name": text_of(invocation.get("name"), limit=100),
            "arguments": json_object(invocation.get("arguments"), key="arguments"),
            "result": outcome,
            "ok": ok,
            "latency_ms": 0,  # Retell does not time tool calls
        }
        events.append(
            event_make(
                platform=PLATFORM,
                call_id=call_id,
                kind="tool",
                suffix=tool_call_id[:60],
                occurred_at=start + timedelta(milliseconds=at_ms),
                data=data,
            )
        )
    return events


def _end_reason(reason: Any) -> str:
    if reason == "user_hangup":
        return "caller_hangup"
    if isinstance(reason, str) and (reason == "call_transfer" or reason.startswith("transfer_")):
        return "transferred"
    if isinstance(reason, str) and reason.startswith(("error", "dial_")):
        return "error"
    if reason in ("invalid_destination", "sip_routing_error", "concurrency_limit_reached"):
        return "error"
    return "agent_hangup"  # agent_hangup, inactivity, max duration, voicemail: our side ended it


def _ended(
    call_id: str, call: dict[str, Any], start: datetime, received_at: datetime
) -> dict[str, Any]:
    end = from_epoch_ms(call.get("end_timestamp"))
    duration_ms = ms(call.get("duration_ms"))
    if duration_ms is None:
        duration_ms = int((end - start).total_seconds() * 1000) if end else 0
    data = {
        "reason": _end_reason(call.get("disconnection_reason")),
        "duration_s": max(0, duration_ms) / 1000,
    }
    return event_make(
        platform=PLATFORM,
        call_id=call_id,
        kind="ended",
        suffix="",
        occurred_at=end or received_at,
        data=data,
    )
