"""Garbage collection for a streaming worker: no full collection while its streams run.

CPython's full (generation 2) collection walks every tracked object that is not frozen. In a
worker holding open streams that is about 400 objects per stream, and the walk stops the event
loop: with 100 open streams, full collections of 45-50 ms landed in the middle of other streams'
first tokens (README "Performance"). `gc.freeze()` after start-up takes the ~98,000 start-up
objects out of every walk, but it also shrinks the count of long-lived objects that CPython
weighs pending promotions against (a full collection runs once they exceed a quarter of it), so
under load full collections came more often, not less.

So: young collections stay automatic (about 1 ms each); automatic full collections are off; a
full collection runs when the worker has had no run for `IDLE_FOR` seconds after some work, and
every `FULL_EVERY` seconds regardless, which bounds the cyclic garbage a busy worker keeps.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

IDLE_FOR = 0.5  # seconds without a run before the deferred full collection
FULL_EVERY = 60.0  # seconds: the longest a busy worker goes without one
CHECK_EVERY = 0.25
# Generation 2 is collected when this many generation-1 collections have happened: never, here.
NO_AUTOMATIC_FULL = 1_000_000


def install() -> None:
    """Freeze what start-up made and switch automatic full collections off."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NO_AUTOMATIC_FULL)


class FullCollections:
    """Decides when the deferred full collection runs (the clock is injectable for tests)."""

    def __init__(self, busy: Callable[[], bool], clock: Callable[[], float] = time.monotonic):
        self.busy = busy
        self.clock = clock
        self.last_full = clock()
        self.idle_since: float | None = None
        self.dirty = False  # work happened since the last full collection

    def tick(self) -> bool:
        """Run a full collection if one is due now; True when it ran."""
        now = self.clock()
        if self.busy():
            self.idle_since = None
            self.dirty = True
        elif self.idle_since is None:
            self.idle_since = now
        idle = self.dirty and self.idle_since is not None and now - self.idle_since >= IDLE_FOR
        if not (idle or now - self.last_full >= FULL_EVERY):
            return False
        gc.collect()
        self.last_full = now
        self.dirty = self.busy()
        return True

    async def run(self) -> None:
        while True:
            await asyncio.sleep(CHECK_EVERY)
            self.tick()
