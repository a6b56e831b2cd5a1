"""Amounts of a client record in the business's currency, from integer cents.

The business has no currency of its own yet: it follows the country its phone numbers
default to (a London clinic's `GB` shows £), US dollars otherwise.
"""

from __future__ import annotations

from console.tenancy.models import Business

EURO = ("AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV")
EURO_MORE = ("MT", "NL", "PT", "SI", "SK")
CURRENCIES: dict[str, tuple[str, str]] = {
    "US": ("USD", "$"),
    "GB": ("GBP", "£"),
    "CA": ("CAD", "CA$"),
    "AU": ("AUD", "A$"),
    "NZ": ("NZD", "NZ$"),
    "CH": ("CHF", "CHF "),
    **{region: ("EUR", "€") for region in EURO + EURO_MORE},
}


def business_currency(*, business: Business) -> tuple[str, str]:
    """(ISO code, symbol) of the business's money."""
    return CURRENCIES.get((business.default_region or "US").upper(), CURRENCIES["US"])


def money_format(*, cents: int, business: Business) -> str:
    """5500 → "£55.00" for a business in GB."""
    _code, symbol = business_currency(business=business)
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{symbol}{units:,}.{rest:02d}"
