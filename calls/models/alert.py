"""A live call's alerts: stored, so the "needs attention" list renders from the database
and stays until someone acknowledges it. One per call per kind (the database says so), so a
repeated event or a second matching line changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from calls.alerts.detect import KINDS
from console.privacy.encryption import EncryptedTextField
from console.tenancy.models import Business


class CallAlert(models.Model):
    class Kind(models.TextChoices):
        RED_FLAG = "red_flag", "Red flag"
        HUMAN_REQUEST = "human_request", "Asks for a person"
        ANGRY_CALLER = "angry_caller", "Angry caller"
        TOOL_FAILURES = "tool_failures", "Tools failing"

    # No index of its own: call_alert_open leads with it.
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="call_alerts", db_index=False
    )
    # Indexed by call_alert_once (call, kind).
    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="alerts", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(
        max_length=40, blank=True, help_text="The red flag's kind, the language, or a count."
    )
    # The caller's words that raised it, redacted, and encrypted (health data) all the same.
    evidence = EncryptedTextField(blank=True)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="call_alert_once"),
            models.CheckConstraint(condition=Q(kind__in=list(KINDS)), name="call_alert_kind_valid"),
            # Who acknowledged it is kept with when (the user may later be deleted).
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True) | Q(acknowledged_at__isnull=False),
                name="call_alert_ack_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["business", "acknowledged_at", "-raised_at"], name="call_alert_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on call {self.call_id}"

    @property
    def detail_label(self) -> str:
        return self.detail.replace("_", " ")
