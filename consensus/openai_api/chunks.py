"""OpenAI's wire shapes: `chat.completion.chunk` SSE frames, one `chat.completion`, the model list.

A response's id, creation time and model are the same on every chunk, so the bytes around a
token's text are built once per response and the text is spliced in as the hub encoded it.
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
    """The SSE frames of one streamed chat completion.

    Every chunk of a response starts with the same id, creation time and model, so each frame is
    pre-rendered bytes around what changes: a token costs two concatenations around its text as
    the hub encoded it (`content_literal`), the last chunk one `orjson.dumps` of the `consensus`
    object. The key order is the one the dict-built chunks had (tests/test_openai_wire.py):
    content chunks put `usage` before `choices`, the others after.
    """

    def __init__(self, run_id: str, model: str, *, include_usage: bool) -> None:
        base = {
            "id": completion_id(run_id),
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
        }
        self.include_usage = include_usage
        self._base = b"data: " + orjson.dumps(base)[:-1]  # without the closing brace
        self._no_usage = b',"usage":null' if include_usage else b""
        self._head = self._base + self._no_usage + b',"choices":[{"index":0,"delta":{"content":'
        self._tail = b'},"logprobs":null,"finish_reason":null}]}\n\n'

    def content(self, text: str) -> bytes:
        """A chunk adding `text` to the answer."""
        return self._head + orjson.dumps(text) + self._tail

    def content_parts(self) -> tuple[bytes, bytes]:
        """The bytes before and after a content chunk's text (JSON)."""
        return self._head, self._tail

    def content_literal(self, text: bytes) -> bytes:
        """A chunk adding a text given as its JSON string literal (the token path: the bytes of
        the hub's payload, never decoded)."""
        return self._head + text + self._tail

    def role(self) -> bytes:
        """The first chunk: the assistant's role, no text yet (as OpenAI sends it)."""
        return (
            self._base
            + b',"choices":[{"index":0,"delta":{"role":"assistant","content":""},'
            + b'"logprobs":null,"finish_reason":null}]'
            + self._no_usage
            + b"}\n\n"
        )

    def finish(self, consensus: bytes) -> bytes:
        """The last chunk with a choice: `finish_reason` "stop" and the `consensus` object
        (its JSON)."""
        return (
            self._base
            + b',"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]'
            + b',"consensus":'
            + consensus
            + self._no_usage
            + b"}\n\n"
        )

    def usage(self, usage: dict[str, int], consensus: bytes) -> bytes:
        """With `stream_options.include_usage`: the extra chunk before `[DONE]`, no choices."""
        return (
            self._base
            + b',"choices":[],"usage":'
            + orjson.dumps(usage)
            + b',"consensus":'
            + consensus
            + b"}\n\n"
        )

    def ending(self, usage: dict[str, int], consensus: dict[str, Any]) -> bytes:
        """What follows the answer: the last chunk, the usage chunk when asked for, `[DONE]`."""
        encoded = orjson.dumps(consensus)
        end = self.finish(encoded)
        if self.include_usage:
            end += self.usage(usage, encoded)
        return end + DONE


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
