"""The public site: pricing, the trial sign-up and affiliate referral links."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from console.affiliates.services import (
    REFERRAL_COOKIE,
    REFERRAL_COOKIE_SALT,
    click_record,
    program_get,
)
from console.billing.models import Plan
from console.billing.trials import TrialSignupError, business_add_for_owner, trial_start
from console.onboarding.checklist import checklist_open
from console.onboarding.welcome import owner_welcome_send
from console.privacy.client_address import client_ip
from console.site.forms import TrialForm
from console.tenancy.access import MODEL_BACKEND, SESSION_KEY
from console.tenancy.services import TRIAL_DAYS
from console.tenancy.signup_limit import TOO_MANY_SIGNUPS, signup_count, signup_refused


def _plans() -> QuerySet[Plan]:
    return Plan.objects.filter(active=True).order_by("position", "price_cents")


def pricing(request: HttpRequest) -> HttpResponse:
    plans = list(_plans())
    features: list[str] = []
    for plan in plans:
        features += [f for f in plan.features if f not in features]
    # Plans are tiers: each includes what the plans below it list (Growth's "up to 5
    # locations" covers Starter's "one location"), so a feature is included from the first
    # plan that lists it upwards. Matching exact wording said Growth lacked five of its own.
    for below, plan in zip([None, *plans], plans, strict=False):
        plan.tier_below = below.name if below else ""  # type: ignore[attr-defined]
    comparison = []
    for feature in features:
        first = next(i for i, plan in enumerate(plans) if feature in plan.features)
        comparison.append({"feature": feature, "included": [i >= first for i in range(len(plans))]})
    return render(
        request,
        "public/pricing.html",
        {
            "plans": plans,
            "comparison": comparison,
            "program": program_get(),
            "trial_days": TRIAL_DAYS,
        },
    )


def _referral_click_id(request: HttpRequest) -> int | None:
    raw = request.get_signed_cookie(REFERRAL_COOKIE, default=None, salt=REFERRAL_COOKIE_SALT)
    return int(raw) if raw and str(raw).isdigit() else None


@require_http_methods(["GET", "POST"])
def trial(request: HttpRequest) -> HttpResponse:
    """Start a trial: a new owner and business, or a new business for a signed-in user."""
    plan = _plans().filter(code=request.GET.get("plan", "")).first()
    signed_in = request.user.is_authenticated
    form = TrialForm(request.POST or None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        if signup_refused(request, "trial"):
            form.add_error(None, TOO_MANY_SIGNUPS)
            return _trial_page(request, form, plan, signed_in, status=429)
        data = form.cleaned_data
        click_id = _referral_click_id(request)
        try:
            if signed_in:
                user = request.user
                business = business_add_for_owner(
                    owner=user,  # type: ignore[arg-type]
                    business_name=data["business_name"],
                    kind=data["kind"],
                    timezone_name=data["timezone"],
                    referral_click_id=click_id,
                    request=request,
                )
            else:
                signup = trial_start(
                    business_name=data["business_name"],
                    kind=data["kind"],
                    timezone_name=data["timezone"],
                    owner_name=data["owner_name"],
                    email=data["email"],
                    password=data["password"],
                    referral_click_id=click_id,
                    request=request,
                )
                user, business = signup.user, signup.business
                login(request, user, backend=MODEL_BACKEND)
        except TrialSignupError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            signup_count(request, "trial")
            request.session[SESSION_KEY] = business.pk
            # A first day that works: the checklist, in the navigation until done.
            checklist_open(business=business)
            owner_welcome_send(user=user, business=business)  # type: ignore[arg-type]
            response = redirect("onboarding")
            response.delete_cookie(REFERRAL_COOKIE)
            return response
    return _trial_page(request, form, plan, signed_in, status=400 if form.is_bound else 200)


def _trial_page(
    request: HttpRequest, form: TrialForm, plan: Plan | None, signed_in: bool, *, status: int
) -> HttpResponse:
    return render(
        request,
        "public/trial.html",
        {"form": form, "plan": plan, "trial_days": TRIAL_DAYS, "signed_in": signed_in},
        status=status,
    )


def referral_link(request: HttpRequest, code: str) -> HttpResponse:
    """An affiliate's link: count the click, remember it for the next trial, show pricing."""
    _affiliate, click = click_record(
        code=code,
        ip=client_ip(request) or "",
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        user=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
    )
    response = redirect("pricing")
    if click is not None:
        # The last click wins: each one overwrites the cookie.
        response.set_signed_cookie(
            REFERRAL_COOKIE,
            str(click.pk),
            salt=REFERRAL_COOKIE_SALT,
            max_age=program_get().cookie_days * 86400,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,  # HTTPS only in production
        )
    return response
