"""Consensus orchestration: the fast model streams while the validator runs as a supervised task.

`ConsensusEngine.run` yields typed events (see `events.py`) and fills in a `RunRecord`; it does no
I/O of its own besides the two providers and the circuit breaker. Cancelling the iteration (a
client that leaves) cancels both upstream calls before the cancellation propagates.

The validator streams too (the design document's first future enhancement): its pieces are
collected, and what is timed is its silence once its answer is awaited (`Deadline.validator_wait`:
no new piece for `validator_timeout`, within `validator_max`), so a long answer still arriving is
not cut; a fallback relays its pieces as they arrive.

Fault handling, beyond the design document:
- before the first token, 429/5xx/connection errors are retried within the retry budget (and
  before the first-token timeout); other failures, a missing first token, or an open circuit
  fall back to the validator's answer, whose silence may last its timeout plus a grace; once its
  tokens were shown, its failure ends the run (no last resort after them);
- after tokens were shown, a cut, stall or malformed stream never passes for a complete answer:
  the validator's answer arrives as a `correction` (reason `fast_model_failed`);
- a failing validator never costs the user the fast answer: an empty, filtered or cut answer is
  a failure too; once it failed, the fast model gets the run's time, and is tried once more when
  the fallback was for an open circuit or a late first token;
- only the upstream's own faults count for the circuit breaker (`circuit.fault_of`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sentry_sdk

from . import events as ev
from .agreement import Policy, assess
from .circuit import Circuit, Fault, fault_of
from .deadline import Deadline, Limits, attempt_entry
from .judge import Judge
from .providers.base import Completion, Provider, StreamOutcome
from .providers.errors import ProviderError, ProviderHTTPError
from .status import RunStatus
from .upstreams import build_provider

if TYPE_CHECKING:
    from .conf import ConsensusConfig
    from .record import RunRecord

logger = logging.getLogger(__name__)

FAST_ROLE = "groq"
VALIDATOR_ROLE = "byteplus"
# The validator's request waits until the fast request is on the wire (or this many seconds): sent
# at the same moment, the two take turns on the event loop and the fast one leaves ~0.5 ms later.
VALIDATOR_HEAD_START = 0.05


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


@dataclass(slots=True)
class _Relay:
    failure: Failure | None = None  # set when the fast stream broke after its first piece
    finish_reason: str | None = None  # the fast stream's own, when it ended well


# An opened fast stream: its pieces, the first one, what it reports, when its request started.
_Opened = tuple[AsyncIterator[str], str, StreamOutcome, float]


@dataclass(slots=True)
class _Progress:
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
class _Validation:
    """The validator's supervised task and its progress."""

    task: asyncio.Task[Completion]
    progress: _Progress


class ConsensusEngine:
    """Runs one question through the fast model and the validator and decides the answer."""

    def __init__(
        self,
        *,
        fast: Provider,
        validator: Provider,
        policy: Policy | None = None,
        limits: Limits | None = None,
        circuit: Circuit | None = None,
        judge: Judge | None = None,
    ) -> None:
        self.fast = fast
        self.validator = validator
        self.policy = policy or Policy()
        self.limits = limits or Limits()
        self.circuit = circuit
        self.judge = judge

    @classmethod
    def from_config(cls, cfg: ConsensusConfig) -> ConsensusEngine:
        """The engine for the configured providers and numbers."""
        fast = build_provider(
            cfg.fast,
            stall_timeout=cfg.stall_timeout or 300.0,
            request_timeout=cfg.run_timeout or 600.0,
        )
        validator = build_provider(cfg.validator, request_timeout=cfg.run_timeout or 600.0)
        return cls(
            fast=fast,
            validator=validator,
            judge=Judge(validator, timeout=cfg.judge_timeout) if cfg.judge else None,
            policy=cfg.policy(),
            limits=Limits(
                validator_timeout=cfg.validator_timeout,
                validator_max=cfg.validator_max,
                first_token_timeout=cfg.first_token_timeout,
                stall_timeout=cfg.stall_timeout,
                run_timeout=cfg.run_timeout,
                retry_budget=cfg.retry_budget,
            ),
            circuit=Circuit(
                f"{cfg.fast.base_url}|{cfg.fast.model}",
                failures=cfg.circuit_failures,
                cooldown=cfg.circuit_cooldown,
            ),
        )

    def describe(self, record: RunRecord) -> None:
        """Name the providers and models actually used on the record."""
        record.fast_provider, record.fast_model = self.fast.name, self.fast.model
        record.validator_provider = self.validator.name
        record.validator_model = self.validator.model

    async def run(self, record: RunRecord) -> AsyncIterator[ev.Event]:
        """Yield the run's events, ending with exactly one `complete` or `error`."""
        self.describe(record)
        deadline = Deadline(record.started, self.limits)
        yield ev.Start(
            run_id=str(record.id),
            models=[self.fast.model, self.validator.model],
            roles={
                FAST_ROLE: {"provider": self.fast.name, "model": self.fast.model},
                VALIDATOR_ROLE: {"provider": self.validator.name, "model": self.validator.model},
            },
        )
        fast_sent = asyncio.Event()
        progress = _Progress()
        validation = _Validation(
            asyncio.create_task(
                self._validate(record, fast_sent, progress),
                name=f"consensus-validator-{record.id}",
            ),
            progress,
        )
        try:
            async for event in self._run(record, deadline, validation, fast_sent):
                yield event
        finally:
            await cancel_and_wait(validation.task)

    async def _run(
        self,
        record: RunRecord,
        deadline: Deadline,
        validation: _Validation,
        fast_sent: asyncio.Event,
    ) -> AsyncIterator[ev.Event]:
        validator = validation.task
        state = await self.circuit.before_call() if self.circuit else "closed"
        if state == "open":
            fast_sent.set()
            circuit_open = Failure(
                "circuit_open", f"{self.fast.name} failed repeatedly; answering with the validator"
            )
            async for event in self._fallback(record, deadline, validation, circuit_open):
                yield event
            return
        opened = await self._open_fast(record, deadline, validator, fast_sent.set)
        fast_sent.set()
        if isinstance(opened, Failure):
            await self._circuit_failure(record, opened)
            async for event in self._fallback(record, deadline, validation, opened):
                yield event
            return
        relay = _Relay()
        async for event in self._relay(record, deadline, opened, relay):
            yield event
        if relay.failure is not None:
            async for event in self._recover(record, deadline, validation, relay.failure):
                yield event
            return
        fast_cut = relay.finish_reason == "length"
        async for event in self._conclude(
            record, deadline, validation, record.fast_answer, fast_cut=fast_cut
        ):
            yield event

    async def _relay(
        self, record: RunRecord, deadline: Deadline, opened: _Opened, relay: _Relay
    ) -> AsyncIterator[ev.Event]:
        """Stream the fast answer to the user; `groq_complete` unless the stream broke (then
        `relay.failure` says why)."""
        pieces, first, outcome, started = opened
        if record.time_to_first_token is None:
            record.time_to_first_token = record.elapsed()
        try:
            piece = first
            while True:
                record.fast_pieces.append(piece)
                yield ev.Token(content=piece, model=FAST_ROLE)
                piece = await _next(pieces, deadline.next_chunk())
        except StopAsyncIteration:
            pass
        except (ProviderError, TimeoutError) as exc:
            relay.failure = self._mid_stream_failure(exc, deadline)
            error = exc if isinstance(exc, ProviderError) else TimeoutError(relay.failure.message)
            self._attempt(record, FAST_ROLE, started, error=error, usage=outcome.usage)
        finally:
            await _close(pieces)
        record.fast_duration = record.elapsed()
        record.fast_usage = outcome.usage
        if relay.failure is not None:
            await self._circuit_failure(record, relay.failure)
            return
        self._attempt(record, FAST_ROLE, started, usage=outcome.usage)
        relay.finish_reason = outcome.finish_reason
        if self.circuit:
            await self.circuit.record_success()
        fast_text = record.fast_answer
        yield ev.GroqComplete(content=fast_text, length=len(fast_text), model=self.fast.model)

    async def _open_fast(
        self,
        record: RunRecord,
        deadline: Deadline,
        validator: asyncio.Task[Completion],
        on_sent: Callable[[], None] | None,
    ) -> _Opened | Failure:
        """Start the fast stream and wait for its first piece, retrying what a retry can fix.

        While the validator may still answer, the first token has `first_token_timeout`; once
        the validator has failed, the fast model is the only one left: its first token gets the
        rest of the run's time, and so does a server's `Retry-After` (see `_may_retry`)."""
        retry_from: float | None = None  # the retry budget counts from the first failure
        for attempt in range(100):
            started = time.perf_counter()
            outcome = StreamOutcome(on_sent=on_sent)
            pieces = self.fast.stream(record.chat_request(), outcome)
            try:
                first = await self._first_piece(pieces, deadline, validator)
                return pieces, first, outcome, started
            except StopAsyncIteration:
                self._attempt(record, FAST_ROLE, started, status="empty", usage=outcome.usage)
                return Failure("empty_answer", f"{self.fast.name} sent an empty answer")
            except TimeoutError:
                await _close(pieces)
                failure = self._first_token_failure(deadline)
                self._attempt(record, FAST_ROLE, started, error=TimeoutError(failure.message))
                return failure
            except ProviderError as exc:
                await _close(pieces)
                self._attempt(record, FAST_ROLE, started, error=exc)
                retry_from = time.perf_counter() if retry_from is None else retry_from
                delay = _retry_delay(exc, attempt)
                hinted = isinstance(exc, ProviderHTTPError) and exc.retry_after is not None
                if delay is None or not self._may_retry(
                    delay, retry_from, deadline, validator, hinted=hinted
                ):
                    return Failure(_reason(exc), exc.user_message, fault_of(exc))
                logger.info("run %s: fast model %s, retrying in %.2fs", record.id, exc, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable: the retry budget ends the loop")

    async def _first_piece(
        self, pieces: AsyncIterator[str], deadline: Deadline, validator: asyncio.Task[Completion]
    ) -> str:
        """The stream's first piece within the first-token timeout, or within the run's time
        once the validator has failed (checked again the moment it fails)."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(None) as scope:
            waiting = True

            def limit(_: object = None) -> None:
                if not waiting or scope.expired():
                    return
                alone = _validator_failed(validator)
                left = deadline.remaining() if alone else deadline.first_token()
                scope.reschedule(None if left is None else loop.time() + left)

            limit()
            validator.add_done_callback(limit)
            try:
                return await anext(pieces)
            finally:
                waiting = False
                validator.remove_done_callback(limit)

    def _may_retry(
        self,
        delay: float,
        retry_from: float,
        deadline: Deadline,
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
        alone = _validator_failed(validator)
        if alone and hinted:
            return True
        if time.perf_counter() + delay > retry_from + self.limits.retry_budget:
            return False
        first = deadline.first_token()
        return alone or first is None or delay < first

    def _first_token_failure(self, deadline: Deadline) -> Failure:
        if deadline.expired():
            return Failure("run_timeout", self._run_limit_message())
        limit = self.limits.first_token_timeout
        return Failure(
            "first_token_timeout",
            f"{self.fast.name} sent no first token within {limit:g} s",
            "timeout",
        )

    def _mid_stream_failure(self, exc: BaseException, deadline: Deadline) -> Failure:
        if isinstance(exc, TimeoutError):
            if deadline.expired():
                return Failure("run_timeout", self._run_limit_message())
            limit = self.limits.stall_timeout
            return Failure("stall", f"{self.fast.name} stopped sending for {limit:g} s", "timeout")
        assert isinstance(exc, ProviderError)
        return Failure(_reason(exc), exc.user_message, fault_of(exc))

    def _run_limit_message(self) -> str:
        return f"the run's time limit ({self.limits.run_timeout:g} s) was reached"

    async def _validate(
        self, record: RunRecord, fast_sent: asyncio.Event, progress: _Progress
    ) -> Completion:
        """Ask the validator with `stream: true`, collecting its pieces into `progress`."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(VALIDATOR_HEAD_START):
                await fast_sent.wait()
        started = progress.last = time.perf_counter()
        outcome = StreamOutcome()
        pieces = self.validator.stream(record.chat_request(), outcome)
        try:
            async for piece in pieces:
                progress.add(piece)
        except asyncio.CancelledError:
            self._attempt(record, VALIDATOR_ROLE, started, status="cancelled", usage=outcome.usage)
            raise
        except Exception as exc:
            self._attempt(record, VALIDATOR_ROLE, started, error=exc, usage=outcome.usage)
            raise
        finally:
            await _close(pieces)
            record.validator_duration = record.elapsed()
        self._attempt(record, VALIDATOR_ROLE, started, usage=outcome.usage)
        completion = Completion(
            "".join(progress.pieces), self.validator.model, outcome.usage, outcome.finish_reason
        )
        record.validator_answer = completion.text
        record.validator_usage = completion.usage
        return completion

    async def _await_answer(
        self, validation: _Validation, deadline: Deadline, *, alone: bool, since: float
    ) -> Completion:
        """The validator's finished answer, or its error; TimeoutError (the task cancelled)
        once it sent nothing new for its timeout or ran past its cap (`Deadline.validator_wait`)."""
        while not validation.task.done():
            if not await _progressed(validation, deadline, since=since, alone=alone):
                await cancel_and_wait(validation.task)
                raise TimeoutError
        return validation.task.result()

    def _timeout_message(self, deadline: Deadline, *, alone: bool) -> str:
        """Which limit the validator ran into."""
        limits = self.limits
        if deadline.expired() or not (limits.validator_timeout or limits.validator_max):
            return f"{self.validator.name}: {self._run_limit_message()}"
        if deadline.validator_capped():
            return f"{self.validator.name} did not finish within {limits.validator_max:g} s"
        silence = limits.validator_timeout + (limits.validator_grace if alone else 0.0)
        return f"{self.validator.name} sent nothing for {silence:g} s"

    async def _conclude(
        self,
        record: RunRecord,
        deadline: Deadline,
        validation: _Validation,
        fast_text: str,
        *,
        fast_cut: bool = False,
    ) -> AsyncIterator[ev.Event]:
        try:
            completion = await self._await_answer(
                validation, deadline, alone=False, since=time.perf_counter()
            )
        except TimeoutError:
            capped = deadline.validator_capped()
            logger.warning(
                "run %s: validator timed out: %s",
                record.id,
                self._timeout_message(deadline, alone=False),
            )
            record.settle(RunStatus.VALIDATOR_TIMEOUT)
            yield ev.ByteplusTimeout(
                message=f"Using {self.fast.name} response only",
                timeout=self.limits.validator_max if capped else self.limits.validator_timeout,
            )
            yield self._finish(record, fast_text, self.policy.unvalidated)
            return
        except ProviderError as exc:
            logger.warning("run %s: validator failed: %s", record.id, exc)
            sentry_sdk.capture_exception(exc)
            record.settle(RunStatus.VALIDATOR_ERROR, error=exc.user_message)
            yield ev.ByteplusError(message=exc.user_message, reason=_reason(exc))
            yield self._finish(record, fast_text, self.policy.unvalidated)
            return
        # Empty, filtered or cut: no verdict, the fast answer stands. A cut is fair only when
        # the fast answer was cut at the same length limit (the asker's `max_tokens`).
        unusable = unusable_answer(completion, cut_ok=fast_cut)
        if unusable is not None:
            failure = self._unusable(record, unusable)
            logger.warning("run %s: validator answer unusable: %s", record.id, failure.message)
            record.settle(RunStatus.VALIDATOR_ERROR, error=failure.message)
            yield ev.ByteplusError(message=failure.message, reason=unusable)
            yield self._finish(record, fast_text, self.policy.unvalidated)
            return

        # Off the event loop (the sentence encoder can take tens of ms on long answers), so the
        # worker's other streams keep moving.
        agreement = await asyncio.to_thread(assess, fast_text, completion.text)
        if self.judge is not None and agreement.uncertain:
            agreement = await self.judge.review(fast_text, completion.text, agreement)
        score = agreement.score
        conflicts = [c.as_dict() for c in agreement.conflicts]
        record.similarity, record.conflicts = score, conflicts
        record.outcome, record.decided_by = agreement.outcome, agreement.decided_by
        record.added_facts = [a.as_dict() for a in agreement.added]
        record.merged_answer = [p.as_dict() for p in agreement.merged]
        yield ev.ByteplusComplete(
            similarity=score,
            byteplus_confidence=self.policy.validator_prior,
            band=agreement.band(self.policy),
            model=self.validator.model,
            conflicts=conflicts,
            outcome=agreement.outcome,
            added=record.added_facts,
            decided_by=agreement.decided_by,
            merged=record.merged_answer,
        )
        final = fast_text
        record.settle(RunStatus.COMPLETED)
        if agreement.corrects(self.policy):
            final = agreement.final_answer(fast_text, completion.text, self.policy)
            record.settle(RunStatus.CORRECTED, corrected=True, reason=agreement.reason)
            yield ev.Correction(
                reason=agreement.reason,
                original=fast_text,
                corrected=final,
                similarity=score,
                conflicts=conflicts,
            )
        yield self._finish(record, final, agreement.confidence(self.policy))

    async def _validator_answer(
        self,
        record: RunRecord,
        deadline: Deadline,
        validation: _Validation,
        *,
        cut_ok: bool,
        since: float | None = None,
    ) -> Completion | Failure:
        """The validator's answer when it is the only one left, or why there is none.

        Its silence may last its own timeout plus a grace (within its cap), not the rest of the
        run; with `cut_ok` an answer cut at the length limit is taken (better than nothing), but
        never an empty or filtered one."""
        started = time.perf_counter() if since is None else since
        try:
            completion = await self._await_answer(validation, deadline, alone=True, since=started)
        except TimeoutError:
            return Failure("timeout", self._timeout_message(deadline, alone=True))
        except ProviderError as exc:
            sentry_sdk.capture_exception(exc)
            return Failure(_reason(exc), exc.user_message)
        unusable = unusable_answer(completion, cut_ok=cut_ok)
        if unusable is not None:
            return self._unusable(record, unusable)
        return completion

    def _unusable(self, record: RunRecord, reason: str) -> Failure:
        """An answer the validator finished but that cannot stand: noted on its attempt."""
        for attempt in reversed(record.attempts):
            if attempt["role"] == VALIDATOR_ROLE:
                attempt["status"] = reason
                break
        return Failure(reason, f"{self.validator.name} {UNUSABLE[reason]}")

    async def _fallback(
        self,
        record: RunRecord,
        deadline: Deadline,
        validation: _Validation,
        failure: Failure,
    ) -> AsyncIterator[ev.Event]:
        """The fast model answered nothing: relay the validator's answer as it arrives."""
        logger.warning("run %s: falling back to the validator: %s", record.id, failure.message)
        yield ev.Fallback(
            from_=FAST_ROLE, to=VALIDATOR_ROLE, reason=failure.reason, message=failure.message
        )
        since, pieces, shown = time.perf_counter(), validation.progress.pieces, 0
        while True:
            while shown < len(pieces):
                if record.time_to_first_token is None:
                    record.time_to_first_token = record.elapsed()
                shown += 1
                yield ev.Token(content=pieces[shown - 1], model=VALIDATOR_ROLE)
            if validation.task.done():
                break
            if not await _progressed(validation, deadline, since=since, alone=True):
                break
        answer = await self._validator_answer(
            record, deadline, validation, cut_ok=True, since=since
        )
        if isinstance(answer, Failure):
            # Once its tokens were shown, another model's answer cannot follow them.
            if not shown and failure.reason in LAST_RESORT and not deadline.expired():
                async for event in self._last_resort(record, deadline, validation.task, answer):
                    yield event
                return
            yield self._fail(record, failure, answer.message)
            return
        record.settle(RunStatus.FALLBACK, error=_with_cut(failure.message, answer, self.validator))
        yield self._finish(record, answer.text, self.policy.unvalidated)

    async def _last_resort(
        self,
        record: RunRecord,
        deadline: Deadline,
        validator: asyncio.Task[Completion],
        validator_failure: Failure,
    ) -> AsyncIterator[ev.Event]:
        """The fast model was skipped (open circuit) or slow, and the validator failed: try the
        fast model once more with the rest of the run's time before giving up."""
        logger.warning(
            "run %s: validator failed during a fallback (%s); trying %s once more",
            record.id,
            validator_failure.message,
            self.fast.name,
        )
        yield ev.ByteplusError(message=validator_failure.message, reason=validator_failure.reason)
        opened = await self._open_fast(record, deadline, validator, None)
        if isinstance(opened, Failure):
            await self._circuit_failure(record, opened)
            yield self._fail(record, opened, validator_failure.message)
            return
        relay = _Relay()
        async for event in self._relay(record, deadline, opened, relay):
            yield event
        if relay.failure is not None:
            yield self._fail(record, relay.failure, validator_failure.message)
            return
        record.settle(RunStatus.VALIDATOR_ERROR, error=validator_failure.message)
        yield self._finish(record, record.fast_answer, self.policy.unvalidated)

    async def _recover(
        self,
        record: RunRecord,
        deadline: Deadline,
        validation: _Validation,
        failure: Failure,
    ) -> AsyncIterator[ev.Event]:
        """The fast stream broke after tokens were shown: never present them as complete."""
        logger.warning("run %s: fast stream broke: %s", record.id, failure.message)
        answer = await self._validator_answer(record, deadline, validation, cut_ok=True)
        if isinstance(answer, Failure):
            yield self._fail(record, failure, answer.message)
            return
        record.settle(
            RunStatus.CORRECTED,
            error=_with_cut(failure.message, answer, self.validator),
            corrected=True,
            reason="fast_model_failed",
        )
        yield ev.Correction(
            reason="fast_model_failed",
            original=record.fast_answer,
            corrected=answer.text,
            similarity=None,
        )
        yield self._finish(record, answer.text, self.policy.unvalidated)

    def _finish(self, record: RunRecord, final: str, confidence: float) -> ev.Complete:
        record.final_answer, record.confidence = final, confidence
        record.total_duration = record.elapsed()
        return ev.Complete(
            run_id=str(record.id),
            content=final,
            confidence=confidence,
            elapsed_time=round(record.total_duration, 4),
            status=record.status,
            corrected=record.corrected,
            similarity=record.similarity,
            usage=record.usage_payload(),
        )

    def _fail(self, record: RunRecord, failure: Failure, validator_error: str) -> ev.Error:
        message = (
            f"Both models failed. {failure.message.rstrip('.')}. {validator_error.rstrip('.')}."
        )
        logger.error("run %s: %s", record.id, message)
        sentry_sdk.capture_message("consensus run failed: both models failed", level="error")
        record.settle(RunStatus.FAILED, error=message)
        record.total_duration = record.elapsed()
        return ev.Error(message=message, run_id=str(record.id), code="models_unavailable")

    def _attempt(
        self,
        record: RunRecord,
        role: str,
        started: float,
        *,
        error: BaseException | None = None,
        status: str = "ok",
        usage: object = None,
    ) -> None:
        provider = self.fast if role == FAST_ROLE else self.validator
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

    async def _circuit_failure(self, record: RunRecord, failure: Failure) -> None:
        """Count an upstream fault; a timeout only by client and prompt (`circuit.py`)."""
        if self.circuit is None or failure.fault == "none":
            return
        if failure.fault == "timeout":
            await self.circuit.record_timeout(sources=_sources(record))
        else:
            await self.circuit.record_failure()


async def _progressed(
    validation: _Validation, deadline: Deadline, *, since: float, alone: bool
) -> bool:
    """Wait for the validator's next piece or its end: False once it was silent too long (from
    `since` or its last piece) or ran past its cap."""
    progress, task = validation.progress, validation.task
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


async def _next(pieces: AsyncIterator[str], limit: float | None) -> str:
    """The next piece of a stream, waiting at most `limit` seconds (None: no limit)."""
    if limit is None:
        return await anext(pieces)
    async with asyncio.timeout(limit):
        return await anext(pieces)


async def _close(pieces: AsyncIterator[str]) -> None:
    aclose = getattr(pieces, "aclose", None)
    if aclose is not None:
        await aclose()


def _sources(record: RunRecord) -> list[str]:
    """Who saw a timeout, for the circuit breaker: the prompt, and the client when known."""
    prompt = hashlib.sha256(record.prompt.encode()).hexdigest()[:16]
    return [f"prompt:{prompt}"] + ([f"client:{record.client_id}"] if record.client_id else [])


def _reason(exc: ProviderError) -> str:
    if isinstance(exc, ProviderHTTPError):
        if exc.status == 429:
            return "rate_limited"
        if exc.status >= 500:
            return "server_error"
        return "rejected"
    return exc.kind


def _retry_delay(exc: ProviderError, attempt: int) -> float | None:
    """Seconds to wait before retrying, or None when a retry cannot help."""
    if not exc.retryable:
        return None
    if isinstance(exc, ProviderHTTPError) and exc.retry_after is not None:
        return float(exc.retry_after)
    # Exponential backoff with jitter: 0.2, 0.4, 0.8 s ... (never hammering a 429 without a hint).
    return 0.2 * 2.0**attempt * random.uniform(0.8, 1.2)


def unusable_answer(completion: Completion, *, cut_ok: bool = False) -> str | None:
    """Why a validator answer cannot stand ("content_filter", "empty", "length"), or None."""
    if completion.finish_reason == "content_filter":
        return "content_filter"
    if not completion.text.strip():
        return "empty"
    if completion.finish_reason == "length" and not cut_ok:
        return "length"
    return None


def _validator_failed(task: asyncio.Task[Completion]) -> bool:
    """Has the validator ended without an answer a fallback could use?"""
    if not task.done() or task.cancelled():
        return False
    if task.exception() is not None:
        return True
    return unusable_answer(task.result(), cut_ok=True) is not None


def _with_cut(message: str, answer: Completion, validator: Provider) -> str:
    """The run's error text, noting a validator answer taken although cut at its length limit."""
    if answer.finish_reason != "length":
        return message
    return f"{message.rstrip('.')}. {validator.name} {UNUSABLE['length']}."


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
