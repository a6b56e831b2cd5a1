"""The client pages: the list, the card (a page, and the same partial in the book's side
panel), editing the record, revealing the number, and merging a duplicate.

Any member of the business reads and edits the record; revealing a number needs
can_reveal_personal_data (audited); merging needs can_manage_business. Another business's
client id answers 404 everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from bookings.clients.forms import ClientRecordForm, ClientSearchForm, MergeForm
from bookings.clients.selectors import (
    SORTS,
    client_card,
    client_for_call,
    client_get,
    clients_list,
    merge_candidates,
)
from bookings.clients.services import ClientError, client_record_update, clients_merge
from calls.models import Call
from console.audit.log import audit_log_write
from console.tenancy.access import Access, business_view
from console.tenancy.currency import money_format
from console.tenancy.roles import can_manage_business, can_reveal_personal_data

LIST = "bookings/clients/list.html"
CARD = "bookings/clients/card.html"
PER_PAGE = 25


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined, no-any-return]


@require_GET
@business_view()
def client_list(request: HttpRequest) -> HttpResponse:
    business = _access(request).business
    query, sort = ClientSearchForm(request.GET).values()
    paginator = Paginator(clients_list(business=business, query=query, sort=sort), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    tz = business.tz
    rows = []
    for client in page:
        last_visit = client.last_visit  # type: ignore[attr-defined]
        rows.append((client, last_visit.astimezone(tz) if last_visit else None))
    context = {"query": query, "sort": sort, "sorts": SORTS, "page": page, "rows": rows}
    template = f"{LIST}#client-list" if request.htmx else LIST  # type: ignore[attr-defined]
    return render(request, template, context)


def _card_context(request: HttpRequest, pk: int, **extra: Any) -> dict[str, Any]:
    access = _access(request)
    business = access.business
    client = client_get(business=business, pk=pk)
    card = client_card(business=business, client=client)
    return {
        "card": card,
        "spend": money_format(card.spend_cents, business.currency),
        "form": extra.pop("form", None)
        or ClientRecordForm(
            initial={
                "notes": client.notes,
                "allergies": client.allergies,
                "formulas": client.formulas,
                "marketing_consent": client.marketing_consent,
            }
        ),
        "can_reveal": access.can(can_reveal_personal_data),
        "can_merge": access.can(can_manage_business),
        "in_panel": bool(request.GET.get("panel") or request.POST.get("panel")),
        **extra,
    }


def _card(request: HttpRequest, pk: int, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The page, or for htmx (the book's side panel, an edit) the card partial alone."""
    context = _card_context(request, pk, **extra)
    template = f"{CARD}#client-card" if request.htmx else CARD  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@require_GET
@business_view()
def client_card_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, pk)


@require_POST
@business_view()
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    client = client_get(business=access.business, pk=pk)
    form = ClientRecordForm(request.POST)
    if not form.is_valid():
        return _card(request, pk, form=form, status=422)
    try:
        client_record_update(
            business=access.business,
            client=client,
            by=access.user,
            request=request,
            **form.cleaned_data,
        )
    except ClientError as exc:
        form.add_error(None, exc.message)
        return _card(request, pk, form=form, status=422)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, "Saved.")
        return redirect("client_card", pk=pk)
    return _card(request, pk, notice="Saved.")


@require_POST
@business_view(can_reveal_personal_data)
def client_phone_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    client = client_get(business=access.business, pk=pk)
    audit_log_write(
        action="client.phone_revealed",
        business=access.business,
        request=request,
        data={"customer_id": client.pk},
    )
    return render(request, f"{CARD}#client-phone", {"phone": client.phone})


@require_GET
@business_view(can_manage_business)
def client_merge_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    business = _access(request).business
    client = client_get(business=business, pk=pk)
    query, _sort = ClientSearchForm(request.GET).values()
    candidates = merge_candidates(business=business, client=client, query=query)
    return render(
        request,
        f"{CARD}#merge-candidates",
        {"card": {"client": client}, "candidates": candidates, "merge_query": query},
    )


@require_POST
@business_view(can_manage_business)
def client_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the client `remove` (posted) into this one, which is kept."""
    access = _access(request)
    keep = client_get(business=access.business, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick the duplicate to merge.")
        return redirect("client_card", pk=pk)
    remove = client_get(business=access.business, pk=form.cleaned_data["remove"])
    try:
        receipt = clients_merge(
            business=access.business, keep=keep, remove=remove, by=access.user, request=request
        )
    except ClientError as exc:
        messages.error(request, exc.message)
        return redirect("client_card", pk=pk)
    messages.success(
        request,
        f"Merged: {receipt.appointments_moved} appointment"
        f"{'' if receipt.appointments_moved == 1 else 's'} moved, "
        f"{receipt.calls_linked} call{'' if receipt.calls_linked == 1 else 's'} from the other "
        f"number now shown here. Receipt: audit entry #{receipt.audit.pk}.",
    )
    return redirect("client_card", pk=pk)


@require_GET
@business_view()
def client_for_call_view(request: HttpRequest, call_pk: int) -> HttpResponse:
    """From a call's review page: the card of the client who called, by number."""
    business = _access(request).business
    call = Call.objects.filter(business=business, pk=call_pk).first()
    if call is None:
        raise Http404("No such call.")
    client = client_for_call(business=business, call=call)
    if client is None:
        return render(request, "bookings/clients/no_client.html", {"call": call}, status=404)
    return redirect("client_card", pk=client.pk)
