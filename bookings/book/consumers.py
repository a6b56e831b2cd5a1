"""/ws/book/: the open appointment books of the business the user works in. Thin: check
who is asking, join the group, forward fragments (rendered in bookings.live)."""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer

from bookings.book.events import BookFragment, book_group
from console.tenancy.sockets import MemberSocketMixin, socket_access


class BookConsumer(MemberSocketMixin, AsyncWebsocketConsumer):
    business_id: int | None = None
    group: str | None = None

    async def connect(self) -> None:
        access = await socket_access(self.scope)
        if access is None:
            await self.close()  # before accept: the handshake is refused (403)
            return
        self.business_id = access.business.pk
        self.group = book_group(self.business_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.member_join(access)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.member_leave()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return None  # the browser only listens

    async def book_fragment(self, event: BookFragment) -> None:
        # Groups are per business already; checked again so a stray message never leaks.
        if event["business_id"] == self.business_id:
            await self.send(text_data=event["html"])
