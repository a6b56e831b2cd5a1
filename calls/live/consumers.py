"""WebSockets of the live views (CONTRACTS §6). Thin: check who is asking, listen to the
business's topic, forward fragments. What is sent is decided and rendered in
calls.live.broadcast; how it reaches each socket in console.live.fanout."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from calls.live.broadcast import transcript_fragment_from_states
from calls.live.messages import business_topic
from calls.models import Call
from console.tenancy.access import Access
from console.tenancy.sockets import LiveSocketMixin, socket_access

# Closing before accept answers the handshake with 403.


@database_sync_to_async
def _call_pk(access: Access, pk: int) -> int | None:
    return Call.objects.filter(business=access.business, pk=pk).values_list("pk", flat=True).first()


class LiveCallsConsumer(LiveSocketMixin, AsyncWebsocketConsumer):
    """/ws/live/: every call of the business the user works in."""

    async def connect(self) -> None:
        access = await socket_access(self.scope)
        if access is None:
            await self.close()
            return
        await self.live_join(access, business_topic(access.business.pk))

    def live_select(self, message: dict[str, Any]) -> str | None:
        # The same text for every dashboard: joined once by the publisher.
        return str(message["dashboard_html"])


class CallTranscriptConsumer(LiveSocketMixin, AsyncWebsocketConsumer):
    """/ws/calls/<pk>/: one call of that business, line by line."""

    call_pk: int | None = None

    async def connect(self) -> None:
        access = await socket_access(self.scope)
        pk = self.scope["url_route"]["kwargs"]["pk"]
        call_pk = await _call_pk(access, pk) if access is not None else None
        if access is None or call_pk is None:
            await self.close()
            return
        self.call_pk = call_pk
        await self.live_join(access, business_topic(access.business.pk))

    def live_select(self, message: dict[str, Any]) -> str | None:
        mine = [i for i in message["items"] if i["call_pk"] == self.call_pk]
        if not mine:
            return None
        lines = {s["seq"]: s for item in mine for s in item["segments"]}  # latest per seq
        return transcript_fragment_from_states(
            call=mine[-1]["call"], segments=[lines[seq] for seq in sorted(lines)]
        )
