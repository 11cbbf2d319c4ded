"""Server-Sent Events on the wire: a run's event payloads to bytes, and the headers a stream needs.

Each frame is `id: <run_id>:<n>`, one `data:` line of compact JSON, then a blank line. There is no
`event:` line, so `EventSource.onmessage` receives every event. orjson never emits a raw newline
and keeps non-ASCII text as UTF-8 (Bahasa Indonesia stays readable). The hub keeps each event's
JSON once; the framing is added here, per subscriber, by byte concatenation only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

CONTENT_TYPE = "text/event-stream; charset=utf-8"
HEADERS: Mapping[str, str] = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
HEARTBEAT = b": keep-alive\n\n"


def event_id(run_id: str, index: int) -> str:
    """The id of a run's `index`-th event: resumable with `Last-Event-ID`."""
    return f"{run_id}:{index}"


def parse_index(value: str) -> int | None:
    """An event index as clients send it: ASCII digits only (no sign, no `_`), else None."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


def parse_event_id(value: str) -> tuple[uuid.UUID, int] | None:
    """`<run_id>:<n>` (n >= 0) -> (run id, n), or None when malformed: a negative index would
    replay events out of order."""
    run_part, _, index_part = value.strip().rpartition(":")
    index = parse_index(index_part)
    try:
        return (uuid.UUID(run_part), index) if index is not None else None
    except ValueError:
        return None


def encode(payload: Mapping[str, Any], *, id: str | None = None) -> bytes:
    """One SSE frame for a JSON payload."""
    data = orjson.dumps(payload)
    if id is None:
        return b"data: " + data + b"\n\n"
    return b"id: " + id.encode() + b"\ndata: " + data + b"\n\n"


def framer(run_id: str) -> Callable[[int, Sequence[bytes]], bytes]:
    """Frames for a run's JSON payloads numbered from `start`; a heartbeat for none."""
    prefix = b"id: " + run_id.encode() + b":"

    def frames(start: int, payloads: Sequence[bytes]) -> bytes:
        if len(payloads) == 1:  # the token path: one event per wake-up
            return prefix + b"%d\ndata: " % start + payloads[0] + b"\n\n"
        if not payloads:
            return HEARTBEAT
        return b"".join(
            prefix + b"%d\ndata: " % n + data + b"\n\n" for n, data in enumerate(payloads, start)
        )

    return frames


def comment(text: str) -> bytes:
    """An SSE comment frame (ignored by clients; keeps proxies from closing an idle stream)."""
    lines = text.replace("\r", "").split("\n")
    return "".join(f": {line}\n" for line in lines).encode() + b"\n"
