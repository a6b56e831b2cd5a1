"""Test helpers of the public site and billing: the seeded catalogue, signed Stripe webhooks,
and a stand-in for Stripe's API on localhost."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.apps import apps
from django.test import Client

WEBHOOK_SECRET = "whsec_test_secret"
WEBHOOK_URL = "/billing/stripe/webhook/"


def catalogue_seed() -> None:
    """The plans and program as migration 0004 seeds them (a flushed test DB loses them)."""
    migration = importlib.import_module("console.migrations.0004_seed_plans_and_program")
    migration.seed(apps, None)


def stripe_signature(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send: t=<unix>,v1=HMAC-SHA256(t.payload)."""
    timestamp = int(time.time()) if at is None else at
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_id: str, event_type: str, obj: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()


def webhook_post(client: Client, payload: bytes, signature: str | None = None) -> Any:
    return client.post(
        WEBHOOK_URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature if signature is not None else stripe_signature(payload),
    )


class FakeStripe:
    """Answers POST /v1/checkout/sessions like Stripe does and remembers what it was sent."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail = False
        self.invoice_for_payment_intent: dict[str, str] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                fake.requests.append(
                    {
                        "path": self.path,
                        "form": {k: v[0] for k, v in form.items()},
                        "auth": self.headers.get("Authorization"),
                        "idempotency_key": self.headers.get("Idempotency-Key"),
                    }
                )
                if fake.fail:
                    body = {"error": {"type": "api_error", "message": "boom"}}
                    self._reply(500, body)
                    return
                if self.path == "/v1/checkout/sessions":
                    n = len(fake.requests)
                    self._reply(
                        200,
                        {
                            "id": f"cs_test_{n}",
                            "object": "checkout.session",
                            "url": f"https://checkout.stripe.test/c/pay/cs_test_{n}",
                        },
                    )
                    return
                self._reply(404, {"error": {"type": "invalid_request_error", "message": "?"}})

            def do_GET(self) -> None:
                fake.requests.append({"path": self.path, "auth": self.headers.get("Authorization")})
                if fake.fail:
                    self._reply(500, {"error": {"type": "api_error", "message": "boom"}})
                    return
                if self.path.startswith("/v1/invoice_payments"):
                    data = [
                        {"object": "invoice_payment", "id": f"inpay_{k}", "invoice": v}
                        for k, v in fake.invoice_for_payment_intent.items()
                        if k in self.path
                    ]
                    self._reply(200, {"object": "list", "data": data, "has_more": False})
                    return
                self._reply(404, {"error": {"type": "invalid_request_error", "message": "?"}})

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeStripe:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(name="catalogue")
def catalogue_fixture(db: None) -> None:
    catalogue_seed()


@pytest.fixture(name="stripe_settings")
def stripe_settings_fixture(settings: Any) -> Any:
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    return settings


@pytest.fixture(name="fake_stripe")
def fake_stripe_fixture(stripe_settings: Any) -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        stripe_settings.STRIPE_API_BASE = fake.url
        yield fake
