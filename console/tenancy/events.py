"""Typed live events of the console app and the one function that sends them."""

from __future__ import annotations

import logging
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


class AccessChanged(TypedDict):
    """A member's access to a business changed: their open live sockets close."""

    type: Literal["access.changed"]  # handled by console.live_access.MemberSocketMixin
    business_id: int


def member_group(*, user_id: int, business_id: int) -> str:
    return f"member.{business_id}.{user_id}"


def broadcast_access_changed(*, user_id: int, business_id: int) -> None:
    """Close that member's live sockets in that business (call on commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = AccessChanged(type="access.changed", business_id=business_id)
    try:
        async_to_sync(layer.group_send)(
            member_group(user_id=user_id, business_id=business_id), dict(message)
        )
    except Exception:  # the change is committed; a socket left open is re-checked on reconnect
        logger.exception("could not close the live sockets of user %s", user_id)
