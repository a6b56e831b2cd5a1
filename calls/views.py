"""Live calls and a call's live transcript. The page and its WebSocket updates render the
same partials (templates/calls/live.html, transcript.html)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from calls import selectors
from calls.alerts.selectors import attention_page_context
from calls.live_transcript import call_segments_redacted, calls_last_lines_redacted
from console.tenancy.access import business_view


def _live_context(request: HttpRequest) -> dict[str, object]:
    business = request.access.business  # type: ignore[attr-defined]
    live_calls = list(selectors.calls_in_progress(business=business))
    ended_calls = selectors.calls_recently_ended(business=business)
    calls_last_lines_redacted([*live_calls, *ended_calls])
    return {
        "live_calls": live_calls,
        "ended_calls": ended_calls,
        **attention_page_context(access=request.access),  # type: ignore[attr-defined]  # live alerts
    }


@business_view()
def live(request: HttpRequest) -> HttpResponse:
    return render(request, "calls/live.html", _live_context(request))


@business_view()
def live_lists(request: HttpRequest) -> HttpResponse:
    """Both lists, from the database: what a page redraws after its socket reconnects."""
    return render(request, "calls/live.html#live-lists", _live_context(request))


def _call_context(request: HttpRequest, pk: int) -> dict[str, object]:
    call = selectors.call_get(business=request.access.business, pk=pk)  # type: ignore[attr-defined]
    return {"call": call, "segments": call_segments_redacted(call=call)}


@business_view()
def live_call(request: HttpRequest, pk: int) -> HttpResponse:
    context = _call_context(request, pk)
    call = context["call"]
    if call.status == call.Status.ENDED:  # type: ignore[attr-defined]
        return redirect("call_review", pk=pk)
    return render(request, "calls/transcript.html", context)


@business_view()
def live_call_body(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "calls/transcript.html#call-body", _call_context(request, pk))
