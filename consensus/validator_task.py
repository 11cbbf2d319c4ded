"""The validator as a supervised task: its streamed answer collected, its silence timed.

`Validation.start` asks the validator with `stream: true` (a moment after the fast request is on
the wire) and collects its pieces into `Progress`; waiting for its answer is timed by its silence
(`Deadline.validator_wait`), so a long answer still arriving is not cut. `cancel_and_wait` is how
the engine ends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sentry_sdk

from .deadline import Deadline, Limits
from .events import VALIDATOR_ROLE
from .faults import (
    Failure,
    mark_unusable,
    note_attempt,
    reason_of,
    unusable_answer,
    validator_timeout_message,
)
from .providers.base import Completion, Provider, StreamOutcome
from .providers.errors import ProviderError
from .providers.pieces import close_stream

if TYPE_CHECKING:
    from .record import RunRecord


@dataclass(slots=True)
class Progress:
    """The validator's answer so far: its pieces, when the last one came, who waits for more."""

    pieces: list[str] = field(default_factory=list)
    last: float = 0.0  # perf_counter() of the last piece (of the request before the first)
    listeners: list[Callable[[], None]] = field(default_factory=list)

    def add(self, piece: str) -> None:
        self.pieces.append(piece)
        self.last = time.perf_counter()
        for listener in list(self.listeners):
            listener()


@dataclass(frozen=True, slots=True)
class Validation:
    """The validator's supervised task, its progress, and the limits its waits keep."""

    task: asyncio.Task[Completion]
    progress: Progress
    provider: Provider
    limits: Limits

    @classmethod
    def start(
        cls,
        provider: Provider,
        limits: Limits,
        record: RunRecord,
        fast_sent: asyncio.Event,
        *,
        head_start: float,
    ) -> Validation:
        """Start the validator's task; its request waits for `fast_sent` (or `head_start` s)."""
        progress = Progress()
        task = asyncio.create_task(
            _collect(provider, record, fast_sent, progress, head_start),
            name=f"consensus-validator-{record.id}",
        )
        return cls(task, progress, provider, limits)

    async def progressed(self, deadline: Deadline, *, since: float, alone: bool) -> bool:
        """Wait for the validator's next piece or its end: False once it was silent too long
        (from `since` or its last piece) or ran past its cap."""
        progress, task = self.progress, self.task
        left = deadline.validator_wait(max(since, progress.last), alone=alone)
        if left is not None and left <= 0:
            return False
        woken = asyncio.get_running_loop().create_future()

        def wake(_: object = None) -> None:
            if not woken.done():
                woken.set_result(None)

        progress.listeners.append(wake)
        task.add_done_callback(wake)
        try:
            async with asyncio.timeout(left):
                await woken
            return True
        except TimeoutError:
            return False
        finally:
            progress.listeners.remove(wake)
            task.remove_done_callback(wake)

    async def await_answer(self, deadline: Deadline, *, alone: bool, since: float) -> Completion:
        """The validator's finished answer, or its error; TimeoutError (the task cancelled)
        once it sent nothing new for its timeout or ran past its cap (`Deadline.validator_wait`)."""
        while not self.task.done():
            if not await self.progressed(deadline, since=since, alone=alone):
                await cancel_and_wait(self.task)
                raise TimeoutError
        return self.task.result()

    async def answer_alone(
        self, record: RunRecord, deadline: Deadline, *, cut_ok: bool, since: float | None = None
    ) -> Completion | Failure:
        """The validator's answer when it is the only one left, or why there is none.

        Its silence may last its own timeout plus a grace (within its cap), not the rest of the
        run; with `cut_ok` an answer cut at the length limit is taken (better than nothing), but
        never an empty or filtered one."""
        started = time.perf_counter() if since is None else since
        try:
            completion = await self.await_answer(deadline, alone=True, since=started)
        except TimeoutError:
            return Failure("timeout", self.timeout_message(deadline, alone=True))
        except ProviderError as exc:
            sentry_sdk.capture_exception(exc)
            return Failure(reason_of(exc), exc.user_message)
        unusable = unusable_answer(completion, cut_ok=cut_ok)
        if unusable is not None:
            return self.unusable(record, unusable)
        return completion

    def timeout_message(self, deadline: Deadline, *, alone: bool) -> str:
        """Which limit the validator ran into."""
        return validator_timeout_message(deadline, self.limits, self.provider, alone=alone)

    def unusable(self, record: RunRecord, reason: str) -> Failure:
        """An answer the validator finished but that cannot stand: noted on its attempt."""
        return mark_unusable(record, reason, self.provider)


async def _collect(
    provider: Provider,
    record: RunRecord,
    fast_sent: asyncio.Event,
    progress: Progress,
    head_start: float,
) -> Completion:
    """Ask the validator with `stream: true`, collecting its pieces into `progress`."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(head_start):
            await fast_sent.wait()
    started = progress.last = time.perf_counter()
    outcome = StreamOutcome()
    pieces = provider.stream(record.chat_request(), outcome)
    try:
        async for piece in pieces:
            progress.add(piece)
    except asyncio.CancelledError:
        _attempt(record, provider, started, status="cancelled", usage=outcome.usage)
        raise
    except Exception as exc:
        _attempt(record, provider, started, error=exc, usage=outcome.usage)
        raise
    finally:
        await close_stream(pieces)
        record.validator_duration = record.elapsed()
    _attempt(record, provider, started, usage=outcome.usage)
    completion = Completion(
        "".join(progress.pieces), provider.model, outcome.usage, outcome.finish_reason
    )
    record.validator_answer = completion.text
    record.validator_usage = completion.usage
    return completion


def _attempt(
    record: RunRecord,
    provider: Provider,
    started: float,
    *,
    error: BaseException | None = None,
    status: str = "ok",
    usage: object = None,
) -> None:
    note_attempt(record, VALIDATOR_ROLE, provider, started, error=error, status=status, usage=usage)


async def cancel_and_wait(task: asyncio.Task[Completion]) -> None:
    """Cancel `task` if still running and wait for it, without swallowing our own cancellation."""
    if task.done():
        if not task.cancelled():
            task.exception()  # mark retrieved: its failure was already handled or is irrelevant
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    current = asyncio.current_task()
    if current is not None and current.cancelling():
        raise asyncio.CancelledError
