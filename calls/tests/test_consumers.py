"""/ws/live/ and /ws/calls/<pk>/ with Channels' WebsocketCommunicator, on the in-memory layer
and (marker `redis`) on Redis."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from calls.tests.factories import call_start, say
from conftest import websocket_headers
from console.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(path: str, user=None) -> tuple[WebsocketCommunicator, bool]:
    headers = (
        await sync_to_async(websocket_headers)(user)
        if user is not None
        else [(b"origin", b"http://127.0.0.1")]
    )
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def _run(business, front_desk, outsider):
    ours, ok = await _connect("/ws/live/", front_desk)
    assert ok
    theirs, ok = await _connect("/ws/live/", outsider)
    assert ok
    await sync_to_async(call_start)(business, "gw-live")
    html = await ours.receive_from(timeout=5)
    assert 'data-call-id="gw-live"' in html and 'hx-swap-oob="true"' in html
    assert await theirs.receive_nothing(timeout=0.3)
    await ours.disconnect()
    await theirs.disconnect()


def test_a_dashboard_receives_its_business_calls_and_nobody_else_does(
    business, front_desk, outsider
):
    asyncio.run(_run(business, front_desk, outsider))


@pytest.mark.redis
def test_it_works_on_the_redis_channel_layer(business, front_desk, outsider):
    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    asyncio.run(_run(business, front_desk, outsider))


def test_an_anonymous_socket_is_refused(db):
    async def run():
        _communicator, connected = await _connect("/ws/live/")
        assert not connected

    asyncio.run(run())


def test_a_transcript_socket_streams_lines_of_that_call(business, front_desk):
    call = call_start(business, "gw-1")

    async def run():
        communicator, connected = await _connect(f"/ws/calls/{call.pk}/", front_desk)
        assert connected
        await sync_to_async(say)(business, "gw-1", 0, "Hello there", final=False)
        html = await communicator.receive_from(timeout=5)
        assert f'id="seg-{call.pk}-0"' in html and "Hello there" in html and "partial" in html
        await sync_to_async(say)(business, "gw-1", 0, "Hello there, I need a trim")
        html = await communicator.receive_from(timeout=5)
        assert "I need a trim" in html and 'class="line caller"' in html
        await communicator.disconnect()

    asyncio.run(run())


def test_another_business_call_socket_is_refused(business, outsider):
    call = call_start(business, "gw-1")

    async def run():
        _communicator, connected = await _connect(f"/ws/calls/{call.pk}/", outsider)
        assert not connected

    asyncio.run(run())


def test_platform_staff_may_watch_any_business(business, platform_staff):
    call = call_start(business, "gw-1")

    async def run():
        communicator, connected = await _connect(f"/ws/calls/{call.pk}/", platform_staff)
        assert connected
        await communicator.disconnect()

    asyncio.run(run())
