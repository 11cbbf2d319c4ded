"""Upstream connections at low traffic: six questions 12 s apart, then one after 60 s idle.

Each question sends what a run sends: a streamed request to the fast upstream and a plain one to
the validator's, at the same time, through the service's upstream client
(`consensus/providers/http.py`). The two upstreams are local TLS servers (trustme certificates)
that wait `--handshake-ms` before each TLS handshake (a round trip or two to a provider across the
internet) and answer after `--ttft-ms`. Printed: connections each upstream accepted, the fast
stream's first token per question, the validator's answer time.

Run side by side in one event loop: `now` (the client as built today) and `before` (16 pools used
in turn, 30 s keep-alive expiry, spares kept 10 s and only TCP: the client before issue 17).

    .venv/bin/python -m benchmarks.low_traffic                    # the real waits, ~2.5 minutes
    .venv/bin/python -m benchmarks.low_traffic --time-scale 0.01  # waits and expiries x 0.01
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import ssl
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import trustme

from consensus.providers import http, netio
from consensus.providers.netio import LeanBackend

FRAME = b'data: {"choices":[{"delta":{"content":"kata "}}]}\n\n'
COMPLETION = b'{"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}'


class SlowTLSUpstream:
    """Accepts TCP at once; once the client's TLS hello arrives, waits `handshake` seconds before
    answering it (loopback has no round trips to pay); counts connections."""

    def __init__(self, tls: ssl.SSLContext, *, handshake: float, ttft: float) -> None:
        self.tls, self.handshake, self.ttft = tls, handshake, ttft
        self.connections = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self.transports: list[asyncio.BaseTransport] = []

    def protocol(self) -> asyncio.Protocol:
        """A stream protocol that leaves the ClientHello unread until the handshake starts."""
        reader = asyncio.StreamReader()
        protocol = asyncio.StreamReaderProtocol(reader)
        made = protocol.connection_made

        def connection_made(transport: asyncio.BaseTransport) -> None:
            made(transport)
            transport.pause_reading()  # type: ignore[attr-defined]
            self.connections += 1
            self.transports.append(transport)
            task = asyncio.get_running_loop().create_task(self.serve(transport, protocol, reader))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

        protocol.connection_made = connection_made  # type: ignore[method-assign]
        return protocol

    async def serve(
        self,
        transport: asyncio.BaseTransport,
        protocol: asyncio.StreamReaderProtocol,
        reader: asyncio.StreamReader,
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            # The handshake's round trip starts when the ClientHello arrives (a spare's TCP
            # connection made earlier does not pre-pay it).
            # (A duplicate descriptor: asyncio will not watch the transport's own.)
            fd = os.dup(transport.get_extra_info("socket").fileno())
            hello = loop.create_future()
            loop.add_reader(fd, _arrived, hello)
            try:
                await hello
            finally:
                loop.remove_reader(fd)
                os.close(fd)
            await asyncio.sleep(self.handshake)
            secured = await loop.start_tls(transport, protocol, self.tls, server_side=True)  # type: ignore[arg-type]
            assert secured is not None
            writer = asyncio.StreamWriter(secured, protocol, reader, loop)
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.lower().split(b"\r\n")
                        if line.startswith(b"content-length:")
                    ),
                    0,
                )
                body = await reader.readexactly(length)
                await asyncio.sleep(self.ttft)
                if b'"stream":true' in body:
                    writer.write(
                        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                        b"transfer-encoding: chunked\r\n\r\n"
                    )
                    for frame in (FRAME, FRAME, b"data: [DONE]\n\n"):
                        writer.write(b"%x\r\n%b\r\n" % (len(frame), frame))
                    writer.write(b"0\r\n\r\n")
                else:
                    writer.write(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                        b"content-length: %d\r\n\r\n%b" % (len(COMPLETION), COMPLETION)
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            transport.close()


def _arrived(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def first_token(client: httpx.AsyncClient, url: str) -> float:
    start = time.perf_counter()
    took = 0.0
    async with client.stream("POST", url, content=b'{"stream":true}') as response:
        async for _ in response.aiter_bytes():
            took = took or time.perf_counter() - start
    return took


async def answer(client: httpx.AsyncClient, url: str) -> float:
    start = time.perf_counter()
    response = await client.post(url, content=b'{"stream":false}')
    response.raise_for_status()
    return time.perf_counter() - start


def client_now(tls: ssl.SSLContext) -> tuple[Callable[[], httpx.AsyncClient], LeanBackend]:
    lean = LeanBackend()
    client = http.build_sharded_client(tls=tls, lean=lean)
    return (lambda: client), lean


def client_before(tls: ssl.SSLContext, scale: float) -> tuple[Callable[[], httpx.AsyncClient], Any]:
    lean = BeforeBackend(scale)
    limits = httpx.Limits(
        max_connections=256, max_keepalive_connections=32, keepalive_expiry=30 * scale
    )
    clients = [http.build_client(tls=tls, lean=lean, limits=limits) for _ in range(16)]
    turn = itertools.cycle(clients)
    return (lambda: next(turn)), lean


class BeforeBackend(LeanBackend):
    """The lean backend as it was: spares kept 10 s, TCP only, never kept warm."""

    def __init__(self, scale: float) -> None:
        super().__init__()
        self.scale = scale

    def learn_tls(self, origin: netio.Origin, tls: netio.TLS) -> None:
        pass

    def keep_warm(self, host: str, port: int, *, until: float) -> None:
        pass


async def scenario(
    name: str,
    get: Callable[[], httpx.AsyncClient],
    upstreams: dict[str, SlowTLSUpstream],
    urls: dict[str, str],
    *,
    gaps: list[float],
) -> dict[str, Any]:
    fast, slow = [], []
    after_six: dict[str, int] = {}
    for number, gap in enumerate(gaps, 1):
        await asyncio.sleep(gap)
        ttft, took = await asyncio.gather(
            first_token(get(), urls["fast"]), answer(get(), urls["validator"])
        )
        fast.append(ttft)
        slow.append(took)
        if number == 6:
            after_six = {role: upstream.connections for role, upstream in upstreams.items()}
    return {
        "connections_after_six": after_six,
        "client": name,
        "connections": {role: upstream.connections for role, upstream in upstreams.items()},
        "fast_first_token_ms": [round(t * 1000, 1) for t in fast],
        "validator_answer_ms": [round(t * 1000, 1) for t in slow],
    }


async def main(args: argparse.Namespace) -> None:
    scale = args.time_scale
    # Expiries scale with the waits, so a short run exercises the same timeline.
    http.WARM_AFTER *= scale
    http.WARM_FOR *= scale
    netio.SPARE_TTL *= scale
    http._LIMITS = httpx.Limits(
        max_connections=256,
        max_keepalive_connections=32,
        keepalive_expiry=http.KEEPALIVE_EXPIRY * scale,
    )
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    gaps = [0.0] + [args.gap * scale] * 5 + [args.idle * scale]
    servers, runs = [], []
    for name in args.clients:
        upstreams, urls = {}, {}
        for role in ("fast", "validator"):
            upstream = SlowTLSUpstream(
                server_tls, handshake=args.handshake_ms / 1000, ttft=args.ttft_ms / 1000
            )
            server = await asyncio.get_running_loop().create_server(
                upstream.protocol, "127.0.0.1", 0
            )
            servers.append(server)
            upstreams[role] = upstream
            urls[role] = (
                f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/chat/completions"
            )
        get, _ = client_now(client_tls) if name == "now" else client_before(client_tls, scale)
        runs.append(scenario(name, get, upstreams, urls, gaps=gaps))
    load = os.getloadavg()[0]
    results = await asyncio.gather(*runs)
    for server in servers:
        server.close()
    print(
        f"six questions {args.gap * scale:g} s apart, then one after {args.idle * scale:g} s idle;"
        f" TLS handshake +{args.handshake_ms:g} ms, first token after {args.ttft_ms:g} ms;"
        f" load average {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    for result in results:
        fast = result["fast_first_token_ms"]
        print(
            f"{result['client']:>6}: connections after six questions"
            f" fast {result['connections_after_six']['fast']},"
            f" validator {result['connections_after_six']['validator']}, after the 7th"
            f" {result['connections']['fast']}, {result['connections']['validator']};"
            f" first token ms {fast} (median of 2-6 {statistics.median(fast[1:6]):.1f},"
            f" after idle {fast[6]:.1f}); validator ms {result['validator_answer_ms']}"
        )
    if args.json:
        Path(args.json).write_text(  # noqa: ASYNC240 (the run is over)
            json.dumps({"args": vars(args), "load": load, "results": results}, indent=1)
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--gap", type=float, default=12.0, help="seconds between questions")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds before the last one")
    parser.add_argument("--handshake-ms", type=float, default=80.0)
    parser.add_argument("--ttft-ms", type=float, default=50.0)
    parser.add_argument("--json", help="write the results here")
    parser.add_argument(
        "--clients", nargs="+", choices=("now", "before"), default=["now", "before"]
    )
    asyncio.run(main(parser.parse_args()))
