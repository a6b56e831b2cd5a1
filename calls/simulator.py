"""Plays scripted calls (calls/simulator_scripts/*.json) through the real ingest endpoint,
with real timing: partial lines, turn latencies, tool calls, hang-ups; several at once.

A script is data: its steps are agent or caller lines and tool calls. The tool calls go to
the real tools API (CONTRACTS §4), so a call that books, moves or cancels does it in the
book, and the agent's next lines are filled from the real answers (the free time it found,
the reference it got): what the demo's agent says is what the book shows.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from calls.connectors.dialects import PlatformSender

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
    # "booking": played by a caller this simulation booked before (to move or cancel it).
    needs: str = ""


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
                needs=raw.get("needs", ""),
            )
        )
    return scripts


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


# --- What the agent says: placeholders filled from the real tool results -----------------

_PLACEHOLDER = re.compile(r"\{([a-z_][\w.]*)(?:\|(\w+))?\}")
_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty"}


def number_spoken(n: int) -> str:
    if n < 20:
        return _NUMBERS[n]
    if n < 60:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_NUMBERS[ones]}" if ones else "")
    return str(n)


def time_spoken(moment: datetime) -> str:
    """14:30 → "two thirty in the afternoon", as the agent says it (the moment's own zone)."""
    hour, minute = moment.hour, moment.minute
    if (hour, minute) == (12, 0):
        return "twelve noon"
    clock = number_spoken(hour % 12 or 12)
    if minute:
        clock += " " + (f"oh {number_spoken(minute)}" if minute < 10 else number_spoken(minute))
    part = "in the morning" if hour < 12 else "in the afternoon" if hour < 17 else "in the evening"
    return f"{clock} {part}"


def reference_spoken(reference: str) -> str:
    """GB-20261204-004 → "G B, 20261204, four" (CONTRACTS §5: lookups forgive all of it)."""
    prefix, _, rest = reference.partition("-")
    day, _, number = rest.partition("-")
    spoken = number_spoken(int(number)) if number.isdigit() else number
    return f"{' '.join(prefix)}, {day}, {spoken}"


_FILTERS = {
    "time": lambda v: time_spoken(datetime.fromisoformat(v)),
    "day": lambda v: datetime.fromisoformat(v).strftime("%A"),
    "ref": reference_spoken,
}


def _lookup(names: dict[str, Any], path: str) -> Any:
    value: Any = names
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise KeyError(path)
    return value


def _present(names: dict[str, Any], path: str) -> bool:
    try:
        return bool(_lookup(names, path))
    except KeyError:
        return False


def _fill(value: Any, names: dict[str, Any]) -> Any:
    """Placeholders `{path}` or `{path|time|day|ref}` replaced from `names`; a string that is
    one placeholder alone keeps the value's type (an id stays a number)."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and not whole.group(2):
            return _lookup(names, whole.group(1))

        def one(match: re.Match[str]) -> str:
            found = _lookup(names, match.group(1))
            return str(_FILTERS[match.group(2)](found) if match.group(2) else found)

        return _PLACEHOLDER.sub(one, value)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


def _applies(step: dict[str, Any], names: dict[str, Any]) -> bool:
    wanted = step.get("if", [])
    refused = step.get("if_not", [])
    wanted = [wanted] if isinstance(wanted, str) else wanted
    refused = [refused] if isinstance(refused, str) else refused
    return all(_present(names, p) for p in wanted) and not any(_present(names, p) for p in refused)


ACTIVE = ("booked", "confirmed")


def _result_names(name: str, result: dict[str, Any]) -> dict[str, Any]:
    """The tool's reply, plus what the agent picks from it: the two times it offers (the first
    free one, and one at least three hours later) and the one the caller takes (the later);
    of the appointments found, the ones still to come."""
    out = dict(result)
    if name == "check_availability":
        slots = [s for s in result.get("slots", []) if isinstance(s, dict)]
        offers = slots[:1]
        if slots:
            first = datetime.fromisoformat(slots[0]["start"])
            later = [
                s for s in slots if datetime.fromisoformat(s["start"]) - first >= timedelta(hours=3)
            ]
            offers += later[:1]
        out["offers"] = offers
        out["choice"] = offers[-1] if offers else None
    if name == "find_appointment":
        out["active"] = [a for a in result.get("appointments", []) if a.get("status") in ACTIVE]
    return out


# Calls a voice-agent tool for real: (name, body) → (HTTP status, JSON reply).
Tools = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]]]


def call_events(
    script: Script,
    *,
    business_name: str,
    caller: str,
    called: str,
    start: datetime,
    rng: random.Random,
    tools: Tools,
) -> Iterator[TimedEvent]:
    """Every event of one call with its offset in seconds, in the order they happen.

    A tool step calls the real tools API (CONTRACTS §4) through `tools`, with the call's id,
    at the moment the call reaches it: the console records the invocation on the call, and
    the agent's next lines are filled from what the tool really answered. Steps with `if` /
    `if_not` run only when those results are (not) there; `stop` ends the call."""
    today = start.date()
    friday, saturday, monday = (_next_weekday(today, d) for d in (4, 5, 0))
    names: dict[str, Any] = {
        "business": business_name,
        "caller": caller,
        "today": today.isoformat(),
        "friday": friday.isoformat(),
        "saturday": saturday.isoformat(),
        "monday": monday.isoformat(),
        # The Friday of next week (Monday's week): "from {monday} to {friday}" ran backwards
        # on every call placed Monday to Thursday, and the clinic's calls never booked.
        "next_week_friday": (monday + timedelta(days=4)).isoformat(),
        "week_after_friday": (friday + timedelta(days=6)).isoformat(),
        "week_after_saturday": (saturday + timedelta(days=6)).isoformat(),
    }
    call_id = f"sim-{uuid.uuid4().hex[:12]}"

    def event(at: float, etype: str, data: dict[str, Any]) -> TimedEvent:
        return TimedEvent(
            at_s=round(at, 3),
            event={
                "id": f"evt_{uuid.uuid4().hex}",
                "type": etype,
                "call_id": call_id,
                "occurred_at": (start + timedelta(seconds=at)).isoformat(),
                "data": data,
            },
        )

    yield event(
        0,
        "call.started",
        {"from": caller, "to": called, "channel": script.channel, "agent": script.agent},
    )
    t, seq, turn = 0.6, 0, 0
    for raw_step in script.steps:
        if not _applies(raw_step, names):
            continue
        if "tool" in raw_step:
            body = {**_fill(raw_step.get("arguments", {}), names), "call_id": call_id}
            began = time.monotonic()
            _status, result = tools(raw_step["tool"], body)
            t += max(0.05, time.monotonic() - began)
            if "as" in raw_step:
                names[raw_step["as"]] = _result_names(raw_step["tool"], result)
            continue
        step = _fill({k: v for k, v in raw_step.items() if k in ("agent", "caller")}, names)
        speaker = "agent" if "agent" in step else "caller"
        text = step[speaker][:1].upper() + step[speaker][1:]  # a line may open on a filled-in time
        words = text.split()
        speaking = max(0.6, len(words) / WORDS_PER_SECOND)
        start_ms = int(t * 1000)
        if speaker == "agent":
            turn += 1
            asr, llm, tts = rng.randint(80, 200), rng.randint(250, 900), rng.randint(90, 250)
            latency = asr + llm + tts
            t += latency / 1000
            yield event(
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
            partial = event(
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
            if raw_step.get("barge_in"):  # the caller talks over the agent, just after it starts
                yield event(
                    t + 0.2, "turn.metrics", {"turn": turn, "latency_ms": 0, "barge_in": True}
                )
            yield partial
        t += speaking
        yield event(
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
        if raw_step.get("stop"):
            break
    yield event(t, "call.ended", {"reason": script.end, "duration_s": round(t)})


def call_timeline(script: Script, **kwargs: Any) -> list[TimedEvent]:
    """The whole call at once (its tools called as it goes): for tests and tools."""
    return list(call_events(script, **kwargs))


def _post(url: str, key: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return urllib.request.Request(  # noqa: S310 (our own server's URL)
        url,
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
        method="POST",
    )


class Sender:
    """POSTs events to /api/v1/events; a failed send is retried with the same event id,
    which the endpoint makes harmless."""

    def __init__(self, url: str, key: str, *, retries: int = 8) -> None:
        self.endpoint = url.rstrip("/") + "/api/v1/events"
        self.key = key
        self.retries = retries

    def send(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        body = events[0] if len(events) == 1 else {"events": events}
        for attempt in range(self.retries):
            try:
                with urllib.request.urlopen(  # noqa: S310
                    _post(self.endpoint, self.key, body), timeout=10
                ) as response:
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


class ToolClient:
    """The voice agent's side of the tools API (CONTRACTS §4): a 4xx is an answer the agent
    speaks to (slot taken, unknown service), a 5xx or no answer is retried, with one
    Idempotency-Key per invocation so a retried booking books once."""

    def __init__(self, url: str, key: str, *, retries: int = 6) -> None:
        self.base = url.rstrip("/") + "/api/v1/tools/"
        self.key = key
        self.retries = retries

    def __call__(self, name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        for attempt in range(self.retries):
            try:
                with urllib.request.urlopen(  # noqa: S310
                    _post(self.base + name, self.key, body, headers), timeout=10
                ) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 429:
                    return exc.code, json.loads(exc.read() or b"{}")
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(min(5.0, 0.25 * 2**attempt))
        raise RuntimeError(f"could not reach {self.base}{name}")


@dataclass
class Target:
    """A business to feed: its name (said by the agent), kind and a key with the `ingest` and
    `tools` scopes. `callers` are the numbers this simulation booked for, who may call back
    to move or cancel."""

    name: str
    kind: str
    key: str
    # Set to speak a voice platform's dialect to a connector instead of the events API:
    # (platform, webhook URL, secret). calls.connectors.dialects.
    connector: tuple[str, str, str] | None = None
    region_prefix: str = "+1415555"
    callers: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def caller_booked(self, phone: str) -> None:
        with self.lock:
            if phone not in self.callers:
                self.callers.append(phone)
            del self.callers[:-50]

    def caller_pick(self, rng: random.Random) -> str | None:
        with self.lock:
            return rng.choice(self.callers) if self.callers else None

    def caller_forget(self, phone: str) -> None:
        with self.lock:
            if phone in self.callers:
                self.callers.remove(phone)


def call_play(
    script: Script,
    *,
    target: Target,
    sender: Sender | PlatformSender,
    tools: Tools,
    speed: float,
    rng: random.Random,
) -> int:
    caller = (target.caller_pick(rng) if script.needs else None) or (
        f"{target.region_prefix}{rng.randint(1000, 9999)}"
    )

    def tools_seen(name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, result = tools(name, body)
        if name == "book_appointment" and status == 201:
            target.caller_booked(caller)
        if name == "cancel_appointment" and result.get("status") == "cancelled":
            target.caller_forget(caller)
        return status, result

    began = time.monotonic()
    count = 0
    for item in call_events(
        script,
        business_name=target.name,
        caller=caller,
        called=f"{target.region_prefix}0100",
        start=datetime.now(UTC),
        rng=rng,
        tools=tools_seen,
    ):
        if speed > 0:
            delay = item.at_s / speed - (time.monotonic() - began)
            if delay > 0:
                time.sleep(delay)
        sender.send([item.event])
        count += 1
    return count


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
        sender: Sender | PlatformSender = (
            PlatformSender(
                target.connector[1], platform=target.connector[0], secret=target.connector[2]
            )
            if target.connector
            else Sender(url, target.key)
        )
        tools = ToolClient(url, target.key)
        while True:
            with lock:
                if calls is not None:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
            fitting = [
                s for s in scripts if target.kind in s.kinds and (not s.needs or target.callers)
            ]
            script = rng.choice(fitting)
            if log:
                log(f"{target.name}: {script.title}")
            try:
                n = call_play(
                    script, target=target, sender=sender, tools=tools, speed=speed, rng=rng
                )
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
