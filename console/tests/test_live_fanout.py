"""console.live.fanout: one decode per process, nothing per socket but the write, and a slow
socket never holding up the others (it is told to redraw instead). Embedded and on Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from calls.tests.factories import call_start, say
from conftest import websocket_headers
from console.asgi import application
from console.live.fanout import CLOSE_BEHIND, Listener, fanout_publish

pytestmark = pytest.mark.django_db(transaction=True)


class Socket:
    """A listener's ends, recording what was written; `stuck` makes every write hang."""

    def __init__(self, topic: str, *, stuck: bool = False, limit: int = 8) -> None:
        self.stuck = stuck
        self.written: list[str] = []
        self.closed_with: int | None = None
        self.seen: list[int] = []  # ids of the message objects this socket was handed
        self.listener = Listener(
            topic=topic, select=self.select, send=self.send, close=self.close, limit=limit
        )

    def select(self, message: dict[str, Any]) -> str:
        self.seen.append(id(message))
        return str(message["n"]) + ";"

    async def send(self, text: str) -> None:
        if self.stuck:
            await asyncio.Event().wait()
        self.written.append(text)

    async def close(self, code: int) -> None:
        self.closed_with = code

    def numbers(self) -> list[int]:
        return [int(n) for text in self.written for n in text.split(";") if n]


async def _until(condition: Any, timeout: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


async def _run_slow_socket_case(topic: str) -> None:
    fast = [Socket(topic) for _ in range(3)]
    slow = Socket(topic, stuck=True)
    for socket in [*fast, slow]:
        await socket.listener.subscribe()
        socket.listener.start_writing()
    for n in range(40):
        await sync_to_async(fanout_publish)(topic=topic, message={"n": n})
    await _until(lambda: all(s.numbers()[-1:] == [39] for s in fast))
    await _until(lambda: slow.closed_with is not None)
    for socket in fast:
        assert socket.numbers() == list(range(40))  # nothing missing, in order
        assert socket.closed_with is None
    assert slow.closed_with == CLOSE_BEHIND
    # One decoded message handed to every socket of this process.
    assert [s.seen[:40] for s in fast[1:]] == [fast[0].seen[:40]] * 2
    for socket in [*fast, slow]:
        await socket.listener.stop()


def test_a_socket_that_falls_behind_is_told_to_redraw_and_the_others_get_everything() -> None:
    asyncio.run(_run_slow_socket_case("test.slow"))


@pytest.mark.redis
def test_a_socket_that_falls_behind_on_redis_is_told_to_redraw_too() -> None:
    assert settings.REDIS_URL
    asyncio.run(_run_slow_socket_case("test.slow-redis"))


def test_a_stopped_listener_receives_nothing_more() -> None:
    async def run() -> None:
        socket = Socket("test.stop")
        await socket.listener.subscribe()
        socket.listener.start_writing()
        await sync_to_async(fanout_publish)(topic="test.stop", message={"n": 1})
        await _until(lambda: socket.numbers() == [1])
        await socket.listener.stop()
        await sync_to_async(fanout_publish)(topic="test.stop", message={"n": 2})
        await asyncio.sleep(0.2)
        assert socket.numbers() == [1]

    asyncio.run(run())


def test_a_live_message_reaches_the_dashboard_without_channels_dispatch(
    business, front_desk, monkeypatch
) -> None:
    """Channels' dispatch hops to a thread per message (to close database connections):
    live messages must not go through it."""
    import channels.consumer

    hops = 0
    original = channels.consumer.aclose_old_connections

    async def counted() -> None:
        nonlocal hops
        hops += 1
        await original()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted)

    async def run() -> None:
        headers = await sync_to_async(websocket_headers)(front_desk)
        dashboard = WebsocketCommunicator(application, "/ws/live/", headers=headers)
        assert (await dashboard.connect())[0]
        before = hops
        await sync_to_async(call_start)(business, "gw-hop")
        for seq in range(3):
            await sync_to_async(say)(business, "gw-hop", seq, f"line {seq}")
        received = ""
        while received.count('data-call-id="gw-hop"') < 4:
            received += await dashboard.receive_from(timeout=5)
        assert hops == before
        await dashboard.disconnect()

    asyncio.run(run())
