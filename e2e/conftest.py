"""Browser tests: the production ASGI server (gunicorn + uvicorn worker, HTTP + WebSocket)
in a subprocess on the test database, and Debian's Chromium driven by Playwright. A missing
browser fails, never skips.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from conftest import env_on_test_database, server_command

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_env() -> dict[str, str]:
    env = env_on_test_database()
    env.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    env["SIGNUP_RATE"] = ""  # the browser tests sign up more often than a network may
    return env


class LiveServer:
    """The production server (gunicorn + uvicorn worker) on the test database and a free
    port; stop() and start() again on the same port let a test drop every open socket."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __str__(self) -> str:
        return self.url

    def start(self) -> None:
        self.process = subprocess.Popen(
            server_command(host="127.0.0.1", port=self.port),
            cwd=ROOT,
            env=_server_env(),
        )
        deadline = time.monotonic() + 120  # the embedded server loads the analysis model first
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError("the live ASGI server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process = None


@pytest.fixture
def asgi_live_server(transactional_db: None) -> Iterator[LiveServer]:
    server = LiveServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/install-chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in_page(browser: Any, asgi_live_server: LiveServer) -> Callable[[Any], Any]:
    """`signed_in_page(user)`: a browser page with that user's session, at the live server."""
    contexts: list[Any] = []

    def make(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, base_url=asgi_live_server.url
        )
        context.set_default_timeout(10_000)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": asgi_live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
