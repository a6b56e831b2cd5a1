from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve HTTP and WebSocket with the ASGI server (what `make run` does), and feed the "
        "demo business with simulated calls unless SIMULATE=0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, **opts: Any) -> None:
        host, port = opts["host"], opts["port"]
        server = [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            host,
            "-p",
            str(port),
            "console.asgi:application",
        ]
        children = [subprocess.Popen(server)]  # noqa: S603
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
