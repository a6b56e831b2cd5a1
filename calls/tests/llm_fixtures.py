"""A stand-in for an OpenAI-compatible chat endpoint on localhost, as the Stripe tests have
one for Stripe: a real HTTP server in a thread that answers POST /v1/chat/completions the way
OpenAI, vLLM and Ollama do, and remembers what it was sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

API_KEY = "sk-test-llm-key-7f3a9c21"
MODEL = "test-model"


def good_reply(**changes: Any) -> dict[str, Any]:
    """A reply that matches the schema; keyword arguments replace top-level fields."""
    reply: dict[str, Any] = {
        "sentiment": {"score": -0.35, "label": "negative"},
        "intent": {"label": "inquiry", "confidence": 0.81},
        "lead_score": 64,
        "lead_reasons": [
            {"factor": "intent", "points": 12, "detail": "asked about a service"},
            {"factor": "sentiment", "points": -8, "detail": "sounded annoyed"},
        ],
        "escalate": False,
        "escalation_reason": "",
        "slots": {
            "caller_name": "",
            "callback_number": "",
            "reason": "price of a gel manicure",
            "urgency": "low",
        },
        "language": "en",
    }
    reply.update(changes)
    return reply


class FakeModel:
    """Answers chat completions. Set `reply` (a dict sent as the message's JSON content),
    `content` (raw message content, overrides reply), `status` (an HTTP error instead) or
    `delay_s` (answer that late)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply: dict[str, Any] = good_reply()
        self.content: str | None = None
        self.status = 200
        self.delay_s = 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                fake.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "raw": raw.decode(),
                        "body": json.loads(raw or b"{}"),
                    }
                )
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                if self.path != "/v1/chat/completions":
                    self._reply(404, {"error": {"message": "not found", "type": "invalid"}})
                elif fake.status != 200:
                    error = {"message": "boom", "type": "server_error"}
                    self._reply(fake.status, {"error": error})
                else:
                    content = fake.content if fake.content is not None else json.dumps(fake.reply)
                    self._reply(200, completion(content))

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    # Retries come fast in tests (the client honours a server-set delay).
                    self.send_header("retry-after-ms", "5")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def sent_text(self) -> str:
        """Everything the model was sent, as one string."""
        return "\n".join(r["raw"] for r in self.requests)

    def user_message(self, index: int = -1) -> dict[str, Any]:
        messages = self.requests[index]["body"]["messages"]
        return dict(json.loads(messages[-1]["content"]))

    def __enter__(self) -> FakeModel:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


@pytest.fixture(name="fake_model")
def fake_model_fixture(settings: Any) -> Iterator[FakeModel]:
    """ANALYSIS_ENGINE=llm against the stand-in, one retry, a short timeout."""
    with FakeModel() as fake:
        settings.ANALYSIS_ENGINE = "llm"
        settings.LLM_BASE_URL = fake.url
        settings.LLM_MODEL = MODEL
        settings.LLM_API_KEY = API_KEY
        settings.LLM_TIMEOUT_S = 2.0
        settings.LLM_MAX_RETRIES = 1
        yield fake
