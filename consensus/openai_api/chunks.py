"""OpenAI's wire shapes: `chat.completion.chunk` SSE frames, one `chat.completion`, the model list.

A response's id, creation time and model are the same on every chunk, so the bytes before a
token's text are built once per response; a token costs one `orjson.dumps` of its text.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from . import MODELS

DONE = b"data: [DONE]\n\n"
HEARTBEAT = b": keep-alive\n\n"
MODELS_CREATED = 1767225600  # 2026-01-01: when these model names appeared
OWNER = "streaming-consensus"


def completion_id(run_id: str) -> str:
    return f"chatcmpl-{run_id}"


def model_object(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": MODELS_CREATED, "owned_by": OWNER}


def model_list() -> dict[str, Any]:
    return {"object": "list", "data": [model_object(name) for name in MODELS]}


def _frame(payload: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"


class ChunkFramer:
    """The SSE frames of one streamed chat completion."""

    def __init__(self, run_id: str, model: str, *, include_usage: bool) -> None:
        self.base = {
            "id": completion_id(run_id),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
        }
        self.include_usage = include_usage
        head = orjson.dumps(self.base)[:-1]  # without the closing brace
        if include_usage:
            head += b',"usage":null'
        self._head = b"data: " + head + b',"choices":[{"index":0,"delta":{"content":'
        self._tail = b'},"logprobs":null,"finish_reason":null}]}\n\n'

    def content(self, text: str) -> bytes:
        """A chunk adding `text` to the answer (the hot path)."""
        return self._head + orjson.dumps(text) + self._tail

    def role(self) -> bytes:
        """The first chunk: the assistant's role, no text yet (as OpenAI sends it)."""
        return self._choice({"role": "assistant", "content": ""}, None)

    def finish(self, consensus: dict[str, Any]) -> bytes:
        """The last chunk with a choice: `finish_reason` "stop" and the `consensus` object."""
        return self._choice({}, "stop", consensus=consensus)

    def usage(self, usage: dict[str, int], consensus: dict[str, Any]) -> bytes:
        """With `stream_options.include_usage`: the extra chunk before `[DONE]`, no choices."""
        return _frame({**self.base, "choices": [], "usage": usage, "consensus": consensus})

    def _choice(self, delta: dict[str, Any], finish: str | None, **extra: Any) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        payload = {**self.base, "choices": [choice], **extra}
        if self.include_usage:
            payload["usage"] = None
        return _frame(payload)


def error_frame(status: int, code: str, message: str) -> bytes:
    """An error after the stream began: the OpenAI SDK raises `APIError` on a `data:` payload
    with an `error` key."""
    kind = "server_error" if status >= 500 else "invalid_request_error"
    return _frame({"error": {"message": message, "type": kind, "param": None, "code": code}})


def completion(
    run_id: str, model: str, text: str, usage: dict[str, int], consensus: dict[str, Any]
) -> dict[str, Any]:
    """A whole (non-streamed) chat completion."""
    return {
        "id": completion_id(run_id),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": usage,
        "consensus": consensus,
    }
