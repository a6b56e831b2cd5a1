"""Typed live events of the appointment book and the one function that sends them.

bookings.consumers.BookConsumer joins `book_group(business_id)` and forwards `html` to the
browser, where htmx's ws extension swaps each fragment in by id (hx-swap-oob).
"""

from __future__ import annotations

import asyncio
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


class BookFragment(TypedDict):
    """Whole columns of the book (and the appointment's panel), rendered from the same
    partials as the pages."""

    type: Literal["book.fragment"]  # handled by BookConsumer.book_fragment
    business_id: int
    html: str


_pending: set[asyncio.Task[None]] = set()  # keeps scheduled sends alive until done


def book_group(business_id: int) -> str:
    """Every open appointment book of one business (/ws/book/)."""
    return f"bookings.book.{business_id}"


def broadcast_book_fragment(*, business_id: int, html: str) -> None:
    layer = get_channel_layer()
    if layer is None or not html:
        return
    group = book_group(business_id)
    message = dict(BookFragment(type="book.fragment", business_id=business_id, html=html))
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, message)  # the usual case: a sync view or task
    else:
        # Called from code running inside an event loop's own thread: schedule, don't block.
        _pending.add(task := loop.create_task(layer.group_send(group, message)))
        task.add_done_callback(_pending.discard)
