"""CPU per streamed upstream chunk: what reading a model's stream costs the worker.

Starts the bench's fake upstream (`fake_upstream.py`), then reads N concurrent streams of T
chunks from it, in this process, through the app's own HTTP client (`providers.http.get_client`,
the lean socket backend) and reports `time.process_time()` per chunk:

- `provider`: `OpenAICompatibleProvider.stream` (httpx, httpcore, h11, our SSE decoder and chunk
  parsing): what the fast stream and the streaming validator cost per token;
- `raw`: `response.aiter_raw()` only (the HTTP stack without SSE and JSON).

With `--tokens 1` the result is the cost of one request (connection, headers). `PACE=0.1`
sleeps after every chunk that needed a socket read, so that chunks pile up and are read in
batches (the provider mode): what batching the validator's reads would save.

Run: `.venv/bin/python benchmarks/chunk_cost.py provider --streams 100 --tokens 400`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
from consensus.providers.http import get_client  # noqa: E402
from consensus.providers.openai_compatible import OpenAICompatibleProvider  # noqa: E402

PACE = float(os.environ.get("PACE", "0"))


async def measure(port: int, mode: str, streams: int, tokens: int) -> None:
    base = f"http://127.0.0.1:{port}/ark/v1"
    async with httpx.AsyncClient() as control:
        await control.post(
            f"http://127.0.0.1:{port}/_config",
            json={"ark": {"ttft": 0.05, "tokens": tokens, "tps": 200}},
        )
    provider = OpenAICompatibleProvider(name="bench", base_url=base, model="m", api_key="k")
    client = get_client()
    request = ChatRequest(messages=(Message("user", "q"),))
    body = orjson.dumps(
        {"model": "m", "stream": True, "messages": [{"role": "user", "content": "q"}]}
    )

    async def one() -> int:
        count = 0
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
    started = time.process_time()
    reads = await asyncio.gather(*(one() for _ in range(streams)))
    cpu = time.process_time() - started
    print(
        f"{mode:<9} {streams} streams x {tokens} chunks: {cpu * 1e6 / (streams * tokens):.1f} us "
        f"CPU per chunk ({cpu * 1e3 / streams:.2f} ms per stream; {sum(reads) / streams:.0f} "
        f"{'pieces' if mode == 'provider' else 'reads'} per stream)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("provider", "raw"))
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--tokens", type=int, default=400)
    args = parser.parse_args()
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

            uvloop.run(measure(port, args.mode, args.streams, args.tokens))
        except ImportError:
            asyncio.run(measure(port, args.mode, args.streams, args.tokens))
    finally:
        fake.kill()


if __name__ == "__main__":
    main()
