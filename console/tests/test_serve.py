"""`manage.py serve`: one server process per worker, each listening on a socket of its own,
and a process that dies is started again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import env_on_test_database
from console.server import listeners

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


def test_serve_runs_a_listening_process_per_worker_restarts_one_that_dies_and_stops_cleanly(
    db, tmp_path: Path
) -> None:
    port = _free_port()
    env = {**env_on_test_database(), "SIMULATE": "0", "LOG_LEVEL": "WARNING"}
    said, complained = tmp_path / "serve.out", tmp_path / "serve.err"
    with said.open("w") as out, complained.open("w") as err:
        serve = subprocess.Popen(  # noqa: S603 (our own command)
            [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        _until(lambda: "2 server processes listening." in said.read_text())
        assert listeners(port) == 2
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            assert r.status == 200
        first = _children(serve.pid)
        assert len(first) == 2
        os.kill(sorted(first)[0], signal.SIGKILL)
        _until(lambda: listeners(port) == 2 and len(_children(serve.pid) - first) == 1)
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    assert listeners(port) == 0
    assert serve.returncode == 0
    # A supervisor's stop is routine: the processes finish without a traceback.
    assert "Traceback" not in complained.read_text()


def test_serve_refuses_a_port_something_already_listens_on(db) -> None:
    port = _free_port()
    env = {**env_on_test_database(), "SIMULATE": "0", "LOG_LEVEL": "WARNING"}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run(  # noqa: S603 (our own command)
            [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "1"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"Something already listens on port {port}." in result.stderr
