"""CPU per streamed upstream chunk: what reading a model's stream costs the worker.

Starts the bench's fake upstream (`fake_upstream.py`), then reads N concurrent streams of T
chunks from it, in this process, through the app's own HTTP client (`providers.http.get_client`,
the lean socket backend) and reports `time.process_time()` per chunk:

- `provider`: `OpenAICompatibleProvider.stream` (httpx, httpcore, h11, our SSE decoder and chunk
  parsing): what the fast stream and the streaming validator cost per token;
- `raw`: `response.aiter_raw()` only (the HTTP stack without SSE and JSON);
- `socket`: the same requests over a bare `asyncio.Protocol` that only looks for the body's end:
  the floor (event loop and kernel) that no HTTP client goes below.

`--stack` picks the client: `lean` (the default: lean sockets and the lean HTTP/1.1 connection of
`providers/http11.py`), `h11` (lean sockets, httpcore's own h11 connection: the stack before
`http11.py`) or `anyio` (`CONSENSUS_NETWORK_BACKEND=anyio`: httpcore's sockets and connection).

With `--tokens 1` the result is the cost of one request (connection, headers). `--gc worker`
applies the worker's garbage-collection policy first (`runtime/gcpolicy.py`: start-up objects
frozen, no automatic full collection); without it one full collection (tens of ms here, with
Django loaded) lands in some runs and not others, which swamps the cost of 50 requests. `PACE=0.1`
sleeps after every chunk that needed a socket read, so that chunks pile up and are read in
batches (the provider mode): what batching the validator's reads would save. `PROFILE=file`
writes cProfile's stats of the measured part (not start-up) to `file`.

Run: `.venv/bin/python benchmarks/chunk_cost.py provider --streams 100 --tokens 400 [--stack h11]`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
import orjson  # noqa: E402

from consensus.providers.base import ChatRequest, Message, StreamOutcome  # noqa: E402
from consensus.providers.http import (  # noqa: E402
    SHARDS,
    LeanTransport,
    ShardedTransport,
    get_client,
)
from consensus.providers.netio import LeanBackend  # noqa: E402
from consensus.providers.openai_compatible import OpenAICompatibleProvider  # noqa: E402
from consensus.runtime import gcpolicy  # noqa: E402

PACE = float(os.environ.get("PACE", "0"))
PROFILE = os.environ.get("PROFILE", "")  # a file for cProfile's stats of the measured part


def h11_client() -> httpx.AsyncClient:
    """The process's client as it was before `http11.py`: httpcore's h11 connection."""
    lean = LeanBackend()
    tls = ssl.create_default_context()
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=32, keepalive_expiry=50)
    pools: list[httpx.AsyncBaseTransport] = [
        LeanTransport(tls=tls, limits=limits, backend=lean, lean_http11=False)
        for _ in range(SHARDS)
    ]
    return httpx.AsyncClient(timeout=30, transport=ShardedTransport(pools, lean=lean))


class _Bare(asyncio.Protocol):
    """Reads one chunked response and notes its end; nothing else (the `socket` floor)."""

    def __init__(self, request: bytes, done: asyncio.Future[int]) -> None:
        self.request = request
        self.done = done
        self.reads = 0
        self.tail = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.reads += 1
        self.tail = (self.tail + data)[-5:]
        if self.tail == b"0\r\n\r\n" and not self.done.done():
            self.done.set_result(self.reads)


async def bare(port: int, body: bytes) -> int:
    loop = asyncio.get_running_loop()
    done: asyncio.Future[int] = loop.create_future()
    request = (
        b"POST /ark/v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n"
        b"content-type: application/json\r\ncontent-length: %d\r\n\r\n%b" % (len(body), body)
    )
    transport, _ = await loop.create_connection(lambda: _Bare(request, done), "127.0.0.1", port)
    try:
        return await done
    finally:
        transport.close()


async def measure(port: int, mode: str, streams: int, tokens: int, stack: str) -> None:
    base = f"http://127.0.0.1:{port}/ark/v1"
    async with httpx.AsyncClient() as control:
        await control.post(
            f"http://127.0.0.1:{port}/_config",
            json={"ark": {"ttft": 0.05, "tokens": tokens, "tps": 200}},
        )
    client = h11_client() if stack == "h11" else get_client("anyio" if stack == "anyio" else "lean")
    provider = OpenAICompatibleProvider(
        name="bench", base_url=base, model="m", api_key="k", client=lambda: client
    )
    request = ChatRequest(messages=(Message("user", "q"),))
    body = orjson.dumps(
        {"model": "m", "stream": True, "messages": [{"role": "user", "content": "q"}]}
    )

    async def one() -> int:
        count = 0
        if mode == "socket":
            return await bare(port, body)
        if mode == "provider":
            resumed = 0.0
            async for _ in provider.stream(request, StreamOutcome()):
                count += 1
                if PACE and time.perf_counter() - resumed > 0.001:
                    await asyncio.sleep(PACE)
                    resumed = time.perf_counter()
            return count
        async with client.stream("POST", f"{base}/chat/completions", content=body) as response:
            async for _ in response.aiter_raw():
                count += 1
        return count

    await asyncio.gather(*(one() for _ in range(10)))  # warm: connections, imports
    profile = cProfile.Profile() if PROFILE else None
    if profile is not None:
        profile.enable()
    started = time.process_time()
    reads = await asyncio.gather(*(one() for _ in range(streams)))
    cpu = time.process_time() - started
    if profile is not None:
        profile.disable()
        profile.dump_stats(PROFILE)
    per_chunk = cpu * 1e6 / (streams * tokens)
    print(
        f"{mode:<9} {stack:<5} {streams} streams x {tokens} chunks: {per_chunk:.1f} us "
        f"CPU per chunk ({cpu * 1e3 / streams:.2f} ms per stream; {sum(reads) / streams:.0f} "
        f"{'pieces' if mode == 'provider' else 'reads'} per stream)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("provider", "raw", "socket"))
    parser.add_argument("--stack", choices=("lean", "h11", "anyio"), default="lean")
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--tokens", type=int, default=400)
    parser.add_argument("--gc", choices=("default", "worker"), default="default")
    args = parser.parse_args()
    if args.gc == "worker":
        gcpolicy.install()
    fake = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "fake_upstream.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert fake.stdout is not None
        port = int(fake.stdout.readline().split()[1])
        try:
            import uvloop

            uvloop.run(measure(port, args.mode, args.streams, args.tokens, args.stack))
        except ImportError:
            asyncio.run(measure(port, args.mode, args.streams, args.tokens, args.stack))
    finally:
        fake.kill()


if __name__ == "__main__":
    main()
