"""The pooled upstream clients (`consensus/providers/http.py`): the socket backend each
`CONSENSUS_NETWORK_BACKEND` gives, and the environment's proxies (a local forward proxy here)."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpcore
import httpx
import pytest
import trustme

from consensus.providers import http
from consensus.providers.netio import LeanBackend

from .test_netio import FRAMES, Upstream, serving, shut_down, sse_response

pytestmark = pytest.mark.timeout(10)


class ForwardProxy:
    """A tiny HTTP forward proxy: absolute-form requests are relayed, CONNECT is tunnelled."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        line = head.split(b"\r\n", 1)[0].decode()
        self.requests.append(line)
        method, target, _ = line.split(" ")
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            url = urlsplit(target)
            up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port or 80)
            up_writer.write(head)
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    sink.close()


@asynccontextmanager
async def forward_proxy() -> AsyncIterator[tuple[ForwardProxy, str]]:
    proxy = ForwardProxy()
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    try:
        yield proxy, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        await shut_down(server)


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.mark.parametrize("backend", http.NETWORK_BACKENDS)
async def test_each_backend_setting_gives_its_sockets(no_proxy_env, backend) -> None:
    upstream = Upstream(lambda n: sse_response(FRAMES))
    async with serving(upstream) as url:
        try:
            client = http.get_client(backend)
            response = await client.post(f"{url}/v1/chat", content=b"{}")
            pool = http._pools[asyncio.get_running_loop()][backend]
        finally:
            await http.close_client()
    assert response.content == b"".join(FRAMES)
    assert isinstance(pool.lean, LeanBackend) is (backend == "lean")


async def test_http_proxy_from_the_environment_is_used(no_proxy_env) -> None:
    upstream = Upstream(lambda n: sse_response(FRAMES))
    async with forward_proxy() as (proxy, proxy_url), serving(upstream) as url:
        no_proxy_env.setenv("HTTP_PROXY", proxy_url)
        try:
            response = await http.get_client("lean").post(f"{url}/v1/chat", content=b"{}")
        finally:
            await http.close_client()
    assert response.content == b"".join(FRAMES)
    assert proxy.requests == [f"POST {url}/v1/chat HTTP/1.1"]


async def test_https_goes_through_the_proxy_in_a_connect_tunnel(no_proxy_env) -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    upstream = Upstream(lambda n: sse_response(FRAMES))
    async with forward_proxy() as (proxy, proxy_url), serving(upstream, server_tls) as url:
        no_proxy_env.setenv("HTTPS_PROXY", proxy_url)
        assert http.proxied()
        async with http.build_client(tls=client_tls, lean=None) as client:
            response = await client.post(f"{url}/v1/chat", content=b"{}")
    assert response.content == b"".join(FRAMES)
    assert proxy.requests == [f"CONNECT {url.removeprefix('https://')} HTTP/1.1"]


async def test_no_proxy_hosts_are_reached_directly(no_proxy_env) -> None:
    upstream = Upstream(lambda n: sse_response(FRAMES))
    async with forward_proxy() as (proxy, proxy_url), serving(upstream) as url:
        no_proxy_env.setenv("HTTP_PROXY", proxy_url)
        no_proxy_env.setenv("NO_PROXY", "127.0.0.1")
        try:
            response = await http.get_client("lean").post(f"{url}/v1/chat", content=b"{}")
        finally:
            await http.close_client()
    assert response.status_code == 200
    assert proxy.requests == []
    assert upstream.connections == 1


def test_without_a_proxy_the_lean_backend_is_kept(no_proxy_env) -> None:
    assert not http.proxied()
    no_proxy_env.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    assert http.proxied()


# --- Connections at low traffic (docs/performance.md) ---------------------------------------------


def tls_pair() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    return server_tls, client_tls


async def settle(condition: Callable[[], bool]) -> None:
    for _ in range(400):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("timed out")


async def test_questions_one_after_another_reuse_one_connection(no_proxy_env) -> None:
    upstream = Upstream(lambda n: sse_response(FRAMES))
    async with serving(upstream) as url:
        try:
            for _ in range(6):
                response = await http.get_client("lean").post(f"{url}/v1/chat", content=b"{}")
                assert response.status_code == 200
        finally:
            await http.close_client()
    # One connection answered all six (in turn over 16 pools, it took six); at most a spare more.
    assert upstream.requests == 6
    assert upstream.connections <= 2


async def test_requests_fill_the_first_pool_before_the_next() -> None:
    class Body(httpx.AsyncByteStream):  # streamed, as httpcore's bodies are
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b"ok"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Body())

    transport = http.ShardedTransport([httpx.MockTransport(answer) for _ in range(3)], fill=2)
    client = httpx.AsyncClient(transport=transport)
    async with client, contextlib.AsyncExitStack() as open_:
        for _ in range(3):
            await open_.enter_async_context(client.stream("GET", "http://upstream.test/"))
        assert transport.in_flight == [2, 1, 0]
    assert transport.in_flight == [0, 0, 0]
    async with httpx.AsyncClient(transport=transport) as client:
        await client.get("http://upstream.test/")
        await client.get("http://upstream.test/")
    assert transport.in_flight == [0, 0, 0]


async def test_a_quiet_tls_upstream_gets_a_spare_with_its_handshake_done(
    no_proxy_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `WARM_AFTER` idle, the next request finds a connection with TLS already done: no
    connection is accepted (and no handshake made) while it is being sent."""
    monkeypatch.setattr(http, "WARM_AFTER", 0.0)
    server_tls, client_tls = tls_pair()
    lean = LeanBackend()
    # Pooled connections expire at once, so the second request needs a new connection.
    limits = httpx.Limits(max_connections=10, keepalive_expiry=0)
    upstream = Upstream(lambda n: sse_response(FRAMES))
    async with serving(upstream, server_tls) as url:
        client = http.build_sharded_client(tls=client_tls, lean=lean, limits=limits)
        async with client:
            await client.post(f"{url}/v1/chat", content=b"{}")
            origin = ("127.0.0.1", int(url.rsplit(":", 1)[1]), None)
            # The spare is ready once the client's side of its handshake is done; the server
            # counts it once its own side is, which can be a moment later on a busy machine.
            await settle(
                lambda: (
                    upstream.connections == 2
                    and any(spare[3] for spare in lean._ready.get(origin, ()))
                )
            )
            accepted = upstream.connections
            response = await client.post(f"{url}/v1/chat", content=b"{}")
            assert upstream.connections == accepted  # served on the warm spare
        lean.close()
    assert response.content == b"".join(FRAMES)


async def test_a_warm_spare_is_replaced_before_it_is_stale_until_the_warm_time_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from consensus.providers import netio

    monkeypatch.setattr(netio, "SPARE_TTL", 0.02)
    lean = LeanBackend()
    upstream = Upstream(lambda n: sse_response(FRAMES))
    async with serving(upstream) as url:
        port = int(url.rsplit(":", 1)[1])
        loop = asyncio.get_running_loop()
        lean.keep_warm("127.0.0.1", port, until=loop.time() + 3600)
        await settle(lambda: upstream.connections >= 3)  # the first spare, then replacements
        lean.keep_warm("127.0.0.1", port, until=loop.time())  # the warm time is over
        # The last spare expires and nothing is left to open another: no timer, no fill.
        origin = ("127.0.0.1", port, None)
        await settle(lambda: not (lean._ready[origin] or lean._filling or lean._timers))
        lean.close()


class _Readable:
    """A lean connection's socket, as `has_expired` asks it: did the server close it?"""

    def __init__(self, readable: bool) -> None:
        self.readable = readable

    def get_extra_info(self, name: str) -> bool:
        assert name == "is_readable"
        return self.readable


def _pool_state(
    seed: int,
) -> tuple[dict[str, object], list[tuple[str, str, float, bool]], list[str]]:
    import random

    rng = random.Random(seed)
    origins = ["https://groq.test", "https://ark.test", "http://local.test:8080"]
    limits = {
        "max_connections": rng.choice([2, 4, 8, None]),
        "max_keepalive_connections": rng.choice([0, 1, 3, None]),
    }
    connections = [
        (
            rng.choice(origins),
            rng.choice(["NEW", "ACTIVE", "IDLE", "IDLE", "CLOSED"]),
            rng.choice([-1.0, 60.0]),  # keep-alive deadline passed or not
            rng.random() < 0.2,  # an idle socket the server closed
        )
        for _ in range(rng.randrange(0, 9))
    ]
    queued = [rng.choice(origins) for _ in range(rng.randrange(0, 5))]
    return limits, connections, queued


def _decide(
    seed: int, assign: Callable[[httpcore.AsyncConnectionPool], list[object]]
) -> tuple[list[str], list[str], list[str]]:
    import time

    from httpcore._async.connection_pool import AsyncPoolRequest

    from consensus.providers.http11 import LeanHTTP11Connection, State

    limits, described, queued = _pool_state(seed)
    pool = http.LeanPool(
        max_connections=limits["max_connections"],
        max_keepalive_connections=limits["max_keepalive_connections"],
        keepalive_expiry=50.0,
        network_backend=LeanBackend(),
    )
    names: dict[int, str] = {}
    originals = []  # alive until the end: an id is a name only while its object lives
    for n, (url, state, expires_in, closed_by_server) in enumerate(described):
        connection = LeanHTTP11Connection(httpcore.URL(url).origin, backend=LeanBackend())
        connection._state = State[state]
        connection._expire_at = time.monotonic() + expires_in
        connection._stream = _Readable(closed_by_server)  # type: ignore[assignment]
        names[id(connection)] = f"#{n}"
        originals.append(connection)
        pool._connections.append(connection)
    requests = [AsyncPoolRequest(httpcore.Request("GET", f"{url}/v1/chat")) for url in queued]
    active = AsyncPoolRequest(httpcore.Request("GET", "https://groq.test/v1/chat"))
    active.assign_to_connection(pool._connections[0] if pool._connections else None)
    pool._requests = [active, *requests] if pool._connections else requests

    def name(connection: object) -> str:
        return names.get(id(connection)) or f"new:{connection._origin}"  # type: ignore[attr-defined]

    closing = assign(pool)
    assert len(originals) == len(described)
    return (
        [name(c) for c in pool._connections],
        [name(c) for c in closing],
        [name(r.connection) if r.connection is not None else "queued" for r in requests],
    )


@pytest.mark.parametrize("seed", range(600))
async def test_the_lean_pool_assigns_requests_as_httpcore_does(seed):
    # The pool's one-pass bookkeeping against httpcore 1.0's own, on random pools: the same
    # connections kept, the same closed, each queued request given the same connection.
    original = httpcore.AsyncConnectionPool._assign_requests_to_connections
    assert _decide(seed, http.LeanPool._assign_requests_to_connections) == _decide(seed, original)
