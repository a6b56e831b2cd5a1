"""Scale-out on Redis: two server processes; a dashboard connected to one receives what was
ingested through the other."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import env_on_test_database
from console.management.commands.serve import server_command

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {**env_on_test_database(), "LOG_LEVEL": "WARNING"}
    if settings.USING_POSTGRES:
        env["DB_POOL_SIZE"] = "2"
    return env


@pytest.fixture
def two_servers() -> Iterator[list[str]]:
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(  # noqa: S603 (our own server command)
                server_command(host="127.0.0.1", port=port), cwd=ROOT, env=_env()
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, process in zip(urls, processes, strict=True):
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("a server did not start") from None
                    time.sleep(0.2)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def test_a_dashboard_on_one_server_sees_events_ingested_through_the_other(
    two_servers, business, front_desk, outsider
):
    from websockets.sync.client import connect

    from console.tenancy.apikeys import api_key_create

    server_a, server_b = two_servers
    secret = api_key_create(business=business, name="gw", scopes=["ingest"]).secret

    def cookie_for(user) -> str:
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    ws_url = server_a.replace("http", "ws", 1) + "/ws/live/"
    with (
        connect(
            ws_url, additional_headers={"Cookie": cookie_for(front_desk), "Origin": server_a}
        ) as ours,
        connect(
            ws_url, additional_headers={"Cookie": cookie_for(outsider), "Origin": server_a}
        ) as theirs,
    ):
        time.sleep(0.3)  # both subscriptions are in place
        event = {
            "id": "evt-scale-1",
            "type": "call.started",
            "call_id": "gw-scale",
            "occurred_at": datetime.now(UTC).isoformat(),
            "data": {
                "from": "+14155550123",
                "to": "+14155550100",
                "channel": "pstn",
                "agent": "Ava",
            },
        }
        request = urllib.request.Request(  # noqa: S310
            f"{server_b}/api/v1/events",
            data=json.dumps(event).encode(),
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.status == 202
        html = ours.recv(timeout=5)
        assert 'data-call-id="gw-scale"' in html
        with pytest.raises(TimeoutError):
            theirs.recv(timeout=0.5)
