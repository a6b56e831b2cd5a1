from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from console.server import ConnectionCounts, counts_file, listeners


def default_workers() -> int:
    """Server processes: WEB_CONCURRENCY, else one per CPU core on Redis (the channel layer
    spans processes); always one with the in-memory layer, which lives inside one process.

    bench/ingest.py on the 2-core machine, serving with DEBUG off as production does:
    one process 4,725 events/s in batches, 128 single requests/s, fan-out p95 97 ms;
    two processes 7,539 events/s, 205 requests/s, fan-out p95 59 ms (before the events
    endpoint skipped Django's handler; see the README for the figures since).
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


def server_command(
    *, host: str, port: int, counts_fd: int | None = None, index: int = 0
) -> list[str]:
    """One server process (console.server: uvicorn on a socket of its own); with `counts_fd`
    (the open counts file, console.server.counts_file), process `index` of those sharing it."""
    command = [sys.executable, "-m", "console.server", "--host", host, "--port", str(port)]
    if counts_fd is not None:
        command += ["--counts-fd", str(counts_fd), "--index", str(index)]
    return command


def daphne_command(*, host: str, port: int) -> list[str]:
    """Daphne, one process: the browser tests' server, and the bench's comparison."""
    return [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "console.asgi:application"]


class Command(BaseCommand):
    help = (
        "Serve HTTP and WebSocket with the ASGI server (what `make run` does): one process "
        "per core, each restarted should it die once serving; and feed the demo business "
        "with simulated calls unless SIMULATE=0."
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
        if listeners(port):
            # With SO_REUSEPORT another server's processes could share the port with ours,
            # and the kernel would split the connections between the two.
            raise CommandError(f"Something already listens on port {port}.")
        workers = opts["workers"] or default_workers()
        # With several processes, their connection counts (console.server.ConnectionCounts).
        counts_fd, marks = None, []
        if workers > 1:
            store = counts_file(workers)  # open while serve runs
            counts_fd = store.fileno()
            marks = [ConnectionCounts(counts_fd, index) for index in range(workers)]
        commands = [
            server_command(host=host, port=port, counts_fd=counts_fd, index=index)
            for index in range(workers)
        ]

        def start(index: int) -> subprocess.Popen:
            return subprocess.Popen(  # noqa: S603
                commands[index],
                env=server_env(),
                pass_fds=() if counts_fd is None else (counts_fd,),
            )

        servers = [start(index) for index in range(workers)]
        others = []
        simulate = os.environ.get("SIMULATE", "1") != "0"
        if simulate and "simulate_calls" in get_commands():
            others.append(
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
        ready = False
        # A supervisor's SIGTERM stops the children too, like Ctrl-C does.
        signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            while True:
                time.sleep(1)
                if not ready and listeners(port) >= len(servers):
                    ready = True
                    plural = "es" if len(servers) > 1 else ""
                    self.stdout.write(f"{len(servers)} server process{plural} listening.")
                for index, server in enumerate(servers):
                    if server.poll() is not None:
                        if not ready:  # it never served: starting it again would fail again
                            raise CommandError(
                                f"A server process could not start (exit {server.returncode});"
                                f" is {host}:{port} free?"
                            )
                        self.stderr.write(
                            f"A server process exited ({server.returncode}): starting another."
                        )
                        if marks:
                            marks[index].stopped()
                        servers[index] = start(index)
        except KeyboardInterrupt:
            pass
        finally:
            children = servers + others
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
