"""The pipeline's input: a finished call as plain data (no ORM), so steps are easy to test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Line:
    speaker: str  # "caller" or "agent"
    text: str
    start_ms: int = 0
    end_ms: int = 0


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]
    ok: bool
    latency_ms: int = 0


@dataclass(frozen=True)
class ServiceOption:
    id: int | None
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallInput:
    lines: tuple[Line, ...]
    tools: tuple[ToolCall, ...] = ()
    services: tuple[ServiceOption, ...] = ()
    business_kind: str = "salon"
    region: str = "US"
    from_number: str = ""
    duration_s: int | None = None
    end_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def caller_lines(self) -> list[str]:
        return [line.text for line in self.lines if line.speaker == "caller"]

    @property
    def caller_text(self) -> str:
        return "\n".join(self.caller_lines)
