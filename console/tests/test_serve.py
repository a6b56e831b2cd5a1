"""`manage.py serve`: one server process per worker, each listening on a socket of its own,
a process that dies is started again, and keep-alive connections that land unevenly on the
processes are evened out."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import env_on_test_database
from console.server import NOT_SERVING, ConnectionCounts, counts_file, listeners

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(condition: Callable[[], bool], seconds: float = 45) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def _children(pid: int) -> set[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(child) for child in text.split()}


def _serve(port: int, workers: int) -> list[str]:
    return [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", str(workers)]


def _env() -> dict[str, str]:
    return {**env_on_test_database(), "SIMULATE": "0", "LOG_LEVEL": "WARNING"}


@contextlib.contextmanager
def _serving(port: int, workers: int, **output: Any) -> Iterator[subprocess.Popen]:
    """`serve`, once every process listens; stopped as a supervisor stops it (SIGTERM)."""
    output.setdefault("stdout", subprocess.DEVNULL)
    serve = subprocess.Popen(_serve(port, workers), cwd=ROOT, env=_env(), **output)  # noqa: S603
    try:
        _until(lambda: listeners(port) == workers)
        yield serve
    finally:
        serve.terminate()
        serve.wait(timeout=20)


def test_serve_runs_a_listening_process_per_worker_restarts_one_that_dies_and_stops_cleanly(
    db, tmp_path: Path
) -> None:
    port = _free_port()
    said, complained = tmp_path / "serve.out", tmp_path / "serve.err"
    with (
        said.open("w") as out,
        complained.open("w") as err,
        _serving(port, workers=2, stdout=out, stderr=err) as serve,
    ):
        _until(lambda: "2 server processes listening." in said.read_text())
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            assert r.status == 200
        first = _children(serve.pid)
        assert len(first) == 2
        os.kill(sorted(first)[0], signal.SIGKILL)
        _until(lambda: listeners(port) == 2 and len(_children(serve.pid) - first) == 1)
        # The new process counts its connections afresh (none here), not from its
        # predecessor's count.
        _until(lambda: _counts_of(max(_children(serve.pid))) == [0, 0], seconds=10)
    assert listeners(port) == 0
    assert serve.returncode == 0
    # A supervisor's stop is routine: the processes finish without a traceback.
    assert "Traceback" not in complained.read_text()


def test_serve_refuses_a_port_something_already_listens_on(db) -> None:
    port = _free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run(  # noqa: S603 (our own command)
            _serve(port, workers=1),
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"Something already listens on port {port}." in result.stderr


def _sockets(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    return inodes


def _established(port: int, pid: int, client_port: int | None = None) -> int:
    """Connections to `port` (from `client_port`) that process `pid` holds (Linux: /proc)."""
    inodes = _sockets(pid)
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = (int(f.rsplit(":", 1)[1], 16) for f in fields[1:3])
        if local == port and fields[3] == "01" and fields[9] in inodes:
            count += client_port is None or remote == client_port
    return count


def _counts_of(pid: int) -> list[int]:
    """The connection counts a server process was handed (`--counts-fd N`)."""
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    data = Path(f"/proc/{pid}/fd/{int(args[args.index(b'--counts-fd') + 1])}").read_bytes()
    return [
        int.from_bytes(data[i : i + 8], sys.byteorder, signed=True) for i in range(0, len(data), 8)
    ]


def test_keep_alive_connections_that_land_on_one_process_are_spread_evenly(db) -> None:
    port = _free_port()
    with _serving(port, workers=2) as serve:
        busy, idle = sorted(_children(serve.pid))
        # Four connections that the kernel gave to the same process (it picks by their ports).
        connections: list[http.client.HTTPConnection] = []
        while len(connections) < 4:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.connect()
            client_port = connection.sock.getsockname()[1]
            _until(
                lambda client_port=client_port: any(
                    _established(port, pid, client_port) for pid in (busy, idle)
                ),
                seconds=10,
            )
            if _established(port, busy, client_port):
                connections.append(connection)
            else:
                connection.close()
        assert (_established(port, busy), _established(port, idle)) == (4, 0)
        assert sorted(_counts_of(busy)) == [0, 4]

        # A WebSocket handshake leaves the HTTP counts as they were (here refused: no session).
        with socket.create_connection(("127.0.0.1", port)) as ws:
            ws.sendall(
                b"GET /ws/live/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                b"Sec-WebSocket-Version: 13\r\n\r\n"
            )
            assert ws.recv(1024).startswith(b"HTTP/1.1 403")
        _until(lambda: sorted(_counts_of(busy)) == [0, 4], seconds=10)

        moved = 0
        for _ in range(200):
            closed = 0
            for connection in connections:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                assert response.status == 200
                # Told `Connection: close`, http.client opens a new one for the next request.
                closed += response.getheader("connection", "").lower() == "close"
            moved += closed
            if not closed:
                break
        else:
            raise AssertionError("the connections never settled")
        assert moved >= 2
        assert (_established(port, busy), _established(port, idle)) == (2, 2)
        assert _counts_of(busy) == [2, 2]

        for connection in connections:
            connection.close()
        _until(lambda: _counts_of(busy) == [0, 0], seconds=10)


def test_a_process_is_crowded_only_when_it_holds_more_than_one_above_the_least() -> None:
    with counts_file(3) as file:
        first, second, third = (ConnectionCounts(file.fileno(), index) for index in range(3))
        assert first.counts() == [NOT_SERVING] * 3
        first.serving()
        first.add(5)
        assert not first.crowded()  # the others are not serving yet
        second.serving()
        assert first.crowded()  # 5, 0, not serving
        first.add(-4)
        assert not first.crowded()  # 1, 0: moving one would only swap places
        first.add(1)
        assert first.crowded() and not second.crowded()  # 2, 0
        third.serving()
        second.add(1)
        third.add(1)
        assert not first.crowded()  # 2, 1, 1
        third.stopped()  # serve saw it die
        assert not first.crowded()  # 2, 1, gone
        assert second.counts() == [2, 1, NOT_SERVING]


def test_a_connection_counted_while_the_server_starts_stays_counted() -> None:
    with counts_file(2) as file:
        starting = ConnectionCounts(file.fileno(), 0)
        starting.add(1)
        starting.serving()
        assert starting.counts() == [1, NOT_SERVING]
