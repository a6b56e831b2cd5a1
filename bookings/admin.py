"""Operators see the state of outgoing messages here. Appointments, customers and calls are
personal data: they are seen in the console, where each look at an original is audited."""

from __future__ import annotations

from django.contrib import admin

from bookings.models import OutboxMessage
from console.tenancy.admin import ReadOnlyAdmin


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "business",
        "channel",
        "kind",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind"]
    # Recipient, subject and body hold the customer's details: not shown.
    fields = [
        "business",
        "appointment",
        "channel",
        "kind",
        "status",
        "attempts",
        "last_error",
        "provider_id",
        "created_at",
        "sent_at",
    ]
