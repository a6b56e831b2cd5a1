"""One ASGI server process (`python -m console.server --host H --port P`): uvicorn, with uvloop
and httptools, on a listening socket of its own, bound with SO_REUSEPORT beside its
siblings' so that the kernel spreads new connections across the processes.

`manage.py serve` starts one per core and watches them. uvicorn's own `--workers` share one
socket, and the first process to wake accepts a whole burst of connections: bench/ingest.py
found all 16 of its connections on one of the two processes in 2 runs out of 6 (266 and 276
single events/s, against 308 to 390 when they were spread); with a socket each, 338 to 342 in
4 runs out of 4. A gateway keeps a few connections open for hours, so where they land is
where its load stays.

The kernel picks a socket by a hash of each connection's addresses, blind to load: with 4
connections, all 4 on one process about one time in eight (bench/ingest.py, batches: 4,850 to
4,950 events/s with the 4 on one process, 8,100 to 8,800 otherwise). So the processes share
their counts of open HTTP connections (ConnectionCounts), and a process holding more than
one above the least loaded closes a connection after its next response (`Connection: close`,
as any server may); the client opens another, which lands anywhere, until they even out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import mmap
import os
import socket
import sys
import tempfile
from pathlib import Path
from typing import IO, ClassVar

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


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


NOT_SERVING = -1


def counts_file(processes: int) -> IO[bytes]:
    """The file of the processes' connection counts, every process not serving yet. Nameless:
    `serve` hands it open to each process, so nothing can delete it under them and nothing is
    left behind."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as serve runs)
    file.write(NOT_SERVING.to_bytes(8, sys.byteorder, signed=True) * processes)
    file.flush()
    return file


class ConnectionCounts:
    """Open HTTP connections per server process: one 64-bit count each in the counts file,
    which every process maps (`NOT_SERVING` for a process starting or gone). A process writes
    only its own count; `serve` marks a process it saw die."""

    def __init__(self, fd: int, index: int) -> None:
        self._map = mmap.mmap(fd, 0)
        self._counts = memoryview(self._map).cast("q")
        self.index = index

    def add(self, change: int) -> None:
        self._counts[self.index] += change

    def serving(self) -> None:
        # Added, not set: a connection may have been counted while the server started.
        self.add(-NOT_SERVING)

    def stopped(self) -> None:
        self._counts[self.index] = NOT_SERVING

    def counts(self) -> list[int]:
        return self._counts.tolist()

    def crowded(self) -> bool:
        """More than one connection above the serving process with the fewest."""
        counts = self.counts()
        mine = counts.pop(self.index)
        others = [count for count in counts if count >= 0]
        return bool(others) and mine > min(others) + 1


class SpreadingHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, counting its connections; a request arriving on a crowded
    process is answered with `Connection: close`. WebSockets are not counted (they stay where
    they are: a live page holds one for hours, and closing it is not free)."""

    counts: ClassVar[ConnectionCounts]
    _counted = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._counted = True
        self.counts.add(1)

    def _uncount(self) -> None:
        if self._counted:
            self._counted = False
            self.counts.add(-1)

    def connection_lost(self, exc: Exception | None) -> None:
        self._uncount()
        super().connection_lost(exc)

    def handle_websocket_upgrade(self) -> None:
        self._uncount()
        super().handle_websocket_upgrade()

    def on_headers_complete(self) -> None:
        previous = self.cycle
        super().on_headers_complete()
        # Not with requests pipelined behind this one: closing would drop them.
        if (
            self._counted
            and self.cycle is not previous
            and not self.pipeline
            and self.counts.crowded()
        ):
            self.cycle.keep_alive = False  # answered with Connection: close, then closed
            # Counted as gone at once, so the requests arriving meanwhile on this process's
            # other connections do not all see the same surplus and all close. A burst still
            # closes a little more than an even split (4 on one process: 3 reopen), and the
            # reopened connections land anywhere again; it settles within a few requests.
            self._uncount()


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, counts: ConnectionCounts | None) -> None:
        super().__init__(config)
        self.counts = counts

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)  # listening from here on
        if self.counts is not None:
            self.counts.serving()


def serve(host: str, port: int, counts: ConnectionCounts | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
    http: type[asyncio.Protocol] | str = "httptools"
    if counts is not None:
        http = type(SpreadingHttpProtocol.__name__, (SpreadingHttpProtocol,), {"counts": counts})
    config = uvicorn.Config(
        "console.asgi:application",
        loop="uvloop",
        http=http,
        ws="websockets-sansio",
        lifespan="off",
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    _Server(config, counts).run(sockets=[listening_socket(host, port)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--counts-fd", type=int, help="The open counts file (serve's).")
    parser.add_argument("--index", type=int, default=0, help="This process's count in it.")
    args = parser.parse_args()
    counts = None if args.counts_fd is None else ConnectionCounts(args.counts_fd, args.index)
    # SIGINT (Ctrl-C, or `serve` stopping us): uvicorn closes the connections, finishes,
    # and then raises the signal again; by then there is nothing left to do.
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.host, args.port, counts)


if __name__ == "__main__":
    main()
