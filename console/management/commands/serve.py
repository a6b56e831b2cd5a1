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
    """Server processes: WEB_CONCURRENCY on Redis (the channel layer spans processes), one
    by default; always one with the in-memory layer, which lives inside a single process.

    One by default because bench/ingest.py on the 2-core machine measured it so: one
    process gathers all live changes into a message every 50 ms, where two publish twice
    the frames (fan-out p95 97 ms with one, 1.7 s with two), and ingest was no faster with
    two (5,023 vs 4,952 events/s in batches, 124 vs 125 single requests/s).
    """
    if not settings.REDIS_URL:
        return 1
    return int(os.environ.get("WEB_CONCURRENCY") or 1)


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
