"""API endpoints served straight from ASGI, without Django's request handler.

Why: under ASGI, Django hands a sync view back and forth between the event loop and threads
(the sync middleware chain, back to the loop for async middleware, then the view), each hop a
cross-thread hand-off; bench/ingest.py measured that at about 40% of the CPU of a
single-event request to POST /api/v1/events. The gateway streams events one by one, hundreds a
second, so that endpoint is served here: the body is read on the event loop and handed once to
a fixed pool of threads, where the endpoint (a plain function, console.api.endpoint: the same
one its Django view calls) runs between Django's request_started and request_finished signals,
so database connections are taken and given back as for any request. The reply gets the
response headers of SecurityMiddleware and XFrameOptionsMiddleware like every other response,
and 4xx/5xx are logged as Django logs them.

Anything else goes to Django unchanged: other paths and methods, a Host that ALLOWED_HOSTS
refuses, plain http while SECURE_SSL_REDIRECT is on, a query string that is not UTF-8, an
Accept header without JSON, a `?format=`.
The server runs without ASGI lifespan, so the pool's threads live as long as the process;
with the psycopg pool (`manage.py serve`) they hold no connection between requests.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIHandler, ASGIRequest, get_script_prefix
from django.core.handlers.exception import response_for_exception
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import set_script_prefix
from django.utils.log import log_response
from django.utils.module_loading import import_string
from rest_framework.renderers import JSONRenderer

from console.api.endpoint import ApiReply
from console.api.errors import BodyTooLarge

Endpoint = Callable[[HttpRequest], ApiReply]
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

# The middleware whose response hooks every reply goes through, when settings list them.
_RESPONSE_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)


class HotRoutes:
    """ASGI app: `routes` maps (method, path) to an endpoint; the rest goes to `django`."""

    def __init__(self, django: ASGIHandler, routes: dict[tuple[str, str], Endpoint]) -> None:
        self.django = django
        self.routes = routes
        self._executor: ThreadPoolExecutor | None = None
        self._threads = 0
        self._security: Any = None
        self._renderer = JSONRenderer()
        self._response_hooks: list[Callable[[HttpRequest, HttpResponse], HttpResponse]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = None
        if scope["type"] == "http":
            endpoint = self.routes.get((scope["method"], scope["path"]))
        if endpoint is None:
            await self.django(scope, receive, send)
            return
        self._setup()
        limit = settings.API_MAX_BODY_BYTES
        chunks, finished = await _read_body(receive, limit)
        if chunks is None:
            return  # the client went away
        body = b"".join(chunks)
        too_large = len(body) > limit
        request = _request(scope, b"" if too_large else body)
        if request is None or not self._plain(request):
            await self.django(scope, _replay(chunks, finished, receive), send)
            return
        if too_large:
            response: HttpResponse = self._reply(request, ApiReply.error(BodyTooLarge()))
        else:
            respond = sync_to_async(self._respond, thread_sensitive=False, executor=self._executor)
            response = await respond(endpoint, request, scope)
        await self.django.send_response(response, send)

    def close(self) -> None:
        """Give back the pool threads' database connections and stop the threads (tests,
        shutdown); the next request starts a new pool."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        threads = self._threads
        # One task per thread: each waits for the others, so every thread runs exactly one.
        barrier = threading.Barrier(threads)

        def close_connections() -> None:
            try:
                barrier.wait(timeout=5)
            finally:
                connections.close_all()

        for _ in range(threads):
            executor.submit(close_connections)
        executor.shutdown(wait=True)

    def _setup(self) -> None:
        if self._executor is not None:
            return
        self._threads = settings.HOT_ROUTE_THREADS
        self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="hot-route")
        hooks = []
        for path in settings.MIDDLEWARE:
            if path in _RESPONSE_MIDDLEWARE:
                middleware = import_string(path)(_no_view)
                hooks.append(middleware.process_response)
                if path == _RESPONSE_MIDDLEWARE[0]:
                    self._security = middleware
        self._response_hooks = hooks

    def _plain(self, request: HttpRequest) -> bool:
        """False when Django must answer: a Host it refuses, a redirect to https, an Accept
        without JSON (406) or a `?format=` (404), as DRF's content negotiation does."""
        try:
            request.get_host()
        except DisallowedHost:
            return False
        if not request.accepts("application/json") or "format" in request.GET:
            return False
        return self._security is None or self._security.process_request(request) is None

    def _respond(self, endpoint: Endpoint, request: HttpRequest, scope: Scope) -> HttpResponse:
        """In a pool thread: the endpoint between Django's request signals."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        try:
            try:
                reply = endpoint(request)
            except Exception as exc:
                # Django's own answer and log entry (the 500 page, got_request_exception).
                return self._headers(request, response_for_exception(request, exc))
            return self._reply(request, reply)
        finally:
            signals.request_finished.send(sender=self.__class__)

    def _reply(self, request: HttpRequest, reply: ApiReply) -> HttpResponse:
        # Rendered as DRF renders the Django view's reply, byte for byte.
        content = self._renderer.render(reply.body)
        response = HttpResponse(
            content, status=reply.status, headers=reply.headers, content_type="application/json"
        )
        response.headers["Content-Length"] = str(len(content))
        if response.status_code >= 400:
            log_response(
                "%s: %s", response.reason_phrase, request.path, response=response, request=request
            )
        return self._headers(request, response)

    def _headers(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        for hook in self._response_hooks:
            response = hook(request, response)
        return response


def _request(scope: Scope, body: bytes) -> HttpRequest | None:
    """The Django request; None when Django must refuse it (a query string that is not
    UTF-8: its handler answers 400)."""
    try:
        return ASGIRequest(scope, io.BytesIO(body))
    except UnicodeDecodeError:
        return None


def _no_view(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only the middleware's response hook is used")


async def _read_body(receive: Receive, limit: int) -> tuple[list[bytes] | None, bool]:
    """The body's chunks and whether that was all of it: reading stops past `limit` bytes.
    None: the client went away."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return chunks, True
        if size > limit:
            return chunks, False


def _replay(chunks: list[bytes], finished: bool, receive: Receive) -> Receive:
    """`receive` for Django: what was read already, then the rest of the stream."""
    pending = list(chunks)

    async def replay() -> dict[str, Any]:
        if pending:
            chunk = pending.pop(0)
            more = bool(pending) or not finished
            return {"type": "http.request", "body": chunk, "more_body": more}
        return await receive()

    return replay
