"""Native connectors to voice platforms (CONTRACTS §8): a business points Retell's or Vapi's
webhook at its connector's URL, and the platform's own signature, made with the connector's
secret, is the authentication. The secret is encrypted at rest; it must be readable (not
hashed) because verifying an HMAC needs the key itself.

PlatformAnalysis keeps what the platform concluded about a call (Retell's `call_analysis`,
Vapi's `analysis`) beside our own analysis, never in its place."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from calls.models.call import Call, EncryptedJSONField
from console.privacy.encryption import EncryptedTextField
from console.tenancy.models import Business


def connector_public_id() -> str:
    """The id in the webhook URL: random, so that one business's URL says nothing about
    another's and cannot be guessed."""
    return f"con_{secrets.token_urlsafe(18)}"


class Connector(models.Model):
    class Platform(models.TextChoices):
        RETELL = "retell", "Retell"
        VAPI = "vapi", "Vapi"

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="connectors", db_index=False
    )
    public_id = models.CharField(max_length=40, unique=True, default=connector_public_id)
    platform = models.CharField(max_length=10, choices=Platform.choices)
    secret = EncryptedTextField(help_text="The key the platform signs its webhooks with.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(platform__in=["retell", "vapi"]), name="connector_platform_valid"
            ),
        ]
        indexes = [models.Index(fields=["business", "-created_at"], name="connector_business")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} connector {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PlatformAnalysis(models.Model):
    """The platform's own post-call analysis of a call, as it sent it (encrypted: summaries
    quote the caller). One per call; a later delivery replaces the earlier one."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="platform_analysis")
    platform = models.CharField(max_length=10, choices=Connector.Platform.choices)
    data = EncryptedJSONField(default=dict)
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.platform} analysis of {self.call_id}"
