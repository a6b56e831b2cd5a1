"""Call events as the gateway sends them (CONTRACTS §3): checked by hand, field by field.

A hand-written check, not a DRF serializer: this is the ingest hot path (thousands of events
a second), and it must turn any JSON whatsoever into field-level messages, never a 500.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.privacy.phones import InvalidPhoneNumber, phone_to_e164

MAX_BATCH = 500
MAX_ID = 128
MAX_TEXT = 20_000
MAX_INT = 2_147_483_647  # the database's integer columns

EVENT_TYPES = ("call.started", "transcript.segment", "tool.invoked", "turn.metrics", "call.ended")
CHANNELS = ("pstn", "webrtc", "mobile")
SPEAKERS = ("caller", "agent")
END_REASONS = ("caller_hangup", "agent_hangup", "transferred", "error")


@dataclass(slots=True)
class Event:
    """One valid event; `data` is normalised (phones in E.164, defaults filled in)."""

    id: str
    type: str
    call_id: str
    occurred_at: datetime
    data: dict[str, Any]
    raw: dict[str, Any]


class InvalidEvents(Exception):
    """`fields` maps the event's index (as a string) to {field: message}."""

    def __init__(self, message: str, fields: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


def events_parse(body: Any, *, region: str) -> list[Event]:
    """The body (one event or {"events": [...]}) as valid events, or raise InvalidEvents."""
    if isinstance(body, dict) and "events" in body and "type" not in body:
        items = body["events"]
        if not isinstance(items, list):
            raise InvalidEvents("'events' must be a list.", {"events": "Must be a list."})
        if not items:
            raise InvalidEvents("The batch is empty.", {"events": "Send at least one event."})
        if len(items) > MAX_BATCH:
            raise InvalidEvents(
                f"A batch holds at most {MAX_BATCH} events.",
                {"events": f"At most {MAX_BATCH} events, got {len(items)}."},
            )
    elif isinstance(body, dict):
        items = [body]
    else:
        raise InvalidEvents(
            'The body must be an event object or {"events": [...]}.',
            {"non_field_errors": "Expected a JSON object."},
        )
    events: list[Event] = []
    errors: dict[str, dict[str, str]] = {}
    for index, item in enumerate(items):
        problems: dict[str, str] = {}
        event = _event_parse(item, region=region, problems=problems)
        if problems:
            errors[str(index)] = problems
        elif event is not None:
            events.append(event)
    if errors:
        raise InvalidEvents(
            f"{len(errors)} of {len(items)} events are invalid; nothing was stored.", errors
        )
    return events


def _event_parse(item: Any, *, region: str, problems: dict[str, str]) -> Event | None:
    if not isinstance(item, dict):
        problems["non_field_errors"] = "An event must be a JSON object."
        return None
    event_id = _identifier(item, "id", problems)
    event_type = item.get("type")
    if event_type not in EVENT_TYPES:
        problems["type"] = f"Must be one of: {', '.join(EVENT_TYPES)}."
    call_id = _identifier(item, "call_id", problems)
    occurred_at = _timestamp(item.get("occurred_at"), "occurred_at", problems)
    data = item.get("data")
    if not isinstance(data, dict):
        problems["data"] = "Must be an object."
        return None
    if event_type not in EVENT_TYPES:
        return None
    normalised = _DATA_PARSERS[event_type](data, region, problems)
    try:
        # Lone surrogates survive json.loads but cannot be stored as UTF-8.
        json.dumps(item, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        problems.setdefault(
            "non_field_errors", "The event contains text that is not valid Unicode."
        )
    if problems or event_id is None or call_id is None or occurred_at is None:
        return None
    return Event(
        id=event_id,
        type=event_type,
        call_id=call_id,
        occurred_at=occurred_at,
        data=normalised,
        raw=item,
    )


def _identifier(item: dict[str, Any], name: str, problems: dict[str, str]) -> str | None:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        problems[name] = "Required: a non-empty string."
        return None
    if len(value) > MAX_ID:
        problems[name] = f"At most {MAX_ID} characters."
        return None
    if not value.isprintable():
        problems[name] = "Must not contain control characters."
        return None
    return value


def _timestamp(value: Any, name: str, problems: dict[str, str]) -> datetime | None:
    if not isinstance(value, str) or not value:
        problems[name] = "Required: an ISO 8601 time with an offset, e.g. 2026-11-24T15:04:05Z."
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems[name] = "Not an ISO 8601 time, e.g. 2026-11-24T15:04:05.120Z."
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        problems[name] = "Needs a UTC offset or Z."
        return None
    if not 2000 <= parsed.year <= 2999:
        problems[name] = "Out of range."
        return None
    return parsed


def _text(
    data: dict[str, Any],
    name: str,
    problems: dict[str, str],
    *,
    max_length: int,
    required: bool = True,
    allow_blank: bool = False,
    plain: bool = True,
) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        problems[f"data.{name}"] = "Required: a string."
        return None
    if not allow_blank and not value.strip():
        problems[f"data.{name}"] = "Must not be blank."
        return None
    if len(value) > max_length:
        problems[f"data.{name}"] = f"At most {max_length} characters."
        return None
    if plain and "\x00" in value:
        problems[f"data.{name}"] = "Must not contain NUL characters."
        return None
    return value


def _integer(
    data: dict[str, Any], name: str, problems: dict[str, str], *, required: bool = True
) -> int | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems[f"data.{name}"] = "Required: a whole number." if required else "A whole number."
        return None
    if not 0 <= value <= MAX_INT:
        problems[f"data.{name}"] = f"Must be between 0 and {MAX_INT}."
        return None
    return value


def _boolean(data: dict[str, Any], name: str, problems: dict[str, str]) -> bool | None:
    value = data.get(name)
    if not isinstance(value, bool):
        problems[f"data.{name}"] = "Required: true or false."
        return None
    return value


def _choice(
    data: dict[str, Any], name: str, choices: tuple[str, ...], problems: dict[str, str]
) -> str | None:
    value = data.get(name)
    if value not in choices:
        problems[f"data.{name}"] = f"Must be one of: {', '.join(choices)}."
        return None
    return str(value)


def _phone(
    data: dict[str, Any], name: str, region: str, problems: dict[str, str], *, required: bool
) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            problems[f"data.{name}"] = "Required: a phone number."
        return ""
    if not isinstance(value, str) or len(value) > 40:
        problems[f"data.{name}"] = "Must be a phone number as a string."
        return ""
    try:
        return phone_to_e164(value, region=region)
    except InvalidPhoneNumber as exc:
        problems[f"data.{name}"] = str(exc)
        return ""


def _call_started(data: dict[str, Any], region: str, problems: dict[str, str]) -> dict[str, Any]:
    channel = _choice(data, "channel", CHANNELS, problems)
    # A web or app caller may have no phone number; a phone call always has both.
    needs_numbers = channel == "pstn"
    return {
        "from": _phone(data, "from", region, problems, required=needs_numbers),
        "to": _phone(data, "to", region, problems, required=needs_numbers),
        "channel": channel,
        "agent": _text(data, "agent", problems, max_length=120),
    }


def _transcript_segment(
    data: dict[str, Any], region: str, problems: dict[str, str]
) -> dict[str, Any]:
    start_ms = _integer(data, "start_ms", problems)
    end_ms = _integer(data, "end_ms", problems)
    if start_ms is not None and end_ms is not None and end_ms < start_ms:
        problems["data.end_ms"] = "Must not be before start_ms."
    return {
        "seq": _integer(data, "seq", problems),
        "speaker": _choice(data, "speaker", SPEAKERS, problems),
        "text": _text(data, "text", problems, max_length=MAX_TEXT, allow_blank=True, plain=False),
        "start_ms": start_ms,
        "end_ms": end_ms,
        "final": _boolean(data, "final", problems),
    }


def _tool_invoked(data: dict[str, Any], region: str, problems: dict[str, str]) -> dict[str, Any]:
    arguments = data.get("arguments")
    if not isinstance(arguments, dict):
        problems["data.arguments"] = "Required: an object."
    result = data.get("result")
    if not isinstance(result, dict):
        problems["data.result"] = "Required: an object."
    for name, value in (("arguments", arguments), ("result", result)):
        if isinstance(value, dict) and not _finite(value):
            problems[f"data.{name}"] = "Numbers must be finite (no NaN or Infinity)."
    return {
        "name": _text(data, "name", problems, max_length=100),
        "arguments": arguments,
        "result": result,
        "ok": _boolean(data, "ok", problems),
        "latency_ms": _integer(data, "latency_ms", problems),
    }


def _turn_metrics(data: dict[str, Any], region: str, problems: dict[str, str]) -> dict[str, Any]:
    return {
        "turn": _integer(data, "turn", problems),
        "latency_ms": _integer(data, "latency_ms", problems),
        "barge_in": _boolean(data, "barge_in", problems),
        "asr_ms": _integer(data, "asr_ms", problems, required=False),
        "llm_ms": _integer(data, "llm_ms", problems, required=False),
        "tts_ms": _integer(data, "tts_ms", problems, required=False),
    }


def _call_ended(data: dict[str, Any], region: str, problems: dict[str, str]) -> dict[str, Any]:
    duration = data.get("duration_s")
    duration_s: int | None = None
    if isinstance(duration, bool) or not isinstance(duration, int | float):
        problems["data.duration_s"] = "Required: a number of seconds."
    elif not math.isfinite(duration) or not 0 <= duration <= MAX_INT:
        problems["data.duration_s"] = f"Must be between 0 and {MAX_INT}."
    else:
        duration_s = round(duration)
    return {"reason": _choice(data, "reason", END_REASONS, problems), "duration_s": duration_s}


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


_DATA_PARSERS = {
    "call.started": _call_started,
    "transcript.segment": _transcript_segment,
    "tool.invoked": _tool_invoked,
    "turn.metrics": _turn_metrics,
    "call.ended": _call_ended,
}
