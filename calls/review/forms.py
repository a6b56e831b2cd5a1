"""Forms of the review pages: the list's filters, a review's corrections, a note."""

from __future__ import annotations

from typing import Any

from django import forms

from bookings.days import DayField
from calls.models import Call, CallAnalysis
from calls.review.selectors import SORTS, CallFilters
from console.privacy.phones import InvalidPhoneNumber, phone_to_e164

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
SENTIMENTS = [
    ("", "Any"),
    ("positive", "Positive"),
    ("neutral", "Neutral"),
    ("negative", "Negative"),
]
SORT_CHOICES = [
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("lead", "Lead score, high first"),
    ("lead_asc", "Lead score, low first"),
    ("duration", "Longest first"),
    ("sentiment", "Most negative first"),
]
assert {key for key, _ in SORT_CHOICES} == set(SORTS)


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class CallFilterForm(forms.Form):
    since = DayField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = DayField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    agent = forms.CharField(required=False, max_length=120, label="Agent")
    channel = forms.ChoiceField(required=False, choices=[("", "Any"), *Call.Channel.choices])
    intent = forms.ChoiceField(required=False, choices=[("", "Any"), *CallAnalysis.Intent.choices])
    sentiment = forms.ChoiceField(required=False, choices=SENTIMENTS)
    min_lead = forms.IntegerField(required=False, min_value=0, max_value=100, label="Lead ≥")
    max_lead = forms.IntegerField(required=False, min_value=0, max_value=100, label="Lead ≤")
    escalated = forms.ChoiceField(required=False, choices=YES_NO)
    reviewed = forms.ChoiceField(required=False, choices=YES_NO)
    min_duration = forms.IntegerField(required=False, min_value=0, label="Min s")
    max_duration = forms.IntegerField(required=False, min_value=0, label="Max s")
    q = forms.CharField(required=False, max_length=200, label="Search transcripts")
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def filters(self) -> CallFilters:
        """The valid filters; an invalid field is ignored (and shown as an error)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        ok = {k: v for k, v in data.items() if k not in self.errors}
        return CallFilters(
            since=ok.get("since"),
            until=ok.get("until"),
            agent=(ok.get("agent") or "").strip(),
            channel=ok.get("channel") or "",
            intent=ok.get("intent") or "",
            sentiment=ok.get("sentiment") or "",
            min_lead=ok.get("min_lead"),
            max_lead=ok.get("max_lead"),
            escalated=_yes_no(ok.get("escalated") or ""),
            reviewed=_yes_no(ok.get("reviewed") or ""),
            min_duration=ok.get("min_duration"),
            max_duration=ok.get("max_duration"),
            q=ok.get("q") or "",
            sort=ok.get("sort") or "newest",
        )


class ReviewForm(forms.Form):
    """Blank means "the machine was right"."""

    intent = forms.ChoiceField(required=False, choices=[("", "—"), *CallAnalysis.Intent.choices])
    lead_score = forms.IntegerField(required=False, min_value=0, max_value=100)
    escalate = forms.ChoiceField(
        required=False, choices=[("", "—"), ("yes", "Escalate"), ("no", "Don't escalate")]
    )
    escalation_reason = forms.CharField(required=False, max_length=200)
    caller_name = forms.CharField(required=False, max_length=120)
    callback_number = forms.CharField(required=False, max_length=40)
    reason = forms.CharField(required=False, max_length=200)
    urgency = forms.ChoiceField(required=False, choices=[("", "—"), *CallAnalysis.Urgency.choices])
    reviewed = forms.BooleanField(required=False, label="Reviewed")

    def __init__(self, *args: Any, region: str = "US", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_callback_number(self) -> str:
        raw = self.cleaned_data.get("callback_number", "").strip()
        if not raw:
            return ""
        try:
            return phone_to_e164(raw, region=self.region)
        except InvalidPhoneNumber as exc:
            raise forms.ValidationError("Not a phone number we can dial.") from exc

    def corrections(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "intent": data["intent"],
            "lead_score": data["lead_score"],
            "escalate": _yes_no(data["escalate"]),
            "escalation_reason": data["escalation_reason"].strip(),
            "caller_name": data["caller_name"].strip(),
            "callback_number": data["callback_number"],
            "reason": data["reason"].strip(),
            "urgency": data["urgency"],
        }


class NoteForm(forms.Form):
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="Note")
