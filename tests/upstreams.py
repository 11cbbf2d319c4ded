"""Byte-faithful Groq and BytePlus ModelArk responses for respx (see shared wire-formats notes)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence

import httpx

GROQ_URL = "https://api.groq.test/openai/v1/chat/completions"
ARK_URL = "https://ark.byteplus.test/api/v3/chat/completions"
GROQ_MODEL = "openai/gpt-oss-20b"
ARK_MODEL = "seed-1-6-250915"

SSE = {"content-type": "text/event-stream"}


def _frame(obj: object) -> bytes:
    return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"


def groq_chunk(delta: dict[str, object], finish: str | None = None, **extra: object) -> bytes:
    chunk: dict[str, object] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1769093744,
        "model": GROQ_MODEL,
        "system_fingerprint": "fp_x",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    chunk.update(extra)
    return _frame(chunk)


def groq_frames(pieces: Sequence[str], *, usage: bool = True) -> list[bytes]:
    """A recorded-shape Groq stream: role chunk, content chunks, finish chunk with usage, [DONE]."""
    frames = [groq_chunk({"role": "assistant", "content": ""}, x_groq={"id": "req_01", "seed": 1})]
    frames += [groq_chunk({"content": piece}) for piece in pieces]
    numbers = {
        "queue_time": 0.09,
        "prompt_tokens": 38,
        "prompt_time": 0.003,
        "completion_tokens": len(pieces),
        "completion_time": 0.027,
        "total_tokens": 38 + len(pieces),
        "total_time": 0.03,
    }
    extra = {"x_groq": {"id": "req_01", "usage": numbers}, "usage": numbers} if usage else {}
    frames.append(groq_chunk({}, "stop", **extra))
    frames.append(b"data: [DONE]\n\n")
    return frames


def ark_chunk(delta: dict[str, object], finish: str | None = None, **extra: object) -> bytes:
    """A ModelArk stream chunk: `role` on every delta, `usage: null`, `service_tier`, no
    `system_fingerprint` or `x_groq` (recorded shape, see the shared wire-formats notes)."""
    choice: dict[str, object] = {"delta": {"role": "assistant", **delta}, "index": 0}
    if finish is not None:
        choice["finish_reason"] = finish
    chunk: dict[str, object] = {
        "choices": [choice],
        "created": 1764682769,
        "id": "0217" + "0" * 20,
        "model": ARK_MODEL,
        "service_tier": "default",
        "object": "chat.completion.chunk",
        "usage": None,
    }
    chunk.update(extra)
    return _frame(chunk)


def ark_frames(
    pieces: Sequence[str], *, finish: str = "stop", usage: bool = True, prompt_tokens: int = 40
) -> list[bytes]:
    """A ModelArk stream: an empty role chunk, content chunks, an empty-content finish chunk, the
    usage chunk (`stream_options.include_usage`: empty `choices`), `[DONE]`."""
    frames = [ark_chunk({"content": "", "reasoning_content": ""})]
    frames += [ark_chunk({"content": piece}) for piece in pieces]
    frames.append(ark_chunk({"content": ""}, finish))
    if usage:
        numbers = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(pieces),
            "total_tokens": prompt_tokens + len(pieces),
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0},
        }
        frames.append(ark_chunk({}, choices=[], usage=numbers))
    frames.append(b"data: [DONE]\n\n")
    return frames


def stream_response(
    frames: Sequence[bytes],
    *,
    delay: float = 0.0,
    then: BaseException | None = None,
    first_delay: float = 0.0,
    log: list[str] | None = None,
) -> Callable[[httpx.Request], httpx.Response]:
    """A respx side effect streaming `frames` (a fresh body per call); optionally fail after."""

    def respond(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            try:
                if first_delay:
                    await asyncio.sleep(first_delay)
                for frame in frames:
                    if delay:
                        await asyncio.sleep(delay)
                    yield frame
                if then is not None:
                    raise then
            except (asyncio.CancelledError, GeneratorExit):
                if log is not None:
                    log.append("fast upstream closed")
                raise

        return httpx.Response(200, headers=SSE, content=body())

    return respond


def ark_completion(text: str, *, prompt_tokens: int = 40, completion_tokens: int = 60) -> dict:
    """A ModelArk non-streamed chat completion body."""
    return {
        "id": "0217" + "0" * 20,
        "object": "chat.completion",
        "created": 1764682769,
        "model": ARK_MODEL,
        "service_tier": "default",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0},
        },
    }


def ark_error(
    status: int, code: str, type_: str, message: str, *, request_id: str | None = "0217x"
) -> httpx.Response:
    """ModelArk's error body; it appends the request id to the message unless `request_id` is
    None."""
    text = message if request_id is None else f"{message} Request id: {request_id}"
    return httpx.Response(
        status, json={"error": {"code": code, "message": text, "param": "", "type": type_}}
    )


def groq_error(status: int, code: str, type_: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, json={"error": {"message": message, "type": type_, "code": code}}, headers=headers
    )


def slow_ark(text: str, delay: float, log: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A respx side effect answering after `delay` seconds, noting a cancellation in `log`."""

    async def respond(request: httpx.Request) -> httpx.Response:
        try:
            await asyncio.sleep(delay)
        except asyncio.CancelledError:
            if log is not None:
                log.append("validator cancelled")
            raise
        return httpx.Response(200, json=ark_completion(text))

    return respond
