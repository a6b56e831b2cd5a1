from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from console.tenancy.models import ApiKey, Business, Role

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).lower()


class BusinessForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES)

    class Meta:
        model = Business
        fields = ["name", "timezone", "default_region", "currency", "llm_baa_covered"]
        labels = {
            "default_region": "Country for phone numbers (ISO code)",
            "currency": "Currency of your prices",
        }

    def __init__(self, *args: Any, can_set_baa: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whether a provider is covered is the owner's legal call, not a manager's.
        if not can_set_baa:
            del self.fields["llm_baa_covered"]
        self.fields["currency"].required = False

    def clean_currency(self) -> str:
        # A form (or an older client) that leaves it out keeps the business's currency.
        return str(self.cleaned_data.get("currency") or self.instance.currency)

    def clean_default_region(self) -> str:
        return str(self.cleaned_data["default_region"]).upper()


class MemberAddForm(forms.Form):
    email = forms.EmailField()
    name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.FRONT_DESK)

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).lower()


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What uses it, e.g. 'Voice gateway'.")
    scopes = forms.MultipleChoiceField(
        choices=ApiKey.Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["placeholder"] = "Voice gateway"
