"""Typed live events of the calls app and the one function that sends them.

Every change to a call goes to its business's group: the dashboard's fragment, and the call's
state and new lines. /ws/live/ forwards the fragment; /ws/calls/<pk>/ renders the transcript
fragment when the call is its own. The browser's htmx ws extension swaps each
fragment in by id (hx-swap-oob).
"""

from __future__ import annotations

import logging
from typing import Any, Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


class CallFragments(TypedDict):
    """One call's change: the dashboard's HTML fragment (carrying data-call-id, CONTRACTS §6),
    and for transcript pages the call's state and new lines (rendered in calls.live.broadcast)."""

    call_pk: int
    call_id: str  # the gateway's id
    dashboard_html: str
    call: dict[str, Any]  # calls.live.broadcast.call_state
    segments: list[dict[str, Any]]  # calls.live.broadcast.segment_state, by seq


class CallsChanged(TypedDict):
    type: Literal["calls.changed"]  # handled by the consumers' calls_changed
    business_id: int
    items: list[CallFragments]  # oldest first


def business_group(business_id: int) -> str:
    """Every live page of one business (/ws/live/ and /ws/calls/<pk>/)."""
    return f"calls.live.{business_id}"


def broadcast_call_fragments(
    *,
    business_id: int,
    call_pk: int,
    call_id: str,
    dashboard_html: str,
    call: dict[str, Any],
    segments: list[dict[str, Any]],
) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    item = CallFragments(
        call_pk=call_pk,
        call_id=call_id,
        dashboard_html=dashboard_html,
        call=call,
        segments=segments,
    )
    message = CallsChanged(type="calls.changed", business_id=business_id, items=[item])
    async_to_sync(layer.group_send)(business_group(business_id), dict(message))
