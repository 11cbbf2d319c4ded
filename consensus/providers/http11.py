"""A lean HTTP/1.1 client connection for httpcore's pool: llhttp parses, one layer per read.

httpcore's own HTTP/1.1 connection parses responses with h11 (pure Python: several events and
context managers per HTTP chunk) and hands the body up through four nested async generators; for
a streamed answer, which arrives one small HTTP chunk per token, that was ~44-60 us of CPU per
chunk and ~2 ms per request (docs/performance.md "A lean HTTP/1.1 reader"). This connection
writes the request head itself and parses the response with `httptools` (the C llhttp parser
uvicorn uses: maintained by the uvloop authors, strict about framing, no Python per byte). Its
body is one object whose `__anext__` reads the socket and returns what that read held, decoded
from the chunked framing: several HTTP chunks that came in one read are one piece.

It implements httpcore's `AsyncConnectionInterface`, so httpcore's pool (`LeanPool`) keeps
doing the pooling, queueing and keep-alive bookkeeping, and respx, which patches the pool's
`handle_async_request`, still fakes upstreams in tests. A connection is reused only after its
response was read to the end; an error, a cancellation or an early close mid-body closes it.
"""

# The `timeout` parameters are httpcore's per-request timeouts, passed down to the socket reads.
# ruff: noqa: ASYNC109

from __future__ import annotations

import contextlib
import enum
import re
import ssl
import time
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from typing import Any

import httpcore
from httpcore import AsyncConnectionInterface, AsyncNetworkBackend, AsyncNetworkStream
from httptools import HttpParserError, HttpParserUpgrade, HttpResponseParser

READ_SIZE = 64 * 1024
MAX_HEAD = 100 * 1024  # bytes of response head (httpcore's limit for an incomplete h11 event)
# The blank line that ends a response head, with or without CRs: h11 (httpcore's own parser)
# takes line ends of a bare LF, and so does this connection, so a server that writes them (a
# hand-written fake, an embedded device) works on either backend.
_HEAD_END = re.compile(rb"\n\r?\n")


class State(enum.IntEnum):
    NEW = 0
    ACTIVE = 1
    IDLE = 2
    CLOSED = 3


class _Message:
    """One response as llhttp reports it (the parser's callback object)."""

    __slots__ = (
        "connection",
        "done",
        "extra",
        "framed",
        "headers",
        "pieces",
        "reason",
        "status",
        "version",
    )

    def __init__(self) -> None:
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.pieces: list[bytes] = []
        self.done = False  # the body's end was read
        self.extra = False  # bytes came after the end: the connection cannot be reused
        self.framed = False  # Content-Length or chunked, not "until the server closes"
        self.connection = b""  # the Connection header, lowercased
        self.version = b"1.1"

    def on_status(self, reason: bytes) -> None:
        self.reason = reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))
        lowered = name.lower()
        if lowered == b"content-length" or (
            lowered == b"transfer-encoding" and b"chunked" in value.lower()
        ):
            self.framed = True
        elif lowered == b"connection":
            self.connection = value.lower()

    def on_body(self, body: bytes) -> None:
        self.pieces.append(body)

    def on_message_begin(self) -> None:
        if self.done:  # a second response where none was asked for: stop parsing it
            self.extra = True
            raise httpcore.RemoteProtocolError("data after the response")

    def on_message_complete(self) -> None:
        self.done = True

    def take(self) -> bytes:
        pieces = self.pieces
        data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        pieces.clear()
        return data


class LeanHTTP11Connection(AsyncConnectionInterface):
    """One HTTP/1.1 connection to `origin`, opened on its first request."""

    def __init__(
        self,
        origin: httpcore.Origin,
        *,
        backend: AsyncNetworkBackend,
        ssl_context: ssl.SSLContext | None = None,
        keepalive_expiry: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> None:
        self._origin = origin
        self._backend = backend
        self._ssl_context = ssl_context
        self._keepalive_expiry = keepalive_expiry
        self._local_address = local_address
        self._socket_options = socket_options
        self._stream: AsyncNetworkStream | None = None
        self._state = State.NEW
        self._expire_at: float | None = None
        self._requests = 0

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if request.url.origin != self._origin:
            raise RuntimeError(f"request to {request.url.origin} on a connection to {self._origin}")
        if self._state is not State.NEW and self._state is not State.IDLE:
            raise httpcore.ConnectionNotAvailable()
        self._state = State.ACTIVE
        self._expire_at = None
        self._requests += 1
        timeouts = request.extensions.get("timeout", {})
        trace = request.extensions.get("trace")
        stage = "connection.connect_tcp"  # for the `trace` extension, as httpcore names them
        try:
            stream = self._stream
            if stream is None:
                stream = self._stream = await self._connect(request, timeouts.get("connect"))
            stage = "http11.send_request_body"
            # On a write error the server may have answered (an error) and closed: read it.
            with contextlib.suppress(httpcore.WriteError):
                await self._send(stream, request, timeouts.get("write"))
            if trace is not None:
                await trace(f"{stage}.complete", {"return_value": None})
            stage = "http11.receive_response_headers"
            message, parser, rest = await _read_head(stream, timeouts.get("read"))
            if message.status < 200 or message.status in (204, 304) or request.method == b"HEAD":
                message.done = True  # no body (llhttp cannot know that a HEAD answer has none)
                message.extra = bool(rest)  # bytes after a body-less answer
            body = LeanBody(self, stream, message, parser, timeouts.get("read"))
            body.reusable = _keep_alive(request, message) and message.status != 101
            if rest and not message.done:
                body.feed(rest)  # the first body bytes came with the head
        except BaseException as exc:
            await self._close()
            if trace is not None:
                await trace(f"{stage}.failed", {"exception": exc})
            raise
        return httpcore.Response(
            status=message.status,
            headers=message.headers,
            content=body,
            extensions={
                "http_version": b"HTTP/" + message.version,
                "reason_phrase": message.reason,
                "network_stream": stream,
            },
        )

    async def _connect(
        self, request: httpcore.Request, timeout: float | None
    ) -> AsyncNetworkStream:
        origin = self._origin
        host = origin.host.decode("ascii")
        trace = request.extensions.get("trace")
        if trace is not None:
            await trace("connection.connect_tcp.started", {"host": host, "port": origin.port})
        stream = await self._backend.connect_tcp(
            host,
            origin.port,
            timeout=timeout,
            local_address=self._local_address,
            socket_options=self._socket_options,
        )
        if origin.scheme == b"https":
            context = self._ssl_context or httpcore.default_ssl_context()
            server_name = request.extensions.get("sni_hostname") or host
            try:
                stream = await stream.start_tls(context, server_name, timeout=timeout)
            except BaseException:
                await stream.aclose()
                raise
        if trace is not None:
            await trace("connection.connect_tcp.complete", {"return_value": stream})
        return stream

    async def _send(
        self, stream: AsyncNetworkStream, request: httpcore.Request, timeout: float | None
    ) -> None:
        """The head and the body, the head together with the body's first part (one write
        for a JSON POST)."""
        head, chunked = _request_head(request)
        assert isinstance(request.stream, AsyncIterable)
        async for part in request.stream:
            if not part:
                continue
            if chunked:
                part = b"%x\r\n%b\r\n" % (len(part), part)
            if head:
                part, head = head + part, b""
            await stream.write(part, timeout=timeout)
        if chunked:
            head += b"0\r\n\r\n"
        if head:
            await stream.write(head, timeout=timeout)

    async def release(self, reusable: bool) -> None:
        """The response is closed: keep the connection for the next request, or close it."""
        if reusable and self._state is State.ACTIVE:
            self._state = State.IDLE
            if self._keepalive_expiry is not None:
                self._expire_at = time.monotonic() + self._keepalive_expiry
        else:
            await self._close()

    async def _close(self) -> None:
        self._state = State.CLOSED
        if self._stream is not None:
            await self._stream.aclose()

    async def aclose(self) -> None:
        await self._close()

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self._origin

    def is_available(self) -> bool:
        return self._state is State.IDLE

    def has_expired(self) -> bool:
        if self._state is not State.IDLE:
            return False
        if self._expire_at is not None and time.monotonic() > self._expire_at:
            return True
        # Idle and readable: the server closed it (or sent what it may not): not reusable.
        assert self._stream is not None
        return bool(self._stream.get_extra_info("is_readable"))

    def is_idle(self) -> bool:
        return self._state is State.IDLE

    def is_closed(self) -> bool:
        return self._state is State.CLOSED

    def info(self) -> str:
        return (
            f"{str(self._origin)!r}, HTTP/1.1, {self._state.name}, Request Count: {self._requests}"
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.info()}]>"


class LeanBody:
    """A response body: each `__anext__` is one socket read's worth of body bytes (chunked
    framing removed), until the end of the body. Errors are httpcore's (see `on_error`)."""

    __slots__ = (
        "_connection",
        "_message",
        "_open",
        "_parser",
        "_stream",
        "_timeout",
        "on_error",
        "reusable",
    )

    def __init__(
        self,
        connection: LeanHTTP11Connection,
        stream: AsyncNetworkStream,
        message: _Message,
        parser: HttpResponseParser,
        timeout: float | None,
    ) -> None:
        self._connection = connection
        self._stream = stream
        self._message = message
        self._parser = parser
        self._timeout = timeout
        self.reusable = False  # both sides allow another request once this body has ended
        self._open = True
        # Called with the error that ended the body, after the connection is closed; it may
        # raise another in its place (`http.LeanTransport`: httpx's, so httpx can iterate this
        # body itself, without a layer of its own per read).
        self.on_error: Callable[[BaseException], Awaitable[None]] | None = None

    def __aiter__(self) -> LeanBody:
        return self

    async def __anext__(self) -> bytes:
        message = self._message
        if message.pieces:
            return message.take()
        if message.done or not self._open:
            raise StopAsyncIteration
        try:
            while True:
                data = await self._stream.read(READ_SIZE, self._timeout)
                if not data:
                    if message.framed:
                        raise httpcore.RemoteProtocolError(
                            "peer closed connection without sending complete message body"
                        )
                    message.done = True  # a body that ends where the connection does
                    self.reusable = False
                    raise StopAsyncIteration
                self.feed(data)
                if message.pieces:
                    return message.take()
                if message.done:
                    raise StopAsyncIteration
        except StopAsyncIteration:
            raise
        except BaseException as exc:  # an error, a timeout, a cancellation: the connection is gone
            self._open = False
            await self._connection.release(False)
            if self.on_error is not None:
                await self.on_error(exc)
            raise

    def feed(self, data: bytes) -> None:
        """Parse `data`: its body bytes go to the message's pieces."""
        message = self._message
        try:
            self._parser.feed_data(data)
        except HttpParserError as exc:
            if not message.done:
                raise httpcore.RemoteProtocolError(str(exc) or "malformed response body") from None
            message.extra = True  # something after the response (llhttp rejects it)

    async def aclose(self) -> None:
        if self._open:
            self._open = False
            message = self._message
            # Once the whole response is off the socket (`done`), pieces nobody read do not
            # stand in the way of the next request.
            await self._connection.release(self.reusable and message.done and not message.extra)


async def _read_head(
    stream: AsyncNetworkStream, timeout: float | None
) -> tuple[_Message, HttpResponseParser, bytes]:
    """Read up to the final response's head (1xx heads skipped); return what followed it."""
    buffer = b""
    searched = 0
    while True:
        blank = _HEAD_END.search(buffer, searched)
        if blank is None:
            if len(buffer) > MAX_HEAD:
                raise httpcore.RemoteProtocolError("the response head is too large")
            searched = max(0, len(buffer) - 3)
            data = await stream.read(READ_SIZE, timeout)
            if not data:
                raise httpcore.RemoteProtocolError(
                    "Server disconnected without sending a response."
                    if not buffer
                    else "the server closed the connection inside the response head"
                )
            buffer += data
            continue
        head, buffer = buffer[: blank.end()], buffer[blank.end() :]
        searched = 0
        message = _Message()
        parser = HttpResponseParser(message)
        # llhttp wants CRLF; h11 also takes a bare LF, so heads with bare LFs are taken here
        # too. (Chunk framing with bare LFs is not: llhttp, even lenient, then never sees the
        # last chunk end; `CONSENSUS_NETWORK_BACKEND=anyio` is h11's whole path.)
        parser.set_dangerous_leniencies(lenient_optional_cr_before_lf=True)
        try:
            parser.feed_data(head)
        except HttpParserUpgrade:
            pass  # 101 Switching Protocols: the head is all we read
        except HttpParserError as exc:
            raise httpcore.RemoteProtocolError(str(exc) or "malformed response head") from None
        message.status = parser.get_status_code()
        message.version = head[5:8]  # llhttp checked "HTTP/x.y "
        if message.status >= 200 or message.status == 101:
            return message, parser, buffer


def _keep_alive(request: httpcore.Request, message: _Message) -> bool:
    """Whether both sides allow another request on the connection (llhttp's own answer is
    reset once the message is complete, as it is at once for a body-less answer)."""
    if message.version == b"1.1":
        if b"close" in message.connection:
            return False
    elif message.version != b"1.0" or b"keep-alive" not in message.connection:
        return False
    for name, value in request.headers:
        if name.lower() == b"connection" and b"close" in value.lower():
            return False
    return True


def _request_head(request: httpcore.Request) -> tuple[bytes, bool]:
    """The request line and headers as bytes; whether the body goes chunked."""
    lines = [b"%b %b HTTP/1.1" % (request.method, request.url.target)]
    chunked = False
    for name, value in request.headers:
        if b"\n" in value or b"\r" in value or b"\n" in name or b"\r" in name or b":" in name:
            raise httpcore.LocalProtocolError(f"illegal header {name!r}")
        if name.lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        lines.append(b"%b: %b" % (name, value))
    lines.append(b"\r\n")
    return b"\r\n".join(lines), chunked
