"""Pooled upstream HTTP clients, per event loop: created on first use, closed on shutdown.

Connections are pooled across requests. The pool is split into `SHARDS` `httpx.AsyncClient`s
handed out in turn: httpcore walks every connection of a pool each time a request starts or ends
(and checks each idle one's socket), so one pool holding the ~2,000 connections of 1,000 concurrent
streams spent most of the worker's CPU on bookkeeping (README "Performance"). Sixteen pools of
at most 256 connections keep that walk short and still reuse keep-alive connections.

The sockets come from a network backend: `"lean"` (`netio.LeanBackend`) or `"anyio"` (httpcore's
default). When the environment names a proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, with
`NO_PROXY`), the clients are httpx's own, which route through it: a custom transport would make
httpx ignore those variables.
"""

from __future__ import annotations

import asyncio
import itertools
import ssl
import urllib.request
import weakref
from collections.abc import Iterator
from typing import Literal, get_args

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


NetworkBackend = Literal["lean", "anyio"]
NETWORK_BACKENDS: tuple[NetworkBackend, ...] = get_args(NetworkBackend)
DEFAULT_BACKEND: NetworkBackend = "lean"  # docs/performance.md: measured against "anyio"


def proxied() -> bool:
    """Whether the environment routes HTTP(S) through a proxy (as httpx reads it)."""
    return any(scheme in urllib.request.getproxies() for scheme in ("http", "https", "all"))


def build_client(
    *, tls: ssl.SSLContext, lean: LeanBackend | None, limits: httpx.Limits = _LIMITS
) -> httpx.AsyncClient:
    """One client: over `lean`'s sockets, or (None) httpx's own transport, which also routes
    through the environment's proxies."""
    if lean is None:
        return httpx.AsyncClient(timeout=_TIMEOUT, verify=tls, limits=limits, trust_env=True)
    transport = LeanTransport(tls=tls, limits=limits, backend=lean)
    return httpx.AsyncClient(timeout=_TIMEOUT, verify=tls, transport=transport)


class _Pool:
    def __init__(self, backend: NetworkBackend) -> None:
        # One TLS context (CA bundle loaded once) shared by every shard.
        tls = httpx.create_ssl_context()
        # One lean backend, so one spare connection per upstream for the whole process.
        self.lean = LeanBackend() if backend == "lean" and not proxied() else None
        self.clients = [build_client(tls=tls, lean=self.lean) for _ in range(SHARDS)]
        self.turn: Iterator[httpx.AsyncClient] = itertools.cycle(self.clients)

    @property
    def is_closed(self) -> bool:
        return any(client.is_closed for client in self.clients)


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[NetworkBackend, _Pool]] = (
    weakref.WeakKeyDictionary()
)


def get_client(backend: NetworkBackend = DEFAULT_BACKEND) -> httpx.AsyncClient:
    """A pooled client for the running loop (the next of the process's `SHARDS` pools)."""
    pools = _pools.setdefault(asyncio.get_running_loop(), {})
    pool = pools.get(backend)
    if pool is None or pool.is_closed:
        pool = pools[backend] = _Pool(backend)
    return next(pool.turn)


async def close_client() -> None:
    """Close the running loop's clients (ASGI lifespan shutdown, tests)."""
    for pool in _pools.pop(asyncio.get_running_loop(), {}).values():
        await asyncio.gather(*(client.aclose() for client in pool.clients))
        if pool.lean is not None:
            pool.lean.close()
