"""Server-Sent Events on the wire: events to bytes, and the headers a stream needs.

Each frame is `id: <run_id>:<n>`, one `data:` line of compact JSON, then a blank line. There is no
`event:` line, so `EventSource.onmessage` receives every event. orjson never emits a raw newline
and keeps non-ASCII text as UTF-8 (Bahasa Indonesia stays readable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

CONTENT_TYPE = "text/event-stream; charset=utf-8"
HEADERS: Mapping[str, str] = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
HEARTBEAT = b": keep-alive\n\n"


def event_id(run_id: str, index: int) -> str:
    """The id of a run's `index`-th event: resumable with `Last-Event-ID`."""
    return f"{run_id}:{index}"


def encode(payload: Mapping[str, Any], *, id: str | None = None) -> bytes:
    """One SSE frame for a JSON payload."""
    data = orjson.dumps(payload)
    if id is None:
        return b"data: " + data + b"\n\n"
    return b"id: " + id.encode() + b"\ndata: " + data + b"\n\n"


def comment(text: str) -> bytes:
    """An SSE comment frame (ignored by clients; keeps proxies from closing an idle stream)."""
    lines = text.replace("\r", "").split("\n")
    return "".join(f": {line}\n" for line in lines).encode() + b"\n"
