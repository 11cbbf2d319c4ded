"""Time to the verdict for a long validator answer: the streaming validator (issue 17, target 4).

A local fake upstream on loopback serves both roles over plain HTTP/1.1: the fast model (Groq
frames, first token after 0.2 s, 60 tokens at 500/s) and the validator (ModelArk frames, first
token after `--first-token` s, then `--tokens` tokens at `--tps`; asked without streaming, it sends
the whole JSON answer when the last token would have been generated). The engine runs as built,
with the default limits (validator timeout 10 s, cap 60 s, run 60 s), its providers built by
`consensus.upstreams.build_provider` exactly as the service builds them.

- `before`: the validator asked with `stream: false` (as before this change): one piece when the
  whole answer is done, so its silence is its whole time (the old rule: 10 s after the fast answer);
- `after`: the validator asked with `stream: true`, as built.

Per mode two runs: `verdict` (the fast model answers; printed: the event that ends the
validator's part, and when) and `fallback` (the fast model answers HTTP 400; printed: the first
token's time). `--time-scale` scales every wait, rate and limit; times are printed unscaled.

    .venv/bin/python -m benchmarks.streaming_validator                    # ~50 s
    .venv/bin/python -m benchmarks.streaming_validator --time-scale 0.1   # waits and limits x 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")

import django

django.setup()

from consensus import events as ev  # noqa: E402
from consensus.conf import ProviderSettings  # noqa: E402
from consensus.deadline import Limits  # noqa: E402
from consensus.engine import ConsensusEngine  # noqa: E402
from consensus.providers.base import ChatRequest, StreamOutcome  # noqa: E402
from consensus.providers.http import close_client  # noqa: E402
from consensus.providers.openai_compatible import OpenAICompatibleProvider  # noqa: E402
from consensus.record import RunRecord  # noqa: E402
from consensus.upstreams import build_provider  # noqa: E402

TICK = 0.005  # tokens due within one tick go out in one write, as a real server batches them


def _frame(chunk: dict[str, Any]) -> bytes:
    data = b"data: " + json.dumps(chunk).encode() + b"\n\n"
    return b"%x\r\n%b\r\n" % (len(data), data)


def groq_chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
    return _frame({"object": "chat.completion.chunk", "choices": [choice], **extra})


def ark_chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
    choice: dict[str, Any] = {"delta": {"role": "assistant", **delta}, "index": 0}
    if finish:
        choice["finish_reason"] = finish
    chunk = {"choices": [choice], "model": "seed-1-6-250915", "service_tier": "default"}
    return _frame({**chunk, "object": "chat.completion.chunk", "usage": None, **extra})


def word(n: int) -> str:
    return f" kata{n % 40}"


class FakeUpstream:
    """`/groq/...` and `/ark/...` chat completions; `fast_status` 400 makes the fast model fail."""

    def __init__(self, *, first: float, tokens: int, tps: float, scale: float) -> None:
        self.first, self.tokens, self.tps, self.scale = first, tokens, tps, scale
        self.fast_status = 200
        self.writers: set[asyncio.StreamWriter] = set()  # closed at the end: no task left waiting

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            length = next(
                int(line.split(":")[1]) for line in lines if line.lower().startswith("content-len")
            )
            body = json.loads(await reader.readexactly(length))
            path = lines[0].split(" ")[1]
            if path.startswith("/groq/"):
                await self._fast(writer)
            elif body.get("stream"):
                await self._ark_stream(writer)
            else:
                await self._ark_json(writer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def _fast(self, writer: asyncio.StreamWriter) -> None:
        if self.fast_status != 200:
            error = json.dumps({"error": {"message": "Bad request.", "type": "invalid"}}).encode()
            writer.write(_head("400 Bad Request", "application/json", len(error)) + error)
            return
        writer.write(_head("200 OK", "text/event-stream"))
        await asyncio.sleep(0.2 * self.scale)
        writer.write(groq_chunk({"role": "assistant", "content": ""}))
        for n in range(60):
            writer.write(groq_chunk({"content": word(n)}))
            await asyncio.sleep(self.scale / 500)
        usage = {"prompt_tokens": 38, "completion_tokens": 60, "total_tokens": 98}
        writer.write(groq_chunk({}, "stop", usage=usage) + _frame_done())

    async def _ark_stream(self, writer: asyncio.StreamWriter) -> None:
        writer.write(_head("200 OK", "text/event-stream"))
        loop = asyncio.get_running_loop()
        await asyncio.sleep(self.first)
        started, sent = loop.time(), 0
        writer.write(ark_chunk({"content": "", "reasoning_content": ""}))
        while sent < self.tokens:
            due = min(self.tokens, 1 + int((loop.time() - started + TICK) * self.tps))
            writer.write(b"".join(ark_chunk({"content": word(n)}) for n in range(sent, due)))
            await writer.drain()
            sent = due
            await asyncio.sleep(max(0.0, started + sent / self.tps - loop.time()))
        usage = {"prompt_tokens": 40, "completion_tokens": self.tokens}
        usage["total_tokens"] = 40 + self.tokens
        writer.write(ark_chunk({"content": ""}, "stop"))
        writer.write(ark_chunk({}, choices=[], usage=usage) + _frame_done())

    async def _ark_json(self, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(self.first + self.tokens / self.tps)
        text = "".join(word(n) for n in range(self.tokens))
        message = {"role": "assistant", "content": text}
        usage = {"prompt_tokens": 40, "completion_tokens": self.tokens}
        body = json.dumps(
            {
                "object": "chat.completion",
                "model": "seed-1-6-250915",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {**usage, "total_tokens": 40 + self.tokens},
            }
        ).encode()
        writer.write(_head("200 OK", "application/json", len(body)) + body)


def _head(status: str, content_type: str, length: int | None = None) -> bytes:
    framing = "transfer-encoding: chunked" if length is None else f"content-length: {length}"
    head = f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\n{framing}\r\n"
    return (head + "connection: close\r\n\r\n").encode()


def _frame_done() -> bytes:
    data = b"data: [DONE]\n\n"
    return b"%x\r\n%b\r\n0\r\n\r\n" % (len(data), data)


class NonStreamingValidator:
    """The validator as it was asked before: `stream: false`, the whole answer as one piece."""

    def __init__(self, inner: OpenAICompatibleProvider) -> None:
        self.inner, self.name, self.model = inner, inner.name, inner.model

    async def stream(self, request: ChatRequest, outcome: StreamOutcome) -> AsyncIterator[str]:
        completion = await self.inner.complete(request)
        outcome.usage, outcome.finish_reason = completion.usage, completion.finish_reason
        yield completion.text

    async def complete(self, request: ChatRequest) -> Any:
        return await self.inner.complete(request)


async def one_run(port: int, mode: str, limits: Limits) -> tuple[str, float | None, float]:
    """(how the validator's part ended, first token's time, that event's time) for one run."""

    def settings(preset: str, role: str, model: str) -> ProviderSettings:
        return ProviderSettings(preset, "key", f"http://127.0.0.1:{port}/{role}/v1", model)

    fast = build_provider(settings("groq", "groq", "openai/gpt-oss-20b"), stall_timeout=5.0)
    validator: Any = build_provider(settings("byteplus", "ark", "seed-1-6-250915"))
    if mode == "before":
        validator = NonStreamingValidator(validator)
    engine = ConsensusEngine(fast=fast, validator=validator, limits=limits)
    record = RunRecord(prompt="Apa syarat sah perjanjian?")
    first: float | None = None
    ended, at = "none", 0.0
    async for event in engine.run(record):
        now = record.elapsed()
        if isinstance(event, ev.Token) and first is None:
            first = now
        if event.type in ("byteplus_complete", "byteplus_timeout", "byteplus_error"):
            ended, at = event.type, now
        if event.type in ("complete", "error") and ended == "none":
            ended, at = f"{event.type} ({record.status})", now
    return ended, first, at


async def main(args: argparse.Namespace) -> None:
    scale = args.time_scale
    upstream = FakeUpstream(
        first=args.first_token * scale, tokens=args.tokens, tps=args.tps / scale, scale=scale
    )
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    base = Limits()
    limits = replace(
        base,
        validator_timeout=base.validator_timeout * scale,
        validator_max=base.validator_max * scale,
        validator_grace=base.validator_grace * scale,
        first_token_timeout=base.first_token_timeout * scale,
        run_timeout=base.run_timeout * scale,
    )
    answer = args.tokens / args.tps
    print(
        f"validator: first token after {args.first_token:g} s, {args.tokens} tokens at "
        f"{args.tps:g}/s ({answer:g} s), validator timeout {base.validator_timeout:g} s, cap "
        f"{base.validator_max:g} s; times x{scale:g}, shown unscaled"
    )
    print(f"{'mode':<8} {'run':<9} {'validator part ended by':<30} {'at':>8} {'first token':>12}")
    async with server:
        for mode in ("before", "after"):
            for run in ("verdict", "fallback"):
                upstream.fast_status = 200 if run == "verdict" else 400
                started = time.perf_counter()
                ended, first, at = await one_run(port, mode, limits)
                assert time.perf_counter() - started < 120 * scale + 5
                first_s = "-" if first is None else f"{first / scale:.2f} s"
                print(f"{mode:<8} {run:<9} {ended:<30} {at / scale:>6.2f} s {first_s:>12}")
        await close_client()
        for writer in list(upstream.writers):
            writer.close()
        await asyncio.sleep(0.1)  # the handlers see their connections closed and return


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-token", type=float, default=8.0, help="validator, seconds")
    parser.add_argument("--tokens", type=int, default=600)
    parser.add_argument("--tps", type=float, default=200.0)
    parser.add_argument("--time-scale", type=float, default=1.0)
    asyncio.run(main(parser.parse_args()))
