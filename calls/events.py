"""Typed live events of the calls app and the one function that sends them.

Every change to a call is one message to its business's group: both the dashboard's
fragment and the transcript's. /ws/live/ forwards the first; /ws/calls/<pk>/ forwards the
second when the call is its own. One PUBLISH per call change, however many pages watch.
The browser's htmx ws extension swaps each fragment in by id (hx-swap-oob).
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import Future
from typing import Any, Literal, TypedDict

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


class CallFragments(TypedDict):
    """HTML fragments about one call, each element carrying data-call-id (CONTRACTS §6)."""

    type: Literal["call.fragments"]  # handled by the consumers' call_fragments
    business_id: int
    call_pk: int
    call_id: str  # the gateway's id
    dashboard_html: str
    transcript_html: str


def business_group(business_id: int) -> str:
    """Every live page of one business (/ws/live/ and /ws/calls/<pk>/)."""
    return f"calls.live.{business_id}"


def broadcast_call_fragments(
    *, business_id: int, call_pk: int, call_id: str, dashboard_html: str, transcript_html: str
) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = CallFragments(
        type="call.fragments",
        business_id=business_id,
        call_pk=call_pk,
        call_id=call_id,
        dashboard_html=dashboard_html,
        transcript_html=transcript_html,
    )
    group = business_group(business_id)
    loop = _server_loop()
    if loop is None:
        async_to_sync(layer.group_send)(group, dict(message))  # a command, a task, a test
        return
    # Inside the ASGI server (a request's thread): hand the send to the server's event loop
    # and return at once instead of blocking this thread until Redis answers.
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, dict(message)), loop)
    future.add_done_callback(_log_failure)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    # asgiref records the event loop a sync_to_async thread was started from.
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop: Any = getattr(local, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


def _log_failure(future: Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("live broadcast failed", exc_info=future.exception())
