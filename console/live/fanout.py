"""Live fan-out: a message published once reaches every socket that listens to its topic.

Per process there is one subscription per topic (Redis pub/sub through redis-py's asyncio
client, or the process itself on the embedded setup), each message is decoded once, and each
socket gets only what it needs of it (`Listener.select`, the dashboard's text already joined
by the publisher) appended to its own small buffer; the socket's writer task does the write.
Nothing else happens per socket, and no thread is involved: messages bypass Channels'
consumer dispatch, which hops to a thread per message to close database connections.

A socket that cannot keep up never slows the others: once its buffer holds more than `limit`
messages it is closed with CLOSE_BEHIND, and the page reconnects and redraws from the
database (static/js/live-socket.js). Live messages are hints; the database is the truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import weakref
from collections.abc import Callable, Coroutine
from typing import Any

import redis
import redis.asyncio as aioredis
from django.conf import settings

logger = logging.getLogger(__name__)

CLOSE_BEHIND = 4408  # the socket fell behind: reconnect and redraw from the database
BUFFER_LIMIT = 64  # messages waiting for one socket; more and it is told to redraw
SUBSCRIBE_TIMEOUT_S = 2.0

Message = dict[str, Any]
Select = Callable[[Message], str | None]


class Listener:
    """One socket's end: `select` picks its text out of a message, `send` writes it,
    `close` tells the page to redraw. `await subscribe()` before accepting the socket (what
    comes meanwhile is buffered), `start_writing()` once accepted, `await stop()` at the end."""

    def __init__(
        self,
        *,
        topic: str,
        select: Select,
        send: Callable[[str], Coroutine[Any, Any, None]],
        close: Callable[[int], Coroutine[Any, Any, None]],
        limit: int = BUFFER_LIMIT,
    ) -> None:
        self.topic = topic
        self.select = select
        self._send = send
        self._close = close
        self.limit = limit
        self.pending: list[str] = []
        self.behind = False
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None

    def deliver(self, message: Message) -> None:
        """On the event loop: buffer this socket's part of the message."""
        if self.behind:
            return
        text = self.select(message)
        if not text:
            return
        if len(self.pending) >= self.limit:
            self._fall_behind()
            return
        self.pending.append(text)
        self._wake.set()

    def _fall_behind(self) -> None:
        # Its writes are stuck (or slower than the messages): stop writing, drop what waits,
        # and close the socket so the page reconnects and redraws from the database.
        self.behind = True
        self.pending.clear()
        if self._writer is not None:
            self._writer.cancel()
        self._closing = asyncio.get_running_loop().create_task(self._close(CLOSE_BEHIND))
        self._closing.add_done_callback(_log_failure)

    async def _write(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            # What piled up while the last write was on its way goes out as one frame:
            # each fragment replaces whole elements by id, so joined they mean the same.
            texts, self.pending = self.pending, []
            if texts:
                try:
                    await self._send("".join(texts))
                except Exception:  # the socket went away; its disconnect stops this listener
                    logger.info("live fan-out: a write to a closed socket", exc_info=True)
                    return

    async def subscribe(self) -> None:
        await fanout_hub().subscribe(self)

    def start_writing(self) -> None:
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write())
            if self.pending:
                self._wake.set()

    async def stop(self) -> None:
        with _hubs_lock:
            hub = _hubs.get(asyncio.get_running_loop())
        if hub is not None:
            hub.unsubscribe(self)
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer


class Hub:
    """The listeners of one process (one event loop), by topic."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.topics: dict[str, set[Listener]] = {}
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._confirmed: dict[str, asyncio.Future[None]] = {}

    async def subscribe(self, listener: Listener) -> None:
        listeners = self.topics.setdefault(listener.topic, set())
        listeners.add(listener)
        if settings.REDIS_URL and len(listeners) == 1:
            await self._redis_subscribe(listener.topic)

    def unsubscribe(self, listener: Listener) -> None:
        listeners = self.topics.get(listener.topic)
        if listeners is None:
            return
        listeners.discard(listener)
        if not listeners:
            del self.topics[listener.topic]
            if self._pubsub is not None:
                task = self.loop.create_task(self._pubsub.unsubscribe(_channel(listener.topic)))
                task.add_done_callback(_log_failure)

    def deliver(self, topic: str, message: Message) -> None:
        for listener in list(self.topics.get(topic, ())):
            listener.deliver(message)

    async def _redis_subscribe(self, topic: str) -> None:
        if self._pubsub is None:
            client = aioredis.Redis.from_url(settings.REDIS_URL)
            self._pubsub = client.pubsub()
        channel = _channel(topic)
        confirmed = self._confirmed[channel] = self.loop.create_future()
        await self._pubsub.subscribe(channel)
        if self._reader is None:
            self._reader = self.loop.create_task(self._read())
        # Subscribed before the socket is accepted: a change made after the page connected is
        # never missed because Redis had not yet heard of this process's interest.
        try:
            await asyncio.wait_for(asyncio.shield(confirmed), SUBSCRIBE_TIMEOUT_S)
        except TimeoutError:
            logger.warning("no confirmation of the subscription to %s", channel)

    async def _read(self) -> None:
        prefix = _channel("")
        while True:
            try:
                item = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: redis-py reconnects and resubscribes
                logger.exception("live fan-out: reading from Redis failed")
                await asyncio.sleep(0.5)
                continue
            if item is None:
                continue
            channel = item["channel"].decode()
            if item["type"] == "subscribe":
                future = self._confirmed.pop(channel, None)
                if future is not None and not future.done():
                    future.set_result(None)
            elif item["type"] == "message":
                try:
                    message = json.loads(item["data"])  # once per process
                except ValueError:
                    logger.warning("live fan-out: a message on %s is not JSON", channel)
                    continue
                self.deliver(channel.removeprefix(prefix), message)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()
_hubs_lock = threading.Lock()


def fanout_hub() -> Hub:
    """This event loop's hub (one per server process; tests may run several loops)."""
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        hub = _hubs.get(loop)
        if hub is None:
            hub = _hubs[loop] = Hub(loop)
        return hub


_publisher: redis.Redis | None = None


def fanout_publish(*, topic: str, message: Message) -> None:
    """Send a message to every socket listening to `topic`, in every server process. Call
    from sync code (after commit, a task): on Redis one PUBLISH; embedded, handed to this
    process's event loops. Never raises: live messages are hints."""
    global _publisher
    payload = json.dumps(message, separators=(",", ":"))
    if settings.REDIS_URL:
        try:
            if _publisher is None:
                _publisher = redis.Redis.from_url(settings.REDIS_URL)
            _publisher.publish(_channel(topic), payload)
        except redis.RedisError:
            logger.exception("live fan-out: publishing to %s failed", topic)
        return
    with _hubs_lock:
        hubs = list(_hubs.values())
    for hub in hubs:
        if topic in hub.topics and not hub.loop.is_closed():
            # Decoded from the same JSON as on Redis, so both setups deliver the same values.
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                hub.loop.call_soon_threadsafe(hub.deliver, topic, json.loads(payload))


def _channel(topic: str) -> str:
    return f"{settings.CHANNELS_PREFIX}:live:{topic}"


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning("live fan-out: %r", task.exception())
