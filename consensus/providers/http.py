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
import ssl
import weakref
from collections.abc import Iterator

import httpcore
import httpx

from .netio import LeanBackend

SHARDS = 16
_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=32, keepalive_expiry=30)
_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class LeanTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over httpcore's own pool, with the sockets of `netio.LeanBackend`
    instead of anyio's (one less event-loop turn and no cancel scope per upstream read)."""

    def __init__(
        self, *, tls: ssl.SSLContext, limits: httpx.Limits, backend: LeanBackend | None = None
    ) -> None:
        super().__init__(verify=tls, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=tls,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend or LeanBackend(),
        )


class _Pool:
    def __init__(self) -> None:
        # One TLS context (CA bundle loaded once) shared by every shard.
        tls = httpx.create_ssl_context()
        # One backend, so one spare connection per upstream for the whole process.
        self.backend = LeanBackend()
        self.clients = [
            httpx.AsyncClient(
                timeout=_TIMEOUT,
                verify=tls,
                transport=LeanTransport(tls=tls, limits=_LIMITS, backend=self.backend),
            )
            for _ in range(SHARDS)
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
        pool.backend.close()
