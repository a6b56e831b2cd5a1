"""Forms of the public site: the trial sign-up and joining the affiliate program."""

from __future__ import annotations

from typing import Any

from django import forms

from console.tenancy.forms import TIMEZONE_CHOICES
from console.tenancy.models import Business


class TrialForm(forms.Form):
    business_name = forms.CharField(label="Business name", max_length=120)
    kind = forms.ChoiceField(
        label="Kind of business", choices=Business.Kind.choices, initial=Business.Kind.SALON
    )
    timezone = forms.ChoiceField(
        label="Time zone",
        choices=TIMEZONE_CHOICES,
        initial="America/New_York",
        help_text="Suggested from your browser; appointments are shown in this zone.",
    )
    owner_name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; not a common password, not all digits.",
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # static/js/trial-timezone.js picks the browser's zone
            self.fields["timezone"].widget.attrs["data-browser-zone"] = "suggest"
        if signed_in:  # the business is added to the signed-in user's account
            for name in ("owner_name", "email", "password"):
                del self.fields[name]

    def clean_business_name(self) -> str:
        name = str(self.cleaned_data["business_name"]).strip()
        if not name:
            raise forms.ValidationError("Give your business a name.")
        return name
