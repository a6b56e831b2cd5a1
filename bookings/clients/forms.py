"""Forms of the client pages: they parse input; bookings.clients.services writes."""

from __future__ import annotations

from django import forms

from bookings.clients.selectors import SORTS
from bookings.clients.services import TEXT_MAX


class ClientSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True)
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()))

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", "last_visit"
        return self.cleaned_data["q"], self.cleaned_data["sort"] or "last_visit"


class ClientRecordForm(forms.Form):
    notes = forms.CharField(
        required=False, max_length=TEXT_MAX, strip=True, widget=forms.Textarea(attrs={"rows": 3})
    )
    allergies = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        strip=True,
        label="Allergies and sensitivities",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    formulas = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        strip=True,
        label="Formulas",
        help_text="Colour formulas, treatment settings.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    marketing_consent = forms.BooleanField(
        required=False, label="Agrees to receive marketing messages"
    )


class MergeForm(forms.Form):
    remove = forms.IntegerField(min_value=1, max_value=2**31 - 1)
