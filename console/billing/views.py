"""The console's billing page, Stripe Checkout, and Stripe's webhook."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from console.billing.models import Invoice, Plan
from console.billing.services import (
    BillingError,
    BillingNotConfigured,
    WebhookRejected,
    WebhookRetry,
    billing_configured,
    can_manage_billing,
    checkout_session_create,
    webhook_receive,
)
from console.tenancy.access import business_view
from console.tenancy.subscription import business_is_read_only, trial_days_left

logger = logging.getLogger(__name__)


@business_view(can_manage_billing, read_only_ok=True)
def billing(request: HttpRequest) -> HttpResponse:
    business = request.access.business  # type: ignore[attr-defined]
    return render(
        request,
        "billing/billing.html",
        {
            "business": business,
            "plans": Plan.objects.filter(active=True).order_by("position", "price_cents"),
            "invoices": Invoice.objects.filter(business=business).order_by("-paid_at")[:50],
            "configured": billing_configured(),
            "read_only": business_is_read_only(business),
            "days_left": trial_days_left(business),
            "checkout": request.GET.get("checkout", ""),
        },
    )


@require_POST
@business_view(can_manage_billing, read_only_ok=True)
def checkout(request: HttpRequest) -> HttpResponse:
    business = request.access.business  # type: ignore[attr-defined]
    plan = Plan.objects.filter(active=True, code=request.POST.get("plan", "")).first()
    if plan is None:
        messages.error(request, "Choose one of the plans.")
        return redirect("billing")
    base = request.build_absolute_uri(reverse("billing"))
    try:
        url = checkout_session_create(
            business=business,
            plan=plan,
            user=request.user,  # type: ignore[arg-type]
            success_url=f"{base}?checkout=success",
            cancel_url=f"{base}?checkout=cancelled",
        )
    except BillingNotConfigured:
        messages.error(request, "Billing is not configured on this server yet.")
        return redirect("billing")
    except BillingError as exc:
        messages.error(request, str(exc))
        return redirect("billing")
    return redirect(url)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        result = webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except BillingNotConfigured as exc:
        return JsonResponse({"error": "not_configured", "message": str(exc)}, status=503)
    except WebhookRetry as exc:
        logger.warning("Stripe webhook deferred: %s", exc)
        return JsonResponse(
            {"error": "retry", "message": "Stripe's API did not answer; deliver again."},
            status=503,
        )
    except IntegrityError:
        # Another delivery is writing the same invoice right now: Stripe retries later.
        return JsonResponse(
            {"error": "conflict", "message": "A concurrent delivery is in progress; retry."},
            status=409,
        )
    except WebhookRejected as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return JsonResponse(
            {"error": "bad_signature", "message": "The Stripe signature does not verify."},
            status=400,
        )
    return JsonResponse(
        {"received": True, "id": result.event_id, "duplicate": result.duplicate}, status=200
    )
