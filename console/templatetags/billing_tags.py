"""The trial banner and billing links of the console's layout."""

from __future__ import annotations

from typing import Any

from django import template

from console.billing.services import can_manage_billing
from console.tenancy.access import Access
from console.tenancy.subscription import business_is_read_only, trial_days_left

register = template.Library()


@register.filter
def can_bill(access: Access | None) -> bool:
    """Shows the billing link where the billing view would allow it; the view still checks."""
    return access is not None and access.can(can_manage_billing)


@register.inclusion_tag("billing/_trial_banner.html")
def trial_banner(access: Access | None) -> dict[str, Any]:
    if access is None:
        return {"read_only": False, "days_left": None}
    return {
        "read_only": business_is_read_only(access.business),
        "days_left": trial_days_left(access.business),
        "can_subscribe": access.can(can_manage_billing),
    }
