"""The alerts' live update: the call's card and the whole "needs attention" list, rendered
from the same partials as the page, sent to the business's group after commit.

It goes as one of the calls' usual messages (calls.live.messages): the cards and the list in
one message, so the card travels with the list and neither hides the other.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string

from calls.alerts.selectors import attention_context
from calls.live.broadcast import call_state, dashboard_fragment
from calls.live.messages import CallState, broadcast_calls_changed
from calls.models import Call
from console.tenancy.models import Business

ATTENTION = "calls/alerts/attention.html#attention"


def attention_fragment(*, business: Business, oob: bool = False) -> str:
    return render_to_string(ATTENTION, {**attention_context(business=business), "oob": oob})


def alerts_broadcast(*, business: Business, calls: Iterable[Call]) -> None:
    """Every dashboard of the business: the list (from the database) and each call's card."""
    calls = list(calls)
    broadcast_calls_changed(
        business_id=business.pk,
        dashboard_html="".join(dashboard_fragment(call=call) for call in calls)
        + attention_fragment(business=business, oob=True),
        items=[
            CallState(call_pk=call.pk, call_id=call.call_id, call=call_state(call), segments=[])
            for call in calls
        ],
    )
