"""Calls as the voice gateway reports them (CONTRACTS §3).

Phone numbers, transcript text, tool arguments/results and the raw events are personal data:
they are encrypted at rest. Lists show only the derived, safe columns (masked numbers,
counters); lookups by number go through the blind index.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models import Q

from console.privacy.encryption import EncryptedTextField, decrypt_text, encrypt_text
from console.tenancy.models import Business


class EncryptedJSONField(EncryptedTextField):
    """A JSON value encrypted at rest (one Fernet token). rotate_keys handles it like any
    EncryptedTextField because the column holds a single token."""

    description = "JSON encrypted at rest"
    # For django-stubs: the Python value is any JSON value, not a str.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


class Call(models.Model):
    class Status(models.TextChoices):
        RINGING = "ringing", "Ringing"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    class Channel(models.TextChoices):
        PSTN = "pstn", "Phone"
        WEBRTC = "webrtc", "Web"
        MOBILE = "mobile", "Mobile app"

    class EndReason(models.TextChoices):
        CALLER_HANGUP = "caller_hangup", "Caller hung up"
        AGENT_HANGUP = "agent_hangup", "Agent hung up"
        TRANSFERRED = "transferred", "Transferred"
        ERROR = "error", "Error"

    # No index of its own: the indexes below (and the unique gateway id) lead with it.
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="calls", db_index=False
    )
    call_id = models.CharField(max_length=128, help_text="The voice gateway's id for the call.")
    agent = models.CharField(max_length=120, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)

    # Caller and called numbers: E.164, encrypted; a masked copy for lists; a blind index
    # (console.encryption.blind_index of the E.164 form) for lookups by number.
    from_number = EncryptedTextField(blank=True)
    from_masked = models.CharField(max_length=32, blank=True)
    from_hash = models.CharField(max_length=64, blank=True)
    to_number = EncryptedTextField(blank=True)
    to_masked = models.CharField(max_length=32, blank=True)
    to_hash = models.CharField(max_length=64, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RINGING)
    started_at = models.DateTimeField(
        help_text="call.started's time; until it arrives, the earliest event seen."
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.PositiveIntegerField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    has_start_event = models.BooleanField(default=False)

    # What the live view shows, kept up to date by ingest (no per-row queries on the list).
    segment_count = models.PositiveIntegerField(default=0)
    tool_count = models.PositiveIntegerField(default=0)
    turn_count = models.PositiveIntegerField(default=0)
    last_seq = models.IntegerField(null=True, blank=True)
    last_speaker = models.CharField(max_length=10, blank=True)
    last_text = EncryptedTextField(blank=True)
    last_tool_name = models.CharField(max_length=100, blank=True)
    last_tool_ok = models.BooleanField(null=True, blank=True)
    last_tool_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_turn = models.IntegerField(null=True, blank=True)
    last_turn_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "call_id"], name="call_gateway_id_once"),
            models.CheckConstraint(
                condition=Q(status__in=["ringing", "live", "ended"]), name="call_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["business", "status", "-started_at"], name="call_business_status"),
            models.Index(fields=["business", "-started_at"], name="call_business_started"),
            # A business's calls from one number (equality only: no LIKE index).
            models.Index(fields=["business", "from_hash"], name="call_business_caller"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} ({self.get_status_display()})"


class TranscriptSegment(models.Model):
    class Speaker(models.TextChoices):
        CALLER = "caller", "Caller"
        AGENT = "agent", "Agent"

    # Indexed by segment_seq_once (call, seq); on these tables written for every event, an
    # index that another one covers is only a cost.
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="segments", db_index=False
    )
    seq = models.PositiveIntegerField()
    speaker = models.CharField(max_length=10, choices=Speaker.choices)
    text = EncryptedTextField(blank=True)
    start_ms = models.PositiveIntegerField(default=0)
    end_ms = models.PositiveIntegerField(default=0)
    final = models.BooleanField(default=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["call", "seq"], name="segment_seq_once"),
            models.CheckConstraint(
                condition=Q(speaker__in=["caller", "agent"]), name="segment_speaker_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}#{self.seq} {self.speaker}"


class ToolInvocation(models.Model):
    call = models.ForeignKey(  # indexed by tool_call_time
        Call, on_delete=models.CASCADE, related_name="tool_invocations", db_index=False
    )
    name = models.CharField(max_length=100)
    # Arguments and results carry names and phone numbers: encrypted JSON.
    arguments = EncryptedJSONField(default=dict)
    result = EncryptedJSONField(default=dict)
    ok = models.BooleanField()
    latency_ms = models.PositiveIntegerField(default=0)
    occurred_at = models.DateTimeField()
    source = models.CharField(
        max_length=10, default="event", help_text="event (ingest) or tools_api (our tools)."
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["call", "occurred_at"], name="tool_call_time")]

    def __str__(self) -> str:
        return f"{self.name} ({'ok' if self.ok else 'failed'})"


class TurnMetric(models.Model):
    call = models.ForeignKey(  # indexed by turn_metric_once
        Call, on_delete=models.CASCADE, related_name="turn_metrics", db_index=False
    )
    turn = models.PositiveIntegerField()
    latency_ms = models.PositiveIntegerField()
    barge_in = models.BooleanField(default=False)
    asr_ms = models.PositiveIntegerField(null=True, blank=True)
    llm_ms = models.PositiveIntegerField(null=True, blank=True)
    tts_ms = models.PositiveIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["turn"]
        constraints = [
            models.UniqueConstraint(fields=["call", "turn"], name="turn_metric_once"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} turn {self.turn}: {self.latency_ms} ms"


class CallEvent(models.Model):
    """Every event as received, for replay and audit; `event_id` makes retries harmless."""

    class Type(models.TextChoices):
        CALL_STARTED = "call.started"
        TRANSCRIPT_SEGMENT = "transcript.segment"
        TOOL_INVOKED = "tool.invoked"
        TURN_METRICS = "turn.metrics"
        CALL_ENDED = "call.ended"

    # Indexed by call_event_id_once (business, event_id) and call_event_call_time.
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="call_events", db_index=False
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events", db_index=False)
    event_id = models.CharField(max_length=128)
    type = models.CharField(max_length=24, choices=Type.choices)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    payload = EncryptedJSONField(help_text="The whole event as sent (encrypted).")

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "event_id"], name="call_event_id_once"),
        ]
        indexes = [models.Index(fields=["call", "occurred_at"], name="call_event_call_time")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
