"""The upstream wire format, written once: Groq and BytePlus ModelArk payloads and their SSE frames.

Shapes follow the recorded vendor streams in the shared wire-formats notes (Groq: `x_groq` on the
role and finish chunks, usage with timings on the finish chunk; ModelArk: `role` on every delta,
`usage: null`, `service_tier`, an empty-content finish chunk, the usage chunk with empty `choices`).
Builders return plain dicts; `sse_frame` and `json_bytes` encode them as the vendors do (one compact
JSON document per `data:` line). Every fake uses this module: the respx side effects
(`tests/upstreams.py`), the threaded HTTP fake (`tests/fakes/upstream_server.py`) and the
benchmark's asyncio server (`benchmarks/fake_upstream.py`, which renders its frames once).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

Payload = dict[str, Any]

GROQ_MODEL = "openai/gpt-oss-20b"
ARK_MODEL = "seed-1-6-250915"
GROQ_ID = "chatcmpl-1"
GROQ_REQUEST_ID = "req_01"
GROQ_CREATED = 1769093744
ARK_ID = "0217" + "0" * 20
ARK_CREATED = 1764682769
GROQ_PROMPT_TOKENS = 38
ARK_PROMPT_TOKENS = 40

SSE_HEADERS = {"content-type": "text/event-stream"}
DONE = b"data: [DONE]\n\n"


def json_bytes(payload: object) -> bytes:
    """Compact JSON, UTF-8 (not `\\u` escapes), as both vendors send it."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def sse_frame(payload: object) -> bytes:
    """One `data:` frame."""
    return b"data: " + json_bytes(payload) + b"\n\n"


# --- Usage ---------------------------------------------------------------------------------------


def groq_usage(completion_tokens: int, prompt_tokens: int = GROQ_PROMPT_TOKENS) -> Payload:
    """Groq's usage object, with its timings."""
    return {
        "queue_time": 0.09,
        "prompt_tokens": prompt_tokens,
        "prompt_time": 0.003,
        "completion_tokens": completion_tokens,
        "completion_time": 0.027,
        "total_tokens": prompt_tokens + completion_tokens,
        "total_time": 0.03,
    }


def ark_usage(completion_tokens: int, prompt_tokens: int = ARK_PROMPT_TOKENS) -> Payload:
    """ModelArk's usage object, with the token details."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


# --- Groq ----------------------------------------------------------------------------------------


def groq_chunk(
    delta: Payload, finish: str | None = None, *, model: str = GROQ_MODEL, **extra: Any
) -> Payload:
    """A Groq `chat.completion.chunk`; `extra` adds or replaces top-level keys."""
    chunk: Payload = {
        "id": GROQ_ID,
        "object": "chat.completion.chunk",
        "created": GROQ_CREATED,
        "model": model,
        "system_fingerprint": "fp_x",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    chunk.update(extra)
    return chunk


def groq_role_chunk(*, model: str = GROQ_MODEL) -> Payload:
    """The first chunk: the role, empty content, `x_groq.id`."""
    return groq_chunk(
        {"role": "assistant", "content": ""},
        model=model,
        x_groq={"id": GROQ_REQUEST_ID, "seed": 1},
    )


def groq_finish_chunk(
    completion_tokens: int,
    finish: str = "stop",
    *,
    usage: bool = True,
    prompt_tokens: int = GROQ_PROMPT_TOKENS,
    model: str = GROQ_MODEL,
) -> Payload:
    """The last chunk: an empty delta, the finish reason, usage top-level and in `x_groq`."""
    if not usage:
        return groq_chunk({}, finish, model=model)
    numbers = groq_usage(completion_tokens, prompt_tokens)
    return groq_chunk(
        {}, finish, model=model, x_groq={"id": GROQ_REQUEST_ID, "usage": numbers}, usage=numbers
    )


def groq_stream(
    pieces: Sequence[str], *, usage: bool = True, model: str = GROQ_MODEL
) -> list[Payload]:
    """A whole Groq stream's payloads (role, content, finish); `DONE` follows them on the wire."""
    return [
        groq_role_chunk(model=model),
        *(groq_chunk({"content": piece}, model=model) for piece in pieces),
        groq_finish_chunk(len(pieces), usage=usage, model=model),
    ]


def groq_completion(
    text: str,
    *,
    prompt_tokens: int = GROQ_PROMPT_TOKENS,
    completion_tokens: int = 0,
    finish: str = "stop",
    model: str = GROQ_MODEL,
) -> Payload:
    """A Groq non-streamed `chat.completion`."""
    return {
        "id": GROQ_ID,
        "object": "chat.completion",
        "created": GROQ_CREATED,
        "model": model,
        "system_fingerprint": "fp_x",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "logprobs": None,
                "finish_reason": finish,
            }
        ],
        "usage": groq_usage(completion_tokens, prompt_tokens),
        "x_groq": {"id": GROQ_REQUEST_ID},
    }


def groq_error(message: str, type_: str, code: str) -> Payload:
    """Groq's error body: the kind in `type` and `code`."""
    return {"error": {"message": message, "type": type_, "code": code}}


def stream_error(message: str) -> Payload:
    """An error sent as a `data:` payload after HTTP 200 (Groq's "over capacity" mid-stream)."""
    return {"error": {"message": message, "type": "internal_server_error"}}


# --- BytePlus ModelArk ---------------------------------------------------------------------------


def ark_chunk(
    delta: Payload, finish: str | None = None, *, model: str = ARK_MODEL, **extra: Any
) -> Payload:
    """A ModelArk chunk: `role` on every delta, no finish key until the end, `usage: null`."""
    choice: Payload = {"delta": {**delta, "role": "assistant"}, "index": 0}
    if finish is not None:
        choice["finish_reason"] = finish
    chunk: Payload = {
        "choices": [choice],
        "created": ARK_CREATED,
        "id": ARK_ID,
        "model": model,
        "service_tier": "default",
        "object": "chat.completion.chunk",
        "usage": None,
    }
    chunk.update(extra)
    return chunk


def ark_role_chunk(*, model: str = ARK_MODEL) -> Payload:
    return ark_chunk({"content": "", "reasoning_content": ""}, model=model)


def ark_finish_chunk(finish: str = "stop", *, model: str = ARK_MODEL) -> Payload:
    return ark_chunk({"content": ""}, finish, model=model)


def ark_usage_chunk(
    completion_tokens: int, prompt_tokens: int = ARK_PROMPT_TOKENS, *, model: str = ARK_MODEL
) -> Payload:
    """The `include_usage` chunk: empty `choices`, the full usage."""
    return ark_chunk({}, model=model, choices=[], usage=ark_usage(completion_tokens, prompt_tokens))


def ark_stream(
    pieces: Sequence[str],
    *,
    finish: str = "stop",
    usage: bool = True,
    prompt_tokens: int = ARK_PROMPT_TOKENS,
    model: str = ARK_MODEL,
) -> list[Payload]:
    """A whole ModelArk stream's payloads; `DONE` follows them on the wire."""
    payloads = [
        ark_role_chunk(model=model),
        *(ark_chunk({"content": piece}, model=model) for piece in pieces),
        ark_finish_chunk(finish, model=model),
    ]
    if usage:
        payloads.append(ark_usage_chunk(len(pieces), prompt_tokens, model=model))
    return payloads


def ark_completion(
    text: str,
    *,
    prompt_tokens: int = ARK_PROMPT_TOKENS,
    completion_tokens: int = 60,
    finish: str = "stop",
    model: str = ARK_MODEL,
) -> Payload:
    """A ModelArk non-streamed `chat.completion`."""
    return {
        "id": ARK_ID,
        "object": "chat.completion",
        "created": ARK_CREATED,
        "model": model,
        "service_tier": "default",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
        "usage": ark_usage(completion_tokens, prompt_tokens),
    }


def ark_error(code: str, type_: str, message: str, *, request_id: str | None = "0217x") -> Payload:
    """ModelArk's error body; it appends the request id to the message unless it is None."""
    text = message if request_id is None else f"{message} Request id: {request_id}"
    return {"error": {"code": code, "message": text, "param": "", "type": type_}}
