"""Pooled upstream HTTP clients, per event loop: created on first use, closed on shutdown.

Connections are pooled across requests. The pool is split into `SHARDS` `httpx.AsyncClient`s
handed out in turn: httpcore walks every connection of a pool each time a request starts or ends
(and checks each idle one's socket), so one pool holding the ~2,000 connections of 1,000 concurrent
streams spent most of the worker's CPU on bookkeeping (README "Performance"). Sixteen pools of
at most 256 connections keep that walk short and still reuse keep-alive connections.
"""

from __future__ import annotations

import asyncio
import itertools
import weakref
from collections.abc import Iterator

import httpx

SHARDS = 16
_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=32, keepalive_expiry=30)
_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class _Pool:
    def __init__(self) -> None:
        # One TLS context (CA bundle loaded once) shared by every shard.
        tls = httpx.create_ssl_context()
        self.clients = [
            httpx.AsyncClient(limits=_LIMITS, timeout=_TIMEOUT, verify=tls) for _ in range(SHARDS)
        ]
        self.turn: Iterator[httpx.AsyncClient] = itertools.cycle(self.clients)

    @property
    def is_closed(self) -> bool:
        return any(client.is_closed for client in self.clients)


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pool] = weakref.WeakKeyDictionary()


def get_client() -> httpx.AsyncClient:
    """A pooled client for the running loop (the next of the process's `SHARDS` pools)."""
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None or pool.is_closed:
        pool = _pools[loop] = _Pool()
    return next(pool.turn)


async def close_client() -> None:
    """Close the running loop's clients (ASGI lifespan shutdown, tests)."""
    pool = _pools.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await asyncio.gather(*(client.aclose() for client in pool.clients))
