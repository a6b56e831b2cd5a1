"""Our call events said the way Retell or Vapi would say them: the simulator's optional
dialect (`simulate_calls --dialect retell|vapi`), so a connector is exercised end to end by
the same scripted calls as the events API.

The inverse of calls.connectors.retell/vapi, for what those platforms send: Retell's
call_started, transcript_updated (the transcript so far) and call_ended; Vapi's
status-update, transcript (with the artifact so far) and end-of-call-report. Tools are not
restated: the simulated agent calls our tools API itself, which records them on the call.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from calls.connectors.signatures import retell_signature_make, vapi_signature_make

RETELL_REASONS = {
    "caller_hangup": "user_hangup",
    "agent_hangup": "agent_hangup",
    "transferred": "call_transfer",
    "error": "error_unknown",
}
VAPI_REASONS = {
    "caller_hangup": "customer-ended-call",
    "agent_hangup": "assistant-ended-call",
    "transferred": "assistant-forwarded-call",
    "error": "pipeline-error-openai-llm-failed",
}


@dataclass
class _Call:
    call_id: str
    start: datetime
    started: dict[str, Any]
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)


class DialectSpeaker:
    """Turns each of our events into the platform's deliveries (payload dicts), one call's
    state at a time."""

    def __init__(self, platform: str) -> None:
        if platform not in ("retell", "vapi"):
            raise ValueError("platform is retell or vapi")
        self.platform = platform
        self.calls: dict[str, _Call] = {}

    def deliveries(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        at = datetime.fromisoformat(event["occurred_at"])
        data = event["data"]
        if event["type"] == "call.started":
            self.calls[event["call_id"]] = _Call(event["call_id"], at, data)
        call = self.calls.get(event["call_id"])
        if call is None:
            return []
        if event["type"] == "transcript.segment":
            call.lines[data["seq"]] = data
        speak = self._retell if self.platform == "retell" else self._vapi
        payload = speak(call, event, at)
        if event["type"] == "call.ended":
            del self.calls[call.call_id]
        return [payload] if payload is not None else []

    # Retell: every event carries the whole call object.
    def _retell(self, call: _Call, event: dict[str, Any], at: datetime) -> dict[str, Any] | None:
        started = call.started
        body: dict[str, Any] = {
            "call_id": call.call_id,
            "call_type": "phone_call" if started["channel"] == "pstn" else "web_call",
            "agent_id": "agent_simulated",
            "agent_name": started["agent"],
            "direction": "inbound",
            "from_number": started["from"],
            "to_number": started["to"],
            "call_status": "ongoing",
            "start_timestamp": _epoch_ms(call.start),
        }
        if started["channel"] != "pstn":
            body.pop("from_number"), body.pop("to_number")
        kind = {"call.started": "call_started", "transcript.segment": "transcript_updated"}.get(
            event["type"]
        )
        if event["type"] in ("transcript.segment", "call.ended"):
            body["transcript_object"] = [
                {
                    "role": "agent" if line["speaker"] == "agent" else "user",
                    "content": line["text"],
                    "words": _words(line),
                }
                for _seq, line in sorted(call.lines.items())
            ]
        if event["type"] == "call.ended":
            kind = "call_ended"
            duration_ms = int(event["data"]["duration_s"] * 1000)
            body |= {
                "call_status": "ended",
                "end_timestamp": _epoch_ms(call.start) + duration_ms,
                "duration_ms": duration_ms,
                "disconnection_reason": RETELL_REASONS[event["data"]["reason"]],
            }
        return {"event": kind, "call": body} if kind else None

    # Vapi: server messages, the artifact so far on each.
    def _vapi(self, call: _Call, event: dict[str, Any], at: datetime) -> dict[str, Any] | None:
        started = call.started
        vcall = {
            "id": call.call_id,
            "type": "inboundPhoneCall" if started["channel"] == "pstn" else "webCall",
            "startedAt": call.start.isoformat(),
            "customer": {"number": started["from"]},
        }
        common = {
            "timestamp": _epoch_ms(at),
            "call": vcall,
            "phoneNumber": {"number": started["to"]},
            "assistant": {"name": started["agent"]},
        }
        if event["type"] == "call.started":
            return {"message": common | {"type": "status-update", "status": "in-progress"}}
        if event["type"] == "transcript.segment":
            data = event["data"]
            done = [line for seq, line in sorted(call.lines.items()) if seq < data["seq"]]
            return {
                "message": common
                | {
                    "type": "transcript",
                    "role": "user" if data["speaker"] == "caller" else "assistant",
                    "transcriptType": "final" if data["final"] else "partial",
                    "transcript": data["text"],
                    "artifact": {"messages": [_vapi_message(call, line) for line in done]},
                }
            }
        if event["type"] == "call.ended":
            data = event["data"]
            end = call.start + timedelta(seconds=data["duration_s"])
            lines = [line for _seq, line in sorted(call.lines.items())]
            return {
                "message": common
                | {
                    "type": "end-of-call-report",
                    "endedReason": VAPI_REASONS[data["reason"]],
                    "startedAt": call.start.isoformat(),
                    "endedAt": end.isoformat(),
                    "durationSeconds": data["duration_s"],
                    "artifact": {"messages": [_vapi_message(call, line) for line in lines]},
                }
            }
        return None


def _epoch_ms(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp() * 1000)


def _words(line: dict[str, Any]) -> list[dict[str, Any]]:
    words = line["text"].split() or [""]
    span = (line["end_ms"] - line["start_ms"]) / len(words)
    return [
        {
            "word": word,
            "start": (line["start_ms"] + i * span) / 1000,
            "end": (line["start_ms"] + (i + 1) * span) / 1000,
        }
        for i, word in enumerate(words)
    ]


def _vapi_message(call: _Call, line: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": "user" if line["speaker"] == "caller" else "bot",
        "message": line["text"],
        "time": _epoch_ms(call.start) + line["start_ms"],
        "endTime": _epoch_ms(call.start) + line["end_ms"],
        "secondsFromStart": line["start_ms"] / 1000,
        "duration": line["end_ms"] - line["start_ms"],
    }


def delivery_sign(*, platform: str, secret: str, body: bytes) -> dict[str, str]:
    """The platform's signature header for `body`."""
    if platform == "retell":
        stamp = int(time.time() * 1000)
        return {
            "X-Retell-Signature": retell_signature_make(
                secret=secret, body=body, timestamp_ms=stamp
            )
        }
    return {"X-Vapi-Signature": vapi_signature_make(secret=secret, body=body)}


class PlatformSender:
    """The simulator's Sender, speaking a platform's dialect to a connector's webhook URL;
    a failed delivery is retried as it was (the platforms retry too, and it is harmless)."""

    def __init__(self, webhook_url: str, *, platform: str, secret: str, retries: int = 8) -> None:
        self.webhook_url = webhook_url
        self.platform = platform
        self.secret = secret
        self.retries = retries
        self.speaker = DialectSpeaker(platform)

    def send(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        reply: dict[str, Any] = {"accepted": 0, "duplicates": 0}
        for event in events:
            for payload in self.speaker.deliveries(event):
                answer = self._post(json.dumps(payload).encode())
                reply["accepted"] += answer.get("accepted", 0)
                reply["duplicates"] += answer.get("duplicates", 0)
        return reply

    def _post(self, body: bytes) -> dict[str, Any]:
        for attempt in range(self.retries):
            headers = {"Content-Type": "application/json"} | delivery_sign(
                platform=self.platform, secret=self.secret, body=body
            )
            request = urllib.request.Request(  # noqa: S310 (our own server's URL)
                self.webhook_url, data=body, headers=headers, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    return dict(json.loads(response.read()))
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 429:
                    raise RuntimeError(
                        f"connector refused a delivery: {exc.code} {exc.read()[:500]!r}"
                    ) from exc
            except (urllib.error.URLError, OSError):
                pass  # the server is starting or restarting
            time.sleep(min(5.0, 0.25 * 2**attempt))
        raise RuntimeError(f"could not reach {self.webhook_url}")
