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

More than one validator (`CONSENSUS_VALIDATORS`): the extra validators are asked with the first,
each a supervised task under the same time rules; once the fast answer is complete the verdict
follows the majority of those that answered in time (`validator_task.majority`), the correction
carries the answer of the first validator on the majority side, and the confidence averages the
band boosts of every answer (`validator_task.panel_confidence`). `byteplus_complete` (or its
timeout or error) still describes the first validator; one `validator_complete` per extra one
follows. A fallback or a broken fast stream uses the first validator only, as before.

The pieces it drives live next to it: `fast_stream.py` (opening the fast stream with retries,
relaying it), `validator_task.py` (the validator's supervised task, its progress and silence),
`faults.py` (classifying failures, retry decisions, attempt records, the circuit's count).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

import sentry_sdk

from . import events as ev
from .agreement import Policy
from .circuit import Circuit
from .deadline import Deadline, Limits
from .events import FAST_ROLE, VALIDATOR_ROLE
from .fast_stream import FastModel, Relay
from .faults import LAST_RESORT, Failure, count_fault, unusable_answer, with_cut
from .judge import Judge
from .providers.base import Completion, Provider
from .runtime import verdicts
from .status import RunStatus
from .upstreams import build_provider
from .validator_task import (
    EXTRA_VALIDATOR_ROLE,
    Answer,
    Validation,
    Vote,
    cancel_all_and_wait,
    cancel_and_wait,
    majority,
    panel_confidence,
)

if TYPE_CHECKING:
    from .conf import ConsensusConfig
    from .record import RunRecord

# Names imported from here (kept when their code moved out), and the head start tests patch here.
__all__ = [
    "FAST_ROLE",
    "VALIDATOR_HEAD_START",
    "VALIDATOR_ROLE",
    "ConsensusEngine",
    "cancel_and_wait",
    "unusable_answer",
]

logger = logging.getLogger(__name__)

# The fields of `validator_complete` that an extra validator's stored entry also has.
_VALIDATOR_COMPLETE_FIELDS = tuple(
    f.name for f in dataclasses.fields(ev.ValidatorComplete) if f.name != "usage"
)

# The validator's request waits until the fast request is on the wire (or this many seconds): sent
# at the same moment, the two take turns on the event loop and the fast one leaves ~0.5 ms later.
VALIDATOR_HEAD_START = 0.05


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
        extras: Sequence[Provider] = (),
    ) -> None:
        self.fast = fast
        self.validator = validator
        # The extra validators (`CONSENSUS_VALIDATORS`), asked next to the first, in order.
        self.extras = tuple(extras)
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
        extras = [
            build_provider(extra, request_timeout=cfg.run_timeout or 600.0)
            for extra in cfg.validators
        ]
        return cls(
            fast=fast,
            validator=validator,
            extras=extras,
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
        yield self._start(record)
        fast_sent = asyncio.Event()
        validation = Validation.start(
            self.validator, self.limits, record, fast_sent, head_start=VALIDATOR_HEAD_START
        )
        extras = [
            Validation.start(
                extra,
                self.limits,
                record,
                fast_sent,
                head_start=VALIDATOR_HEAD_START,
                role=EXTRA_VALIDATOR_ROLE,
            )
            for extra in self.extras
        ]
        try:
            async for event in self._run(record, deadline, validation, fast_sent, extras):
                yield event
        finally:
            await cancel_all_and_wait([validation.task, *(e.task for e in extras)])

    def _start(self, record: RunRecord) -> ev.Start:
        """`start`, naming the extra validators when there are any."""
        models = [self.fast.model, self.validator.model]
        roles = {
            FAST_ROLE: {"provider": self.fast.name, "model": self.fast.model},
            VALIDATOR_ROLE: {"provider": self.validator.name, "model": self.validator.model},
        }
        if not self.extras:
            return ev.Start(run_id=str(record.id), models=models, roles=roles)
        return ev.PanelStart(
            run_id=str(record.id),
            models=models,
            roles=roles,
            validators=[
                {"name": extra.name, "provider": extra.name, "model": extra.model}
                for extra in self.extras
            ],
        )

    def _fast_model(self) -> FastModel:
        return FastModel(self.fast, self.limits, self.circuit)

    async def _run(
        self,
        record: RunRecord,
        deadline: Deadline,
        validation: Validation,
        fast_sent: asyncio.Event,
        extras: Sequence[Validation] = (),
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
        opened = await self._fast_model().open(record, deadline, validator, fast_sent.set)
        fast_sent.set()
        if isinstance(opened, Failure):
            await count_fault(self.circuit, record, opened)
            async for event in self._fallback(record, deadline, validation, opened):
                yield event
            return
        relay = Relay()
        async for event in self._fast_model().relay(record, deadline, opened, relay):
            yield event
        if relay.failure is not None:
            async for event in self._recover(record, deadline, validation, relay.failure):
                yield event
            return
        fast_cut = relay.finish_reason == "length"
        async for event in self._conclude(
            record, deadline, [validation, *extras], record.fast_answer, fast_cut=fast_cut
        ):
            yield event

    async def _conclude(
        self,
        record: RunRecord,
        deadline: Deadline,
        validations: Sequence[Validation],
        fast_text: str,
        *,
        fast_cut: bool = False,
    ) -> AsyncIterator[ev.Event]:
        """The fast answer is complete: wait for the validators' answers (the first one, then
        any extra ones, all at once, each timed by its own silence), then decide; the fast
        answer stands when none of them sent a usable answer. Empty, filtered or cut answers
        draw no verdict; a cut is fair only when the fast answer was cut at the same length
        limit (the asker's `max_tokens`)."""
        answers = await asyncio.gather(
            *(v.settle(record, deadline, cut_ok=fast_cut) for v in validations)
        )
        first, extras = answers[0], answers[1:]
        self._note_failures(record, first, extras)
        answered = [a for a in answers if a.status == "answered"]
        await self._assess(answered, fast_text, record.prompt)
        vote = majority(answers, self.policy)
        yield self._first_event(first)
        for extra in extras:
            yield self._extra_event(extra)
        panel = vote.summary(asked=len(answers)) if extras else None
        if extras:
            record.validators = [a.entry(self.policy, decided=a is vote.decider) for a in answers]
        if vote.decider is None:
            yield self._finish(record, fast_text, self.policy.unvalidated, panel)
            return
        async for event in self._verdict(record, vote, fast_text, panel):
            yield event

    def _note_failures(self, record: RunRecord, first: Answer, extras: Sequence[Answer]) -> None:
        """Log the validators that sent no usable answer; the first one's failure settles the
        run's status (a verdict drawn from the extra validators settles it again)."""
        if first.failure is not None:
            if first.status == "timeout":
                logger.warning("run %s: validator timed out: %s", record.id, first.failure.message)
                record.settle(RunStatus.VALIDATOR_TIMEOUT)
            elif first.error is not None:
                logger.warning("run %s: validator failed: %s", record.id, first.error)
                sentry_sdk.capture_exception(first.error)
                record.settle(RunStatus.VALIDATOR_ERROR, error=first.failure.message)
            else:
                message = first.failure.message
                logger.warning("run %s: validator answer unusable: %s", record.id, message)
                record.settle(RunStatus.VALIDATOR_ERROR, error=message)
        for extra in extras:
            if extra.failure is not None:
                logger.warning(
                    "run %s: extra validator %s: %s (%s)",
                    record.id,
                    extra.provider.name,
                    extra.failure.message,
                    extra.status,
                )
                if extra.error is not None:
                    sentry_sdk.capture_exception(extra.error)

    async def _assess(self, answered: Sequence[Answer], fast_text: str, question: str) -> None:
        """Each answer's verdict on the fast answer (`agreement.assess`, given the asker's
        question), the judge asked about the uncertain ones."""
        # Off the event loop and off the worker's GIL: in the verdict process
        # (`consensus.runtime.verdicts`; the encoder can take tens of ms on long answers).
        for answer in answered:
            assert answer.completion is not None
            text = answer.completion.text
            answer.agreement = await verdicts.judge(fast_text, text, question=question)
        if self.judge is None:
            return
        judge = self.judge
        uncertain = [a for a in answered if a.agreement is not None and a.agreement.uncertain]

        async def review(answer: Answer) -> None:
            assert answer.agreement is not None
            assert answer.completion is not None
            text = answer.completion.text
            answer.agreement = await judge.review(fast_text, text, answer.agreement, question)

        await asyncio.gather(*(review(a) for a in uncertain))

    def _first_event(self, first: Answer) -> ev.Event:
        """What the first validator did: `byteplus_complete`, `byteplus_timeout` or
        `byteplus_error` (the event a client without extra validators knows)."""
        if first.failure is None:
            agreement = first.agreement
            assert agreement is not None
            return ev.ByteplusComplete(
                similarity=agreement.score,
                byteplus_confidence=self.policy.validator_prior,
                band=agreement.band(self.policy),
                model=self.validator.model,
                conflicts=[c.as_dict() for c in agreement.conflicts],
                outcome=agreement.outcome,
                added=[a.as_dict() for a in agreement.added],
                decided_by=agreement.decided_by,
                merged=[p.as_dict() for p in agreement.merged],
            )
        if first.status == "timeout":
            capped = first.capped
            return ev.ByteplusTimeout(
                message=f"Using {self.fast.name} response only",
                timeout=self.limits.validator_max if capped else self.limits.validator_timeout,
            )
        return ev.ByteplusError(message=first.failure.message, reason=first.failure.reason)

    def _extra_event(self, extra: Answer) -> ev.ValidatorComplete:
        """`validator_complete` for one extra validator: its stored entry (`Answer.entry`, the
        same fields on the run) plus its usage."""
        entry = extra.entry(self.policy, decided=False)
        usage = extra.completion.usage if extra.completion is not None else None
        return ev.ValidatorComplete(
            **{name: entry[name] for name in _VALIDATOR_COMPLETE_FIELDS},
            usage=usage.as_dict() if usage is not None else None,
        )

    async def _verdict(
        self, record: RunRecord, vote: Vote, fast_text: str, panel: dict[str, object] | None
    ) -> AsyncIterator[ev.Event]:
        """The verdict of the validator that decides (the first on the majority side): on the
        record, a `correction` when it corrects the fast answer, then `complete`."""
        decider = vote.decider
        assert decider is not None
        assert decider.agreement is not None
        assert decider.completion is not None
        agreement = decider.agreement
        score = agreement.score
        conflicts = [c.as_dict() for c in agreement.conflicts]
        record.similarity, record.conflicts = score, conflicts
        record.outcome, record.decided_by = agreement.outcome, agreement.decided_by
        record.added_facts = [a.as_dict() for a in agreement.added]
        record.merged_answer = [p.as_dict() for p in agreement.merged]
        final = fast_text
        record.settle(RunStatus.COMPLETED)
        if agreement.corrects(self.policy):
            final = agreement.final_answer(fast_text, decider.completion.text, self.policy)
            record.settle(RunStatus.CORRECTED, corrected=True, reason=agreement.reason)
            yield ev.Correction(
                reason=agreement.reason,
                original=fast_text,
                corrected=final,
                similarity=score,
                conflicts=conflicts,
            )
        # The design's formula with one answer, the mean band boost over several.
        scores = [a.agreement.score for a in vote.answered if a.agreement is not None]
        yield self._finish(record, final, panel_confidence(scores, self.policy), panel)

    async def _fallback(
        self,
        record: RunRecord,
        deadline: Deadline,
        validation: Validation,
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
            if not await validation.progressed(deadline, since=since, alone=True):
                break
        answer = await validation.answer_alone(record, deadline, cut_ok=True, since=since)
        if isinstance(answer, Failure):
            # Once its tokens were shown, another model's answer cannot follow them.
            if not shown and failure.reason in LAST_RESORT and not deadline.expired():
                async for event in self._last_resort(record, deadline, validation.task, answer):
                    yield event
                return
            yield self._fail(record, failure, answer.message)
            return
        record.settle(RunStatus.FALLBACK, error=with_cut(failure.message, answer, self.validator))
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
        opened = await self._fast_model().open(record, deadline, validator, None)
        if isinstance(opened, Failure):
            await count_fault(self.circuit, record, opened)
            yield self._fail(record, opened, validator_failure.message)
            return
        relay = Relay()
        async for event in self._fast_model().relay(record, deadline, opened, relay):
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
        validation: Validation,
        failure: Failure,
    ) -> AsyncIterator[ev.Event]:
        """The fast stream broke after tokens were shown: never present them as complete."""
        logger.warning("run %s: fast stream broke: %s", record.id, failure.message)
        answer = await validation.answer_alone(record, deadline, cut_ok=True)
        if isinstance(answer, Failure):
            yield self._fail(record, failure, answer.message)
            return
        record.settle(
            RunStatus.CORRECTED,
            error=with_cut(failure.message, answer, self.validator),
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

    def _finish(
        self,
        record: RunRecord,
        final: str,
        confidence: float,
        panel: dict[str, object] | None = None,
    ) -> ev.Complete:
        """`complete`; with `panel` (a verdict drawn with extra validators) it sums up the vote."""
        record.final_answer, record.confidence = final, confidence
        record.total_duration = record.elapsed()
        complete = ev.Complete(
            run_id=str(record.id),
            content=final,
            confidence=confidence,
            elapsed_time=round(record.total_duration, 4),
            status=record.status,
            corrected=record.corrected,
            similarity=record.similarity,
            usage=record.usage_payload(),
        )
        if panel is None:
            return complete
        return ev.PanelComplete(
            run_id=complete.run_id,
            content=final,
            confidence=confidence,
            elapsed_time=complete.elapsed_time,
            status=record.status,
            corrected=record.corrected,
            similarity=record.similarity,
            usage=complete.usage,
            timestamp=complete.timestamp,
            validators=panel,
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
