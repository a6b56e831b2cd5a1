"""Whether a business may write: an ended trial or subscription leaves the console read-only."""

from __future__ import annotations

import math
from datetime import datetime

from django.utils import timezone

from console.tenancy.models import Business

READ_ONLY_STATUSES = frozenset({Business.Subscription.EXPIRED, Business.Subscription.CANCELED})


def business_is_read_only(business: Business, *, now: datetime | None = None) -> bool:
    """Trial over without a plan (or subscription cancelled): data stays, writes are refused.

    Also true between the trial's end and the beat task that marks it expired.
    """
    if business.subscription_status in READ_ONLY_STATUSES:
        return True
    if business.subscription_status == Business.Subscription.TRIALING and business.trial_ends_at:
        return business.trial_ends_at <= (now or timezone.now())
    return False


def trial_days_left(business: Business, *, now: datetime | None = None) -> int | None:
    """Whole days left in a running trial (a part day counts as one); None if not trialing."""
    if business.subscription_status != Business.Subscription.TRIALING:
        return None
    if business.trial_ends_at is None:
        return None
    seconds = (business.trial_ends_at - (now or timezone.now())).total_seconds()
    return max(0, math.ceil(seconds / 86400))
