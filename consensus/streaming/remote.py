"""A run owned by another worker, followed and stopped through the shared event log (Redis)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from . import eventlog
from .run import Framer, StreamSettings, T

REMOTE_POLL = 0.2  # seconds between cache reads when following a run owned by another worker


class RemoteRun:
    """What the shared event log says of a run this worker does not own."""

    def __init__(self, run_id: str, meta: eventlog.Meta, opts: StreamSettings) -> None:
        self.run_id = run_id
        self.meta = meta
        self.opts = opts

    @property
    def client(self) -> str:
        return self.meta.client

    def terminal_seen(self, after: int) -> bool:
        return self.meta.terminal_seen(after)

    async def request_stop(self, why: str) -> bool:
        """Ask the owner to stop the run (it polls for this while it runs)."""
        if self.meta.done:
            return False
        await eventlog.request_stop(self.run_id, self.opts.event_retention)
        return True

    async def follow(self, after: int, frame: Framer[T]) -> AsyncGenerator[T, None]:
        """Replay the log after index `after`, then poll it for more until the terminal event."""
        run_id, opts = self.run_id, self.opts
        index, chunks_seen = 0, 0
        idle = 0.0
        limit = (opts.run_timeout or 600.0) + opts.resume_grace + 10.0
        while True:
            meta = await eventlog.read_meta(run_id)
            if meta is None:
                return
            payloads = await eventlog.read_chunks(run_id, chunks_seen, meta.chunks)
            chunks_seen = meta.chunks
            skip = max(0, after + 1 - index)
            if skip < len(payloads):
                idle = 0.0
                yield frame(index + skip, payloads[skip:])
            index += len(payloads)
            if meta.done:
                return
            await eventlog.mark_attached(run_id, ttl=3.0)
            await asyncio.sleep(REMOTE_POLL)
            idle += REMOTE_POLL
            if opts.heartbeat and idle and idle % opts.heartbeat < REMOTE_POLL:
                yield frame(index, ())
            if idle > limit:  # the owner died: end rather than hang
                return
