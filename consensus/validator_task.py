"""The validator as a supervised task: its streamed answer collected, its silence timed.

`Validation.start` asks the validator with `stream: true` (a moment after the fast request is on
the wire) and collects its pieces into `Progress`; waiting for its answer is timed by its silence
(`Deadline.validator_wait`), so a long answer still arriving is not cut. `cancel_and_wait` is how
the engine ends it.

More than one validator (`CONSENSUS_VALIDATORS`): each extra validator is a `Validation` of its
own, started with the first and waited for under the same rules; `settle` turns what each one
did into an `Answer`, and `majority` and `panel_confidence` draw the verdict from the answers
that came in (docs/api.md, docs/reliability.md#more-than-one-validator).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import sentry_sdk

from .agreement.confidence import BOOST, Policy, band
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
    from .agreement import Agreement
    from .record import RunRecord

# The role extra validators' attempts are recorded under (the first validator's is "byteplus").
EXTRA_VALIDATOR_ROLE = "validator"


@dataclass(slots=True)
class Progress:
    """The validator's answer so far: its pieces, when the last one came, who waits for more."""

    pieces: list[str] = field(default_factory=list)
    last: float = 0.0  # perf_counter() of the last piece (of the request before the first)
    listeners: list[Callable[[], None]] = field(default_factory=list)
    started: float | None = None  # perf_counter() when its request left
    ended: float | None = None  # perf_counter() when its stream ended (or failed)

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
    # VALIDATOR_ROLE for the first validator (its answer, usage and timing go on the record's
    # own fields); EXTRA_VALIDATOR_ROLE for one of `CONSENSUS_VALIDATORS`.
    role: str = VALIDATOR_ROLE

    @classmethod
    def start(
        cls,
        provider: Provider,
        limits: Limits,
        record: RunRecord,
        fast_sent: asyncio.Event,
        *,
        head_start: float,
        role: str = VALIDATOR_ROLE,
    ) -> Validation:
        """Start the validator's task; its request waits for `fast_sent` (or `head_start` s)."""
        progress = Progress()
        first = role == VALIDATOR_ROLE
        task = asyncio.create_task(
            _collect(provider, record, fast_sent, progress, head_start, role),
            name=f"consensus-validator-{record.id}"
            if first
            else f"consensus-validator-{provider.name}-{record.id}",
        )
        return cls(task, progress, provider, limits, role)

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
        once it sent nothing new for its timeout or ran past its cap (`Deadline.validator_wait`).

        Woken by the task's end or when the silence limit counted from the last piece so far
        is reached, not by every piece (`progressed` is for waiters that use each piece): a
        streamed answer of hundreds of pieces costs the loop a few wake-ups, not hundreds."""
        task = self.task
        while not task.done():
            left = deadline.validator_wait(max(since, self.progress.last), alone=alone)
            if left is not None and left <= 0:
                await cancel_and_wait(task)
                raise TimeoutError
            await asyncio.wait((task,), timeout=left)
        return task.result()

    async def answer_alone(
        self, record: RunRecord, deadline: Deadline, *, cut_ok: bool, since: float | None = None
    ) -> Completion | Failure:
        """The validator's answer when it is the only one left, or why there is none.

        Its silence may last its own timeout plus a grace (within its cap), not the rest of the
        run; with `cut_ok` an answer cut at the length limit is taken (better than nothing), but
        never an empty or filtered one."""
        answer = await self.settle(record, deadline, cut_ok=cut_ok, alone=True, since=since)
        if answer.error is not None:
            sentry_sdk.capture_exception(answer.error)
        if answer.failure is not None:
            return answer.failure
        assert answer.completion is not None
        return answer.completion

    def timeout_message(self, deadline: Deadline, *, alone: bool) -> str:
        """Which limit the validator ran into."""
        return validator_timeout_message(deadline, self.limits, self.provider, alone=alone)

    def unusable(self, record: RunRecord, reason: str) -> Failure:
        """An answer the validator finished but that cannot stand: noted on its attempt."""
        return mark_unusable(record, reason, self.provider, self.role)

    def latency_ms(self) -> int | None:
        """Milliseconds from its request to the end of its answer (or to now, when it was given
        up); None when its request never left."""
        started = self.progress.started
        if started is None:
            return None
        ended = self.progress.ended or time.perf_counter()
        return round((ended - started) * 1000)

    async def settle(
        self,
        record: RunRecord,
        deadline: Deadline,
        *,
        cut_ok: bool,
        alone: bool = False,
        since: float | None = None,
    ) -> Answer:
        """Its answer once the fast answer is complete (waited for by its silence, from `since`
        or now; with the grace when it is the only model left), or why there is none: timed
        out, failed, or unusable."""
        since = time.perf_counter() if since is None else since
        try:
            completion = await self.await_answer(deadline, alone=alone, since=since)
        except TimeoutError:
            capped = deadline.validator_capped()  # which limit: read at once, not after the others
            message = self.timeout_message(deadline, alone=alone)
            failure = Failure("timeout", message)
            return Answer(self, "timeout", None, failure, self.latency_ms(), capped=capped)
        except ProviderError as exc:
            failure = Failure(reason_of(exc), exc.user_message)
            return Answer(self, "error", None, failure, self.latency_ms(), error=exc)
        unusable = unusable_answer(completion, cut_ok=cut_ok)
        if unusable is not None:
            failure = self.unusable(record, unusable)
            return Answer(self, "error", completion, failure, self.latency_ms())
        return Answer(self, "answered", completion, None, self.latency_ms())


async def _collect(
    provider: Provider,
    record: RunRecord,
    fast_sent: asyncio.Event,
    progress: Progress,
    head_start: float,
    role: str = VALIDATOR_ROLE,
) -> Completion:
    """Ask the validator with `stream: true`, collecting its pieces into `progress`. Only the
    first validator's answer, usage and duration go on the record's own fields."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(head_start):
            await fast_sent.wait()
    started = progress.last = progress.started = time.perf_counter()
    first = role == VALIDATOR_ROLE
    outcome = StreamOutcome()
    pieces = provider.stream(record.chat_request(), outcome)
    try:
        async for piece in pieces:
            progress.add(piece)
    except asyncio.CancelledError:
        _attempt(record, role, provider, started, status="cancelled", usage=outcome.usage)
        raise
    except Exception as exc:
        _attempt(record, role, provider, started, error=exc, usage=outcome.usage)
        raise
    finally:
        await close_stream(pieces)
        progress.ended = time.perf_counter()
        if first:
            record.validator_duration = record.elapsed()
    _attempt(record, role, provider, started, usage=outcome.usage)
    completion = Completion(
        "".join(progress.pieces), provider.model, outcome.usage, outcome.finish_reason
    )
    if first:
        record.validator_answer = completion.text
        record.validator_usage = completion.usage
    return completion


def _attempt(
    record: RunRecord,
    role: str,
    provider: Provider,
    started: float,
    *,
    error: BaseException | None = None,
    status: str = "ok",
    usage: object = None,
) -> None:
    note_attempt(record, role, provider, started, error=error, status=status, usage=usage)


async def cancel_all_and_wait(tasks: Sequence[asyncio.Task[Completion]]) -> None:
    """`cancel_and_wait` for several tasks: every one is cancelled before any is waited for, so
    that our own cancellation, raised once they are done, never leaves one of them running."""
    pending = [task for task in tasks if not task.done()]
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # mark retrieved, as cancel_and_wait does
    for task in pending:
        task.cancel()
    if pending:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.gather(*pending, return_exceptions=True)
    current = asyncio.current_task()
    if current is not None and current.cancelling():
        raise asyncio.CancelledError


# --- More than one validator ---------------------------------------------------------------

AnswerStatus = Literal["answered", "timeout", "error"]


@dataclass(slots=True)
class Answer:
    """What one validator did by the time the verdict is drawn, and (once assessed) its verdict
    on the fast answer."""

    validation: Validation
    status: AnswerStatus
    completion: Completion | None
    failure: Failure | None
    latency_ms: int | None
    error: ProviderError | None = None
    capped: bool = False  # a timeout at `validator_max` (not at its silence)
    agreement: Agreement | None = None
    majority: bool | None = None  # on the majority side; None when it did not answer
    corrects: bool | None = None  # its vote: True corrects the fast answer, False lets it stand

    @property
    def provider(self) -> Provider:
        return self.validation.provider

    def entry(self, policy: Policy, *, decided: bool) -> dict[str, Any]:
        """The answer as stored on the run (`ConsensusRun.validators`)."""
        agreement = self.agreement
        return {
            "name": self.provider.name,
            "model": self.provider.model,
            "role": self.validation.role,
            "status": self.status,
            "answer": self.completion.text if self.completion is not None else "",
            "similarity": agreement.score if agreement else None,
            "band": agreement.band(policy) if agreement else None,
            "outcome": agreement.outcome if agreement else None,
            "conflicts": [c.as_dict() for c in agreement.conflicts] if agreement else [],
            "added": [a.as_dict() for a in agreement.added] if agreement else [],
            "decided_by": agreement.decided_by if agreement else None,
            "latency_ms": self.latency_ms,
            "vote": None if self.corrects is None else ("corrects" if self.corrects else "stands"),
            "majority": self.majority,
            "decided": decided,
            "message": self.failure.message if self.failure else "",
            "reason": self.failure.reason if self.failure else "",
        }


@dataclass(frozen=True, slots=True)
class Vote:
    """The verdict drawn from the validators that answered: which side won, who decided."""

    answered: tuple[Answer, ...]
    corrects: int
    stands: int
    decider: Answer | None  # the first validator (in order) on the majority side
    tie: bool

    def summary(self, asked: int) -> dict[str, object]:
        """`complete.validators`: how the validators voted."""
        return {
            "asked": asked,
            "answered": len(self.answered),
            "corrects": self.corrects,
            "stands": self.stands,
            "tie": self.tie,
            "decided_by": self.decider.provider.name if self.decider else None,
        }


def majority(answers: Sequence[Answer], policy: Policy) -> Vote:
    """The majority of the validators that answered (`answers` in order: the first validator,
    then `CONSENSUS_VALIDATORS`). Each votes "corrects" when its verdict corrects the fast
    answer, else "stands"; the side with more votes wins, a tie goes to the side of the first
    validator that answered. The decider is the first one on the winning side."""
    answered = tuple(a for a in answers if a.agreement is not None)
    if not answered:
        return Vote((), 0, 0, None, tie=False)
    votes = [a.agreement.corrects(policy) for a in answered if a.agreement is not None]
    corrects = sum(votes)
    stands = len(votes) - corrects
    tie = corrects == stands
    side = votes[0] if tie else corrects > stands
    for answer, vote in zip(answered, votes, strict=True):
        answer.corrects = vote
        answer.majority = vote == side
    decider = next(a for a in answered if a.majority)
    return Vote(answered, corrects, stands, decider, tie)


def panel_confidence(scores: Sequence[float], policy: Policy) -> float:
    """The consensus confidence over every validator that answered: the design document's
    weighted prior plus the mean of each answer's band boost, capped. With one answer it is the
    design's formula (`agreement.confidence.consensus_confidence`)."""
    base = policy.fast_prior * policy.fast_weight + policy.validator_prior * policy.validator_weight
    boost = sum(BOOST[band(s, policy)] for s in scores) / len(scores)
    return round(min(base + boost, policy.cap), 4)


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
