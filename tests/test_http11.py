"""The lean HTTP/1.1 connection (`consensus/providers/http11.py`): response framing, keep-alive,
errors and cancellation.

Framing is checked twice: on a scripted stream (every way a response can be split across socket
reads) and through the app's client on real loopback sockets (plain and TLS).
"""

# The fake stream implements httpcore's interface, whose reads take a `timeout`.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import httpcore
import httpx
import pytest
import respx
import trustme

from consensus.providers import http
from consensus.providers.http11 import LeanHTTP11Connection
from consensus.providers.netio import LeanBackend

from .test_netio import read_request, shut_down

pytestmark = pytest.mark.timeout(10)

CHUNKED = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
)


def chunked(*parts: bytes) -> bytes:
    return CHUNKED + b"".join(b"%x\r\n%b\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


# --- On a scripted stream ------------------------------------------------------------------------


class ScriptedStream(httpcore.AsyncNetworkStream):
    """A connection whose reads return `reads` in turn, then the end of the stream."""

    def __init__(self, reads: Iterable[bytes]) -> None:
        self.reads = list(reads)
        self.written = b""
        self.closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.reads.pop(0) if self.reads else b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.written += buffer

    async def aclose(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> Any:
        return bool(self.reads) if info == "is_readable" else None


class ScriptedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, stream: ScriptedStream) -> None:
        self.stream = stream

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return self.stream


ORIGIN = httpcore.Origin(b"http", b"upstream.test", 80)


def post(method: bytes = b"POST", headers: Iterable[tuple[bytes, bytes]] = ()) -> httpcore.Request:
    return httpcore.Request(
        method,
        "http://upstream.test/v1/chat",
        headers=[(b"host", b"upstream.test"), (b"content-length", b"2"), *headers],
        content=b"{}",
    )


async def exchange(
    reads: Iterable[bytes], request: httpcore.Request | None = None
) -> tuple[LeanHTTP11Connection, ScriptedStream, httpcore.Response, list[bytes]]:
    """One request on a fresh connection whose socket delivers `reads`; the body's pieces."""
    stream = ScriptedStream(reads)
    connection = LeanHTTP11Connection(ORIGIN, backend=ScriptedBackend(stream))
    response = await connection.handle_async_request(request or post())
    assert isinstance(response.stream, AsyncIterator)
    pieces = [piece async for piece in response.stream]
    await response.aclose()
    return connection, stream, response, pieces


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (chunked(b"data: 1\n\n", b"data: [DONE]\n\n"), b"data: 1\n\ndata: [DONE]\n\n"),
        (CHUNKED + b"5;name=value\r\nhello\r\n0\r\n\r\n", b"hello"),  # a chunk extension
        (CHUNKED + b"5\r\nhello\r\n0\r\nx-trailer: 1\r\n\r\n", b"hello"),  # a trailer
        (b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello", b"hello"),
        (b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", b""),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", b"ok"),
        (
            b"HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n"
            b"HTTP/1.1 100 Continue\r\n\r\n" + chunked(b"ok"),
            b"ok",
        ),
        (b"HTTP/1.1 204 No Content\r\n\r\n", b""),
        (b"HTTP/1.1 304 Not Modified\r\ncontent-length: 99\r\n\r\n", b""),
    ],
)
async def test_every_split_of_a_reusable_response_gives_its_body_and_keeps_the_connection(
    raw: bytes, body: bytes
) -> None:
    for at in range(1, len(raw)):
        connection, stream, _, pieces = await exchange([raw[:at], raw[at:]])
        assert b"".join(pieces) == body, at
        assert connection.is_idle(), at
        assert not stream.closed, at
        assert connection.is_available()


async def test_a_head_answer_has_no_body_and_keeps_the_connection() -> None:
    raw = b"HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\n"
    connection, stream, response, pieces = await exchange([raw], post(b"HEAD"))
    assert pieces == []
    assert response.headers == [(b"content-length", b"1234")]
    assert connection.is_idle()
    assert not stream.closed


async def test_chunks_that_arrive_in_one_read_are_one_piece() -> None:
    raw = chunked(b"data: 1\n\n", b"data: 2\n\n", b"data: 3\n\n")
    *_, pieces = await exchange([raw])
    assert pieces == [b"data: 1\n\ndata: 2\n\ndata: 3\n\n"]


async def test_a_body_read_to_the_close_of_the_connection_ends_it() -> None:
    connection, stream, _, pieces = await exchange([b"HTTP/1.1 200 OK\r\n\r\nab", b"cd"])
    assert b"".join(pieces) == b"abcd"
    assert connection.is_closed()
    assert stream.closed


@pytest.mark.parametrize(
    ("raw", "request_headers"),
    [
        (b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok", []),
        (b"HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok", []),
        (b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", [(b"Connection", b"close")]),
        (b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokEXTRA", []),  # more than the body
        (b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok" + chunked(b"more"), []),
        (b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n", []),
    ],
)
async def test_a_connection_that_must_close_is_not_reused(
    raw: bytes, request_headers: list[tuple[bytes, bytes]]
) -> None:
    connection, stream, _, pieces = await exchange([raw], post(headers=request_headers))
    assert b"".join(pieces) in (b"ok", b"")  # nothing after the response's own body
    assert connection.is_closed()
    assert stream.closed


@pytest.mark.parametrize(
    "reads",
    [
        [CHUNKED + b"5\r\nhel"],  # cut inside a chunk
        [CHUNKED + b"5\r\nhello\r\n"],  # cut before the last chunk
        [b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhello"],
        [CHUNKED + b"zz\r\nhello\r\n"],  # not a chunk size
    ],
)
async def test_a_body_cut_short_or_malformed_is_a_protocol_error_and_closes(
    reads: list[bytes],
) -> None:
    with pytest.raises(httpcore.RemoteProtocolError):
        await exchange(reads)


@pytest.mark.parametrize(
    ("reads", "message"),
    [
        ([], "Server disconnected without sending a response."),
        ([b"HTTP/1.1 200 OK\r\ncontent-"], "inside the response head"),
        ([b"HTTP/1.1 2OO OK\r\n\r\n"], "status"),
        ([b"SSH-2.0-OpenSSH\r\n\r\n"], "HTTP"),
    ],
)
async def test_no_valid_head_is_a_protocol_error(reads: list[bytes], message: str) -> None:
    stream = ScriptedStream(reads)
    connection = LeanHTTP11Connection(ORIGIN, backend=ScriptedBackend(stream))
    with pytest.raises(httpcore.RemoteProtocolError, match=message):
        await connection.handle_async_request(post())
    assert connection.is_closed()
    assert stream.closed


async def test_the_request_is_written_in_one_piece_with_its_body() -> None:
    request = post(headers=[(b"Authorization", b"Bearer k")])
    _, stream, *_ = await exchange([b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"], request)
    assert stream.written == (
        b"POST /v1/chat HTTP/1.1\r\nhost: upstream.test\r\ncontent-length: 2\r\n"
        b"Authorization: Bearer k\r\n\r\n{}"
    )


async def test_a_header_with_a_line_break_is_refused() -> None:
    with pytest.raises(httpcore.LocalProtocolError):
        await exchange([], post(headers=[(b"x-a", b"1\r\nx-b: 2")]))


async def test_the_response_head_keeps_names_as_sent_and_repeated_headers() -> None:
    raw = (
        b"HTTP/1.1 201 Made\r\nX-Id: 1\r\nset-cookie: a\r\nset-cookie: b\r\n"
        b"content-length: 0\r\n\r\n"
    )
    *_, response, _ = await exchange([raw])
    assert response.status == 201
    assert response.extensions["reason_phrase"] == b"Made"
    assert response.extensions["http_version"] == b"HTTP/1.1"
    assert response.headers == [
        (b"X-Id", b"1"),
        (b"set-cookie", b"a"),
        (b"set-cookie", b"b"),
        (b"content-length", b"0"),
    ]


async def test_a_connection_in_use_is_not_available_for_another_request() -> None:
    stream = ScriptedStream([CHUNKED + b"2\r\nok\r\n"])
    connection = LeanHTTP11Connection(ORIGIN, backend=ScriptedBackend(stream))
    response = await connection.handle_async_request(post())
    assert not connection.is_available()
    assert not connection.is_idle()
    with pytest.raises(httpcore.ConnectionNotAvailable):
        await connection.handle_async_request(post())
    await response.aclose()  # before the body's end: the connection cannot be reused
    assert connection.is_closed()
    assert stream.closed


async def test_a_whole_body_left_unread_does_not_stop_reuse() -> None:
    stream = ScriptedStream([b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\nno"])
    connection = LeanHTTP11Connection(ORIGIN, backend=ScriptedBackend(stream))
    response = await connection.handle_async_request(post())
    await response.aclose()  # the body came with the head: it is off the socket
    assert connection.is_idle()


async def test_an_idle_connection_expires_after_its_keep_alive_or_when_readable() -> None:
    raw = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"
    stream = ScriptedStream([raw])
    connection = LeanHTTP11Connection(ORIGIN, backend=ScriptedBackend(stream), keepalive_expiry=0)
    response = await connection.handle_async_request(post())
    await response.aclose()
    await asyncio.sleep(0.001)
    assert connection.has_expired()
    stream = ScriptedStream([raw])
    connection = LeanHTTP11Connection(ORIGIN, backend=ScriptedBackend(stream))
    response = await connection.handle_async_request(post())
    await response.aclose()
    assert not connection.has_expired()
    stream.reads.append(b"")  # the server closed the idle connection
    assert connection.has_expired()


# --- Through the app's client, on loopback sockets ------------------------------------------------

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class Server:
    """A loopback server: `handler` per connection; counts connections."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.url = ""
        self.connections = 0
        self.closed = asyncio.Event()  # a connection's client side went away

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self.handler(reader, writer)
            if await reader.read() == b"":
                self.closed.set()
        except (ConnectionError, asyncio.IncompleteReadError):
            self.closed.set()
        finally:
            writer.close()


@asynccontextmanager
async def serving(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[Server]:
    server = Server(handler)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=tls)
    port = listener.sockets[0].getsockname()[1]
    server.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await shut_down(listener)


def lean_client(tls: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=10)
    context = tls or ssl.create_default_context()
    return http.build_client(tls=context, lean=LeanBackend(spares=0), limits=limits)


def answering(reply: bytes) -> Handler:
    """Answers every request on the connection with `reply`."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            writer.write(reply)
            await writer.drain()

    return handler


async def read_all(
    client: httpx.AsyncClient, url: str, pieces: list[bytes], timeout: httpx.Timeout | None = None
) -> None:
    """Stream a POST's body into `pieces` (what arrived before an error stays there)."""
    async with client.stream("POST", url, content=b"{}", timeout=timeout or 5) as response:
        async for piece in response.aiter_raw():
            pieces.append(piece)


async def test_the_client_uses_the_lean_connection_and_reuses_it() -> None:
    reply = answering(chunked(b"data: 1\n\n", b"data: 2\n\n"))
    async with serving(reply) as server, lean_client() as client:
        for _ in range(3):
            async with client.stream("POST", f"{server.url}/v1", json={"q": 1}) as response:
                assert await response.aread() == b"data: 1\n\ndata: 2\n\n"
        pool = client._transport._pool  # type: ignore[attr-defined]
        assert [type(c) for c in pool.connections] == [LeanHTTP11Connection]
    assert server.connections == 1


async def test_tls_streams_and_reuses_the_connection() -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    reply = answering(chunked(b"a" * 70_000, b"b"))
    async with serving(reply, server_tls) as server, lean_client(client_tls) as client:
        for _ in range(2):
            response = await client.post(f"{server.url}/v1", content=b"{}")
            assert response.content == b"a" * 70_000 + b"b"
    assert server.connections == 1


async def test_a_json_post_and_a_streamed_body_arrive_as_sent() -> None:
    received: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if b"transfer-encoding: chunked" in head.lower():
                received.append(await reader.readuntil(b"0\r\n\r\n"))
            else:
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                received.append(await reader.readexactly(length))
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            await writer.drain()

    async def parts() -> AsyncIterator[bytes]:
        yield b"ab"
        yield b""
        yield b"cde"

    async with serving(handler) as server, lean_client() as client:
        await client.post(f"{server.url}/v1", json={"text": "é"})
        await client.post(f"{server.url}/v1", content=parts())
    assert received == [b'{"text":"\xc3\xa9"}', b"2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"]


async def test_a_server_that_closes_after_its_answer_gets_a_new_connection_next() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok")
        await writer.drain()

    async with serving(handler) as server, lean_client() as client:
        for _ in range(2):
            response = await client.post(f"{server.url}/v1", content=b"{}")
            assert response.content == b"ok"
    assert server.connections == 2


async def test_a_truncated_chunked_body_is_a_protocol_error() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(CHUNKED + b"9\r\ndata: 1\n\n\r\n5\r\nda")
        await writer.drain()
        writer.close()

    async with serving(handler) as server, lean_client() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await read_all(client, f"{server.url}/v1", [])


async def test_a_read_timeout_mid_body_is_httpx_read_timeout_and_closes_the_connection() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(CHUNKED + b"2\r\nok\r\n")  # then nothing more
        await writer.drain()

    async with serving(handler) as server, lean_client() as client:
        pieces: list[bytes] = []
        with pytest.raises(httpx.ReadTimeout):
            await read_all(client, f"{server.url}/v1", pieces, httpx.Timeout(5, read=0.1))
        assert pieces == [b"ok"]
        await asyncio.wait_for(server.closed.wait(), 5)  # the client hung up
        assert client._transport._pool.connections == []  # type: ignore[attr-defined]


async def test_a_cancelled_read_closes_the_connection_and_the_next_request_gets_a_new_one() -> None:
    first_piece = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        if server.connections == 1:
            writer.write(CHUNKED + b"2\r\nok\r\n")  # and never the rest
        else:
            writer.write(chunked(b"fresh"))
        await writer.drain()
        await reader.read()

    async def read(client: httpx.AsyncClient) -> None:
        async with client.stream("POST", f"{server.url}/v1", content=b"{}") as response:
            async for _ in response.aiter_raw():
                first_piece.set()

    async with serving(handler) as server, lean_client() as client:
        reading = asyncio.create_task(read(client))
        await asyncio.wait_for(first_piece.wait(), 5)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        await asyncio.wait_for(server.closed.wait(), 5)
        response = await client.post(f"{server.url}/v1", content=b"{}")
        assert response.content == b"fresh"
    assert server.connections == 2


async def test_a_request_cancelled_before_the_answer_closes_its_connection() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        received.set()  # and never answer

    received = asyncio.Event()
    async with serving(handler) as server, lean_client() as client:
        asking = asyncio.create_task(client.post(f"{server.url}/v1", content=b"{}"))
        await asyncio.wait_for(received.wait(), 5)
        asking.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asking
        await asyncio.wait_for(server.closed.wait(), 5)  # the client hung up
        assert client._transport._pool.connections == []  # type: ignore[attr-defined]


async def test_a_server_that_hangs_up_without_answering_is_a_protocol_error() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()

    async with serving(handler) as server, lean_client() as client:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            await client.post(f"{server.url}/v1", content=b"{}")


async def test_leaving_a_body_before_its_end_closes_the_connection() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        # The first connection's body never ends; the second one's does.
        writer.write(CHUNKED + b"1\r\na\r\n" if server.connections == 1 else chunked(b"ab"))
        await writer.drain()
        await reader.read()

    async with serving(handler) as server, lean_client() as client:
        async with client.stream("POST", f"{server.url}/v1", content=b"{}"):
            pass  # not read
        await asyncio.wait_for(server.closed.wait(), 5)  # the client hung up
        response = await client.post(f"{server.url}/v1", content=b"{}")
        assert response.content == b"ab"
    assert server.connections == 2


async def test_the_trace_extension_hears_when_the_request_is_on_the_wire() -> None:
    events: list[str] = []

    async def trace(event: str, info: dict[str, Any]) -> None:
        events.append(event)

    async with serving(answering(chunked(b"ok"))) as server, lean_client() as client:
        for _ in range(2):
            await client.post(
                f"{server.url}/v1",
                content=b"{}",
                extensions={"trace": trace},
            )
    assert events.count("connection.connect_tcp.started") == 1
    assert events.count("http11.send_request_body.complete") == 2


async def test_respx_still_fakes_the_lean_client() -> None:
    with respx.mock(assert_all_called=True) as router:
        router.post("http://upstream.test/v1").respond(200, content=b"faked")
        async with lean_client() as client:
            response = await client.post("http://upstream.test/v1", content=b"{}")
    assert response.content == b"faked"


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\ncontent-length: 5\n\nhello",
        b"HTTP/1.1 200 OK\ntransfer-encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n",
        b"HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
    ],
)
async def test_a_head_with_bare_lf_line_ends_is_taken_as_h11_takes_it(raw: bytes) -> None:
    for at in range(1, len(raw)):
        connection, _, response, pieces = await exchange([raw[:at], raw[at:]])
        assert response.status == 200, at
        assert b"".join(pieces) == b"hello", at
        assert connection.is_idle(), at
