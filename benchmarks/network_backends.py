"""The socket backends behind CONSENSUS_NETWORK_BACKEND, one stream at a time: time to the
first SSE event and per relayed event, against a loopback upstream that sends 64 events.

    .venv/bin/python -m benchmarks.network_backends [--streams 300] [--uvloop]
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import statistics
import time

from consensus.providers.http import NETWORK_BACKENDS, build_client
from consensus.providers.netio import LeanBackend
from consensus.providers.sse_decoder import aiter_sse

EVENTS = 64
FRAME = b'data: {"choices":[{"delta":{"content":"kata "}}]}\n\n'


async def upstream(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                b"transfer-encoding: chunked\r\n\r\n"
            )
            for _ in range(EVENTS):  # one event per write, as a model streams tokens
                writer.write(b"%x\r\n%b\r\n" % (len(FRAME), FRAME))
                await writer.drain()
                await asyncio.sleep(0)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def measure(backend: str, url: str, streams: int) -> tuple[list[float], list[float]]:
    lean = LeanBackend(spares=0) if backend == "lean" else None
    first: list[float] = []
    per_event: list[float] = []
    async with build_client(tls=ssl.create_default_context(), lean=lean) as client:
        for i in range(streams + 20):  # the first 20 warm up
            started = time.perf_counter()
            seen, first_at = 0, 0.0
            async with client.stream("POST", url, content=b"{}") as response:
                async for group in aiter_sse(response.aiter_raw()):
                    if not seen:
                        first_at = time.perf_counter()
                    seen += len(group)
            ended = time.perf_counter()
            if i >= 20:
                first.append((first_at - started) * 1e3)
                per_event.append((ended - first_at) * 1e6 / max(seen - 1, 1))
    return first, per_event


async def main(streams: int) -> None:
    server = await asyncio.start_server(upstream, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/chat/completions"
    for backend in NETWORK_BACKENDS:
        first, per_event = await measure(backend, url, streams)
        print(
            f"{backend:6} first event median {statistics.median(first):.3f} ms "
            f"p95 {statistics.quantiles(first, n=20)[18]:.3f} ms; "
            f"per event median {statistics.median(per_event):.1f} us"
        )
    server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument("--uvloop", action="store_true")
    args = parser.parse_args()
    if args.uvloop:
        import uvloop

        uvloop.install()
    asyncio.run(main(args.streams))
