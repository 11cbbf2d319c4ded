"""A lean asyncio network backend for httpcore: the sockets under the upstream HTTP clients.

httpcore's default backend on asyncio is anyio, which, for every read of an upstream stream (one
per token below saturation), opens a cancel scope with a deadline, enters two context managers,
pauses and resumes the transport's reading (two `epoll_ctl` calls) and, when data is already
there, still yields a turn of the event loop; opening a connection goes through a happy-eyeballs
task group (here: the event loop's own `happy_eyeballs_delay`). This backend is a plain
`asyncio.Protocol` with a buffer: a read returns buffered bytes at once, and a read that has to
wait does not arm a timer of its own (one per connection, re-armed lazily). It plugs into
httpcore through its public `network_backend` argument (`http.py`): httpcore pools, `http11.py`
speaks HTTP/1.1 over these streams, TLS is the event loop's `start_tls`.
"""

# The `timeout` parameters are httpcore's network-backend interface, not ours to change.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Coroutine, Iterable
from typing import Any

import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

HIGH_WATER = 256 * 1024  # buffered bytes above which the socket is not read until drained
SPARES = 1  # connected sockets kept ready per upstream (host, port)
# Seconds a spare may wait unused before it is closed (or, while the upstream is kept warm,
# replaced): below the ~60 s that servers and load balancers commonly allow a connection that has
# not sent a request (nginx's client_header_timeout, AWS ALB's idle timeout).
SPARE_TTL = 40.0
SPARE_CONNECT_TIMEOUT = 5.0
# Happy Eyeballs (RFC 8305): when a host resolves to several addresses (IPv6 and IPv4), the next
# one is tried after this many seconds, so that a broken route costs 0.25 s, not the connect
# timeout.
HAPPY_EYEBALLS_DELAY = 0.25


class _Protocol(asyncio.Protocol):
    """Buffers what the socket delivers; wakes the one reader and the one writer waiting."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: deque[bytes] = deque()
        self.size = 0
        self.eof = False
        self.lost = False
        self.error: BaseException | None = None
        self.reader: asyncio.Future[None] | None = None
        self.writer: asyncio.Future[None] | None = None
        self.deadline: float | None = None  # the waiting read's, in the loop's time
        self.timer: asyncio.TimerHandle | None = None  # checks `deadline`; see `readable`
        self.reading_paused = False
        self.writing_paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.size += len(data)
        if self.size > HIGH_WATER and not self.reading_paused and self.transport is not None:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self) -> None:
        self.eof = True
        self._wake_reader()

    def connection_lost(self, exc: BaseException | None) -> None:
        self.lost = True
        self.error = exc
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self._wake_reader()
        self._wake_writer()

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._wake_writer()

    def _wake_reader(self) -> None:
        if self.reader is not None and not self.reader.done():
            self.reader.set_result(None)

    def _wake_writer(self) -> None:
        if self.writer is not None and not self.writer.done():
            self.writer.set_result(None)

    async def readable(self, timeout: float | None) -> None:
        """Wait for data, the end or an error; after `timeout` seconds raise `ReadTimeout`.

        One timer serves many waits: a stream read every few milliseconds would otherwise arm
        and cancel a timer per read (a few us of CPU each). The timer is left running across
        waits; when it fires before the waiting read's own deadline it is armed again for it.
        """
        loop = asyncio.get_running_loop()
        reader = self.reader = loop.create_future()
        if timeout is None:
            self.deadline = None
        else:
            deadline = self.deadline = loop.time() + timeout
            timer = self.timer
            if timer is None or timer.when() > deadline:
                if timer is not None:
                    timer.cancel()
                self.timer = loop.call_at(deadline, self._check_deadline)
        try:
            await reader
        except TimeoutError:
            raise httpcore.ReadTimeout(f"timed out after {timeout:g}s") from None
        finally:
            self.reader = None

    def _check_deadline(self) -> None:
        self.timer = None
        reader, deadline = self.reader, self.deadline
        if reader is None or reader.done() or deadline is None:
            return  # no read waiting: the next one arms its own
        loop = reader.get_loop()
        if loop.time() + 0.001 >= deadline:  # (uvloop's clock counts milliseconds)
            reader.set_exception(TimeoutError())
        else:
            self.timer = loop.call_at(deadline, self._check_deadline)

    def take(self, max_bytes: int) -> bytes:
        chunk = self.chunks.popleft()
        if len(chunk) > max_bytes:
            self.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        self.size -= len(chunk)
        if self.reading_paused and self.size <= HIGH_WATER // 4 and self.transport is not None:
            self.reading_paused = False
            self.transport.resume_reading()
        return chunk


async def _wait(
    future: asyncio.Future[None], timeout: float | None, error: type[Exception]
) -> None:
    """Wait for `future`; after `timeout` seconds raise `error` (httpcore's timeout types; reads
    use `_Protocol.readable`)."""
    if timeout is None:
        await future
        return
    timer = asyncio.get_running_loop().call_later(timeout, _expire, future)
    try:
        await future
    except TimeoutError:
        raise error(f"timed out after {timeout:g}s") from None
    finally:
        timer.cancel()


def _expire(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


Origin = tuple[str, int, str | None]  # host, port, local address
TLS = tuple[ssl.SSLContext, str | None]  # the context and server name a handshake used


class LeanStream(AsyncNetworkStream):
    """One connection (plain or TLS) over `_Protocol`.

    A stream made from a spare whose TLS handshake was done in the background carries `tls`;
    httpcore's `start_tls` with the same context and server name then returns it as it is.
    """

    def __init__(
        self,
        transport: asyncio.Transport,
        protocol: _Protocol,
        *,
        origin: Origin | None = None,
        backend: LeanBackend | None = None,
        tls: TLS | None = None,
    ) -> None:
        self._transport = transport
        self._protocol = protocol
        self._origin = origin
        self._backend = backend
        self._tls = tls

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        while not protocol.chunks:
            if protocol.lost or protocol.eof:
                if protocol.error is not None:
                    raise httpcore.ReadError(str(protocol.error) or type(protocol.error).__name__)
                return b""
            await protocol.readable(timeout)
        return protocol.take(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if protocol.lost or self._transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self._transport.write(buffer)
        while protocol.writing_paused and not protocol.lost:
            protocol.writer = asyncio.get_running_loop().create_future()
            try:
                await _wait(protocol.writer, timeout, httpcore.WriteTimeout)
            finally:
                protocol.writer = None
        if protocol.lost and protocol.error is not None:
            raise httpcore.WriteError(str(protocol.error) or type(protocol.error).__name__)

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> AsyncNetworkStream:
        tls = (ssl_context, server_hostname)
        if self._backend is not None and self._origin is not None:
            self._backend.learn_tls(self._origin, tls)
        if self._tls is not None:
            if self._tls[0] is ssl_context and self._tls[1] == server_hostname:
                return self  # a spare whose handshake was done in the background
            # Negotiated for another context (not expected): start again on a new connection.
            assert self._origin is not None
            self._transport.close()
            self._transport, self._protocol = await _connect(self._origin, timeout)
        transport = await _handshake(self._transport, self._protocol, tls, timeout)
        return LeanStream(transport, self._protocol, tls=tls)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        if info == "is_readable":  # an idle keep-alive connection the server closed or wrote to
            protocol = self._protocol
            return bool(protocol.chunks) or protocol.eof or protocol.lost
        return None


Spare = tuple[float, asyncio.Transport, _Protocol, TLS | None]  # made at, ..., its handshake


class LeanBackend(AsyncNetworkBackend):
    """Connections straight from the running event loop (`loop.create_connection`), with a
    spare connected socket per upstream kept ready ("preconnect").

    A stream that starts while the others hold every pooled connection (concurrency rising,
    as in a burst of questions) needs a new one; its TCP handshake then sits between the user
    and the first token (1.5 ms median, 5.6 ms p95 measured on loopback with 100 streams;
    a network round trip to Groq). Each new connection takes the spare, if one is ready, and
    opens the next spare in the background. Spares older than `SPARE_TTL`, or that the server
    closed, are discarded. Once a TLS handshake with an upstream has been seen, spares for it
    are handed over with their own handshake done (in the background), so a new connection costs
    neither round trip.

    `keep_warm` keeps a spare ready for an upstream until a given time, replacing it before it
    is `SPARE_TTL` old: after a quiet minute the next question finds a connection ready instead
    of paying TCP and TLS handshakes (http.py asks for it when an upstream has been idle for a
    while; about one handshake per `SPARE_TTL`, no HTTP request).
    """

    def __init__(self, spares: int = SPARES) -> None:
        self.spares = spares
        self._ready: dict[Origin, deque[Spare]] = {}
        self._filling: set[Origin] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: dict[asyncio.Transport, asyncio.TimerHandle] = {}
        self._tls: dict[Origin, TLS] = {}
        self._warm_until: dict[Origin, float] = {}
        self.opened = 0  # connections opened (spares included): benchmarks count them

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncNetworkStream:
        origin = (host, port, local_address)
        spare = self._take_spare(origin)
        tls: TLS | None = None
        if spare is None:
            transport, protocol = await _connect(origin, timeout)
            self.opened += 1
        else:
            transport, protocol, tls = spare
        self._top_up(origin)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            for option in socket_options or ():
                sock.setsockopt(*option)
        return LeanStream(transport, protocol, origin=origin, backend=self, tls=tls)

    def learn_tls(self, origin: Origin, tls: TLS) -> None:
        """Note how connections to `origin` negotiate TLS, for the spares opened from now on."""
        self._tls[origin] = tls

    def keep_warm(self, host: str, port: int, *, until: float) -> None:
        """Keep a spare ready for (host, port) until the event loop's time `until`."""
        origin = (host, port, None)
        self._warm_until[origin] = until
        self._top_up(origin)

    def _take_spare(self, origin: Origin) -> tuple[asyncio.Transport, _Protocol, TLS | None] | None:
        ready = self._ready.get(origin)
        now = asyncio.get_running_loop().time()
        while ready:
            made, transport, protocol, tls = ready.popleft()
            alive = not (protocol.lost or protocol.eof or protocol.chunks)
            if alive and now - made < SPARE_TTL and not transport.is_closing():
                return transport, protocol, tls
            transport.close()
        return None

    def _top_up(self, origin: Origin) -> None:
        ready = self._ready.setdefault(origin, deque())
        if self.spares <= len(ready) or origin in self._filling:
            return
        self._filling.add(origin)
        task = asyncio.get_running_loop().create_task(self._fill(origin), name="preconnect")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fill(self, origin: Origin) -> None:
        tls = self._tls.get(origin)
        transport: asyncio.Transport | None = None
        try:
            transport, protocol = await _connect(origin, SPARE_CONNECT_TIMEOUT)
            self.opened += 1
            if tls is not None:
                transport = await _handshake(transport, protocol, tls, SPARE_CONNECT_TIMEOUT)
        except (httpcore.ConnectError, httpcore.ConnectTimeout):
            return  # the next request connects (and reports the failure) itself
        except BaseException:
            # Cancelled by `close` while connecting or in the handshake: the connection made so
            # far is nobody's, so it is closed here rather than left to the garbage collector.
            if transport is not None:
                transport.close()
            raise
        finally:
            self._filling.discard(origin)
        loop = asyncio.get_running_loop()
        self._ready.setdefault(origin, deque()).append((loop.time(), transport, protocol, tls))
        self._timers[transport] = loop.call_later(SPARE_TTL, self._expire, origin, transport)

    def _expire(self, origin: Origin, transport: asyncio.Transport) -> None:
        """A spare's `SPARE_TTL` is up: close it if unused; replace it while kept warm."""
        self._timers.pop(transport, None)
        ready = self._ready.get(origin, deque())
        for entry in ready:
            if entry[1] is transport:
                ready.remove(entry)
                transport.close()
                break
        if asyncio.get_running_loop().time() < self._warm_until.get(origin, 0.0):
            self._top_up(origin)

    def close(self) -> None:
        """Close the spares (the pools close their own connections)."""
        for task in self._tasks:
            task.cancel()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._warm_until.clear()
        for ready in self._ready.values():
            for _, transport, _, _ in ready:
                transport.close()
        self._ready.clear()

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncNetworkStream:
        connecting = asyncio.get_running_loop().create_unix_connection(_Protocol, path)
        return LeanStream(*await _opened(connecting, timeout, path))

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _handshake(
    transport: asyncio.Transport, protocol: _Protocol, tls: TLS, timeout: float | None
) -> asyncio.Transport:
    """TLS over a connected `transport`; failures as httpcore's connect errors."""
    ssl_context, server_hostname = tls
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            secured = await loop.start_tls(
                transport, protocol, ssl_context, server_hostname=server_hostname
            )
    except TimeoutError:
        transport.close()
        raise httpcore.ConnectTimeout("timed out during the TLS handshake") from None
    except (OSError, ssl.SSLError) as exc:
        transport.close()
        raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
    if secured is None:  # the peer closed the connection during the handshake
        raise httpcore.ConnectError("the connection closed during the TLS handshake")
    protocol.transport = secured
    return secured


async def _connect(origin: Origin, timeout: float | None) -> tuple[asyncio.Transport, _Protocol]:
    host, port, local_address = origin
    local = (local_address, 0) if local_address else None
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"timed out resolving {host}") from None
    except OSError as exc:
        raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
    if len(found) == 1:  # one address: connect to it (the event loop skips a second lookup)
        address = found[0][4]
        connecting = loop.create_connection(
            _Protocol, str(address[0]), int(address[1]), local_addr=local
        )
    else:  # several (IPv6 and IPv4, say): race them, Happy Eyeballs
        connecting = loop.create_connection(
            _Protocol,
            host,
            port,
            local_addr=local,
            happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY,
            interleave=1,  # alternate address families
        )
    transport, protocol = await _opened(connecting, timeout, f"{host}:{port}")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return transport, protocol


async def _opened(
    connecting: Coroutine[Any, Any, tuple[Any, Any]], timeout: float | None, where: str
) -> tuple[asyncio.Transport, _Protocol]:
    """Await a connection, its failures as httpcore's connect errors."""
    try:
        async with asyncio.timeout(timeout):
            transport, protocol = await connecting
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"timed out connecting to {where}") from None
    except OSError as exc:
        raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
    return transport, protocol
