"""Who may hold a live socket, and closing it when that changes.

A socket is checked when it connects (session + membership, before it listens to anything).
Each live socket also joins its member's channel-layer group, so that removing a member or
changing their role closes their open sockets at once; the browser reconnects and is checked
afresh. The live messages themselves come through console.live.fanout, not the channel layer.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from console.live.fanout import Listener
from console.tenancy.access import SESSION_KEY, Access, access_resolve
from console.tenancy.events import AccessChanged, member_group

CLOSE_ACCESS_CHANGED = 4403


@database_sync_to_async
def socket_access(scope: dict[str, Any]) -> Access | None:
    """The socket's user's access to the business their session works in, or None."""
    session = scope.get("session")
    business_id = session.get(SESSION_KEY) if session is not None else None
    return access_resolve(scope.get("user"), business_id)


class LiveSocketMixin:
    """For AsyncWebsocketConsumer: after the access check, `live_join(access, topic)` listens
    to the topic and accepts; the subclass's `live_select(message)` picks the text this socket
    sends. The socket closes when its member's access changes."""

    member_group_name: str | None = None
    live_business_id: int | None = None
    listener: Listener | None = None

    def live_select(self, message: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def _select(self, message: dict[str, Any]) -> str | None:
        # Topics are per business already; checked again so a stray message never leaks.
        if message.get("business_id") != self.live_business_id:
            return None
        return self.live_select(message)

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)  # type: ignore[attr-defined]

    async def live_join(self, access: Access, topic: str) -> None:
        self.live_business_id = access.business.pk
        self.member_group_name = member_group(
            user_id=access.user.pk, business_id=access.business.pk
        )
        await self.channel_layer.group_add(  # type: ignore[attr-defined]
            self.member_group_name,
            self.channel_name,  # type: ignore[attr-defined]
        )
        self.listener = Listener(
            topic=topic,
            select=self._select,
            send=self._send_text,
            close=self._close_behind,
        )
        await self.listener.subscribe()  # before accepting: nothing after this is missed
        await self.accept()  # type: ignore[attr-defined]
        self.listener.start_writing()

    async def _close_behind(self, code: int) -> None:
        await self.close(code=code)  # type: ignore[attr-defined]

    async def disconnect(self, code: int) -> None:
        if self.listener is not None:
            await self.listener.stop()
        if self.member_group_name is not None:
            await self.channel_layer.group_discard(  # type: ignore[attr-defined]
                self.member_group_name,
                self.channel_name,  # type: ignore[attr-defined]
            )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return None  # the browser only listens

    async def access_changed(self, event: AccessChanged) -> None:
        await self.close(code=CLOSE_ACCESS_CHANGED)  # type: ignore[attr-defined]
