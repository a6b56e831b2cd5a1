"""WebSockets of the live views (CONTRACTS §6). Thin: check who is asking, join the group,
forward fragments. What is sent is decided and rendered in calls.live."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from calls.events import CallFragments, CallsChanged, business_group
from calls.live import transcript_fragment_from_states
from calls.models import Call
from console.tenancy.access import Access
from console.tenancy.sockets import MemberSocketMixin, socket_access

# Closing before accept answers the handshake with 403.


@database_sync_to_async
def _call_pk(access: Access, pk: int) -> int | None:
    return Call.objects.filter(business=access.business, pk=pk).values_list("pk", flat=True).first()


class _FragmentConsumer(MemberSocketMixin, AsyncWebsocketConsumer):
    business_id: int | None = None
    group: str | None = None
    closed = False
    call_pk: int | None = None

    async def _join(self, access: Access, group: str) -> None:
        self.business_id = access.business.pk
        self.group = group
        await self.channel_layer.group_add(group, self.channel_name)
        await self.member_join(access)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        self.closed = True
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.member_leave()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return None  # the browser only listens

    async def calls_changed(self, event: CallsChanged) -> None:
        # The group is the business's already; checked again so a stray message never leaks.
        if event["business_id"] != self.business_id or self.closed:
            return
        html = self.fragments(event["items"])
        if html:
            await self.send(text_data=html)

    def fragments(self, items: list[CallFragments]) -> str:
        raise NotImplementedError


class LiveCallsConsumer(_FragmentConsumer):
    """/ws/live/: every call of the business the user works in."""

    async def connect(self) -> None:
        access = await socket_access(self.scope)
        if access is None:
            await self.close()
            return
        await self._join(access, business_group(access.business.pk))

    def fragments(self, items: list[CallFragments]) -> str:
        # Each card replaces the whole card: only a call's latest one matters.
        latest = {item["call_pk"]: item["dashboard_html"] for item in items}
        return "".join(latest.values())


class CallTranscriptConsumer(_FragmentConsumer):
    """/ws/calls/<pk>/: one call of that business, line by line."""

    async def connect(self) -> None:
        access = await socket_access(self.scope)
        pk = self.scope["url_route"]["kwargs"]["pk"]
        call_pk = await _call_pk(access, pk) if access is not None else None
        if access is None or call_pk is None:
            await self.close()
            return
        self.call_pk = call_pk
        await self._join(access, business_group(access.business.pk))

    def fragments(self, items: list[CallFragments]) -> str:
        mine = [i for i in items if i["call_pk"] == self.call_pk]
        if not mine:
            return ""
        lines = {s["seq"]: s for item in mine for s in item["segments"]}  # latest per seq
        return transcript_fragment_from_states(
            call=mine[-1]["call"], segments=[lines[seq] for seq in sorted(lines)]
        )
