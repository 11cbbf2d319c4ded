"""A circuit breaker for the fast model, shared by all workers through the Django cache.

Closed: every question goes to the fast model. After `failures` consecutive failures it opens for
`cooldown` seconds: questions go straight to the validator. Then one request (the probe) may try
the fast model again; its success closes the circuit, its failure opens it for another cool-down.

The shared state is read at most once per `REFRESH` seconds per process, and never on a first
token's path: Django's cache API runs every call in a thread, and a thread hop costs 1 ms idle
and far more under load, queued behind the runs' saves (README "Performance"). When the process's
last look is older than `REFRESH`, the caller gets that look and a background task reads the
shared state for the next caller (stale while revalidating); only the process's very first call
waits for the read. A circuit opened by another worker is seen within about `REFRESH`.

Only faults of the upstream itself count towards opening it (`fault_of`): 5xx, connection errors,
errors inside a stream, malformed answers, connect timeouts, and 4xx that every request would get
(401/403/404 a key or model problem, 408/409/425/429/498 capacity). A prompt-specific 4xx (400,
413, 422: too long, refused by a content policy) never counts. A missing first token or a stall
may be one slow prompt: it counts only when neither its client nor its prompt was seen timing out
within `TIMEOUT_WINDOW`, so opening the circuit on timeouts takes `failures` different clients
with different prompts (and no success in between).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.core.cache import cache

from .access import counters
from .providers.errors import ProviderError, ProviderHTTPError, ProviderTimeout

logger = logging.getLogger(__name__)

CircuitState = Literal["closed", "probe", "open"]
# How a fast-model failure counts: always, only across clients and prompts, or never.
Fault = Literal["upstream", "timeout", "none"]
REFRESH = 1.0  # seconds a process trusts its last look at the shared state
TIMEOUT_WINDOW = 60.0  # seconds a client or prompt that timed out is remembered
# 4xx statuses every request would get (credentials, model, capacity), unlike 400/413/422.
UPSTREAM_4XX = frozenset({401, 403, 404, 408, 409, 425, 429, 498})


def fault_of(error: BaseException) -> Fault:
    """How a fast-model failure counts towards opening the circuit (see the module docstring)."""
    if isinstance(error, ProviderHTTPError):
        return "upstream" if error.status >= 500 or error.status in UPSTREAM_4XX else "none"
    if isinstance(error, ProviderTimeout):
        return "upstream" if error.phase == "connect" else "timeout"
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, ProviderError):
        return "upstream"
    return "none"


@dataclass(frozen=True, slots=True)
class _Snapshot:
    read_at: float
    failures: int
    open_until: float | None


_snapshots: dict[str, _Snapshot] = {}
_refreshes: dict[str, asyncio.Task[None]] = {}  # the background read per circuit (kept alive)


class Circuit:
    """The breaker for one upstream (by base URL and model)."""

    def __init__(self, name: str, *, failures: int, cooldown: float) -> None:
        self.key = f"consensus:circuit:{name}"
        self.failures = failures
        self.cooldown = cooldown

    @property
    def enabled(self) -> bool:
        return self.failures > 0 and self.cooldown > 0

    @property
    def _ttl(self) -> float:
        return max(self.cooldown * 10, 300.0)

    async def _snapshot(self) -> _Snapshot:
        snapshot = _snapshots.get(self.key)
        if snapshot is None:
            return await self._read()
        if time.monotonic() - snapshot.read_at >= REFRESH:
            loop = asyncio.get_running_loop()
            running = _refreshes.get(self.key)
            if running is None or running.done() or running.get_loop() is not loop:
                _refreshes[self.key] = loop.create_task(self._refresh(), name="circuit-refresh")
        return snapshot

    async def _read(self) -> _Snapshot:
        read_at = time.monotonic()
        found = await cache.aget_many([f"{self.key}:failures", f"{self.key}:open_until"])
        open_until = found.get(f"{self.key}:open_until")
        snapshot = _Snapshot(
            read_at,
            int(found.get(f"{self.key}:failures") or 0),
            float(open_until) if open_until is not None else None,
        )
        current = _snapshots.get(self.key)
        if current is None or current.read_at <= read_at:  # a newer local write wins
            _snapshots[self.key] = snapshot
        return snapshot

    async def _refresh(self) -> None:
        try:
            await self._read()
        except Exception:  # the cache is down: keep the last look, try again next time
            logger.warning("circuit %s: could not read the shared state", self.key, exc_info=True)

    async def before_call(self) -> CircuitState:
        """May the fast model be called? "probe" means: yes, as the one trial request."""
        if not self.enabled:
            return "closed"
        snapshot = await self._snapshot()
        if snapshot.open_until is None:
            return "closed"
        if time.time() < snapshot.open_until:
            return "open"
        # Cool-down over: exactly one caller (across workers) gets to probe.
        if await cache.aadd(f"{self.key}:probe", 1, timeout=max(self.cooldown, 30.0)):
            return "probe"
        return "open"

    async def record_success(self) -> None:
        if not self.enabled:
            return
        snapshot = await self._snapshot()
        if not snapshot.failures and snapshot.open_until is None:
            return  # nothing to reset: no thread hop on the healthy path
        if snapshot.open_until is not None:
            logger.info("circuit %s closed: the fast model answered again", self.key)
        await cache.adelete_many(
            [f"{self.key}:failures", f"{self.key}:open_until", f"{self.key}:probe"]
        )
        _snapshots[self.key] = _Snapshot(time.monotonic(), 0, None)

    async def record_timeout(self, *, sources: Sequence[str]) -> None:
        """A first token or a chunk that did not come: a failure only when none of `sources`
        (the client, the prompt) was seen timing out within `TIMEOUT_WINDOW`."""
        if not self.enabled:
            return
        fresh = [
            await cache.aadd(f"{self.key}:timeout:{source}", 1, timeout=TIMEOUT_WINDOW)
            for source in sources
        ]
        if all(fresh):
            await self.record_failure()

    async def record_failure(self) -> None:
        """An upstream fault: one more towards opening the circuit."""
        if not self.enabled:
            return
        failures_key = f"{self.key}:failures"
        count = await counters.incr(failures_key, ttl=self._ttl)  # atomic across workers
        open_until = None
        if count >= self.failures:
            logger.warning(
                "circuit %s open for %ss after %s failures", self.key, self.cooldown, count
            )
            open_until = time.time() + self.cooldown
            await cache.aset(f"{self.key}:open_until", open_until, timeout=self._ttl)
            await cache.adelete(f"{self.key}:probe")
        _snapshots[self.key] = _Snapshot(time.monotonic(), count, open_until)
