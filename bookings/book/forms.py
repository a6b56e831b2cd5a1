"""Forms of the appointment book: booking, moving, cancelling, status changes."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms

from bookings.catalog.forms import BusinessBoundForm
from bookings.days import DayField
from bookings.models import Appointment, Service, StaffMember
from bookings.services import NOTES_MAX
from console.tenancy.models import Business


def local_start(business: Business, day: Any, at: time) -> datetime:
    """The aware instant of a local date and wall time in the business's zone."""
    return datetime.combine(day, at, tzinfo=business.tz)


class BookForm(BusinessBoundForm):
    service = forms.ModelChoiceField(queryset=Service.objects.none(), empty_label=None)
    staff = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="Anyone free",
    )
    date = DayField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    customer_name = forms.CharField(max_length=150, required=False, label="Name")
    customer_phone = forms.CharField(max_length=40, required=False, label="Phone")
    customer_email = forms.EmailField(required=False, label="Email")
    notes = forms.CharField(
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"Notes can be at most {NOTES_MAX} characters."},
    )
    override_rules = forms.BooleanField(
        required=False,
        label="Book outside the booking rules (hours, notice)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            business=self.business, active=True
        )
        self.fields["staff"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            business=self.business, active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("customer"):
            if not (data.get("customer_name") or "").strip():
                self.add_error("customer_name", "A name is required for a new customer.")
            if not (data.get("customer_phone") or "").strip():
                self.add_error("customer_phone", "A phone number is required for a new customer.")
        return data

    @property
    def start(self) -> datetime:
        return local_start(self.business, self.cleaned_data["date"], self.cleaned_data["time"])


class NotifyChoice(forms.Form):
    """Tell the client about the change? The panel asks with a ticked box and says it asked
    (`notify_asked`); a request that did not ask (a block dropped on the grid) tells them."""

    notify = forms.BooleanField(required=False, label="Tell the client (SMS and email)")
    notify_asked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @property
    def notify_client(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("notify")) or not data.get("notify_asked")


class MoveForm(NotifyChoice, BusinessBoundForm):
    """Reschedule: a slot picked from the free list, or where the block was dropped."""

    date = DayField()
    time = forms.TimeField()
    staff = forms.ModelChoiceField(queryset=StaffMember.objects.none(), required=False)
    override_rules = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            business=self.business, active=True
        )

    @property
    def start(self) -> datetime:
        return local_start(self.business, self.cleaned_data["date"], self.cleaned_data["time"])


class CancelForm(NotifyChoice):
    reason = forms.CharField(max_length=300, required=False, label="Reason")


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Appointment.Status.CONFIRMED, "Confirmed"),
            (Appointment.Status.ARRIVED, "Arrived"),
            (Appointment.Status.COMPLETED, "Completed"),
            (Appointment.Status.NO_SHOW, "No-show"),
        ]
    )
