"""Appointment references, CONTRACTS.md §5: `PREFIX-YYYYMMDD-NNN`.

The number is a per-business, per-local-day counter bumped by one atomic upsert inside the
booking's transaction: concurrent bookings queue on the counter row, a rolled-back booking
rolls its number back too (no gaps from refused bookings), and a committed number is never
handed out again (cancellations do not decrement it).
"""

from __future__ import annotations

import re
from datetime import date

from django.db import connection

from bookings.models import ReferenceCounter
from console.tenancy.models import Business

_NEXT_SQL = """
INSERT INTO {table} (business_id, day, last_number) VALUES (%s, %s, 1)
ON CONFLICT (business_id, day) DO UPDATE SET last_number = {table}.last_number + 1
RETURNING last_number
"""

_SEPARATORS = re.compile(r"[\s.\-_/#:]+")
_COMPACT = re.compile(r"^([A-Z]{2,4})(\d{4})(\d{2})(\d{2})(\d{1,6})$")


def reference_format(*, prefix: str, day: date, number: int) -> str:
    return f"{prefix}-{day:%Y%m%d}-{number:03d}"


def reference_allocate(*, business: Business, day: date) -> str:
    """The next reference for `day` (local date of the start). Call inside the booking's
    transaction.atomic(): the counter row stays locked until it commits or rolls back."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SQL.format(table=table), [business.pk, day])
        (number,) = cursor.fetchone()
    return reference_format(prefix=business.prefix, day=day, number=int(number))


def reference_normalize(raw: str) -> str | None:
    """How people say and type it → the canonical form, or None if it cannot be one.

    `gb 20261125 7`, `GB.20261125.007`, `gb20261125007`: the date is always 8 digits, so
    whatever follows it is the number.
    """
    compact = _SEPARATORS.sub("", (raw or "").upper())
    match = _COMPACT.match(compact)
    if match is None:
        return None
    prefix, year, month, day, number = match.groups()
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if int(number) < 1:
        return None
    return reference_format(prefix=prefix, day=when, number=int(number))
