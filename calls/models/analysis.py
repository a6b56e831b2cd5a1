"""The post-call analysis and what reviewers do with it.

CallAnalysis: the machine's answer, one row per call and analyzer version (the newest is
`is_current`). Its redacted transcript is the PHI-safe copy lists, search and exports use.
CallReview: the reviewer's corrections, kept beside the machine's answer (never over it),
and the reviewed flag. CallNote: reviewers' notes (encrypted: people write names in them).

Registered with the app by calls/models/__init__.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from calls.models.call import Call
from console.privacy.encryption import EncryptedTextField

INTENTS = ("book", "reschedule", "cancel", "inquiry", "complaint", "clinical", "other")
URGENCIES = ("low", "normal", "high", "emergency")
SENTIMENTS = ("positive", "neutral", "negative")


class CallAnalysis(models.Model):
    class Intent(models.TextChoices):
        BOOK = "book", "Book"
        RESCHEDULE = "reschedule", "Reschedule"
        CANCEL = "cancel", "Cancel"
        INQUIRY = "inquiry", "Inquiry"
        COMPLAINT = "complaint", "Complaint"
        CLINICAL = "clinical", "Clinical concern"
        OTHER = "other", "Other"

    class Urgency(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        EMERGENCY = "emergency", "Emergency"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="analyses")
    analyzer_version = models.CharField(max_length=32)
    is_current = models.BooleanField(default=True)

    # Copied from the call and from its review so the reviewers' list filters, sorts and
    # counts 100,000 calls on this one table, without joins (bench/calls_list.py).
    business = models.ForeignKey(
        "console.Business", on_delete=models.CASCADE, related_name="+", null=True
    )
    started_at = models.DateTimeField(null=True)
    agent = models.CharField(max_length=120, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    duration_s = models.PositiveIntegerField(null=True, blank=True)
    intent_effective = models.CharField(max_length=12, blank=True)
    lead_score_effective = models.PositiveSmallIntegerField(null=True, blank=True)
    escalate_effective = models.BooleanField(null=True, blank=True)
    reviewed = models.BooleanField(default=False)

    # PHI-safe: identifiers replaced by placeholders (calls.analysis.redact).
    redacted_transcript = models.TextField(blank=True)
    redacted_lines = models.JSONField(default=list, blank=True)

    sentiment_score = models.FloatField(default=0.0)
    sentiment_label = models.CharField(max_length=10, default="neutral")
    sentiment_first = models.FloatField(default=0.0)
    sentiment_last = models.FloatField(default=0.0)
    sentiment_trend = models.CharField(max_length=10, default="steady")

    intent = models.CharField(max_length=12, choices=Intent.choices, default=Intent.OTHER)
    intent_confidence = models.FloatField(default=0.0)

    caller_name = EncryptedTextField(blank=True)
    callback_number = EncryptedTextField(blank=True, help_text="E.164")
    callback_masked = models.CharField(max_length=32, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    reason_service = models.ForeignKey(
        "bookings.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)

    lead_score = models.PositiveSmallIntegerField(default=0)
    lead_reasons = models.JSONField(default=list, blank=True)
    escalate = models.BooleanField(default=False)
    escalation_reason = models.CharField(max_length=200, blank=True)
    booked = models.BooleanField(default=False, help_text="An appointment was booked in the call.")
    details = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "analyzer_version"], name="analysis_once_per_version"
            ),
            models.UniqueConstraint(
                fields=["call"], condition=Q(is_current=True), name="analysis_one_current"
            ),
            models.CheckConstraint(condition=Q(intent__in=INTENTS), name="analysis_intent_valid"),
            models.CheckConstraint(
                condition=Q(urgency__in=URGENCIES), name="analysis_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(sentiment_label__in=SENTIMENTS), name="analysis_sentiment_valid"
            ),
            models.CheckConstraint(
                condition=Q(lead_score__gte=0) & Q(lead_score__lte=100),
                name="analysis_lead_score_range",
            ),
        ]
        indexes = [
            # Covering (PostgreSQL): counts and filters on these columns read the index only.
            models.Index(
                fields=["business", "-started_at", "-id"],
                include=[
                    "intent_effective",
                    "lead_score_effective",
                    "escalate_effective",
                    "reviewed",
                    "sentiment_label",
                    "duration_s",
                    "agent",
                    "channel",
                ],
                condition=Q(is_current=True),
                name="analysis_list_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.analyzer_version}: {self.intent}, lead {self.lead_score}"


class CallReview(models.Model):
    """A reviewer's verdict on a call. Empty / null fields mean "the machine was right"."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="review")
    reviewed = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    intent = models.CharField(max_length=12, blank=True, choices=CallAnalysis.Intent.choices)
    lead_score = models.PositiveSmallIntegerField(null=True, blank=True)
    escalate = models.BooleanField(null=True, blank=True)
    escalation_reason = models.CharField(max_length=200, blank=True)
    caller_name = EncryptedTextField(blank=True)
    callback_number = EncryptedTextField(blank=True)
    reason = models.CharField(max_length=200, blank=True)
    urgency = models.CharField(max_length=10, blank=True, choices=CallAnalysis.Urgency.choices)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(intent="") | Q(intent__in=INTENTS), name="review_intent_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency="") | Q(urgency__in=URGENCIES), name="review_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(lead_score__isnull=True)
                | (Q(lead_score__gte=0) & Q(lead_score__lte=100)),
                name="review_lead_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"review of {self.call_id}{' (reviewed)' if self.reviewed else ''}"


class CallNote(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200)
    text = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.call_id} by {self.author_label}"


def effective_fields(analysis: CallAnalysis, review: CallReview | None) -> dict[str, object]:
    """The list columns an analysis row carries for its call's review: the correction where
    the reviewer gave one, else the machine's answer."""
    return {
        "intent_effective": (review.intent if review and review.intent else analysis.intent),
        "lead_score_effective": (
            review.lead_score
            if review is not None and review.lead_score is not None
            else analysis.lead_score
        ),
        "escalate_effective": (
            review.escalate
            if review is not None and review.escalate is not None
            else analysis.escalate
        ),
        "reviewed": bool(review and review.reviewed),
    }
