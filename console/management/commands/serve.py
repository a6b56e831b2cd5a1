from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandParser


def default_workers() -> int:
    """Server processes: WEB_CONCURRENCY, else one per CPU core on Redis (the channel layer
    spans processes); always one with the in-memory layer, which lives inside one process.

    bench/ingest.py on the 2-core machine, serving with DEBUG off as production does:
    one process 4,725 events/s in batches, 128 single requests/s, fan-out p95 97 ms;
    two processes 7,539 events/s, 205 requests/s, fan-out p95 59 ms.
    (With DEBUG on, the fan-out of two processes had looked worse, 1.7 s.)
    """
    if not settings.REDIS_URL:
        return 1
    return int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)


def server_env() -> dict[str, str]:
    """The server's environment: a small psycopg pool per process on PostgreSQL (see
    settings: per-thread persistent connections leak under ASGI)."""
    env = dict(os.environ)
    if settings.USING_POSTGRES:
        env.setdefault("DB_POOL_SIZE", "8")
    return env


def uvicorn_command(*, host: str, port: int, workers: int) -> list[str]:
    """Uvicorn with uvloop and httptools: on bench/ingest.py it served several times the
    requests per second of Daphne on the same machine (see the commit that chose it)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "console.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--ws",
        "websockets-sansio",
        "--lifespan",
        "off",
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "5",
    ]


class Command(BaseCommand):
    help = (
        "Serve HTTP and WebSocket with the ASGI server (what `make run` does), and feed the "
        "demo business with simulated calls unless SIMULATE=0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Server processes (default: one per core on Redis, else one).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        host, port = opts["host"], opts["port"]
        server = uvicorn_command(host=host, port=port, workers=opts["workers"] or default_workers())
        children = [subprocess.Popen(server, env=server_env())]  # noqa: S603
        simulate = os.environ.get("SIMULATE", "1") != "0"
        if simulate and "simulate_calls" in get_commands():
            children.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "manage.py",
                        "simulate_calls",
                        "--forever",
                        "--url",
                        f"http://{host}:{port}",
                    ]
                )
            )
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C stops)")
        # A supervisor's SIGTERM stops the children too, like Ctrl-C does.
        signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            children[0].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
