"""/ws/book/: the open appointment books of the business the user works in. Thin: check
who is asking, listen to the business's topic, forward fragments (rendered in bookings.live)."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

from bookings.book.events import book_topic
from console.tenancy.sockets import LiveSocketMixin, socket_access


class BookConsumer(LiveSocketMixin, AsyncWebsocketConsumer):
    async def connect(self) -> None:
        access = await socket_access(self.scope)
        if access is None:
            await self.close()  # before accept: the handshake is refused (403)
            return
        await self.live_join(access, book_topic(access.business.pk))

    def live_select(self, message: dict[str, Any]) -> str | None:
        return str(message["html"])
