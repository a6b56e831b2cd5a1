"""Typed live events of the calls app and the one function that sends them.

Every change to a call goes to its business's group: the dashboard's fragment, and the call's
state and new lines. /ws/live/ forwards the fragment; /ws/calls/<pk>/ renders the transcript
fragment when the call is its own. Inside the server, changes are gathered for a few
milliseconds and sent as one message per business, so a busy business costs its dashboards
a few frames a second instead of one per event. The browser's htmx ws extension swaps each
fragment in by id (hx-swap-oob).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Literal, TypedDict

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# How long the server gathers changes before sending them: half the 100 ms a dashboard may
# lag. The cost of live updates is per frame, not per byte: at 100 events/s, 50 ms gave
# 50 dashboards p95 92 ms where 20 ms gave 2.9 s (bench/ingest.py, one server process).
GATHER_S = int(os.environ.get("LIVE_GATHER_MS", "50")) / 1000


class CallFragments(TypedDict):
    """One call's change: the dashboard's HTML fragment (carrying data-call-id, CONTRACTS §6),
    and for transcript pages the call's state and its new lines (calls.live renders them)."""

    call_pk: int
    call_id: str  # the gateway's id
    dashboard_html: str
    call: dict[str, Any]  # calls.live.call_state
    segments: list[dict[str, Any]]  # calls.live.segment_state, by seq


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
    loop = _server_loop()
    if loop is None:  # a command, a task, a test: send now and wait for it
        message = CallsChanged(type="calls.changed", business_id=business_id, items=[item])
        async_to_sync(layer.group_send)(business_group(business_id), dict(message))
        return
    # Inside the ASGI server (a request's thread): hand the item to the event loop and return
    # at once instead of blocking this thread until Redis answers.
    loop.call_soon_threadsafe(_gather, loop, layer, business_id, item)


_pending: dict[asyncio.AbstractEventLoop, dict[int, list[CallFragments]]] = {}


def _gather(
    loop: asyncio.AbstractEventLoop, layer: Any, business_id: int, item: CallFragments
) -> None:
    # Runs on the event loop's thread only.
    pending = _pending.setdefault(loop, {})
    if not pending:
        loop.call_later(GATHER_S, lambda: loop.create_task(_flush(loop, layer)))
    pending.setdefault(business_id, []).append(item)


async def _flush(loop: asyncio.AbstractEventLoop, layer: Any) -> None:
    pending = _pending.pop(loop, {})
    for business_id, items in pending.items():
        message = CallsChanged(type="calls.changed", business_id=business_id, items=items)
        try:
            await layer.group_send(business_group(business_id), dict(message))
        except Exception:
            logger.exception("live broadcast failed")


def _server_loop() -> asyncio.AbstractEventLoop | None:
    # asgiref records the event loop a sync_to_async thread was started from.
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop: Any = getattr(local, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None
