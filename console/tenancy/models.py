"""Tenancy: users, businesses, memberships with their roles, and API keys."""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from console.tenancy.currency import CURRENCY_CHOICES, DEFAULT_CURRENCY


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
    # What its prices are in (money is integer cents of it): set from its time zone when it
    # is created (console.tenancy.currency), editable in its settings.
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default=DEFAULT_CURRENCY)
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
    plan = models.ForeignKey("console.Plan", null=True, blank=True, on_delete=models.PROTECT)
    subscription_status = models.CharField(
        max_length=10, choices=Subscription.choices, default=Subscription.TRIALING
    )
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    # A business that signed up for a trial gets the first-day checklist (console.onboarding)
    # in its navigation until it is dismissed or complete.
    checklist_open = models.BooleanField(default=False)
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
