"""The 14-day trial: sign-up, days left, reminders, and read-only once it ends unpaid."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bookings.catalog.starter import starter_services_create
from console.affiliates.services import referral_attribute
from console.billing.models import TrialNotice
from console.tenancy.models import Business, Membership, Role, User
from console.tenancy.services import TRIAL_DAYS, BusinessError, business_create, user_create

logger = logging.getLogger(__name__)

REMINDER_DAYS = (3, 1)


class TrialSignupError(ValueError):
    """Bad sign-up input, with the form field it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TrialSignup:
    user: User
    business: Business


def prefix_from_name(name: str) -> str:
    """ "Glow Beauty Studio" → "GBS": initials for appointment references, 2 to 4 letters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z]+", ascii_name)
    initials = "".join(w[0] for w in words).upper()[:4]
    if len(initials) >= 2:
        return initials
    letters = "".join(words).upper()
    return letters[:2] if len(letters) >= 2 else "GB"


@transaction.atomic
def trial_start(
    *,
    business_name: str,
    kind: str,
    timezone_name: str,
    owner_name: str,
    email: str,
    password: str,
    referral_click_id: int | None = None,
    request: HttpRequest | None = None,
) -> TrialSignup:
    """Create the owner and their business on a 14-day trial, with starter services."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise TrialSignupError(
            "email", "An account with this email already exists. Sign in instead."
        )
    candidate = User(email=email, name=owner_name.strip())
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise TrialSignupError("password", " ".join(exc.messages)) from exc
    try:
        user = user_create(email=email, password=password, name=owner_name.strip())
    except BusinessError as exc:
        raise TrialSignupError("email", str(exc)) from exc
    business = business_add_for_owner(
        owner=user,
        business_name=business_name,
        kind=kind,
        timezone_name=timezone_name,
        referral_click_id=referral_click_id,
        request=request,
    )
    return TrialSignup(user=user, business=business)


@transaction.atomic
def business_add_for_owner(
    *,
    owner: User,
    business_name: str,
    kind: str,
    timezone_name: str,
    referral_click_id: int | None = None,
    request: HttpRequest | None = None,
) -> Business:
    """A new business on a 14-day trial owned by `owner`, credited to the referring click."""
    try:
        business = business_create(
            name=business_name,
            kind=kind,
            timezone_name=timezone_name,
            prefix=prefix_from_name(business_name),
            owner=owner,
            trial_days=TRIAL_DAYS,
            request=request,
        )
    except ValidationError as exc:
        field = "timezone" if "timezone" in getattr(exc, "error_dict", {}) else "business_name"
        raise TrialSignupError(field, " ".join(exc.messages)) from exc
    starter_services_create(business=business, owner=owner)
    referral_attribute(business=business, click_id=referral_click_id)
    return business


def trials_expire(*, now: datetime | None = None) -> int:
    """Trials past their end without a plan become expired (read-only). Nothing is deleted."""
    now = now or timezone.now()
    return Business.objects.filter(
        subscription_status=Business.Subscription.TRIALING, trial_ends_at__lte=now
    ).update(subscription_status=Business.Subscription.EXPIRED)


def trial_reminders_send(*, now: datetime | None = None) -> int:
    """Email the owners 3 days and 1 day before a trial ends; each reminder goes out once."""
    now = now or timezone.now()
    sent = 0
    for days in REMINDER_DAYS:
        due = Business.objects.filter(
            subscription_status=Business.Subscription.TRIALING,
            trial_ends_at__gt=now,
            trial_ends_at__lte=now + timedelta(days=days),
        ).exclude(pk__in=TrialNotice.objects.filter(days_before=days).values("business_id"))
        # The 1-day reminder supersedes a 3-day one that never went out.
        for business in due:
            if days == 3 and business.trial_ends_at <= now + timedelta(days=1):  # type: ignore[operator]
                continue
            with transaction.atomic():
                _notice, created = TrialNotice.objects.get_or_create(
                    business=business, days_before=days
                )
                if not created:
                    continue
                recipients = list(
                    Membership.objects.filter(business=business, role=Role.OWNER).values_list(
                        "user__email", flat=True
                    )
                )
                transaction.on_commit(partial(_reminder_email, business, recipients, days))
                sent += 1
    return sent


def _reminder_email(business: Business, recipients: list[str], days: int) -> None:
    if not recipients:
        return
    when = "tomorrow" if days == 1 else f"in {days} days"
    send_mail(
        subject=f"Your trial of the console for {business.name} ends {when}",
        message=(
            f"Hello,\n\nThe free trial for {business.name} ends {when}. Choose a plan to keep "
            f"your AI agent answering calls and your appointment book open for changes:\n\n"
            f"{settings.SITE_URL}/billing/\n\nWhen a trial ends without a plan, the console "
            f"becomes read-only: nothing is deleted.\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
