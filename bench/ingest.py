"""Ingest and live fan-out benchmark: each figure beside its baseline, measured in the same
run, and the ratio. Run on PostgreSQL + Redis:

    DATABASE_URL=postgres://... REDIS_URL=redis://... CHANNELS_PREFIX=bench \
        .venv/bin/python bench/ingest.py [--workers N] [--seconds S] [--repeat R] [--smoke]

It migrates the database, makes a bench business, an ingest key and a member, starts what
production runs (gunicorn with uvicorn workers, deploy/gunicorn.conf.py) and measures, each
against its baseline (floors from issue 12):
  1. batches of 100 events          vs raw psycopg `executemany` of 100 rows per commit (>= 0.5)
  2. single-event requests          vs raw one-row-per-commit inserts, same concurrency (>= 0.25)
  3. fan-out, 50 dashboards, 100 events/s: ingest response -> every dashboard has it, p95
                                    vs Redis PUBLISH -> a plain `websockets` broadcast to the
                                    same number of clients (bench/raw_broadcast.py) (<= 10x,
                                    nothing missing)
  4. the same at 200 dashboards: nothing missing and no queue growth (the last third of the
     run no slower than the first).
The machine may be shared: compare ratios, and run each figure a few times (--repeat).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

RAW_TABLE = "bench_raw_event"


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
        raise SystemExit("bench/ingest.py needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
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


def _server_command(port: int, workers: int, server: str) -> list[str]:
    """What production runs (README): gunicorn with uvicorn workers; or, to compare,
    uvicorn's own process manager (`--server uvicorn`)."""
    if server == "uvicorn":
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "console.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
        ]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "deploy/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "console.asgi:application",
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
        if close:  # the server asks for a new connection
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
            if await connection.post(json.dumps(body).encode()) != 202:
                errors += 1
                continue
            sent += 100
        await connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return {"rate": sent / (time.perf_counter() - start), "errors": errors}


async def _singles(url: str, headers: dict, seconds: float, concurrency: int) -> dict:
    done = 0
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        nonlocal done, errors
        seq = 0
        call_id = f"bench-single-{uuid.uuid4().hex[:8]}-{w}"
        connection = _Connection(url, headers)
        while time.perf_counter() < deadline:
            if await connection.post(json.dumps(_segment(call_id, seq)).encode()) != 202:
                errors += 1
                continue
            seq += 1
            done += 1
        await connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return {"rate": done / (time.perf_counter() - start), "errors": errors}


# --- baselines: the same rows, straight through psycopg -----------------------------------


def _raw_row(call_id: str, seq: int) -> tuple:
    event = _segment(call_id, seq)
    now = datetime.now(UTC)
    return (1, 1, event["id"], event["type"], now, now, json.dumps(event))


_RAW_INSERT = (
    "INSERT INTO bench_raw_event (business_id, call_id, event_id, type, occurred_at,"
    " received_at, payload) VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


async def _raw_batches(conninfo: str, seconds: float, concurrency: int) -> dict:
    """Batches of 100 rows, one executemany and one commit each."""
    import psycopg

    sent = 0
    deadline = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        nonlocal sent
        async with await psycopg.AsyncConnection.connect(conninfo) as conn:
            seq = 0
            while time.perf_counter() < deadline:
                rows = [_raw_row(f"raw-{w}", seq + i) for i in range(100)]
                seq += 100
                async with conn.transaction(), conn.cursor() as cursor:
                    await cursor.executemany(_RAW_INSERT, rows)
                sent += 100

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return {"rate": sent / (time.perf_counter() - start), "errors": 0}


async def _raw_singles(conninfo: str, seconds: float, concurrency: int) -> dict:
    """One row per commit (autocommit), one connection per concurrent client."""
    import psycopg

    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        nonlocal done
        async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
            seq = 0
            while time.perf_counter() < deadline:
                await conn.execute(_RAW_INSERT, _raw_row(f"raw-single-{w}", seq))
                seq += 1
                done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return {"rate": done / (time.perf_counter() - start), "errors": 0}


# --- fan-out --------------------------------------------------------------------------------

Trigger = Callable[[int], Awaitable[str]]  # sends event i; returns its data-call-id


async def _fanout(
    session: Any,
    ws_url: str,
    ws_headers: dict[str, str],
    trigger: Trigger,
    dashboards: int,
    rate: int,
    seconds: float,
) -> dict:
    import aiohttp

    received: list[dict[str, float]] = [{} for _ in range(dashboards)]
    sockets = [
        await session.ws_connect(ws_url, headers=ws_headers, max_msg_size=0)
        for _ in range(dashboards)
    ]
    closed = 0

    async def listen(i: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        nonlocal closed
        marker = 'data-call-id="'
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            at = time.perf_counter()
            text = msg.data
            start = text.find(marker)
            while start >= 0:  # a message may carry several calls' fragments
                begin = start + len(marker)
                end = text.find('"', begin)
                received[i].setdefault(text[begin:end], at)
                start = text.find(marker, end)
        closed += 1

    listeners = [asyncio.create_task(listen(i, ws)) for i, ws in enumerate(sockets)]
    await asyncio.sleep(0.5)
    sent: dict[str, float] = {}
    responded: dict[str, float] = {}
    order: list[str] = []
    n = int(seconds * rate)
    t_start = time.perf_counter()

    async def one(i: int) -> None:
        t_sent = time.perf_counter()
        marker = await trigger(i)
        responded[marker] = time.perf_counter()
        sent[marker] = t_sent
        order.append(marker)

    tasks = []
    for i in range(n):
        delay = t_start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    sent_for = time.perf_counter() - t_start
    await asyncio.gather(*tasks)
    await asyncio.sleep(min(2.0, seconds))  # stragglers
    early_closes = closed
    for ws in sockets:
        await ws.close()
    for task in listeners:
        task.cancel()
    # Two clocks: from the response (what the contract's "within 1 s of that response"
    # means; a dashboard often has it before the response is back: 0) and from the moment
    # the event was sent (ingest included), compared with the raw broadcast's publish.
    after_response: dict[str, float] = {}
    after_send: dict[str, float] = {}
    missing = 0
    errors = sum(1 for marker in responded if marker.startswith("error-"))
    for marker, t_resp in responded.items():
        if marker.startswith("error-"):
            continue
        times = [r.get(marker) for r in received]
        if any(t is None for t in times):
            missing += 1
            continue
        last = max(t for t in times if t is not None)
        after_response[marker] = max(0.0, last - t_resp)
        after_send[marker] = last - sent[marker]
    ordered = [after_send[m] for m in order if m in after_send]
    by_response = [after_response[m] for m in order if m in after_response]
    third = max(1, len(ordered) // 3)
    return {
        "events": n,
        "achieved_rate": n / sent_for,
        "dashboards": dashboards,
        "missing": missing,
        "errors": errors,
        "closed": early_closes,
        "p50_ms": _pct(ordered, 50),
        "p95_ms": _pct(ordered, 95),
        "response_p95_ms": _pct(list(after_response.values()), 95),
        # Fan-out's own queue: on the response clock (ingest queueing shows on the other).
        "first_p95_ms": _pct(by_response[:third], 95),
        "last_p95_ms": _pct(by_response[-third:], 95),
    }


def _app_trigger(session: Any, url: str, headers: dict, run: str) -> Trigger:
    async def trigger(i: int) -> str:
        cid = f"bench-fan-{run}-{i}"
        async with session.post(url, data=json.dumps(_segment(cid, 0)), headers=headers) as r:
            await r.read()
        return cid if r.status == 202 else f"error-{r.status}-{cid}"

    return trigger


# About the size of a dashboard card (templates/calls/live.html#call-card).
_RAW_PAD = "x" * 1200


def _raw_trigger(publisher: Any, channel: str, run: str) -> Trigger:
    async def trigger(i: int) -> str:
        cid = f"raw-fan-{run}-{i}"
        await publisher.publish(channel, f'<article data-call-id="{cid}">{_RAW_PAD}</article>')
        return cid

    return trigger


def _pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100)[p - 1] * 1000


# --- the run -------------------------------------------------------------------------------


def _conninfo() -> str:
    from django.db import connection

    params = connection.get_connection_params()
    parts = {k: params[k] for k in ("dbname", "host", "port", "user", "password") if params.get(k)}
    return " ".join(f"{k}={v}" for k, v in parts.items())


def _raw_table(create: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        if create:
            cursor.execute(
                f"CREATE TABLE {RAW_TABLE} (id bigserial PRIMARY KEY, business_id bigint NOT NULL,"
                " call_id bigint NOT NULL, event_id varchar(128) NOT NULL,"
                " type varchar(24) NOT NULL, occurred_at timestamptz NOT NULL,"
                " received_at timestamptz NOT NULL, payload text NOT NULL,"
                " UNIQUE (business_id, event_id))"
            )


def _raw_server(redis_url: str, channel: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "raw_broadcast.py"),
            "--port",
            str(port),
            "--redis",
            redis_url,
            "--channel",
            channel,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise SystemExit("the raw broadcast server did not start")
    return process, f"ws://127.0.0.1:{port}/"


async def _main(args: argparse.Namespace, key: str, cookie: str) -> dict:
    import aiohttp
    import redis.asyncio as aioredis
    from django.conf import settings

    base = args.url
    url = base + "/api/v1/events"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    conninfo = _conninfo()
    results: dict[str, list[tuple[dict, dict]]] = {}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        # Warm up: connections, caches, the first queries.
        await _singles(url, headers, min(2.0, args.seconds), 4)
        for _ in range(args.repeat):
            if args.only in (None, "batch"):
                app = await _batches(url, headers, args.seconds, args.batch_concurrency)
                raw = await _raw_batches(conninfo, args.seconds, args.batch_concurrency)
                results.setdefault("batch", []).append((app, raw))
            if args.only in (None, "single"):
                app = await _singles(url, headers, args.seconds, args.single_concurrency)
                raw = await _raw_singles(conninfo, args.seconds, args.single_concurrency)
                results.setdefault("single", []).append((app, raw))
            if args.only in (None, "fanout"):
                channel = f"{settings.CHANNELS_PREFIX}:bench-raw"
                raw_server, raw_url = _raw_server(settings.REDIS_URL, channel)
                publisher = aioredis.Redis(
                    connection_pool=aioredis.BlockingConnectionPool.from_url(
                        settings.REDIS_URL, max_connections=20
                    )
                )
                ws_url = base.replace("http", "ws", 1) + "/ws/live/"
                ws_headers = {"Cookie": f"sessionid={cookie}", "Origin": base}
                try:
                    for dashboards in args.dashboards:
                        run = uuid.uuid4().hex[:6]
                        app_trigger = _app_trigger(session, url, headers, run)
                        app = await _fanout(
                            session,
                            ws_url,
                            ws_headers,
                            app_trigger,
                            dashboards,
                            args.rate,
                            args.seconds,
                        )
                        raw = await _fanout(
                            session,
                            raw_url,
                            {},
                            _raw_trigger(publisher, channel, run),
                            dashboards,
                            args.rate,
                            args.seconds,
                        )
                        results.setdefault(f"fanout_{dashboards}", []).append((app, raw))
                finally:
                    await publisher.aclose()
                    raw_server.terminate()
                    raw_server.wait(timeout=10)
    return results


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _growth(run: dict) -> float | None:
    """Last third's p95 over the first third's, with 1 ms added to both (a first third of
    0 ms, every dashboard ahead of the response, is no reason to fail)."""
    first, last = run["first_p95_ms"], run["last_p95_ms"]
    return None if first is None or last is None else (last + 1) / (first + 1)


def _f(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _report(results: dict, args: argparse.Namespace) -> bool:
    """Prints every run and the median ratio per figure; True when every floor holds."""
    ok = True
    for app, raw in results.get("batch", []):
        r = _ratio(app["rate"], raw["rate"])
        print(
            f"batches of 100:   {app['rate']:7.0f} events/s  raw executemany {raw['rate']:7.0f}"
            f" rows/s  ratio {_f(r, 2)} (floor >= 0.5)  errors {app['errors']}"
        )
    for app, raw in results.get("single", []):
        r = _ratio(app["rate"], raw["rate"])
        print(
            f"single events:    {app['rate']:7.0f} requests/s raw one-row-per-commit"
            f" {raw['rate']:7.0f} rows/s  ratio {_f(r, 2)} (floor >= 0.25)  errors {app['errors']}"
        )
    for name, runs in results.items():
        if not name.startswith("fanout_"):
            continue
        for app, raw in runs:
            # The clock: response -> every dashboard, against publish -> every client.
            r = _ratio(app["response_p95_ms"], raw["p95_ms"])
            growth = _growth(app)
            print(
                f"fan-out {app['dashboards']:3d} dashboards at {app['achieved_rate']:.0f}/s:"
                f" sent -> every dashboard p50 {_f(app['p50_ms'])} ms p95 {_f(app['p95_ms'])} ms"
                f" (after the response: p95 {_f(app['response_p95_ms'])} ms), missing"
                f" {app['missing']}/{app['events']}, closed {app['closed']} | raw publish -> all"
                f" p50 {_f(raw['p50_ms'])} ms p95 {_f(raw['p95_ms'])} ms, missing"
                f" {raw['missing']}  ratio (after the response) {_f(r)}x (ceiling 10x at 50)"
                f"  p95 after the response, first third {_f(app['first_p95_ms'])} ms"
                f" -> last third {_f(app['last_p95_ms'])} ms"
                f" (growth {_f(growth, 2)})"
            )
            if app["errors"]:
                print(f"  {app['errors']} ingest requests failed during the fan-out run")
            if app["missing"] or app["closed"] or app["errors"]:
                ok = False
    for name, floor in (("batch", 0.5), ("single", 0.25)):
        runs = results.get(name, [])
        if runs:
            median = statistics.median(_ratio(a["rate"], b["rate"]) or 0 for a, b in runs)
            held = median >= floor
            ok = ok and held
            print(f"{name}: median ratio {median:.2f}  {'PASS' if held else 'FAIL'}")
    for name, runs in results.items():
        if name.startswith("fanout_"):
            dashboards = int(name.split("_")[1])
            median = statistics.median(
                _ratio(a["response_p95_ms"], b["p95_ms"]) or float("inf") for a, b in runs
            )
            growth = statistics.median(_growth(a) or float("inf") for a, _ in runs)
            missing = sum(a["missing"] for a, _ in runs)
            held = not missing and (median <= 10 if dashboards <= 50 else growth <= 2)
            ok = ok and held
            print(
                f"fan-out {dashboards}: median p95 ratio {median:.1f}x, median growth"
                f" {_f(growth, 2)}, missing {missing}  {'PASS' if held else 'FAIL'}"
            )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--server", choices=["gunicorn", "uvicorn"], default="gunicorn")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=2, help="Runs of each figure.")
    parser.add_argument("--batch-concurrency", type=int, default=4)
    parser.add_argument("--single-concurrency", type=int, default=16)
    parser.add_argument("--dashboards", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--rate", type=int, default=100, help="Fan-out events per second.")
    parser.add_argument("--url", help="Use a running server instead of starting one.")
    parser.add_argument("--only", choices=["batch", "single", "fanout"], help="Run one test.")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="A short run for CI (< 1 min): checks it works and nothing is missing, no floors.",
    )
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.repeat, args.dashboards, args.rate = 1, 1, [10], 20

    key, cookie, _slug = _setup()

    _raw_table(create=True)
    process = None
    if not args.url:
        port = _free_port()
        args.url = f"http://127.0.0.1:{port}"
        # Measure what production runs: DEBUG off (DEBUG keeps every query's SQL and timing).
        env = {**os.environ, "SIMULATE": "0", "LOG_LEVEL": "WARNING", "DEBUG": "0"}
        env.setdefault("DB_POOL_SIZE", "4")  # as deploy/gunicorn.conf.py sets it
        command = _server_command(port, args.workers, args.server)
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while not _healthy(args.url):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit("the server did not start")
            time.sleep(0.2)
    try:
        results = asyncio.run(_main(args, key, cookie))
    finally:
        _raw_table(create=False)
        if process is not None:
            process.terminate()
            process.wait(timeout=15)

    print(
        f"bench/ingest.py · {platform.python_implementation()} {platform.python_version()} · "
        f"{os.cpu_count()} CPUs · PostgreSQL + Redis · {args.server} (uvicorn workers)"
        f" x{args.workers} · "
        f"{args.seconds:g} s per figure, {args.repeat} run(s) each"
    )
    ok = _report(results, args)
    if args.smoke:
        # CI: it ran, nothing errored and nothing was missing (floors need a quiet machine).
        broken = any(a.get("errors") for runs in results.values() for a, _ in runs) or any(
            a.get("missing") for runs in results.values() for a, _ in runs
        )
        sys.exit(1 if broken else 0)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
