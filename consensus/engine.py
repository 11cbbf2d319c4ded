"""The consensus orchestration: the fast model streams while the validator runs as a supervised task.

`ConsensusEngine.run` yields typed events (see `events.py`) and fills in a `RunRecord`; it does no
I/O of its own besides the two providers. Cancelling the iteration (a client that leaves) cancels
both upstream calls before the cancellation propagates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import sentry_sdk

from . import events as ev
from .agreement import assess
from .confidence import Policy, band, consensus_confidence, merge, needs_correction
from .providers.base import Completion, Provider, StreamOutcome
from .providers.errors import ProviderError

if TYPE_CHECKING:
    from .conf import ConsensusConfig
    from .record import RunRecord

logger = logging.getLogger(__name__)

FAST_ROLE = "groq"
VALIDATOR_ROLE = "byteplus"


class ConsensusEngine:
    """Runs one question through the fast model and the validator and decides the answer."""

    def __init__(
        self,
        *,
        fast: Provider,
        validator: Provider,
        policy: Policy | None = None,
        validator_timeout: float = 10.0,
    ) -> None:
        self.fast = fast
        self.validator = validator
        self.policy = policy or Policy()
        self.validator_timeout = validator_timeout

    @classmethod
    def from_config(cls, cfg: ConsensusConfig) -> ConsensusEngine:
        """The engine for the configured providers and numbers."""
        from .providers.presets import build_provider

        return cls(
            fast=build_provider(cfg.fast),
            validator=build_provider(cfg.validator),
            policy=Policy(
                high_similarity=cfg.high_similarity,
                moderate_similarity=cfg.moderate_similarity,
                fast_weight=cfg.fast_weight,
                validator_weight=cfg.validator_weight,
                fast_prior=cfg.fast_prior,
                validator_prior=cfg.validator_prior,
                cap=cfg.confidence_cap,
                unvalidated=cfg.unvalidated_confidence,
            ),
            validator_timeout=cfg.validator_timeout,
        )

    def describe(self, record: RunRecord) -> None:
        """Name the providers and models actually used on the record."""
        record.fast_provider, record.fast_model = self.fast.name, self.fast.model
        record.validator_provider = self.validator.name
        record.validator_model = self.validator.model

    async def run(self, record: RunRecord) -> AsyncIterator[ev.Event]:
        """Yield the run's events, ending with exactly one `complete` or `error`."""
        self.describe(record)
        run_id = str(record.id)
        yield ev.Start(
            run_id=run_id,
            models=[self.fast.model, self.validator.model],
            roles={
                FAST_ROLE: {"provider": self.fast.name, "model": self.fast.model},
                VALIDATOR_ROLE: {"provider": self.validator.name, "model": self.validator.model},
            },
        )
        validator_task = asyncio.create_task(
            self._validate(record), name=f"consensus-validator-{run_id}"
        )
        try:
            try:
                async for token in self._relay_fast(record):
                    yield token
            except ProviderError as exc:
                yield self._fail(record, exc)
                return
            fast_text = record.fast_answer
            yield ev.GroqComplete(content=fast_text, length=len(fast_text), model=self.fast.model)
            async for event in self._conclude(record, validator_task):
                yield event
        finally:
            await cancel_and_wait(validator_task)

    async def _relay_fast(self, record: RunRecord) -> AsyncIterator[ev.Token]:
        outcome = StreamOutcome()
        stream = self.fast.stream(record.chat_request(), outcome)
        try:
            async with contextlib.aclosing(stream) as pieces:  # type: ignore[type-var]
                async for piece in pieces:
                    if record.time_to_first_token is None:
                        record.time_to_first_token = record.elapsed()
                    record.fast_pieces.append(piece)
                    yield ev.Token(content=piece, model=FAST_ROLE)
        finally:
            record.fast_duration = record.elapsed()
            record.fast_usage = outcome.usage

    async def _validate(self, record: RunRecord) -> Completion:
        try:
            completion = await self.validator.complete(record.chat_request())
        finally:
            record.validator_duration = record.elapsed()
        record.validator_answer = completion.text
        record.validator_usage = completion.usage
        return completion

    async def _conclude(
        self, record: RunRecord, validator_task: asyncio.Task[Completion]
    ) -> AsyncIterator[ev.Event]:
        fast_text = record.fast_answer
        timeout = self.validator_timeout or None
        try:
            completion = await asyncio.wait_for(validator_task, timeout)
        except TimeoutError:
            logger.warning("run %s: validator timed out after %ss", record.id, timeout)
            record.status = "validator_timeout"
            yield ev.ByteplusTimeout(
                message=f"Using {self.fast.name} response only", timeout=self.validator_timeout
            )
            yield self._finish(record, fast_text, self.policy.unvalidated)
            return
        except ProviderError as exc:
            logger.warning("run %s: validator failed: %s", record.id, exc)
            sentry_sdk.capture_exception(exc)
            record.status, record.error = "validator_error", exc.user_message
            yield ev.ByteplusError(message=exc.user_message)
            yield self._finish(record, fast_text, self.policy.unvalidated)
            return

        agreement = assess(fast_text, completion.text)
        score = agreement.score
        conflicts = [c.as_dict() for c in agreement.conflicts]
        record.similarity, record.conflicts = score, conflicts
        yield ev.ByteplusComplete(
            similarity=score,
            byteplus_confidence=self.policy.validator_prior,
            band=band(score, self.policy),
            model=self.validator.model,
            conflicts=conflicts,
        )
        final = fast_text
        record.status = "completed"
        if needs_correction(score, self.policy):
            final = merge(fast_text, completion.text, score, self.policy)
            record.status, record.corrected = "corrected", True
            record.correction_reason = agreement.reason
            yield ev.Correction(
                reason=agreement.reason,
                original=fast_text,
                corrected=final,
                similarity=score,
                conflicts=conflicts,
            )
        yield self._finish(record, final, consensus_confidence(score, self.policy))

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

    def _fail(self, record: RunRecord, exc: ProviderError) -> ev.Error:
        logger.warning("run %s: fast model failed: %s", record.id, exc)
        sentry_sdk.capture_exception(exc)
        record.status, record.error = "failed", exc.user_message
        record.total_duration = record.elapsed()
        return ev.Error(message=exc.user_message, run_id=str(record.id), code=exc.kind)


async def cancel_and_wait(task: asyncio.Task[object] | asyncio.Task[Completion]) -> None:
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
