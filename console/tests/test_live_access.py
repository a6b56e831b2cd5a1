"""Open live sockets follow membership: a removed member's sockets close at once, and a
reconnect is refused; a colleague's stay open."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from conftest import websocket_headers
from console.asgi import application
from console.tenancy.models import Membership
from console.tenancy.services import membership_remove
from console.tenancy.sockets import CLOSE_ACCESS_CHANGED

pytestmark = pytest.mark.django_db(transaction=True)


async def _open(path: str, headers) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def _run(business, owner, front_desk, manager) -> None:
    desk_headers = await sync_to_async(websocket_headers)(front_desk)
    desk_sockets = [await _open(path, desk_headers) for path in ("/ws/live/", "/ws/book/")]
    colleague = await _open("/ws/live/", await sync_to_async(websocket_headers)(manager))

    membership = await sync_to_async(Membership.objects.get)(user=front_desk, business=business)
    await sync_to_async(membership_remove)(membership=membership, by=owner)

    for socket in desk_sockets:
        closed = await socket.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": CLOSE_ACCESS_CHANGED}
    assert await colleague.receive_nothing(timeout=0.3)
    again = WebsocketCommunicator(application, "/ws/live/", headers=desk_headers)
    connected, _ = await again.connect()
    assert not connected  # no business left: refused at the handshake
    await colleague.disconnect()


def test_removing_a_member_closes_their_open_live_sockets(business, owner, front_desk, manager):
    asyncio.run(_run(business, owner, front_desk, manager))
