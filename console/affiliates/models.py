"""The affiliate program: affiliates, their clicks, referrals, commissions and payouts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from console.tenancy.models import Business, User


class AffiliateProgram(models.Model):
    """The affiliate program's terms: data, not template text (one row, code "default")."""

    code = models.SlugField(unique=True, default="default")
    commission_percent = models.DecimalField(max_digits=5, decimal_places=2)
    hold_days = models.PositiveSmallIntegerField(default=30)
    cookie_days = models.PositiveSmallIntegerField(default=60)
    payout_threshold_cents = models.PositiveIntegerField(default=5000)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_percent__gte=0) & Q(commission_percent__lte=100),
                name="affiliate_program_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.commission_percent}%"


class Affiliate(models.Model):
    """Someone who refers businesses: their own login, not a member of any business."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="affiliate")
    code = models.SlugField(max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.code})"


class ReferralClick(models.Model):
    """One visitor following an affiliate's link on one day."""

    affiliate = models.ForeignKey(Affiliate, on_delete=models.CASCADE, related_name="clicks")
    visitor_hash = models.CharField(max_length=64)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["affiliate", "visitor_hash", "day"], name="referral_click_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.affiliate_id} · {self.day}"


class Referral(models.Model):
    """A business an affiliate brought in, followed from trial to paying."""

    affiliate = models.ForeignKey(Affiliate, on_delete=models.PROTECT, related_name="referrals")
    business = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="referral")
    click = models.ForeignKey(ReferralClick, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    converted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.affiliate.code} → {self.business}"


class Payout(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    affiliate = models.ForeignKey(Affiliate, on_delete=models.PROTECT, related_name="payouts")
    amount_cents = models.IntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    approved_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payout_positive"),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk} · {self.amount_cents} · {self.status}"


class Commission(models.Model):
    """A ledger line: an earning on a paid invoice, or the reversal of one after a refund.

    Pending for the program's hold, then approved; paid once a payout includes it.
    """

    class Kind(models.TextChoices):
        EARNING = "earning", "Earning"
        REVERSAL = "reversal", "Reversal"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    affiliate = models.ForeignKey(Affiliate, on_delete=models.PROTECT, related_name="commissions")
    invoice = models.ForeignKey(
        "console.Invoice", on_delete=models.PROTECT, related_name="commissions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EARNING)
    amount_cents = models.IntegerField()
    rate_percent = models.DecimalField(max_digits=5, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    available_at = models.DateTimeField()
    payout = models.ForeignKey(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="commissions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "kind"], name="commission_once_per_invoice"),
            models.CheckConstraint(
                condition=(Q(kind="earning", amount_cents__gte=0))
                | (Q(kind="reversal", amount_cents__lte=0)),
                name="commission_sign_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents} · {self.status}"
