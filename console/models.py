from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone.")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with email and password.

    `is_staff` marks our own platform staff: they see every business.
    """

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_platform_staff(self) -> bool:
        return self.is_active and self.is_staff


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


class Business(models.Model):
    class Kind(models.TextChoices):
        SALON = "salon", "Salon"
        CLINIC = "clinic", "Clinic"

    class Subscription(models.TextChoices):
        TRIALING = "trialing", "Trial"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        CANCELED = "canceled", "Cancelled"
        EXPIRED = "expired", "Trial ended"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SALON)
    timezone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    default_region = models.CharField(
        max_length=2, default="US", help_text="Country assumed for phone numbers without one."
    )
    prefix = models.CharField(
        max_length=4,
        default="GB",
        validators=[RegexValidator(r"^[A-Z]{2,4}$", "2 to 4 capital letters.")],
        help_text="Appointment references start with it, e.g. GB-20261125-007.",
    )
    # Booking rules (CONTRACTS.md §4 /api/v1/business).
    slot_interval_minutes = models.PositiveSmallIntegerField(default=15)
    min_notice_minutes = models.PositiveIntegerField(default=60)
    max_advance_days = models.PositiveSmallIntegerField(default=90)
    cancellation_window_hours = models.PositiveSmallIntegerField(default=24)
    # With ANALYSIS_ENGINE=llm the model sees only the redacted transcript unless the business
    # has a business associate agreement (or its local equivalent) covering that provider.
    llm_baa_covered = models.BooleanField(
        "Analysis model provider is covered by our BAA",
        default=False,
        help_text=(
            "Only tick this if your business associate agreement covers the analysis model's "
            "provider: it then sees the original transcript, names and numbers included. "
            "Otherwise it only ever sees the redacted transcript."
        ),
    )
    # Plan and trial state.
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT)
    subscription_status = models.CharField(
        max_length=10, choices=Subscription.choices, default=Subscription.TRIALING
    )
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "businesses"
        constraints = [
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[A-Z]{2,4}$"), name="business_prefix_format"
            ),
            models.CheckConstraint(
                condition=Q(slot_interval_minutes__gte=5) & Q(slot_interval_minutes__lte=240),
                name="business_slot_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    FRONT_DESK = "front_desk", "Front desk"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.FRONT_DESK)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "business"], name="membership_once"),
        ]
        ordering = ["business__name"]

    def __str__(self) -> str:
        return f"{self.user} · {self.business} · {self.get_role_display()}"


class ApiKey(models.Model):
    """A machine client's key. Only the SHA-256 of the secret is stored."""

    class Scope(models.TextChoices):
        INGEST = "ingest", "ingest (call events)"
        TOOLS = "tools", "tools (voice agent booking tools)"
        ADMIN = "admin", "admin (services, staff, hours, calls)"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, help_text="First characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEntry(models.Model):
    """Append-only: the database refuses updates (see the migration's trigger)."""

    business = models.ForeignKey(
        Business,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, help_text="Who, as it was at the time.")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["business", "-created_at"], name="audit_business_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


# --- The public site: billing and the affiliate program (issue 7) -----------------------


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
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="commissions")
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
