"""A circuit breaker for the fast model, shared by all workers through the Django cache.

Closed: every question goes to the fast model. After `failures` consecutive failures it opens for
`cooldown` seconds: questions go straight to the validator. Then one request (the probe) may try
the fast model again; its success closes the circuit, its failure opens it for another cool-down.
"""

from __future__ import annotations

import logging
import time
from typing import Literal

from django.core.cache import cache

logger = logging.getLogger(__name__)

CircuitState = Literal["closed", "probe", "open"]


class Circuit:
    """The breaker for one upstream (by vendor and model)."""

    def __init__(self, name: str, *, failures: int, cooldown: float) -> None:
        self.key = f"consensus:circuit:{name}"
        self.failures = failures
        self.cooldown = cooldown

    @property
    def enabled(self) -> bool:
        return self.failures > 0 and self.cooldown > 0

    async def before_call(self) -> CircuitState:
        """May the fast model be called? "probe" means: yes, as the one trial request."""
        if not self.enabled:
            return "closed"
        open_until = await cache.aget(f"{self.key}:open_until")
        if open_until is None:
            return "closed"
        if time.time() < float(open_until):
            return "open"
        # Cool-down over: exactly one caller (across workers) gets to probe.
        if await cache.aadd(f"{self.key}:probe", 1, timeout=max(self.cooldown, 30.0)):
            return "probe"
        return "open"

    async def record_success(self) -> None:
        if not self.enabled:
            return
        if await cache.aget(f"{self.key}:open_until") is not None:
            logger.info("circuit %s closed: the fast model answered again", self.key)
        await cache.adelete_many(
            [f"{self.key}:failures", f"{self.key}:open_until", f"{self.key}:probe"]
        )

    async def record_failure(self) -> None:
        if not self.enabled:
            return
        failures_key = f"{self.key}:failures"
        await cache.aadd(failures_key, 0, timeout=max(self.cooldown * 10, 300.0))
        count = await cache.aincr(failures_key)
        if count >= self.failures:
            logger.warning("circuit %s open for %ss after %s failures", self.key, self.cooldown,
                           count)
            await cache.aset(f"{self.key}:open_until", time.time() + self.cooldown,
                             timeout=max(self.cooldown * 10, 300.0))
            await cache.adelete(f"{self.key}:probe")
