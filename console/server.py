"""One ASGI server process (`python -m console.server --host H --port P`): uvicorn, with uvloop
and httptools, on a listening socket of its own, bound with SO_REUSEPORT beside its
siblings' so that the kernel spreads new connections across the processes.

`manage.py serve` starts one per core and watches them. uvicorn's own `--workers` share one
socket, and the first process to wake accepts a whole burst of connections: bench/ingest.py
found all 16 of its connections on one of the two processes in 2 runs out of 6 (266 and 276
single events/s, against 308 to 390 when they were spread); with a socket each, 338 to 342 in
4 runs out of 4. A gateway keeps a few connections open for hours, so where they land is
where its load stays.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
from pathlib import Path

import uvicorn


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def listeners(port: int) -> int:
    """Sockets listening on this port, one per ready server process (Linux: /proc/net)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                count += 1
    return count


def serve(host: str, port: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
    config = uvicorn.Config(
        "console.asgi:application",
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",
        lifespan="off",
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    # SIGINT (Ctrl-C, or `serve` stopping us): uvicorn closes the connections, finishes,
    # and then raises the signal again; by then there is nothing left to do.
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.host, args.port)


if __name__ == "__main__":
    main()
