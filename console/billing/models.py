"""Billing: the plans on the pricing page, Stripe customers, invoices, trial notices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from console.tenancy.models import Business


class Plan(models.Model):
    """A subscription plan as shown on /pricing/. Prices are data, in cents."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    price_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="usd")
    interval = models.CharField(max_length=10, default="month")
    features = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    stripe_price_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["position", "price_cents"]

    def __str__(self) -> str:
        return self.name


class BillingAccount(models.Model):
    """A business's Stripe customer and subscription."""

    business = models.OneToOneField(
        Business, on_delete=models.CASCADE, related_name="billing_account"
    )
    stripe_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.business} · {self.stripe_customer_id or '-'}"


class StripeEvent(models.Model):
    """A processed webhook event: its id makes a replay a no-op."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class Invoice(models.Model):
    """A paid Stripe invoice, recorded locally in integer cents."""

    class Status(models.TextChoices):
        PAID = "paid", "Paid"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
        REFUNDED = "refunded", "Refunded"

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="invoices")
    stripe_invoice_id = models.CharField(max_length=100, unique=True)
    stripe_charge_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_payment_intent_id = models.CharField(max_length=100, blank=True, db_index=True)
    number = models.CharField(max_length=100, blank=True)
    amount_paid_cents = models.PositiveIntegerField()
    amount_refunded_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="usd")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PAID)
    paid_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_refunded_cents__lte=models.F("amount_paid_cents")),
                name="invoice_refund_not_over_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stripe_invoice_id} {self.amount_paid_cents}"


class TrialNotice(models.Model):
    """A trial-ending email that went out: one per business and lead time."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "days_before"], name="trial_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} · {self.days_before} days before"
