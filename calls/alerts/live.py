"""The alerts' live update: the call's card and the whole "needs attention" list, rendered
from the same partials as the page, sent to the business's group after commit.

It goes as one more item of the calls' usual message (calls.events): the dashboard keeps a
call's latest item, so the card travels with the list and neither hides the other.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string

from calls import live
from calls.alerts.selectors import attention_context
from calls.events import broadcast_call_fragments
from calls.models import Call
from console.tenancy.models import Business

ATTENTION = "calls/alerts/attention.html#attention"


def attention_fragment(*, business: Business, oob: bool = False) -> str:
    return render_to_string(ATTENTION, {**attention_context(business=business), "oob": oob})


def alerts_broadcast(*, business: Business, calls: Iterable[Call]) -> None:
    """Every dashboard of the business: the list (from the database) and each call's card."""
    attention = attention_fragment(business=business, oob=True)
    for call in calls:
        broadcast_call_fragments(
            business_id=business.pk,
            call_pk=call.pk,
            call_id=call.call_id,
            dashboard_html=live.dashboard_fragment(call=call) + attention,
            call=live.call_state(call),
            segments=[],
        )
