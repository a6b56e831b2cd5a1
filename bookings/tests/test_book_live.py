"""/ws/book/: the open books of a business receive every booking, move, cancel and status
change as the same column partials the page renders; other businesses receive nothing.
In-memory channel layer, and (marker `redis`) Redis."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from bookings.services import (
    CustomerDetails,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    appointment_status_set,
)
from bookings.tests.conftest import at
from conftest import websocket_headers
from console.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user=None) -> tuple[WebsocketCommunicator, bool]:
    headers = (
        await sync_to_async(websocket_headers)(user)
        if user is not None
        else [(b"origin", b"http://127.0.0.1")]
    )
    communicator = WebsocketCommunicator(application, "/ws/book/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def _run(business, front_desk, outsider, haircut, ana, ben, monday):
    ours, ok = await _connect(front_desk)
    assert ok
    theirs, ok = await _connect(outsider)
    assert ok

    def book():
        return appointment_book(
            business=business,
            service=haircut,
            start=at(monday, 10),
            staff=ana,
            customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
            source="voice",
        )

    appointment = await sync_to_async(book)()
    html = await ours.receive_from(timeout=5)
    column = f'id="col-{ana.pk}-{monday:%Y%m%d}"'
    assert column in html and 'hx-swap-oob="true"' in html
    assert appointment.reference in html and "Alice Smith" in html
    assert f'id="panel-appt-{appointment.pk}"' in html

    await sync_to_async(appointment_reschedule)(
        appointment=appointment, start=at(monday, 14), staff=ben
    )
    html = await ours.receive_from(timeout=5)
    # Both columns come: the one it left (without it) and the one it joined.
    assert column in html and f'id="col-{ben.pk}-{monday:%Y%m%d}"' in html
    left, joined = html.split(f'id="col-{ben.pk}-', 1)
    assert appointment.reference not in left.split(column, 1)[1]
    assert appointment.reference in joined

    await sync_to_async(appointment_status_set)(appointment=appointment, status="confirmed")
    assert "status-confirmed" in await ours.receive_from(timeout=5)

    await sync_to_async(appointment_cancel)(appointment=appointment, reason="ill")
    html = await ours.receive_from(timeout=5)
    assert "Cancelled" in html

    assert await theirs.receive_nothing(timeout=0.3)
    await ours.disconnect()
    await theirs.disconnect()


def test_an_open_book_receives_its_business_changes_and_nobody_else_does(
    business, front_desk, outsider, haircut, ana, ben, monday
):
    asyncio.run(_run(business, front_desk, outsider, haircut, ana, ben, monday))


@pytest.mark.redis
def test_it_works_on_the_redis_channel_layer(
    business, front_desk, outsider, haircut, ana, ben, monday
):
    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    asyncio.run(_run(business, front_desk, outsider, haircut, ana, ben, monday))


def test_an_anonymous_socket_is_refused(db):
    async def run():
        _communicator, connected = await _connect()
        assert not connected

    asyncio.run(run())


def test_a_user_without_a_business_is_refused(db):
    from conftest import make_user

    user = make_user("nobody@example.test")

    async def run():
        _communicator, connected = await _connect(user)
        assert not connected

    asyncio.run(run())
