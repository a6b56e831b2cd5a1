from __future__ import annotations

from django import template

from console.tenancy import roles
from console.tenancy.access import Access
from console.tenancy.currency import DEFAULT_CURRENCY, money_format

register = template.Library()


@register.filter
def can(access: Access | None, what: str) -> bool:
    """`{% if access|can:'manage_members' %}`: shows what a view would allow; views still check."""
    if access is None:
        return False
    check = getattr(roles, f"can_{what}", None)
    if check is None:
        raise template.TemplateSyntaxError(f"No role check named can_{what}")
    return access.can(check)


@register.filter
def money(value: int | None, currency: str | None) -> str:
    """`{{ service.price_cents|money:business.currency }}`: 5500, "GBP" → "£55.00"."""
    return money_format(value, currency or DEFAULT_CURRENCY)


@register.filter
def cents(value: int | None) -> str:
    """1234567 → "$12,345.67"."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    dollars, rest = divmod(abs(int(value)), 100)
    return f"{sign}${dollars:,}.{rest:02d}"
