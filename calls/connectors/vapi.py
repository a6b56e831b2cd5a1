"""Vapi's server messages (`{"message": {"type": ..., "call": {...}, ...}}`, docs.vapi.ai
server-url/events and end-of-call-report) as our call events.

Lines come from `artifact.messages` (the live copy of the call's artifact that most messages
carry, and the full one in the end-of-call report), numbered by their position among the
spoken messages, so the live transcript and the final report agree line for line; a
`transcript` message not yet in the artifact takes the next position, partial or final as
Vapi says. Tools come from `tool-calls` (the request: Vapi asks the tool's server, which
answers Vapi, not us, so the invocation is recorded as made and its result stays empty) and,
with their results, from the artifact's `tool_calls`/`tool_call_result` messages; both give
the same event id, so a tool is stored once, by whichever arrived first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from calls.connectors.mapping import (
    InvalidPayload,
    Mapped,
    content_hash,
    event_make,
    from_epoch_ms,
    from_iso,
    json_object,
    list_of,
    ms,
    str_of,
    text_of,
)

PLATFORM = "vapi"
MESSAGES = ("status-update", "transcript", "tool-calls", "end-of-call-report")
SPEAKERS = {"user": "caller", "bot": "agent", "assistant": "agent"}
PHONE_CALLS = ("inboundPhoneCall", "outboundPhoneCall")


def vapi_delivery_map(payload: Any, *, received_at: datetime) -> Mapped:
    message = payload.get("message") if isinstance(payload, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise InvalidPayload(
            'A Vapi server message is {"message": {"type": ...}}.',
            {"message.type": "Required: the message's type."},
        )
    kind = message["type"]
    if kind not in MESSAGES:
        return Mapped(kind=kind, ignored=True)
    call = message.get("call")
    if not isinstance(call, dict) or not isinstance(call.get("id"), str):
        raise InvalidPayload(
            "A Vapi server message carries its call.", {"message.call.id": "Required."}
        )
    call_id = call["id"]
    sent_at = _moment(message.get("timestamp")) or received_at
    start = (
        from_iso(call.get("startedAt"))
        or from_iso(message.get("startedAt"))
        or from_iso(call.get("createdAt"))
        or sent_at
    )
    mapped = Mapped(kind=kind, call_id=call_id)
    mapped.events.append(_started(call_id, message, call, start))
    lines = _artifact_lines(call_id, message, start)
    mapped.events.extend(lines)
    if kind == "transcript":
        mapped.events.extend(_transcript_line(call_id, message, start, sent_at, len(lines)))
    mapped.events.extend(_artifact_tools(call_id, message, start))
    if kind == "tool-calls":
        mapped.events.extend(_requested_tools(call_id, message, sent_at))
    if kind == "end-of-call-report" or (
        kind == "status-update" and message.get("status") == "ended"
    ):
        mapped.events.append(_ended(call_id, message, call, start, sent_at))
    analysis = message.get("analysis") or call.get("analysis")
    if kind == "end-of-call-report" and isinstance(analysis, dict) and analysis:
        mapped.analysis = analysis
    return mapped


def _moment(value: Any) -> datetime | None:
    """Vapi's `timestamp` is epoch milliseconds (older messages: ISO 8601)."""
    return from_epoch_ms(value) or from_iso(value)


def _started(
    call_id: str, message: dict[str, Any], call: dict[str, Any], start: datetime
) -> dict[str, Any]:
    customer = message.get("customer") or call.get("customer") or {}
    number = message.get("phoneNumber") or call.get("phoneNumber") or {}
    assistant = message.get("assistant") or call.get("assistant") or {}
    caller = customer.get("number") if isinstance(customer, dict) else None
    called = number.get("number") if isinstance(number, dict) else None
    name = assistant.get("name") if isinstance(assistant, dict) else None
    # A phone call without both numbers cannot be filed as one (CONTRACTS §3 needs them).
    phone = call.get("type") in PHONE_CALLS and bool(caller) and bool(called)
    agent = text_of(name, limit=120) or text_of(call.get("assistantId"), limit=120)
    data = {
        "from": caller or "",
        "to": called or "",
        "channel": "pstn" if phone else "webrtc",
        "agent": agent.strip() or "Vapi assistant",
    }
    return event_make(
        platform=PLATFORM, call_id=call_id, kind="started", suffix="", occurred_at=start, data=data
    )


def _conversation(message: dict[str, Any]) -> list[dict[str, Any]]:
    artifact = message.get("artifact")
    items = artifact.get("messages") if isinstance(artifact, dict) else None
    if not isinstance(items, list):
        items = message.get("messages")  # the report's older, top-level copy
    return [m for m in list_of(items) if isinstance(m, dict)]


def _artifact_lines(call_id: str, message: dict[str, Any], start: datetime) -> list[dict[str, Any]]:
    events = []
    spoken = [m for m in _conversation(message) if str_of(m.get("role")) in SPEAKERS]
    for seq, item in enumerate(spoken):
        start_ms = ms(item.get("secondsFromStart"), scale=1000) or 0
        duration = ms(item.get("duration"))
        if duration is None and ms(item.get("endTime")) is not None:
            duration = (ms(item.get("endTime")) or 0) - (ms(item.get("time")) or 0)
        end_ms = start_ms + max(0, duration or 0)
        text = item.get("message")
        data = {
            "seq": seq,
            "speaker": SPEAKERS[str_of(item["role"])],
            "text": text,
            "start_ms": start_ms,
            "end_ms": end_ms,
            "final": True,
        }
        events.append(
            event_make(
                platform=PLATFORM,
                call_id=call_id,
                kind="seg",
                suffix=f"{seq}:{content_hash(text, True)}",
                occurred_at=from_epoch_ms(item.get("time")) or start,
                data=data,
            )
        )
    return events


def _transcript_line(
    call_id: str, message: dict[str, Any], start: datetime, sent_at: datetime, position: int
) -> list[dict[str, Any]]:
    role, text = str_of(message.get("role")), message.get("transcript")
    if role not in SPEAKERS or not isinstance(text, str):
        return []
    spoken = [m for m in _conversation(message) if str_of(m.get("role")) in SPEAKERS]
    last = spoken[-1] if spoken else {}
    if SPEAKERS.get(str_of(last.get("role"))) == SPEAKERS[role] and last.get("message") == text:
        return []  # already in the artifact, at its own position
    final = message.get("transcriptType", "final") == "final"
    at_ms = max(0, int((sent_at - start).total_seconds() * 1000))
    data = {
        "seq": position,
        "speaker": SPEAKERS[role],
        "text": text,
        "start_ms": at_ms,
        "end_ms": at_ms,
        "final": final,
    }
    return [
        event_make(
            platform=PLATFORM,
            call_id=call_id,
            kind="seg",
            suffix=f"{position}:{content_hash(text, final)}",
            occurred_at=sent_at,
            data=data,
        )
    ]


def _tool_event(
    call_id: str, tool_call: dict[str, Any], result: dict[str, Any], at: datetime
) -> dict[str, Any]:
    found = tool_call.get("function")
    function: dict[str, Any] = found if isinstance(found, dict) else {}
    name = text_of(function.get("name"), limit=100) or text_of(tool_call.get("name"), limit=100)
    arguments = function.get("arguments", tool_call.get("arguments"))
    data = {
        "name": name,
        "arguments": json_object(arguments, key="arguments"),
        "result": result,
        "ok": True,  # Vapi reports no failure flag; an error shows in the result's text
        "latency_ms": 0,  # nor a time per tool call
    }
    return event_make(
        platform=PLATFORM,
        call_id=call_id,
        kind="tool",
        suffix=str(tool_call.get("id"))[:60],
        occurred_at=at,
        data=data,
    )


def _requested_tools(call_id: str, message: dict[str, Any], sent_at: datetime) -> list[dict]:
    listed = message.get("toolCallList")
    if not isinstance(listed, list):
        listed = [
            w.get("toolCall")
            for w in list_of(message.get("toolWithToolCallList"))
            if isinstance(w, dict)
        ]
    return [
        _tool_event(call_id, tool_call, {}, sent_at)
        for tool_call in listed
        if isinstance(tool_call, dict) and isinstance(tool_call.get("id"), str)
    ]


def _artifact_tools(call_id: str, message: dict[str, Any], start: datetime) -> list[dict]:
    conversation = _conversation(message)
    results = {
        m["toolCallId"]: m
        for m in conversation
        if m.get("role") == "tool_call_result" and isinstance(m.get("toolCallId"), str)
    }
    events = []
    for item in conversation:
        if item.get("role") != "tool_calls":
            continue
        for tool_call in list_of(item.get("toolCalls")):
            if not isinstance(tool_call, dict) or not isinstance(tool_call.get("id"), str):
                continue
            answer = results.get(tool_call["id"])
            if answer is None:
                continue  # not answered yet: the next message (or the report) has it
            at = from_epoch_ms(item.get("time")) or start
            outcome = json_object(answer.get("result"), key="result")
            events.append(_tool_event(call_id, tool_call, outcome, at))
    return events


def _end_reason(reason: Any) -> str:
    text = reason if isinstance(reason, str) else ""
    if text.startswith("customer-"):
        return "caller_hangup"
    if "forward" in text or "transfer" in text:
        return "transferred"
    if "error" in text or "failed" in text or "fault" in text:
        return "error"
    return "agent_hangup"  # assistant ended it, silence, max duration, voicemail


def _ended(
    call_id: str,
    message: dict[str, Any],
    call: dict[str, Any],
    start: datetime,
    sent_at: datetime,
) -> dict[str, Any]:
    end = from_iso(message.get("endedAt")) or from_iso(call.get("endedAt")) or sent_at
    duration: float | None = None
    for name, scale in (("durationSeconds", 1.0), ("durationMs", 0.001)):
        value = message.get(name)
        if isinstance(value, int | float) and ms(value) is not None:
            duration = float(value) * scale
            break
    if duration is None:
        duration = max(0.0, (end - start).total_seconds())
    data = {
        "reason": _end_reason(message.get("endedReason") or call.get("endedReason")),
        "duration_s": duration,
    }
    return event_make(
        platform=PLATFORM, call_id=call_id, kind="ended", suffix="", occurred_at=end, data=data
    )
