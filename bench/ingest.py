"""Ingest and live fan-out benchmark (issue 3). Run on PostgreSQL + Redis:

    DATABASE_URL=postgres://... REDIS_URL=redis://... CHANNELS_PREFIX=bench \
        .venv/bin/python bench/ingest.py [--server serve|daphne] [--workers N]

It migrates the database, makes a bench business, an ingest key and a member, starts the
ASGI server with `manage.py serve` (what production runs), and measures:
  1. sustained ingest in batches of 100 events (target >= 5,000 events/s),
  2. single-event requests (target >= 300 requests/s),
  3. with 50 live dashboards connected, 100 events/s: ingest response -> fragment received by
     every dashboard (target p95 < 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")


def _setup() -> tuple[str, str, str]:
    """(ingest key, session cookie of a member, business slug)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from console.tenancy.apikeys import api_key_create
    from console.tenancy.models import Business, Role, User
    from console.tenancy.services import business_create, membership_add, user_create

    if not settings.USING_POSTGRES or not settings.REDIS_URL:
        print("warning: not on PostgreSQL + Redis; the targets are for that setup")
    call_command("migrate", verbosity=0)
    owner = User.objects.filter(email="bench-owner@bench.test").first() or user_create(
        email="bench-owner@bench.test", password=None
    )
    business = Business.objects.filter(name="Bench Salon").first() or business_create(
        name="Bench Salon",
        kind="salon",
        timezone_name="America/New_York",
        prefix="BS",
        owner=owner,
        trial_days=None,
    )
    viewer = User.objects.filter(email="bench-desk@bench.test").first()
    if viewer is None:
        viewer = user_create(email="bench-desk@bench.test", password=None)
        membership_add(business=business, user=viewer, role=Role.FRONT_DESK, by=owner)
    key = api_key_create(business=business, name="bench", scopes=["ingest"]).secret
    client = Client()
    client.force_login(viewer)
    return key, client.cookies[settings.SESSION_COOKIE_NAME].value, business.slug


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_command(server: str, port: int, workers: int) -> list[str]:
    if server == "daphne":
        from console.management.commands.serve import daphne_command

        return daphne_command(host="127.0.0.1", port=port)
    # What production runs: `manage.py serve` (one uvicorn process per worker).
    return [
        sys.executable,
        "manage.py",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310
            return True
    except OSError:
        return False


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _segment(call_id: str, seq: int) -> dict:
    return {
        "id": f"b_{uuid.uuid4().hex}",
        "type": "transcript.segment",
        "call_id": call_id,
        "occurred_at": _now(),
        "data": {
            "seq": seq,
            "speaker": "caller" if seq % 2 else "agent",
            "text": "I'd like to book a cut and colour for Friday afternoon, please.",
            "start_ms": seq * 1000,
            "end_ms": seq * 1000 + 900,
            "final": True,
        },
    }


class _Connection:
    """One keep-alive HTTP/1.1 connection of the load generator. The load shares the server's
    two cores, and aiohttp's own work (~0.7 ms of CPU per request, measured) was a tenth of
    the machine; this writes a request and reads the reply, nothing more."""

    reopened = 0  # across all connections: replies with `Connection: close`, then a new one

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.head}"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        status = int((await self.reader.readline()).split()[1])
        length, close = None, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if length is None:
            raise RuntimeError("the reply has no Content-Length")
        await self.reader.readexactly(length)
        if close:  # the server asks for a new connection (console.server: spreading them)
            _Connection.reopened += 1
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            writer, self.reader, self.writer = self.writer, None, None
            writer.close()
            await writer.wait_closed()


async def _batches(url: str, headers: dict, seconds: float, concurrency: int) -> dict:
    sent = 0
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        nonlocal sent, errors
        seq = 0
        call_id = f"bench-batch-{uuid.uuid4().hex[:8]}-{w}"
        connection = _Connection(url, headers)
        while time.perf_counter() < deadline:
            body = {"events": [_segment(call_id, seq + i) for i in range(100)]}
            seq += 100
            t0 = time.perf_counter()
            if await connection.post(json.dumps(body).encode()) != 202:
                errors += 1
                continue
            latencies.append(time.perf_counter() - t0)
            sent += 100
        await connection.close()

    start, reopened = time.perf_counter(), _Connection.reopened
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - start
    return {
        "events_per_s": sent / elapsed,
        "requests": len(latencies),
        "errors": errors,
        "reopened": _Connection.reopened - reopened,
        "p50_ms": _pct(latencies, 50),
        "p95_ms": _pct(latencies, 95),
    }


async def _singles(url: str, headers: dict, seconds: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        nonlocal errors
        seq = 0
        call_id = f"bench-single-{uuid.uuid4().hex[:8]}-{w}"
        connection = _Connection(url, headers)
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            if await connection.post(json.dumps(_segment(call_id, seq)).encode()) != 202:
                errors += 1
                continue
            seq += 1
            latencies.append(time.perf_counter() - t0)
        await connection.close()

    start, reopened = time.perf_counter(), _Connection.reopened
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - start
    return {
        "requests_per_s": len(latencies) / elapsed,
        "errors": errors,
        "reopened": _Connection.reopened - reopened,
        "p50_ms": _pct(latencies, 50),
        "p95_ms": _pct(latencies, 95),
    }


async def _fanout(
    session,
    base: str,
    url: str,
    headers: dict,
    cookie: str,
    dashboards: int,
    rate: int,
    seconds: float,
) -> dict:
    import aiohttp

    ws_url = base.replace("http", "ws", 1) + "/ws/live/"
    received: list[dict[str, float]] = [{} for _ in range(dashboards)]
    sockets = []
    for _ in range(dashboards):
        ws = await session.ws_connect(
            ws_url, headers={"Cookie": f"sessionid={cookie}", "Origin": base}, max_msg_size=0
        )
        sockets.append(ws)

    async def listen(i: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            at = time.perf_counter()
            text = msg.data
            marker = 'data-call-id="'
            start = text.find(marker)
            while start >= 0:  # a message may carry several calls' fragments
                begin = start + len(marker)
                end = text.find('"', begin)
                received[i].setdefault(text[begin:end], at)
                start = text.find(marker, end)

    listeners = [asyncio.create_task(listen(i, ws)) for i, ws in enumerate(sockets)]
    await asyncio.sleep(0.5)
    responded: dict[str, float] = {}
    interval = 1 / rate
    run = uuid.uuid4().hex[:6]
    n = int(seconds * rate)
    t_start = time.perf_counter()

    async def one(i: int) -> None:
        cid = f"bench-fan-{run}-{i}"
        async with session.post(url, data=json.dumps(_segment(cid, 0)), headers=headers) as r:
            await r.read()
        responded[cid] = time.perf_counter()

    tasks = []
    for i in range(n):
        target = t_start + i * interval
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    sent_for = time.perf_counter() - t_start
    await asyncio.gather(*tasks)
    await asyncio.sleep(1.5)
    for ws in sockets:
        await ws.close()
    for task in listeners:
        task.cancel()
    lat: list[float] = []
    missing = 0
    for cid, t_resp in responded.items():
        times = [r.get(cid) for r in received]
        if any(t is None for t in times):
            missing += 1
            continue
        lat.append(max(0.0, max(times) - t_resp))  # type: ignore[type-var]
    return {
        "events": n,
        "achieved_rate": n / sent_for,
        "dashboards": dashboards,
        "missing": missing,
        "p50_ms": _pct(lat, 50),
        "p95_ms": _pct(lat, 95),
        "max_ms": max(lat) * 1000 if lat else None,
    }


def _pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100)[p - 1] * 1000


async def _main(args: argparse.Namespace, key: str, cookie: str) -> dict:
    import aiohttp

    base = args.url
    url = base + "/api/v1/events"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        # Warm up: connections, caches, the first queries.
        await _singles(url, headers, 2, 4)
        results: dict = {"batch_100": None, "single": None, "fanout": None}
        if args.only in (None, "batch"):
            results["batch_100"] = await _batches(
                url, headers, args.seconds, args.batch_concurrency
            )
        if args.only in (None, "single"):
            results["single"] = await _singles(url, headers, args.seconds, args.single_concurrency)
        if args.only in (None, "fanout"):
            results["fanout"] = await _fanout(
                session, base, url, headers, cookie, 50, 100, args.seconds
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", choices=["serve", "daphne"], default="serve")
    parser.add_argument("--workers", type=int, default=None, help="Default: as `serve` picks.")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batch-concurrency", type=int, default=4)
    parser.add_argument("--single-concurrency", type=int, default=16)
    parser.add_argument("--url", help="Use a running server instead of starting one.")
    parser.add_argument("--only", choices=["batch", "single", "fanout"], help="Run one test.")
    args = parser.parse_args()

    key, cookie, _slug = _setup()
    from django.conf import settings

    from console.management.commands.serve import default_workers

    workers = args.workers or default_workers()
    process = None
    if not args.url:
        import subprocess

        port = _free_port()
        args.url = f"http://127.0.0.1:{port}"
        from console.management.commands.serve import server_env
        from console.server import listeners

        # Measure what production runs: DEBUG off (DEBUG keeps every query's SQL and timing).
        env = {**server_env(), "SIMULATE": "0", "LOG_LEVEL": "WARNING", "DEBUG": "0"}
        process = subprocess.Popen(_server_command(args.server, port, workers), cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        # Every process listening, not just the first: connections opened before a process
        # listens all go to the others (and stay there).
        expected = workers if args.server == "serve" else 1
        while listeners(port) < expected or not _healthy(args.url):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit("the server did not start")
            time.sleep(0.2)
    try:
        results = asyncio.run(_main(args, key, cookie))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=15)

    b, s, f = results["batch_100"], results["single"], results["fanout"]
    db = "PostgreSQL" if settings.USING_POSTGRES else "SQLite"
    layer = "Redis" if settings.REDIS_URL else "in-memory"
    print(
        f"bench/ingest.py · {platform.python_implementation()} {platform.python_version()} · "
        f"{os.cpu_count()} CPUs · {db} + {layer} channel layer · server: {args.server} "
        f"x{workers if args.server == 'serve' else 1} · {args.seconds:g} s per test"
    )
    if b:
        print(
            f"batches of 100:  {b['events_per_s']:8.0f} events/s  (target >= 5000)  "
            f"{b['requests']} requests, p50 {b['p50_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms, "
            f"errors {b['errors']}, connections reopened {b['reopened']}"
            f"  {'PASS' if b['events_per_s'] >= 5000 else 'FAIL'}"
        )
    if s:
        print(
            f"single events:   {s['requests_per_s']:8.0f} requests/s (target >= 300)  "
            f"p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, errors {s['errors']}, "
            f"connections reopened {s['reopened']}"
            f"  {'PASS' if s['requests_per_s'] >= 300 else 'FAIL'}"
        )
    if f:
        p95 = f["p95_ms"]
        print(
            f"fan-out:         {f['dashboards']} dashboards, "
            f"events sent at {f['achieved_rate']:.0f}/s: "
            f"response -> every dashboard p50 {f['p50_ms']:.1f} ms, p95 {p95:.1f} ms, "
            f"max {f['max_ms']:.1f} ms, missing {f['missing']}/{f['events']} (target p95 < 100 ms)"
            f"  {'PASS' if p95 is not None and p95 < 100 and not f['missing'] else 'FAIL'}"
        )


if __name__ == "__main__":
    main()
