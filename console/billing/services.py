"""Billing through Stripe: Checkout for subscribing, and the webhook that records what paid.

The webhook verifies Stripe's signature, and each event id is processed once: the event row
and its effects commit together, so a replay or a concurrent retry writes nothing new.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from console.affiliates.services import commission_earn, commission_reverse
from console.audit.log import audit_log_write
from console.billing.models import BillingAccount, Invoice, Plan, StripeEvent
from console.tenancy.models import Business, User

logger = logging.getLogger(__name__)


class BillingNotConfigured(RuntimeError):
    pass


class BillingError(RuntimeError):
    pass


class WebhookRejected(ValueError):
    pass


class WebhookRetry(RuntimeError):
    """The event cannot be processed now (Stripe's API did not answer): nothing is written,
    and Stripe delivers it again later."""


def billing_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def can_manage_billing(role: str | None, *, platform_staff: bool = False) -> bool:
    """Subscribing and seeing invoices: the owner's business (and platform staff)."""
    return platform_staff or role == "owner"


def _client() -> stripe.StripeClient:
    if not billing_configured():
        raise BillingNotConfigured("Billing is not configured: STRIPE_SECRET_KEY is not set.")
    kwargs: dict[str, Any] = {"max_network_retries": 1}
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **kwargs)


def checkout_session_create(
    *, business: Business, plan: Plan, user: User, success_url: str, cancel_url: str
) -> str:
    """A Stripe Checkout session for subscribing `business` to `plan`; returns its URL."""
    metadata = {"business_id": str(business.pk), "plan_code": plan.code}
    if plan.stripe_price_id:
        line_item: dict[str, Any] = {"price": plan.stripe_price_id, "quantity": 1}
    else:
        line_item = {
            "quantity": 1,
            "price_data": {
                "currency": plan.currency,
                "unit_amount": plan.price_cents,
                "recurring": {"interval": plan.interval},
                "product_data": {"name": f"Console {plan.name}"},
            },
        }
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [line_item],
        "client_reference_id": str(business.pk),
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    account = BillingAccount.objects.filter(business=business).first()
    if account and account.stripe_customer_id:
        params["customer"] = account.stripe_customer_id
    else:
        params["customer_email"] = user.email
    try:
        session = _client().v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": f"checkout-{business.pk}-{plan.code}-{_minute()}"},
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe checkout failed for business %s: %s", business.pk, exc)
        raise BillingError("Stripe did not answer as expected; please try again.") from exc
    audit_log_write(
        action="billing.checkout_started",
        business=business,
        actor=user,
        data={"plan": plan.code, "session": session.id},
    )
    if not session.url:
        raise BillingError("Stripe returned no checkout address.")
    return str(session.url)


def _minute() -> str:
    # One checkout per business, plan and minute: a double click opens the same session.
    return timezone.now().strftime("%Y%m%d%H%M")


# --- The webhook --------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookResult:
    event_id: str
    type: str
    duplicate: bool
    handled: bool


def webhook_receive(*, payload: bytes, signature: str | None) -> WebhookResult:
    """Verify, then process the event once. Raises WebhookRejected for a bad signature."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise BillingNotConfigured("Billing is not configured: STRIPE_WEBHOOK_SECRET is not set.")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise WebhookRejected(str(exc) or "bad signature") from exc
    event = json.loads(payload)
    event_id, event_type = str(event.get("id", "")), str(event.get("type", ""))
    if not event_id:
        raise WebhookRejected("The event has no id.")
    obj = (event.get("data") or {}).get("object") or {}
    handler = HANDLERS.get(event_type)
    try:
        with transaction.atomic():
            StripeEvent.objects.create(event_id=event_id, type=event_type[:100])
            if handler is not None:
                handler(obj)
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event_id).exists():
            return WebhookResult(event_id, event_type, duplicate=True, handled=False)
        raise
    return WebhookResult(event_id, event_type, duplicate=False, handled=handler is not None)


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _id(value: Any) -> str:
    """Stripe sends either an id or an expanded object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _business_for(obj: dict[str, Any]) -> Business | None:
    customer = _id(obj.get("customer"))
    if customer:
        account = (
            BillingAccount.objects.filter(stripe_customer_id=customer)
            .select_related("business")
            .first()
        )
        if account is not None:
            return account.business
    for path in (
        ("metadata", "business_id"),
        ("subscription_details", "metadata", "business_id"),
        ("parent", "subscription_details", "metadata", "business_id"),
    ):
        raw = _get(obj, *path)
        if raw and str(raw).isdigit():
            return Business.objects.filter(pk=int(raw)).first()
    return None


def _checkout_completed(obj: dict[str, Any]) -> None:
    raw = obj.get("client_reference_id") or _get(obj, "metadata", "business_id")
    business = Business.objects.filter(pk=int(raw)).first() if str(raw).isdigit() else None
    if business is None:
        logger.warning("checkout.session.completed for an unknown business: %r", raw)
        return
    plan = Plan.objects.filter(code=_get(obj, "metadata", "plan_code") or "").first()
    account, _ = BillingAccount.objects.get_or_create(business=business)
    account.stripe_customer_id = _id(obj.get("customer")) or account.stripe_customer_id
    account.stripe_subscription_id = _id(obj.get("subscription")) or account.stripe_subscription_id
    account.save()
    if plan is not None:
        business.plan = plan
    business.subscription_status = Business.Subscription.ACTIVE
    business.save(update_fields=["plan", "subscription_status"])
    audit_log_write(
        action="billing.subscribed",
        business=business,
        obj=business,
        data={"plan": plan.code if plan else None},
    )


def _timestamp(value: Any) -> datetime:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, tz=UTC)
    return timezone.now()


def _invoice_paid(obj: dict[str, Any]) -> None:
    stripe_id = str(obj.get("id") or "")
    business = _business_for(obj)
    if not stripe_id or business is None:
        logger.warning("invoice %r paid for an unknown business", stripe_id)
        return
    amount = obj.get("amount_paid")
    if not isinstance(amount, int) or amount < 0:
        logger.warning("invoice %r has no usable amount_paid: %r", stripe_id, amount)
        return
    invoice, created = Invoice.objects.get_or_create(
        stripe_invoice_id=stripe_id,
        defaults={
            "business": business,
            "number": str(obj.get("number") or "")[:100],
            "amount_paid_cents": amount,
            "currency": str(obj.get("currency") or "usd")[:3],
            "paid_at": _timestamp(_get(obj, "status_transitions", "paid_at") or obj.get("created")),
            "stripe_charge_id": _id(obj.get("charge"))[:100],
            "stripe_payment_intent_id": _id(obj.get("payment_intent"))[:100],
        },
    )
    if not created:
        return  # invoice.paid and invoice.payment_succeeded both arrive for one invoice
    if business.subscription_status != Business.Subscription.ACTIVE:
        business.subscription_status = Business.Subscription.ACTIVE
        business.save(update_fields=["subscription_status"])
    commission_earn(invoice=invoice)
    audit_log_write(
        action="billing.invoice_paid",
        business=business,
        obj=invoice,
        data={"amount_cents": amount, "invoice": stripe_id},
    )


def _invoice_payment_paid(obj: dict[str, Any]) -> None:
    """API versions from 2025 on link a payment to its invoice only here, not on the charge."""
    invoice = Invoice.objects.filter(stripe_invoice_id=_id(obj.get("invoice"))).first()
    if invoice is None:
        return
    intent = _id(_get(obj, "payment", "payment_intent"))[:100]
    charge = _id(_get(obj, "payment", "charge"))[:100]
    changed = []
    if intent and not invoice.stripe_payment_intent_id:
        invoice.stripe_payment_intent_id = intent
        changed.append("stripe_payment_intent_id")
    if charge and not invoice.stripe_charge_id:
        invoice.stripe_charge_id = charge
        changed.append("stripe_charge_id")
    if changed:
        invoice.save(update_fields=changed)


def _invoice_id_for_payment_intent(payment_intent: str) -> str:
    """Ask Stripe which invoice a payment belongs to (the charge no longer says)."""
    if not payment_intent or not billing_configured():
        return ""
    try:
        found = _client().v1.invoice_payments.list(
            params={  # type: ignore[arg-type]
                "payment": {"type": "payment_intent", "payment_intent": payment_intent},
                "limit": 1,
            }
        )
    except stripe.StripeError as exc:
        raise WebhookRetry(f"Stripe did not answer: {exc}") from exc
    for payment in found.data:
        invoice = getattr(payment, "invoice", None)
        return invoice if isinstance(invoice, str) else str(getattr(invoice, "id", "") or "")
    return ""


def _charge_refunded(obj: dict[str, Any]) -> None:
    query = Invoice.objects.select_for_update()
    invoice = None
    intent = _id(obj.get("payment_intent"))
    for field, value in (
        ("stripe_invoice_id", _id(obj.get("invoice"))),
        ("stripe_charge_id", _id(obj.get("id"))),
        ("stripe_payment_intent_id", intent),
    ):
        if value:
            invoice = query.filter(**{field: value}).first()
            if invoice is not None:
                break
    if invoice is None and intent:
        invoice_id = _invoice_id_for_payment_intent(intent)
        if invoice_id:
            invoice = query.filter(stripe_invoice_id=invoice_id).first()
    if invoice is None:
        logger.warning("refund of a charge with no recorded invoice: %r", obj.get("id"))
        return
    refunded = obj.get("amount_refunded")
    if not isinstance(refunded, int) or refunded <= 0:
        return
    refunded = min(refunded, invoice.amount_paid_cents)
    if refunded <= invoice.amount_refunded_cents:
        return
    invoice.amount_refunded_cents = refunded
    invoice.status = (
        Invoice.Status.REFUNDED
        if refunded >= invoice.amount_paid_cents
        else Invoice.Status.PARTIALLY_REFUNDED
    )
    invoice.save(update_fields=["amount_refunded_cents", "status"])
    commission_reverse(invoice=invoice)
    audit_log_write(
        action="billing.invoice_refunded",
        business=invoice.business,
        obj=invoice,
        data={"refunded_cents": refunded},
    )


SUBSCRIPTION_STATUSES = {
    "active": Business.Subscription.ACTIVE,
    "trialing": Business.Subscription.ACTIVE,
    "past_due": Business.Subscription.PAST_DUE,
    "unpaid": Business.Subscription.PAST_DUE,
    "canceled": Business.Subscription.CANCELED,
}


def _subscription_changed(obj: dict[str, Any]) -> None:
    account = (
        BillingAccount.objects.filter(stripe_subscription_id=_id(obj.get("id")))
        .select_related("business")
        .first()
    )
    status = SUBSCRIPTION_STATUSES.get(str(obj.get("status")))
    if account is None or status is None:
        return
    business = account.business
    if business.subscription_status != status:
        business.subscription_status = status
        business.save(update_fields=["subscription_status"])
        audit_log_write(
            action="billing.subscription_status", business=business, data={"status": status}
        )


def _subscription_deleted(obj: dict[str, Any]) -> None:
    _subscription_changed({**obj, "status": "canceled"})


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_succeeded": _invoice_paid,
    "invoice_payment.paid": _invoice_payment_paid,
    "charge.refunded": _charge_refunded,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_deleted,
}
