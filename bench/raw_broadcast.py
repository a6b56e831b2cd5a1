"""The fan-out baseline for bench/ingest.py: Redis PUBLISH -> a plain `websockets` server that
broadcasts each message to every connected client. No Django, no Channels; one process, like
one app server worker.

    python bench/raw_broadcast.py --port P --redis URL --channel C
"""

from __future__ import annotations

import argparse
import asyncio

import redis.asyncio as aioredis
from websockets.asyncio.server import ServerConnection, broadcast, serve


async def main(port: int, url: str, channel: str) -> None:
    clients: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        clients.add(ws)
        try:
            await ws.wait_closed()
        finally:
            clients.discard(ws)

    pubsub = aioredis.Redis.from_url(url).pubsub()
    await pubsub.subscribe(channel)
    async with serve(handler, "127.0.0.1", port, max_size=None):
        print("ready", flush=True)
        async for message in pubsub.listen():
            if message["type"] == "message":
                broadcast(clients, message["data"].decode())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--channel", required=True)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.redis, args.channel))
