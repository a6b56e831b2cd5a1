"""Typed live messages of the calls app and the one function that sends them.

Every change to a business's calls goes to that business's topic as one message: the dashboard
cards already joined (rendered once per state, in calls.live.broadcast) and, for transcript
pages, each call's state and new lines. /ws/live/ forwards the cards; /ws/calls/<pk>/ renders
the transcript fragment when the call is its own. The browser's htmx ws extension swaps each
fragment in by id (hx-swap-oob).
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from console.live.fanout import fanout_publish


class CallState(TypedDict):
    """One call's change for transcript pages: its head and new lines (plain values)."""

    call_pk: int
    call_id: str  # the gateway's id
    call: dict[str, Any]  # calls.live.broadcast.call_state
    segments: list[dict[str, Any]]  # calls.live.broadcast.segment_state, by seq


class CallsChanged(TypedDict):
    type: Literal["calls.changed"]
    business_id: int
    dashboard_html: str  # every changed call's card, each carrying data-call-id (CONTRACTS §6)
    items: list[CallState]  # oldest first


def business_topic(business_id: int) -> str:
    """Every live page of one business (/ws/live/ and /ws/calls/<pk>/)."""
    return f"calls.{business_id}"


def broadcast_calls_changed(
    *, business_id: int, dashboard_html: str, items: list[CallState]
) -> None:
    message = CallsChanged(
        type="calls.changed", business_id=business_id, dashboard_html=dashboard_html, items=items
    )
    fanout_publish(topic=business_topic(business_id), message=dict(message))
