"""Byte-faithful Groq and BytePlus ModelArk responses for respx (see shared wire-formats notes)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence

import httpx

from .fakes import wire

GROQ_URL = "https://api.groq.test/openai/v1/chat/completions"
ARK_URL = "https://ark.byteplus.test/api/v3/chat/completions"
GROQ_MODEL = wire.GROQ_MODEL
ARK_MODEL = wire.ARK_MODEL

SSE = wire.SSE_HEADERS


def groq_chunk(delta: dict[str, object], finish: str | None = None, **extra: object) -> bytes:
    """One Groq chunk, framed."""
    return wire.sse_frame(wire.groq_chunk(delta, finish, **extra))


def groq_frames(pieces: Sequence[str], *, usage: bool = True) -> list[bytes]:
    """A recorded-shape Groq stream: role chunk, content chunks, finish chunk with usage, [DONE]."""
    return [*map(wire.sse_frame, wire.groq_stream(pieces, usage=usage)), wire.DONE]


def ark_chunk(delta: dict[str, object], finish: str | None = None, **extra: object) -> bytes:
    """One ModelArk stream chunk, framed."""
    return wire.sse_frame(wire.ark_chunk(delta, finish, **extra))


def ark_frames(
    pieces: Sequence[str], *, finish: str = "stop", usage: bool = True, prompt_tokens: int = 40
) -> list[bytes]:
    """A ModelArk stream: an empty role chunk, content chunks, an empty-content finish chunk, the
    usage chunk (`stream_options.include_usage`: empty `choices`), `[DONE]`."""
    payloads = wire.ark_stream(pieces, finish=finish, usage=usage, prompt_tokens=prompt_tokens)
    return [*map(wire.sse_frame, payloads), wire.DONE]


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
    return wire.ark_completion(
        text, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
    )


def ark_error(
    status: int, code: str, type_: str, message: str, *, request_id: str | None = "0217x"
) -> httpx.Response:
    """ModelArk's error body; it appends the request id to the message unless `request_id` is
    None."""
    return httpx.Response(status, json=wire.ark_error(code, type_, message, request_id=request_id))


def groq_error(status: int, code: str, type_: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=wire.groq_error(message, type_, code), headers=headers)


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
