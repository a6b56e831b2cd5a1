"""Django loads an app's models from this module; each concern of the console defines its own
in its package, and they are all registered here under the `console` label."""

from console.affiliates.models import (  # noqa: F401
    Affiliate,
    AffiliateProgram,
    Commission,
    Payout,
    Referral,
    ReferralClick,
)
from console.audit.models import AuditEntry  # noqa: F401
from console.billing.models import BillingAccount, Invoice, Plan, StripeEvent, TrialNotice  # noqa: F401
from console.tenancy.models import ApiKey, Business, Membership, Role, User  # noqa: F401
