from __future__ import annotations

from django import forms

from calls.connectors.services import MAX_SECRET, MIN_SECRET
from calls.models import Connector

HELP = (
    "Retell signs its webhooks with your Retell API key: paste it here. For Vapi, paste the "
    "server URL secret you set there, or leave this empty and we make one for you to paste "
    "into Vapi."
)


class ConnectorCreateForm(forms.Form):
    platform = forms.ChoiceField(choices=Connector.Platform.choices)
    secret = forms.CharField(
        required=False,
        min_length=MIN_SECRET,
        max_length=MAX_SECRET,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=HELP,
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("platform") == Connector.Platform.RETELL and not cleaned.get("secret"):
            self.add_error("secret", "Retell signs with your Retell API key: paste it here.")
        return cleaned


class ConnectorRotateForm(forms.Form):
    secret = forms.CharField(
        required=False,
        min_length=MIN_SECRET,
        max_length=MAX_SECRET,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
