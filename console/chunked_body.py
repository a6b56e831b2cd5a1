"""ASGI: a request body sent without Content-Length (Transfer-Encoding: chunked) is read
here and passed on with the Content-Length it turned out to have.

Django's ASGI handler reads every body, but DRF (rest_framework.request.Request) reads one
only when Content-Length says there is one, so a chunked API request was taken for an
empty one: a PATCH changed nothing and answered 200. Django's own form parsing decides the
same way. Reading the body here, bounded by the limit that applies to its path, also
answers 413 as soon as a chunked body passes the limit, without spooling the rest.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from django.conf import settings

from console.api.errors import BodyTooLarge

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
App = Callable[[Any, Any, Any], Awaitable[None]]  # any ASGI application


def _limit(path: str) -> int | None:
    if path.startswith("/api/"):
        return int(settings.API_MAX_BODY_BYTES)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return int(limit) if limit is not None else None


async def _too_large(path: str, send: Send) -> None:
    if path.startswith("/api/"):
        body = json.dumps(BodyTooLarge().body()).encode()
        content_type = b"application/json"
    else:
        body, content_type = b"Request body too large.", b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ChunkedBodyLength:
    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or any(
            name.lower() == b"content-length" for name, _ in scope["headers"]
        ):
            await self.app(scope, receive, send)
            return
        path, limit = scope["path"], _limit(scope["path"])
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away before sending it all
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                await _too_large(path, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body:
            scope = {
                **scope,
                "headers": [*scope["headers"], (b"content-length", str(len(body)).encode())],
            }
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only http.disconnect

        await self.app(scope, replay, send)
