"""Pooled upstream HTTP clients, per event loop: created on first use, closed on shutdown.

Connections are pooled across requests. The process has one `httpx.AsyncClient` whose transport
(`ShardedTransport`) splits the pool into `SHARDS` httpcore pools: httpcore walks every connection
of a pool each time a request starts or ends (and checks each idle one's socket), so one pool
holding the ~2,000 connections of 1,000 concurrent streams spent most of the worker's CPU on
bookkeeping (docs/performance.md). A request goes to the first pool with fewer than `SHARD_FILL`
requests in flight: at low traffic that is always the first, whose idle keep-alive connection is
reused, instead of a connection per pool used in turn (six questions 12 s apart used to open six
connections per upstream, each a TCP and a TLS handshake across the internet).

Idle connections are kept `KEEPALIVE_EXPIRY` seconds; after `WARM_AFTER` seconds without a request
to an upstream the lean backend keeps a spare connection to it ready (TLS done) until
`WARM_FOR` seconds after the last request, so a question after a quiet minute or two does not
wait for handshakes either (docs/performance.md "Connections at low traffic").

The sockets and the HTTP/1.1 connections come from the network backend setting: `"lean"`
(`netio.LeanBackend` sockets, `http11.LeanHTTP11Connection`: llhttp parses, about a quarter of
h11's CPU per streamed chunk) or `"anyio"` (httpcore's default sockets and its h11 connection).
When the environment names a proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, with
`NO_PROXY`), the clients are httpx's own, which route through it: a custom transport would make
httpx ignore those variables.
"""

from __future__ import annotations

import asyncio
import ssl
import urllib.request
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from functools import partial
from typing import Any, Literal, get_args

import httpcore
import httpx
from httpx._transports.default import map_httpcore_exceptions

from .http11 import LeanBody, LeanHTTP11Connection, State
from .netio import LeanBackend

SHARDS = 16
SHARD_FILL = 128  # requests in flight before the next pool is used (16 x 128: 1,000 streams)
# Below the shortest idle timeout common among OpenAI-compatible servers and the load balancers in
# front of them (60 s: nginx's keepalive_timeout is 75 s, AWS ALB's idle timeout 60 s; Groq's and
# ModelArk's are not published), so a pooled connection is dropped by us before the server might
# close it under a request being sent; `WARM_AFTER`/`WARM_FOR` cover the longer pauses.
KEEPALIVE_EXPIRY = 50.0
WARM_AFTER = 40.0  # idle seconds after which a ready spare is kept for the upstream
WARM_FOR = 300.0  # ... until this long after its last request: ~8 TLS handshakes, no requests
_LIMITS = httpx.Limits(
    max_connections=256, max_keepalive_connections=32, keepalive_expiry=KEEPALIVE_EXPIRY
)
_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class LeanPool(httpcore.AsyncConnectionPool):
    """httpcore's pool (queueing, limits, keep-alive) with `http11.LeanHTTP11Connection`s."""

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        return LeanHTTP11Connection(
            origin,
            backend=self._network_backend,
            ssl_context=self._ssl_context,
            keepalive_expiry=self._keepalive_expiry,
            local_address=self._local_address,
            socket_options=self._socket_options,
        )

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        """httpcore 1.0's decisions, made in one pass over the pool's connections.

        httpcore runs this whenever a request starts or ends; it walks every connection once to
        drop the closed and expired ones, once more per idle one (to count them), and twice per
        queued request (to find an idle connection to the request's origin, and any idle one).
        With 128 requests in flight in a pool that was ~500 method calls per request. Here the
        connections are walked once, reading the lean connection's state directly, and only the
        idle ones are searched per queued request. Same results: closed connections removed;
        expired ones, and idle ones while the pool holds more than `max_keepalive_connections`,
        closed; each queued request given the first idle connection to its origin, else a new
        connection while below `max_connections`, else a new one in place of the first idle
        connection (tests/test_http.py compares the two on random pools)."""
        closing: list[httpcore.AsyncConnectionInterface] = []
        kept: list[LeanHTTP11Connection] = []
        count = len(self._connections)
        limit = self._max_keepalive_connections
        for connection in self._connections:
            assert isinstance(connection, LeanHTTP11Connection)
            state = connection._state
            if state is State.CLOSED:
                count -= 1
            elif state is State.IDLE and (connection.has_expired() or count > limit):
                count -= 1
                closing.append(connection)
            else:
                kept.append(connection)
        self._connections = kept  # type: ignore[assignment]
        queued = [request for request in self._requests if request.connection is None]
        if not queued:
            return closing
        idle = [connection for connection in kept if connection._state is State.IDLE]
        for pool_request in queued:
            origin = pool_request.request.url.origin
            reuse = next((c for c in idle if c._origin == origin), None)
            if reuse is not None:
                pool_request.assign_to_connection(reuse)
                continue
            if len(kept) >= self._max_connections:
                if not idle:
                    continue
                dropped = idle.pop(0)
                kept.remove(dropped)
                closing.append(dropped)
            connection = self.create_connection(origin)
            kept.append(connection)  # type: ignore[arg-type]
            pool_request.assign_to_connection(connection)
        return closing


class LeanTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over httpcore's pool, with the sockets of `netio.LeanBackend`
    instead of anyio's (one less event-loop turn and no cancel scope per upstream read) and,
    unless `lean_http11` is off, the lean HTTP/1.1 connection of `http11.py` instead of h11's.

    A lean connection's body is read straight from its `LeanBody`, not through the pool's and
    httpx's generator layers; closing it still goes through the pool's stream, which returns
    the connection."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext,
        limits: httpx.Limits,
        backend: LeanBackend | None = None,
        lean_http11: bool = True,
    ) -> None:
        super().__init__(verify=tls, limits=limits)
        if lean_http11:
            tls.set_alpn_protocols(["http/1.1"])  # as httpcore sets it on each connect
        self._pool = (LeanPool if lean_http11 else httpcore.AsyncConnectionPool)(
            ssl_context=tls,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend or LeanBackend(),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        # httpx's AsyncResponseStream around httpcore's PoolByteStream around our body (private
        # names of the pinned versions; if they change, the body is read through those layers).
        pooled = getattr(response.stream, "_httpcore_stream", None)
        body = getattr(pooled, "_stream", None)
        if isinstance(body, LeanBody):
            response.stream = _LeanResponseStream(body, pooled)
        return response


class _LeanResponseStream(httpx.AsyncByteStream):
    """A lean connection's body as httpx reads it: the body itself is the iterator (one
    `__anext__` per socket read, no layer in between); its errors come out as httpx's, after the
    pool's stream is closed; closing it closes the pool's stream, which returns the
    connection to the pool."""

    def __init__(self, body: LeanBody, pooled: Any) -> None:
        self._body = body
        self._pooled = pooled
        body.on_error = self._failed

    def __aiter__(self) -> LeanBody:
        return self._body

    async def _failed(self, exc: BaseException) -> None:
        await self.aclose()
        with map_httpcore_exceptions():
            raise exc

    async def aclose(self) -> None:
        await self._pooled.aclose()


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


class _Counted(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed (no cost per chunk)."""

    def __init__(self, stream: httpx.AsyncByteStream, done: Callable[[], None]) -> None:
        self._stream = stream
        self._done: Callable[[], None] | None = done

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._done is not None:
                self._done()
                self._done = None


class ShardedTransport(httpx.AsyncBaseTransport):
    """Several pools behind one transport: the first with fewer than `fill` requests in flight
    takes the request. When an upstream has had nothing in flight for `WARM_AFTER` seconds, the
    lean backend (if any) is asked to keep a connection to it ready (`LeanBackend.keep_warm`)."""

    def __init__(
        self,
        shards: Sequence[httpx.AsyncBaseTransport],
        *,
        lean: LeanBackend | None = None,
        fill: int = SHARD_FILL,
    ) -> None:
        self.shards = list(shards)
        self.in_flight = [0] * len(self.shards)
        self.fill = fill
        self._lean = lean
        self._busy: dict[tuple[str, int], int] = {}  # upstream -> requests in flight
        self._quiet: dict[tuple[str, int], asyncio.TimerHandle] = {}

    def _pick(self) -> int:
        in_flight = self.in_flight
        for index, count in enumerate(in_flight):
            if count < self.fill:
                return index
        return in_flight.index(min(in_flight))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        origin = (url.raw_host.decode("ascii"), url.port or (443 if url.scheme == "https" else 80))
        shard = self._pick()
        self.in_flight[shard] += 1
        self._busy[origin] = self._busy.get(origin, 0) + 1
        try:
            response = await self.shards[shard].handle_async_request(request)
        except BaseException:
            self._finished(shard, origin)
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Counted(response.stream, partial(self._finished, shard, origin))
        return response

    def _finished(self, shard: int, origin: tuple[str, int]) -> None:
        self.in_flight[shard] -= 1
        busy = self._busy[origin] = self._busy[origin] - 1
        if busy == 0 and self._lean is not None:
            if (timer := self._quiet.pop(origin, None)) is not None:
                timer.cancel()
            loop = asyncio.get_running_loop()
            self._quiet[origin] = loop.call_later(WARM_AFTER, self._warm, origin)

    def _warm(self, origin: tuple[str, int]) -> None:
        self._quiet.pop(origin, None)
        if self._busy.get(origin) or self._lean is None:
            return
        loop = asyncio.get_running_loop()
        self._lean.keep_warm(*origin, until=loop.time() + WARM_FOR - WARM_AFTER)

    async def aclose(self) -> None:
        for timer in self._quiet.values():
            timer.cancel()
        self._quiet.clear()
        await asyncio.gather(*(shard.aclose() for shard in self.shards))


def build_sharded_client(
    *,
    tls: ssl.SSLContext,
    lean: LeanBackend | None,
    shards: int = SHARDS,
    limits: httpx.Limits = _LIMITS,
) -> httpx.AsyncClient:
    """The process's client: `shards` pools over `lean`'s sockets or, without it, httpcore's
    own; behind a proxy from the environment, httpx's own client (one pool), which routes
    through it."""
    if proxied():
        return build_client(tls=tls, lean=None, limits=limits)
    pools: list[httpx.AsyncBaseTransport] = [
        LeanTransport(tls=tls, limits=limits, backend=lean)
        if lean is not None
        else httpx.AsyncHTTPTransport(verify=tls, limits=limits)
        for _ in range(shards)
    ]
    transport = ShardedTransport(pools, lean=lean)
    return httpx.AsyncClient(timeout=_TIMEOUT, verify=tls, transport=transport)


class _Pool:
    def __init__(self, backend: NetworkBackend) -> None:
        # One TLS context (CA bundle loaded once) shared by every pool.
        tls = httpx.create_ssl_context()
        # One lean backend, so one spare connection per upstream for the whole process.
        self.lean = LeanBackend() if backend == "lean" and not proxied() else None
        self.client = build_sharded_client(tls=tls, lean=self.lean)

    @property
    def is_closed(self) -> bool:
        return self.client.is_closed


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[NetworkBackend, _Pool]] = (
    weakref.WeakKeyDictionary()
)


def get_client(backend: NetworkBackend = DEFAULT_BACKEND) -> httpx.AsyncClient:
    """The running loop's pooled client (its `SHARDS` pools behind one transport)."""
    pools = _pools.setdefault(asyncio.get_running_loop(), {})
    pool = pools.get(backend)
    if pool is None or pool.is_closed:
        pool = pools[backend] = _Pool(backend)
    return pool.client


async def close_client() -> None:
    """Close the running loop's clients (ASGI lifespan shutdown, tests)."""
    for pool in _pools.pop(asyncio.get_running_loop(), {}).values():
        await pool.client.aclose()
        if pool.lean is not None:
            pool.lean.close()
