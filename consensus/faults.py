"""What went wrong with a model, and what the engine does about it.

Classifying failures (`Failure`, `reason_of`, the messages of each limit), retry and back-off
decisions for the fast model, when a validator answer cannot stand, the attempt records, and how
a failure counts for the circuit breaker. No events here: the engine decides what the user sees.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .circuit import Circuit, Fault, fault_of
from .deadline import Deadline, Limits, attempt_entry
from .events import VALIDATOR_ROLE
from .providers.base import Completion, Provider
from .providers.errors import ProviderError, ProviderHTTPError

if TYPE_CHECKING:
    from .record import RunRecord

# The fast model is tried once more when the validator fails during a fallback caused by these:
# skipped by the open circuit, or merely slow (it may still answer within the run's time).
LAST_RESORT = frozenset({"circuit_open", "first_token_timeout"})
# Why a finished validator answer cannot stand, as the user reads it after the provider's name.
UNUSABLE = {
    "empty": "sent an empty answer",
    "content_filter": "withheld its answer (finish reason content_filter)",
    "length": "answer was cut off at its length limit (finish reason length)",
}


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a model produced nothing usable, and how it counts for the circuit breaker."""

    reason: str
    message: str
    fault: Fault = "none"


def reason_of(exc: ProviderError) -> str:
    """The failure's reason as events and the record name it."""
    if isinstance(exc, ProviderHTTPError):
        if exc.status == 429:
            return "rate_limited"
        if exc.status >= 500:
            return "server_error"
        return "rejected"
    return exc.kind


def retry_delay(exc: ProviderError, attempt: int) -> float | None:
    """Seconds to wait before retrying, or None when a retry cannot help."""
    if not exc.retryable:
        return None
    if isinstance(exc, ProviderHTTPError) and exc.retry_after is not None:
        return float(exc.retry_after)
    # Exponential backoff with jitter: 0.2, 0.4, 0.8 s ... (never hammering a 429 without a hint).
    return 0.2 * 2.0**attempt * random.uniform(0.8, 1.2)


def may_retry(
    delay: float,
    retry_from: float,
    deadline: Deadline,
    limits: Limits,
    validator: asyncio.Task[Completion],
    *,
    hinted: bool,
) -> bool:
    """Is a retry after `delay` seconds worth it? Never past the run's end. Once the
    validator has failed, a server's `Retry-After` (`hinted`) is honoured within the run's
    time. Otherwise not past the retry budget, and while the validator may answer not past
    the first-token timeout either (the retried stream could not make it: the user is better
    served by the fallback at once)."""
    left = deadline.remaining()
    if left is not None and delay >= left:
        return False
    alone = validator_failed(validator)
    if alone and hinted:
        return True
    if time.perf_counter() + delay > retry_from + limits.retry_budget:
        return False
    first = deadline.first_token()
    return alone or first is None or delay < first


def run_limit_message(limits: Limits) -> str:
    return f"the run's time limit ({limits.run_timeout:g} s) was reached"


def first_token_failure(deadline: Deadline, limits: Limits, fast: Provider) -> Failure:
    """The fast model's first token did not come in time."""
    if deadline.expired():
        return Failure("run_timeout", run_limit_message(limits))
    limit = limits.first_token_timeout
    return Failure(
        "first_token_timeout",
        f"{fast.name} sent no first token within {limit:g} s",
        "timeout",
    )


def mid_stream_failure(
    exc: BaseException, deadline: Deadline, limits: Limits, fast: Provider
) -> Failure:
    """The fast stream broke (or stalled) after its first piece."""
    if isinstance(exc, TimeoutError):
        if deadline.expired():
            return Failure("run_timeout", run_limit_message(limits))
        limit = limits.stall_timeout
        return Failure("stall", f"{fast.name} stopped sending for {limit:g} s", "timeout")
    assert isinstance(exc, ProviderError)
    return Failure(reason_of(exc), exc.user_message, fault_of(exc))


def validator_timeout_message(
    deadline: Deadline, limits: Limits, validator: Provider, *, alone: bool
) -> str:
    """Which limit the validator ran into."""
    if deadline.expired() or not (limits.validator_timeout or limits.validator_max):
        return f"{validator.name}: {run_limit_message(limits)}"
    if deadline.validator_capped():
        return f"{validator.name} did not finish within {limits.validator_max:g} s"
    silence = limits.validator_timeout + (limits.validator_grace if alone else 0.0)
    return f"{validator.name} sent nothing for {silence:g} s"


def unusable_answer(completion: Completion, *, cut_ok: bool = False) -> str | None:
    """Why a validator answer cannot stand ("content_filter", "empty", "length"), or None."""
    if completion.finish_reason == "content_filter":
        return "content_filter"
    if not completion.text.strip():
        return "empty"
    if completion.finish_reason == "length" and not cut_ok:
        return "length"
    return None


def validator_failed(task: asyncio.Task[Completion]) -> bool:
    """Has the validator ended without an answer a fallback could use?"""
    if not task.done() or task.cancelled():
        return False
    if task.exception() is not None:
        return True
    return unusable_answer(task.result(), cut_ok=True) is not None


def mark_unusable(
    record: RunRecord, reason: str, validator: Provider, role: str = VALIDATOR_ROLE
) -> Failure:
    """An answer a validator (the first, or an extra one by its `role`) finished but that
    cannot stand: noted on its last attempt."""
    for attempt in reversed(record.attempts):
        if attempt["role"] == role and attempt["provider"] == validator.name:
            attempt["status"] = reason
            break
    return Failure(reason, f"{validator.name} {UNUSABLE[reason]}")


def with_cut(message: str, answer: Completion, validator: Provider) -> str:
    """The run's error text, noting a validator answer taken although cut at its length limit."""
    if answer.finish_reason != "length":
        return message
    return f"{message.rstrip('.')}. {validator.name} {UNUSABLE['length']}."


def note_attempt(
    record: RunRecord,
    role: str,
    provider: Provider,
    started: float,
    *,
    error: BaseException | None = None,
    status: str = "ok",
    usage: object = None,
) -> None:
    """Add one upstream call to the record's attempts."""
    record.attempts.append(
        attempt_entry(
            role=role,
            provider=provider.name,
            model=provider.model,
            started=started,
            run_started=record.started,
            error=error,
            status=status,
            usage=usage,  # type: ignore[arg-type]
        )
    )


async def count_fault(circuit: Circuit | None, record: RunRecord, failure: Failure) -> None:
    """Count an upstream fault; a timeout only by client and prompt (`circuit.py`)."""
    if circuit is None or failure.fault == "none":
        return
    if failure.fault == "timeout":
        await circuit.record_timeout(sources=_sources(record))
    else:
        await circuit.record_failure()


def _sources(record: RunRecord) -> list[str]:
    """Who saw a timeout, for the circuit breaker: the prompt, and the client when known."""
    prompt = hashlib.sha256(record.prompt.encode()).hexdigest()[:16]
    return [f"prompt:{prompt}"] + ([f"client:{record.client_id}"] if record.client_id else [])
