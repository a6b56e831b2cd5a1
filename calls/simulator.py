"""Plays scripted calls (calls/simulator_scripts/*.json) through the real ingest endpoint,
with real timing: partial lines, turn latencies, tool calls, hang-ups; several at once.

A script is data: its steps are agent or caller lines and tool calls; this module turns it
into timed events (`call_timeline`) and sends them over HTTP (`simulation_run`).
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

SCRIPTS_DIR = Path(__file__).resolve().parent / "simulator_scripts"
WORDS_PER_SECOND = 2.8


@dataclass(frozen=True)
class Script:
    name: str
    title: str
    kinds: tuple[str, ...]
    channel: str
    agent: str
    end: str
    steps: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class TimedEvent:
    at_s: float  # seconds after the call starts
    event: dict[str, Any]


def scripts_load(directory: Path = SCRIPTS_DIR) -> list[Script]:
    scripts = []
    for path in sorted(directory.glob("*.json")):
        raw = json.loads(path.read_text())
        scripts.append(
            Script(
                name=path.stem,
                title=raw["title"],
                kinds=tuple(raw["kinds"]),
                channel=raw["channel"],
                agent=raw["agent"],
                end=raw["end"],
                steps=tuple(raw["steps"]),
            )
        )
    return scripts


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, replacement in names.items():
            value = value.replace("{" + key + "}", replacement)
        return value
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


def call_timeline(
    script: Script,
    *,
    business_name: str,
    caller: str,
    called: str,
    start: datetime,
    rng: random.Random,
) -> list[TimedEvent]:
    """Every event of one call with its offset in seconds, in the order they happen."""
    today = start.date()
    friday, saturday, monday = (_next_weekday(today, d) for d in (4, 5, 0))
    names = {
        "business": business_name,
        "caller": caller,
        "today": today.isoformat(),
        "friday": friday.isoformat(),
        "saturday": saturday.isoformat(),
        "monday": monday.isoformat(),
        "friday_compact": friday.strftime("%Y%m%d"),
        "monday_compact": monday.strftime("%Y%m%d"),
    }
    call_id = f"sim-{uuid.uuid4().hex[:12]}"
    out: list[TimedEvent] = []

    def emit(at: float, etype: str, data: dict[str, Any]) -> None:
        out.append(
            TimedEvent(
                at_s=round(at, 3),
                event={
                    "id": f"evt_{uuid.uuid4().hex}",
                    "type": etype,
                    "call_id": call_id,
                    "occurred_at": (start + timedelta(seconds=at)).isoformat(),
                    "data": data,
                },
            )
        )

    emit(
        0,
        "call.started",
        {"from": caller, "to": called, "channel": script.channel, "agent": script.agent},
    )
    t, seq, turn = 0.6, 0, 0
    for step in (_fill(s, names) for s in script.steps):
        if "tool" in step:
            latency = int(step.get("latency_ms", rng.randint(120, 400)))
            t += latency / 1000
            emit(
                t,
                "tool.invoked",
                {
                    "name": step["tool"],
                    "arguments": step.get("arguments", {}),
                    "result": step.get("result", {}),
                    "ok": bool(step.get("ok", True)),
                    "latency_ms": latency,
                },
            )
            continue
        speaker = "agent" if "agent" in step else "caller"
        text = step[speaker]
        words = text.split()
        speaking = max(0.6, len(words) / WORDS_PER_SECOND)
        start_ms = int(t * 1000)
        if speaker == "agent":
            turn += 1
            asr, llm, tts = rng.randint(80, 200), rng.randint(250, 900), rng.randint(90, 250)
            latency = asr + llm + tts
            t += latency / 1000
            emit(
                t,
                "turn.metrics",
                {
                    "turn": turn,
                    "latency_ms": latency,
                    "barge_in": False,
                    "asr_ms": asr,
                    "llm_ms": llm,
                    "tts_ms": tts,
                },
            )
            start_ms = int(t * 1000)
        else:
            # What speech recognition hears before the caller finishes: a partial line.
            half = max(1, len(words) // 2)
            emit(
                t + speaking / 2,
                "transcript.segment",
                {
                    "seq": seq,
                    "speaker": speaker,
                    "text": " ".join(words[:half]),
                    "start_ms": start_ms,
                    "end_ms": start_ms + int(speaking * 500),
                    "final": False,
                },
            )
            if step.get("barge_in"):
                emit(t + 0.2, "turn.metrics", {"turn": turn, "latency_ms": 0, "barge_in": True})
        t += speaking
        emit(
            t,
            "transcript.segment",
            {
                "seq": seq,
                "speaker": speaker,
                "text": text,
                "start_ms": start_ms,
                "end_ms": int(t * 1000),
                "final": True,
            },
        )
        seq += 1
        t += rng.uniform(0.3, 0.8)
    emit(t, "call.ended", {"reason": script.end, "duration_s": round(t)})
    out.sort(key=lambda e: e.at_s)
    return out


class Sender:
    """POSTs events to /api/v1/events; a failed send is retried with the same event id,
    which the endpoint makes harmless."""

    def __init__(self, url: str, key: str, *, retries: int = 8) -> None:
        self.endpoint = url.rstrip("/") + "/api/v1/events"
        self.key = key
        self.retries = retries

    def send(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        body = json.dumps(events[0] if len(events) == 1 else {"events": events}).encode()
        for attempt in range(self.retries):
            request = urllib.request.Request(  # noqa: S310 (our own server's URL)
                self.endpoint,
                data=body,
                headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    return json.loads(response.read())
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 429:
                    raise RuntimeError(
                        f"ingest refused events: {exc.code} {exc.read()[:500]!r}"
                    ) from exc
            except (urllib.error.URLError, OSError):
                pass  # the server is starting or restarting
            time.sleep(min(5.0, 0.25 * 2**attempt))
        raise RuntimeError(f"could not reach {self.endpoint}")


@dataclass
class Target:
    """A business to feed: its name (said by the agent), kind and an ingest key."""

    name: str
    kind: str
    key: str
    region_prefix: str = "+1415555"


def call_play(
    script: Script, *, target: Target, sender: Sender, speed: float, rng: random.Random
) -> int:
    caller = f"{target.region_prefix}{rng.randint(1000, 9999)}"
    timeline = call_timeline(
        script,
        business_name=target.name,
        caller=caller,
        called=f"{target.region_prefix}0100",
        start=datetime.now(UTC),
        rng=rng,
    )
    began = time.monotonic()
    for item in timeline:
        if speed > 0:
            delay = item.at_s / speed - (time.monotonic() - began)
            if delay > 0:
                time.sleep(delay)
        sender.send([item.event])
    return len(timeline)


def simulation_run(
    *,
    targets: list[Target],
    url: str,
    concurrency: int,
    speed: float,
    calls: int | None,
    seed: int | None = None,
    log: Any = None,
) -> int:
    """Plays calls, `concurrency` at a time per business, until `calls` calls have been
    played per business (forever if None). Returns the number of events sent."""
    scripts = scripts_load()
    sent = 0
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(target: Target, index: int, budget: list[int]) -> None:
        nonlocal sent
        rng = random.Random(None if seed is None else seed + index)
        sender = Sender(url, target.key)
        fitting = [s for s in scripts if target.kind in s.kinds]
        while True:
            with lock:
                if calls is not None:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
            script = rng.choice(fitting)
            if log:
                log(f"{target.name}: {script.title}")
            try:
                n = call_play(script, target=target, sender=sender, speed=speed, rng=rng)
            except Exception as exc:  # one bad call must not stop the others
                errors.append(exc)
                if log:
                    log(f"{target.name}: {exc}")
                if calls is not None:
                    return
                time.sleep(2)
                continue
            with lock:
                sent += n
            if speed > 0:
                time.sleep(rng.uniform(1, 6) / speed)

    threads = []
    for t_index, target in enumerate(targets):
        budget = [calls if calls is not None else 0]
        for i in range(concurrency):
            thread = threading.Thread(
                target=worker, args=(target, t_index * 100 + i, budget), daemon=True
            )
            thread.start()
            threads.append(thread)
    for thread in threads:
        thread.join()
    if errors and calls is not None:
        raise errors[0]
    return sent
