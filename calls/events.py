"""Typed live events of the calls app and the one function that sends them.

Consumers (calls.consumers) join the groups below and forward `html` to the browser, where
htmx's ws extension swaps each fragment in by id (hx-swap-oob).
"""

from __future__ import annotations

import asyncio
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


class CallFragment(TypedDict):
    """HTML fragments about one call, each carrying data-call-id (CONTRACTS §6)."""

    type: Literal["call.fragment"]  # handled by the consumers' call_fragment
    business_id: int
    call_id: str  # the gateway's id
    html: str


def business_group(business_id: int) -> str:
    """The live dashboard of one business (/ws/live/)."""
    return f"calls.live.{business_id}"


def call_group(call_pk: int) -> str:
    """One call's live transcript (/ws/calls/<pk>/)."""
    return f"calls.call.{call_pk}"


def broadcast_call_fragments(
    *, business_id: int, call_pk: int, call_id: str, dashboard_html: str, transcript_html: str
) -> None:
    """Send one call's fragments: the dashboard's to the business, the transcript's to the
    call's watchers. One group_send each, both in one hop to the event loop."""
    layer = get_channel_layer()
    if layer is None:
        return
    sends = []
    if dashboard_html:
        sends.append(
            (
                business_group(business_id),
                CallFragment(
                    type="call.fragment",
                    business_id=business_id,
                    call_id=call_id,
                    html=dashboard_html,
                ),
            )
        )
    if transcript_html:
        sends.append(
            (
                call_group(call_pk),
                CallFragment(
                    type="call.fragment",
                    business_id=business_id,
                    call_id=call_id,
                    html=transcript_html,
                ),
            )
        )
    if sends:
        async_to_sync(_send_all)(layer, sends)


async def _send_all(layer: object, sends: list[tuple[str, CallFragment]]) -> None:
    await asyncio.gather(*(layer.group_send(group, dict(msg)) for group, msg in sends))  # type: ignore[attr-defined]
