"""One pooled `httpx.AsyncClient` per event loop, created on first use and closed on shutdown."""

from __future__ import annotations

import asyncio
import weakref

import httpx

_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=200, keepalive_expiry=30)
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


def get_client() -> httpx.AsyncClient:
    """The process's shared client for the running loop (connections are pooled across requests)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(limits=_LIMITS, timeout=httpx.Timeout(30.0, connect=5.0))
        _clients[loop] = client
    return client


async def close_client() -> None:
    """Close the running loop's client (ASGI lifespan shutdown, tests)."""
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()
