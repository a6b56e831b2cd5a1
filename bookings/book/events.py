"""Typed live messages of the appointment book and the one function that sends them.

bookings.consumers.BookConsumer listens to `book_topic(business_id)` and forwards `html` to
the browser, where htmx's ws extension swaps each fragment in by id (hx-swap-oob).
"""

from __future__ import annotations

from typing import Literal, TypedDict

from console.live.fanout import fanout_publish


class BookFragment(TypedDict):
    """Whole columns of the book (and the appointment's panel), rendered from the same
    partials as the pages."""

    type: Literal["book.fragment"]
    business_id: int
    html: str


def book_topic(business_id: int) -> str:
    """Every open appointment book of one business (/ws/book/)."""
    return f"book.{business_id}"


def broadcast_book_fragment(*, business_id: int, html: str) -> None:
    if not html:
        return
    message = BookFragment(type="book.fragment", business_id=business_id, html=html)
    fanout_publish(topic=book_topic(business_id), message=dict(message))
