"""The affiliate program: its page, joining, an affiliate's dashboard, and staff payouts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from console.affiliates.forms import AffiliateJoinForm
from console.affiliates.models import Affiliate, Payout
from console.affiliates.services import (
    AffiliateError,
    affiliate_create,
    affiliate_join,
    balances,
    dashboard_get,
    line_date,
    payout_approve,
    payout_mark_paid,
    payouts_csv,
    program_get,
    statement_csv,
)
from console.tenancy.access import MODEL_BACKEND
from console.tenancy.models import User
from console.tenancy.signup_limit import TOO_MANY_SIGNUPS, signup_count, signup_refused


def program(request: HttpRequest) -> HttpResponse:
    affiliate = (
        Affiliate.objects.filter(user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request, "affiliates/program.html", {"program": program_get(), "affiliate": affiliate}
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        if request.method == "POST":
            affiliate_create(user=request.user)  # type: ignore[arg-type]
            return redirect("affiliate_dashboard")
        return render(request, "affiliates/join.html", {"signed_in": True})
    form = AffiliateJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signup_refused(request, "affiliate"):
            form.add_error(None, TOO_MANY_SIGNUPS)
            return _join_page(request, form, status=429)
        try:
            affiliate = affiliate_join(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except AffiliateError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            signup_count(request, "affiliate")
            login(request, affiliate.user, backend=MODEL_BACKEND)
            return redirect("affiliate_dashboard")
    return _join_page(request, form, status=400 if form.is_bound else 200)


def _join_page(request: HttpRequest, form: AffiliateJoinForm, *, status: int) -> HttpResponse:
    return render(
        request, "affiliates/join.html", {"form": form, "program": program_get()}, status=status
    )


def _affiliate_for(user: User) -> Affiliate:
    affiliate = Affiliate.objects.filter(user=user).first()
    if affiliate is None:
        raise PermissionDenied("You have not joined the affiliate program.")
    return affiliate


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    affiliate = Affiliate.objects.filter(user=request.user).first()  # type: ignore[misc]
    if affiliate is None:
        return redirect("affiliate_join")
    return render(
        request,
        "affiliates/dashboard.html",
        {
            "affiliate": affiliate,
            "program": program_get(),
            "link": request.build_absolute_uri(reverse("referral_link", args=[affiliate.code])),
            "stats": dashboard_get(affiliate=affiliate),
            "lines": [
                {"date": line_date(line), "line": line}
                for line in affiliate.commissions.select_related("invoice")[:20]
            ],
        },
    )


@login_required
def statement(request: HttpRequest) -> HttpResponse:
    affiliate = _affiliate_for(request.user)  # type: ignore[arg-type]
    response = HttpResponse(statement_csv(affiliate=affiliate), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="statement-{affiliate.code}.csv"'
    return response


def _staff_only(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated or not user.is_platform_staff:  # type: ignore[union-attr]
        raise PermissionDenied("Platform staff only.")
    return user  # type: ignore[return-value]


@login_required
def staff_payouts(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    program = program_get()
    return render(
        request,
        "affiliates/staff_payouts.html",
        {
            "program": program,
            "balances": balances(),
            "open_payouts": Payout.objects.filter(status=Payout.Status.APPROVED).select_related(
                "affiliate__user"
            ),
            "paid_payouts": Payout.objects.filter(status=Payout.Status.PAID).select_related(
                "affiliate__user"
            )[:50],
        },
    )


@require_POST
@login_required
def staff_payout_approve(request: HttpRequest, affiliate_id: int) -> HttpResponse:
    user = _staff_only(request)
    affiliate = get_object_or_404(Affiliate, pk=affiliate_id)
    try:
        payout = payout_approve(affiliate=affiliate, by=user)
    except AffiliateError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Payout #{payout.pk} approved for {affiliate.user.email}.")
    return redirect("affiliate_staff_payouts")


@require_POST
@login_required
def staff_payout_paid(request: HttpRequest, payout_id: int) -> HttpResponse:
    user = _staff_only(request)
    payout = get_object_or_404(Payout, pk=payout_id)
    payout_mark_paid(payout=payout, by=user)
    messages.success(request, f"Payout #{payout.pk} marked paid.")
    return redirect("affiliate_staff_payouts")


@login_required
def staff_payouts_csv(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    payouts = list(
        Payout.objects.filter(status=Payout.Status.APPROVED)
        .select_related("affiliate__user")
        .order_by("pk")
    )
    response = HttpResponse(payouts_csv(payouts), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="payout-run.csv"'
    return response
