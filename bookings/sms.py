"""Sending SMS through the backend named by settings.SMS_BACKEND.

- `bookings.sms.ConsoleBackend` (development default): writes the message to the log.
- `bookings.sms.LocmemBackend` (tests): appends to `bookings.sms.outbox`.
- `bookings.sms.TwilioBackend` (production default): Twilio's REST API, with
  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER.
Every message also sits in the OutboxMessage table with its status, whatever the backend.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    provider_id: str


outbox: list[SentSms] = []


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> str: ...


class ConsoleBackend:
    def send(self, *, to: str, body: str) -> str:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.info("SMS to %s (%s):\n%s", to, provider_id, body)
        return provider_id


class LocmemBackend:
    def send(self, *, to: str, body: str) -> str:
        provider_id = f"locmem-{len(outbox) + 1}"
        outbox.append(SentSms(to=to, body=body, provider_id=provider_id))
        return provider_id


class TwilioBackend:
    def send(self, *, to: str, body: str) -> str:
        from twilio.rest import Client

        sid = getattr(settings, "TWILIO_ACCOUNT_SID", "")
        token = getattr(settings, "TWILIO_AUTH_TOKEN", "")
        sender = getattr(settings, "TWILIO_FROM_NUMBER", "")
        if not (sid and token and sender):
            raise ImproperlyConfigured(
                "TwilioBackend needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
            )
        message = Client(sid, token).messages.create(to=to, from_=sender, body=body)
        return str(message.sid)


def sms_send(*, to: str, body: str) -> str:
    """Send one SMS; returns the provider's message id. Raises on failure."""
    path = getattr(settings, "SMS_BACKEND", "bookings.sms.ConsoleBackend")
    backend: SmsBackend = import_string(path)()
    return backend.send(to=to, body=body)
