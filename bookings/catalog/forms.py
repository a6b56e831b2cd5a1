"""Forms of the book's settings: services, staff and their hours, time off, booking rules."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from django import forms

from bookings.catalog.services import HoursInterval
from bookings.days import FAR_OFF, moment_within_reach
from bookings.models import Service, StaffException
from console.tenancy.models import Business

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class BusinessBoundForm(forms.Form):
    def __init__(self, *args: Any, business: Business, **kwargs: Any) -> None:
        self.business = business
        super().__init__(*args, **kwargs)


def _split_aliases(raw: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", raw or "") if part.strip()]


class ServiceForm(forms.Form):
    name = forms.CharField(max_length=120)
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="How callers say it, separated by commas: gel mani, shellac.",
    )
    duration_minutes = forms.IntegerField(min_value=5, max_value=720, label="Duration (minutes)")
    buffer_minutes = forms.IntegerField(
        min_value=0, max_value=240, initial=0, label="Buffer after (minutes)"
    )
    price = forms.DecimalField(min_value=0, max_digits=9, decimal_places=2, label="Price")
    active = forms.BooleanField(required=False, initial=True)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "aliases": _split_aliases(data["aliases"]),
            "duration_minutes": data["duration_minutes"],
            "buffer_minutes": data["buffer_minutes"],
            "price_cents": int((data["price"] * 100).to_integral_value()),
            "active": data["active"],
        }


_INTERVAL = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")


def hours_parse(weekday: int, raw: str) -> list[HoursInterval]:
    """`09:00-12:30, 13:30-17:00` → intervals; raises ValidationError on anything else."""
    out = []
    for part in (raw or "").split(","):
        if not part.strip():
            continue
        match = _INTERVAL.match(part)
        if match is None:
            raise forms.ValidationError(f"“{part.strip()}” is not like 09:00-12:30.")
        h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
        try:
            start, end = time(h1, m1), time(h2, m2)
        except ValueError as exc:
            raise forms.ValidationError(f"“{part.strip()}” is not a time of day.") from exc
        if start >= end:
            raise forms.ValidationError(f"“{part.strip()}” ends before it starts.")
        out.append(HoursInterval(weekday, start, end))
    return out


def hours_format(intervals: list[tuple[time, time]]) -> str:
    return ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in intervals)


class StaffForm(BusinessBoundForm):
    name = forms.CharField(max_length=120)
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            business=self.business
        )
        for weekday, label in enumerate(WEEKDAYS):
            self.fields[f"hours_{weekday}"] = forms.CharField(
                required=False,
                label=label,
                help_text="e.g. 09:00-12:30, 13:30-17:00; empty: not working",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours: list[HoursInterval] = []
        for weekday in range(7):
            try:
                hours.extend(hours_parse(weekday, data.get(f"hours_{weekday}", "")))
            except forms.ValidationError as exc:
                self.add_error(f"hours_{weekday}", exc)
        data["hours"] = hours
        return data


class ExceptionForm(BusinessBoundForm):
    kind = forms.ChoiceField(choices=StaffException.Kind.choices)
    start = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label="From"
    )
    end = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label="Until"
    )
    note = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ("start", "end"):
            if data.get(key) is not None:
                # datetime-local has no zone: it is the business's wall clock.
                data[key] = data[key].replace(tzinfo=self.business.tz)
                if not moment_within_reach(data[key]):
                    self.add_error(key, FAR_OFF)  # also removes it from the data
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", "Must be after the start.")
        return data


class RulesForm(forms.Form):
    slot_interval_minutes = forms.TypedChoiceField(
        choices=[
            (5, "5 minutes"),
            (10, "10 minutes"),
            (15, "15 minutes"),
            (20, "20 minutes"),
            (30, "30 minutes"),
            (60, "60 minutes"),
        ],
        coerce=int,
        label="Slot interval",
    )
    min_notice_minutes = forms.IntegerField(
        min_value=0, max_value=60 * 24 * 14, label="Minimum notice (minutes)"
    )
    max_advance_days = forms.IntegerField(
        min_value=1, max_value=730, label="Book at most (days ahead)"
    )
    cancellation_window_hours = forms.IntegerField(
        min_value=0, max_value=24 * 14, label="Customers may change until (hours before)"
    )
