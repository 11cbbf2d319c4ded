"""The pooled upstream clients (`consensus/providers/http.py`): the socket backend each
`CONSENSUS_NETWORK_BACKEND` gives, and the environment's proxies (a local forward proxy here)."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import pytest
import trustme

from consensus.providers import http
from consensus.providers.netio import LeanBackend

from .test_netio import FRAMES, Upstream, serving, sse_response

pytestmark = pytest.mark.timeout(10)


class ForwardProxy:
    """A tiny HTTP forward proxy: absolute-form requests are relayed, CONNECT is tunnelled."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.writers: list[asyncio.StreamWriter] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
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
        self.writers.append(up_writer)
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
        server.close()
        for writer in proxy.writers:
            writer.close()


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.mark.parametrize("backend", http.NETWORK_BACKENDS)
async def test_each_backend_setting_gives_its_sockets(no_proxy_env, backend) -> None:
    upstream = Upstream(lambda n: sse_response(FRAMES))
    try:
        async with serving(upstream) as url:
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
