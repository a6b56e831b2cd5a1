"""A day asked for in a URL or a form: parsed leniently, and kept within reach.

Dates near the ends of the calendar (year 1, year 9999) overflow as soon as a day is added
or a time zone applied, so a day more than REACH from today is treated as not given (a page
that shows a day), or refused with a message saying why (a form field, an API filter).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone

REACH = timedelta(days=5 * 366)
FAR_OFF = "Pick a date within five years of today."


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


def day_within_reach(day: date) -> bool:
    """No more than REACH from today (adding a day or a zone to it cannot overflow)."""
    return abs(day - timezone.now().date()) <= REACH


class DayField(forms.DateField):
    """A form's date, refused with FAR_OFF when it is out of reach."""

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not day_within_reach(value):
            raise forms.ValidationError(FAR_OFF, code="far_off")
