"""A day asked for in a URL or a form: parsed leniently, and kept within reach.

Dates near the ends of the calendar (year 1, year 9999) overflow as soon as a day is added
or a time zone applied, so a day more than REACH from today is treated as not given.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

REACH = timedelta(days=5 * 366)


def day_parse(raw: str | None, *, default: date, today: date) -> date:
    """`raw` (YYYY-MM-DD) as a date, or `default` when it is missing, malformed or far off."""
    try:
        day = date.fromisoformat(raw) if raw else default
    except ValueError:
        return default
    return day if abs(day - today) <= REACH else default


def moment_within_reach(value: datetime) -> bool:
    """An aware time no more than REACH from now (its zone conversions cannot overflow)."""
    return abs(value - timezone.now()) <= REACH
