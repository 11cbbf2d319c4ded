"""Per-client limits shared by every worker through the Django cache: streams per minute and
streams at once. Both use only atomic cache operations (`add`, and `consensus.access.counters.incr`:
Django's own `aincr` is a read then a write) and expire on their own, so a worker that dies
mid-stream cannot hold a client's slot for longer than a run may last."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.core.cache import cache

from ..conf import ConsensusConfig
from . import counters

LimitCode = Literal["rate_limited", "too_many_streams"]

WINDOW = 60  # seconds: the per-minute limit counts streams started in the current minute
# A slot outlives the longest possible run (total limit + resume grace) by this much.
SLOT_MARGIN = 30
# Without a run time limit a slot still expires, after this long.
UNBOUNDED_RUN_SLOT_TTL = 900
# A slot is released once its run is over. The usual reason to find every slot taken is a stream
# the client just left (a reload, a lost connection): its run lives on for the resume grace, then
# is cancelled and saved; this covers the cancel and the save.
SLOT_RELEASE_MARGIN = 2.0

clock: Callable[[], float] = time.time  # replaced by tests with a fixed clock


class RateLimited(Exception):
    """Over a limit: becomes 429 `{"error": {code, message}}` with `Retry-After`."""

    def __init__(self, code: LimitCode, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


@dataclass(slots=True)
class Lease:
    """A concurrency slot held by one stream; `release()` frees it (idempotent)."""

    slot_key: str | None = None
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)
    released: bool = False

    async def release(self) -> None:
        if self.released:
            return
        self.released = True
        if self.slot_key is None:
            return
        # Only delete the slot if it is still ours (it may have expired and been taken since).
        if await cache.aget(self.slot_key) == self.holder:
            await cache.adelete(self.slot_key)


async def acquire(client_key: str, cfg: ConsensusConfig) -> Lease:
    """Admit one more stream for `client_key`, or raise `RateLimited`."""
    lease = await _take_slot(client_key, cfg)
    try:
        await _count_start(client_key, cfg)
    except RateLimited:
        await lease.release()
        raise
    return lease


def streams_retry_after(cfg: ConsensusConfig) -> int:
    """Whole seconds until a slot held by a just-abandoned stream is free: the resume grace plus
    the time to cancel and save its run (`Retry-After` of `too_many_streams`)."""
    return max(1, math.ceil(max(cfg.resume_grace, 0.0) + SLOT_RELEASE_MARGIN))


def slot_ttl(cfg: ConsensusConfig) -> int:
    """Whole seconds a slot lives if its stream never releases it (a crashed worker)."""
    if cfg.run_timeout <= 0:
        return UNBOUNDED_RUN_SLOT_TTL
    return math.ceil(cfg.run_timeout + max(cfg.resume_grace, 0.0) + SLOT_MARGIN)


async def _take_slot(client_key: str, cfg: ConsensusConfig) -> Lease:
    limit = cfg.max_concurrent_per_client
    lease = Lease()
    if limit <= 0:
        return lease
    ttl = slot_ttl(cfg)
    for slot in range(limit):
        key = f"consensus:streams:{client_key}:{slot}"
        if await cache.aadd(key, lease.holder, ttl):
            lease.slot_key = key
            return lease
    raise RateLimited(
        "too_many_streams",
        f"At most {limit} streams may run at once per client; wait for one to finish.",
        streams_retry_after(cfg),
    )


async def _count_start(client_key: str, cfg: ConsensusConfig) -> None:
    limit = cfg.rate_limit_per_minute
    if limit <= 0:
        return
    now = clock()
    window = int(now // WINDOW)
    key = f"consensus:rate:{client_key}:{window}"
    # Twice the window: the key outlives its minute, whatever the clocks of the workers say.
    count = await counters.incr(key, ttl=2 * WINDOW)
    if count > limit:
        retry_after = max(1, math.ceil((window + 1) * WINDOW - now))
        raise RateLimited(
            "rate_limited",
            f"At most {limit} streams per minute per client; retry in {retry_after} s.",
            retry_after,
        )
