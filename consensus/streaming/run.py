"""What an edge sees of a run, wherever it lives: its owner, a replay-then-live follow, a stop.

`Hub.locate(run_id)` returns a run of this worker (`hub.RunChannel`) or one another worker owns,
read through the shared event log (`remote.RemoteRun`); the edges never tell them apart.
The hub hands subscribers each event's JSON payload (encoded once); the edge's `Framer` turns a
batch of them, numbered from `start`, into what it sends (SSE bytes, WebSocket text frames). An
empty batch means the run was silent for a heartbeat interval.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")
Framer = Callable[[int, Sequence[bytes]], T]


@dataclass(frozen=True, slots=True)
class StreamSettings:
    resume_grace: float = 10.0
    event_retention: float = 600.0
    heartbeat: float = 15.0
    run_timeout: float = 60.0


class Run(Protocol):
    run_id: str

    @property
    def client(self) -> str:
        """The client key the run was admitted for (who may read or stop it)."""

    def terminal_seen(self, after: int) -> bool:
        """True when a client that saw events up to index `after` has seen the terminal event."""

    def follow(self, after: int, frame: Framer[T]) -> AsyncGenerator[T, None]:
        """The events after index `after`, then live ones until the terminal event, framed."""

    async def request_stop(self, why: str) -> bool:
        """Cancel the run (saved as aborted); False when it had already finished."""
