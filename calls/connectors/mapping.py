"""What both platforms' mappings share: the call events they produce (plain dicts in the
shape of CONTRACTS §3, checked afterwards by calls.validation like any gateway's), and the
stable event ids that make a repeated delivery a duplicate.

An event id is `<platform>:<platform call id>:<kind>[:<position>][:<content hash>]`: the same
delivery maps to the same ids, so ingest counts it as duplicates and changes nothing; a line
whose text changed (a partial made final) gets a new id and replaces the old one.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_MS = 2_147_483_647


class InvalidPayload(Exception):
    """The platform's payload lacks what a call needs (its call id, its event kind)."""

    def __init__(self, message: str, fields: dict[str, str]) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


@dataclass
class Mapped:
    """A delivery as our events, plus what the platform concluded about the call (kept
    beside our analysis). `kind` is the platform's event kind; `ignored` says we do not map it."""

    kind: str
    call_id: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    analysis: dict[str, Any] | None = None
    ignored: bool = False


def content_hash(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


def event_make(
    *, platform: str, call_id: str, kind: str, suffix: str, occurred_at: datetime, data: dict
) -> dict[str, Any]:
    event_type = {
        "started": "call.started",
        "seg": "transcript.segment",
        "tool": "tool.invoked",
        "ended": "call.ended",
    }[kind]
    event_id = f"{platform}:{call_id}:{kind}" + (f":{suffix}" if suffix else "")
    return {
        "id": event_id,
        "type": event_type,
        "call_id": call_id,
        "occurred_at": occurred_at.isoformat(),
        "data": data,
    }


def from_epoch_ms(value: Any) -> datetime | None:
    """A platform's milliseconds since the epoch, or None if it is not a usable one."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    try:
        moment = datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment if 2000 <= moment.year <= 2999 else None


def from_iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or not 2000 <= moment.year <= 2999:
        return None
    return moment


def ms(value: Any, *, scale: float = 1.0) -> int | None:
    """A duration or offset as whole milliseconds (None when absent or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return max(0, min(MAX_MS, round(value * scale)))


def json_object(value: Any, *, key: str) -> dict[str, Any]:
    """Tool arguments and results arrive as objects or as JSON text: always an object."""
    if isinstance(value, str):
        try:
            parsed: Any = json.loads(value)
        except ValueError:
            return {key: value}
        value = parsed
    if isinstance(value, dict):
        return value
    if value is None:
        return {}
    return {key: value}


def text_of(value: Any, *, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def list_of(value: Any) -> list[Any]:
    """A field that should be a list, as one (anything else: empty)."""
    return value if isinstance(value, list) else []


def str_of(value: Any) -> str:
    """A field that should be a string, as one (anything else: empty): safe to look up in
    a dict, which a list or an object sent in its place would not be."""
    return value if isinstance(value, str) else ""
