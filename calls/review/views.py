"""The reviewers' pages: the calls list (with CSV export) and one call's review.

Every member may read the list and the review page: they show only PHI-safe data (redacted
transcript, masked numbers). Correcting, notes and re-running need can_review_calls; the
original transcript needs can_reveal_personal_data, and each look is audited.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from calls.review import services as review_services
from calls.review.forms import CallFilterForm, NoteForm, ReviewForm
from calls.review.pagination import ReviewListPaginator
from calls.review.selectors import call_review_data, calls_list, export_rows
from calls.selectors import call_get
from console.audit.log import audit_log_write
from console.tenancy.access import business_view
from console.tenancy.roles import can_reveal_personal_data, can_review_calls

PAGE_SIZES = (25, 50, 100)


def _filter_form(request: HttpRequest) -> CallFilterForm:
    form = CallFilterForm(request.GET)
    form.is_valid()
    return form


@require_GET
@business_view()
def calls_review_list(request: HttpRequest) -> HttpResponse:
    business = request.access.business  # type: ignore[attr-defined]
    form = _filter_form(request)
    try:
        per_page = int(request.GET.get("per_page", 50))
    except ValueError:
        per_page = 50
    per_page = per_page if per_page in PAGE_SIZES else 50
    paginator = ReviewListPaginator(calls_list(business=business, filters=form.filters()), per_page)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "can_export": request.access.can(can_review_calls),  # type: ignore[attr-defined]
    }
    template = "calls/review/list.html"
    if getattr(request, "htmx", False):
        template += "#calls-table"
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


_CSV_HEADER = [
    "call_id",
    "started_at",
    "agent",
    "channel",
    "from",
    "duration_s",
    "end_reason",
    "intent",
    "intent_machine",
    "sentiment",
    "sentiment_score",
    "lead_score",
    "lead_score_machine",
    "escalate",
    "escalation_reason",
    "urgency",
    "reason",
    "callback",
    "reviewed",
    "transcript_redacted",
]


def _cell(value: Any) -> Any:
    # A cell starting with = + - @ is a formula to a spreadsheet: neutralise it.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
@business_view(can_review_calls)
def calls_review_export(request: HttpRequest) -> HttpResponse:
    """Reviewers only, and each export is audited: it is every matching call at once."""
    business = request.access.business  # type: ignore[attr-defined]
    form = _filter_form(request)
    rows = export_rows(business=business, filters=form.filters())
    audit_log_write(
        action="calls.exported",
        business=business,
        request=request,
        # The filters' names only: a search can be personal data itself.
        data={"filters": sorted(k for k, v in request.GET.items() if v)},
    )
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield writer.writerow(_CSV_HEADER)
        for row in rows.iterator(chunk_size=2000):
            values = list(row)
            if values[1] is not None:
                values[1] = timezone.localtime(values[1], business.tz).isoformat()
            yield writer.writerow([_cell(v) for v in values])

    response: Any = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now(), business.tz).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="calls-{business.slug}-{stamp}.csv"'
    return response


def _review_context(request: HttpRequest, pk: int, **extra: Any) -> dict[str, Any]:
    access = request.access  # type: ignore[attr-defined]
    call = call_get(business=access.business, pk=pk)
    data = call_review_data(call=call)
    review = data.review
    initial: dict[str, Any] = {"reviewed": bool(review and review.reviewed)}
    if review is not None:
        initial.update(
            intent=review.intent,
            lead_score=review.lead_score,
            escalate={True: "yes", False: "no"}.get(review.escalate, ""),  # type: ignore[arg-type]
            escalation_reason=review.escalation_reason,
            caller_name=review.caller_name,
            callback_number=review.callback_number,
            reason=review.reason,
            urgency=review.urgency,
        )
    return {
        "call": call,
        "data": data,
        "analysis": data.analysis,
        "review": review,
        "form": extra.pop("form", None) or ReviewForm(initial=initial),
        "note_form": extra.pop("note_form", None) or NoteForm(),
        "can_review": access.can(can_review_calls),
        # Notes are the reviewers' own words about a call, often health details.
        "notes": data.notes if access.can(can_review_calls) else None,
        "can_reveal": access.can(can_reveal_personal_data),
        **extra,
    }


@require_GET
@business_view()
def call_review(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "calls/review/call.html", _review_context(request, pk))


@require_POST
@business_view(can_review_calls)
def call_review_save(request: HttpRequest, pk: int) -> HttpResponse:
    business = request.access.business  # type: ignore[attr-defined]
    call = call_get(business=business, pk=pk)
    form = ReviewForm(request.POST, region=business.default_region or "US")
    if not form.is_valid():
        context = _review_context(request, pk, form=form)
        return render(request, "calls/review/call.html", context, status=400)
    review_services.review_save(
        call=call,
        by=request.user,  # type: ignore[arg-type]
        corrections=form.corrections(),
        reviewed=form.cleaned_data["reviewed"],
        request=request,
    )
    messages.success(request, "Review saved.")
    return redirect("call_review", pk=call.pk)


@require_POST
@business_view(can_review_calls)
def call_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_get(business=request.access.business, pk=pk)  # type: ignore[attr-defined]
    form = NoteForm(request.POST)
    if not form.is_valid():
        context = _review_context(request, pk, note_form=form)
        return render(request, "calls/review/call.html", context, status=400)
    review_services.note_add(
        call=call,
        by=request.user,  # type: ignore[arg-type]
        text=form.cleaned_data["text"],
        request=request,
    )
    messages.success(request, "Note added.")
    return redirect("call_review", pk=call.pk)


@require_POST
@business_view(can_reveal_personal_data)
def call_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_get(business=request.access.business, pk=pk)  # type: ignore[attr-defined]
    revealed = review_services.transcript_reveal(
        call=call,
        by=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return render(
        request, "calls/review/call.html#transcript-original", {"call": call, "revealed": revealed}
    )


@require_POST
@business_view(can_review_calls)
def call_reanalyze(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_get(business=request.access.business, pk=pk)  # type: ignore[attr-defined]
    review_services.call_reanalyze(call=call, by=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, "The analysis is running again; reload in a moment.")
    return redirect("call_review", pk=call.pk)
