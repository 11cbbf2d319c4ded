"""Time limits of a run, and the record of each upstream attempt."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .providers.base import Usage
from .providers.errors import ProviderError, ProviderHTTPError


@dataclass(frozen=True, slots=True)
class Limits:
    """Seconds; 0 disables a limit."""

    # The validator's silence: how long it may send nothing new once its answer is awaited.
    validator_timeout: float = 10.0
    # The validator's total time from the run's start (its request leaves with the fast one).
    validator_max: float = 60.0
    first_token_timeout: float = 3.0
    stall_timeout: float = 5.0
    run_timeout: float = 60.0
    retry_budget: float = 2.0
    # Added to `validator_timeout` when the validator is the only model left (a fallback, a
    # broken fast stream): its answer is waited for that long, not for the rest of the run.
    validator_grace: float = 2.0


class Deadline:
    """The run's clock: how long the next wait may take."""

    def __init__(self, started: float, limits: Limits) -> None:
        self.started = started
        self.limits = limits
        self.ends = started + limits.run_timeout if limits.run_timeout else None

    def remaining(self) -> float | None:
        """Seconds left in the run (None: unlimited)."""
        return None if self.ends is None else max(0.0, self.ends - time.perf_counter())

    def _capped(self, limit: float | None) -> float | None:
        left = self.remaining()
        if limit is None:
            return left
        return limit if left is None else min(limit, left)

    def first_token(self) -> float | None:
        """Time left for the fast model's first token, counted from the run's start."""
        if not self.limits.first_token_timeout:
            return self._capped(None)
        since = time.perf_counter() - self.started
        return self._capped(max(0.0, self.limits.first_token_timeout - since))

    def next_chunk(self) -> float | None:
        """Time allowed between two chunks of the fast stream."""
        return self._capped(self.limits.stall_timeout or None)

    def validator_wait(self, since: float, *, alone: bool = False) -> float | None:
        """Time left for the validator to send its next piece or end: `validator_timeout` of
        silence counted from `since` (when the wait began, or its last piece if later; plus the
        grace when it is the only model left), within `validator_max` and the run's time."""
        limits, now = self.limits, time.perf_counter()
        lefts = []
        if limits.validator_timeout:
            silence = limits.validator_timeout + (limits.validator_grace if alone else 0.0)
            lefts.append(since + silence - now)
        if limits.validator_max:
            lefts.append(self.started + limits.validator_max - now)
        left = self._capped(min(lefts) if lefts else None)
        return None if left is None else max(0.0, left)

    def validator_capped(self) -> bool:
        """Has the validator used up its total time (`validator_max`)?"""
        cap = self.limits.validator_max
        return bool(cap) and time.perf_counter() >= self.started + cap

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0


def attempt_entry(
    *,
    role: str,
    provider: str,
    model: str,
    started: float,
    run_started: float,
    error: BaseException | None = None,
    status: str = "ok",
    usage: Usage | None = None,
) -> dict[str, Any]:
    """One upstream call as stored in `ConsensusRun.attempts`."""
    entry: dict[str, Any] = {
        "role": role,
        "provider": provider,
        "model": model,
        "status": status if error is None else status_of(error),
        "started": round(started - run_started, 4),
        "duration": round(time.perf_counter() - started, 4),
        "usage": usage.as_dict() if usage else None,
    }
    if error is not None:
        message = error.user_message if isinstance(error, ProviderError) else str(error)
        entry["error"] = message or type(error).__name__  # never "" (a bare TimeoutError)
        if isinstance(error, ProviderHTTPError):
            entry["http_status"] = error.status
    return entry


def status_of(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, ProviderError):
        return error.kind
    return type(error).__name__
