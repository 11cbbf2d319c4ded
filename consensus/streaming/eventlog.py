"""A run's events buffered in the Django cache, so any worker can replay them.

Each event is kept as the JSON of its payload (the bytes the hub encoded once; the edges frame
them). Events are appended in chunks (one cache key per flush, never one write per token) under
`consensus:events:<id>:chunk:<k>`; `consensus:events:<id>:meta` says how many chunks and events
exist and whether the terminal event is among them. Redis makes this shared across workers.
(The prefix differs from the one of the SSE-framed log it replaced, so a worker of either
version never misreads the other's entries during a rolling deploy.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

PREFIX = "consensus:events:"


def _key(run_id: str, suffix: str) -> str:
    return f"{PREFIX}{run_id}:{suffix}"


@dataclass(frozen=True, slots=True)
class Meta:
    chunks: int
    events: int
    done: bool
    client: str = ""

    def terminal_seen(self, after: int) -> bool:
        """True when a client that saw events up to `after` has seen the terminal event."""
        return self.done and after >= self.events - 1


class EventLog:
    """Writer side: owned by the worker that runs the stream."""

    def __init__(self, run_id: str, retention: float, client: str = "") -> None:
        self.run_id = run_id
        self.client = client
        self.retention = retention or None
        self.chunks = 0
        self.events = 0

    async def append(self, payloads: list[bytes], *, done: bool) -> None:
        """Store `payloads` (the next events' JSON, in order) as one chunk; update the meta."""
        values: dict[str, Any] = {}
        if payloads:
            values[_key(self.run_id, f"chunk:{self.chunks}")] = payloads
            self.chunks += 1
            self.events += len(payloads)
        values[_key(self.run_id, "meta")] = {
            "chunks": self.chunks,
            "events": self.events,
            "done": done,
            "client": self.client,
        }
        await cache.aset_many(values, timeout=self.retention)


async def read_meta(run_id: str) -> Meta | None:
    raw = await cache.aget(_key(run_id, "meta"))
    if not raw:
        return None
    return Meta(
        int(raw["chunks"]), int(raw["events"]), bool(raw["done"]), str(raw.get("client", ""))
    )


async def read_chunks(run_id: str, start: int, stop: int) -> list[bytes]:
    """Event payloads of chunks [start, stop), in order."""
    keys = [_key(run_id, f"chunk:{k}") for k in range(start, stop)]
    found = await cache.aget_many(keys)
    payloads: list[bytes] = []
    for key in keys:
        payloads.extend(found.get(key) or [])
    return payloads


async def request_stop(run_id: str, retention: float) -> None:
    await cache.aset(_key(run_id, "stop"), 1, timeout=retention or None)


async def stop_requested(run_id: str) -> bool:
    return bool(await cache.aget(_key(run_id, "stop")))


async def mark_attached(run_id: str, ttl: float) -> None:
    """A subscriber on some worker is reading this run (refreshed while it reads)."""
    await cache.aset(_key(run_id, "attached"), 1, timeout=ttl)


async def is_attached(run_id: str) -> bool:
    return bool(await cache.aget(_key(run_id, "attached")))
