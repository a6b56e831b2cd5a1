"""Who may hold a live socket, and closing it when that changes.

A socket is checked when it connects (session + membership, before any group_add). Each
live socket also joins its member's group, so that removing a member or changing their role
closes their open sockets at once; the browser reconnects and is checked afresh.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from console.tenancy.access import SESSION_KEY, Access, access_resolve
from console.tenancy.events import AccessChanged, member_group

CLOSE_ACCESS_CHANGED = 4403


@database_sync_to_async
def socket_access(scope: dict[str, Any]) -> Access | None:
    """The socket's user's access to the business their session works in, or None."""
    session = scope.get("session")
    business_id = session.get(SESSION_KEY) if session is not None else None
    return access_resolve(scope.get("user"), business_id)


class MemberSocketMixin:
    """For AsyncWebsocketConsumer: join the member's group; close when their access changes."""

    member_group_name: str | None = None

    async def member_join(self, access: Access) -> None:
        self.member_group_name = member_group(
            user_id=access.user.pk, business_id=access.business.pk
        )
        await self.channel_layer.group_add(  # type: ignore[attr-defined]
            self.member_group_name,
            self.channel_name,  # type: ignore[attr-defined]
        )

    async def member_leave(self) -> None:
        if self.member_group_name is not None:
            await self.channel_layer.group_discard(  # type: ignore[attr-defined]
                self.member_group_name,
                self.channel_name,  # type: ignore[attr-defined]
            )

    async def access_changed(self, event: AccessChanged) -> None:
        await self.close(code=CLOSE_ACCESS_CHANGED)  # type: ignore[attr-defined]
