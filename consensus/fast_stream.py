"""The fast model's stream: opened with retries, then relayed to the user piece by piece.

`FastModel.open` waits for the first piece within the first-token timeout (the run's time once
the validator has failed), retrying what a retry can fix (`faults.may_retry`); `FastModel.relay`
yields the pieces as `token` events and ends with `groq_complete` unless the stream broke.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import events as ev
from .circuit import Circuit, fault_of
from .deadline import Deadline, Limits
from .events import FAST_ROLE
from .faults import (
    Failure,
    count_fault,
    first_token_failure,
    may_retry,
    mid_stream_failure,
    note_attempt,
    reason_of,
    retry_delay,
    validator_failed,
)
from .providers.base import Completion, Provider, StreamOutcome
from .providers.errors import ProviderError, ProviderHTTPError
from .providers.pieces import close_stream, next_piece

if TYPE_CHECKING:
    from .record import RunRecord

logger = logging.getLogger(__name__)

# An opened fast stream: its pieces, the first one, what it reports, when its request started.
Opened = tuple[AsyncIterator[str], str, StreamOutcome, float]


@dataclass(slots=True)
class Relay:
    """How a relayed fast stream ended."""

    failure: Failure | None = None  # set when the fast stream broke after its first piece
    finish_reason: str | None = None  # the fast stream's own, when it ended well


@dataclass(frozen=True, slots=True)
class FastModel:
    """The fast provider with the limits and circuit breaker its calls keep."""

    provider: Provider
    limits: Limits
    circuit: Circuit | None

    async def open(
        self,
        record: RunRecord,
        deadline: Deadline,
        validator: asyncio.Task[Completion],
        on_sent: Callable[[], None] | None,
    ) -> Opened | Failure:
        """Start the fast stream and wait for its first piece, retrying what a retry can fix.

        While the validator may still answer, the first token has `first_token_timeout`; once
        the validator has failed, the fast model is the only one left: its first token gets the
        rest of the run's time, and so does a server's `Retry-After` (see `faults.may_retry`)."""
        retry_from: float | None = None  # the retry budget counts from the first failure
        for attempt in range(100):
            started = time.perf_counter()
            outcome = StreamOutcome(on_sent=on_sent)
            pieces = self.provider.stream(record.chat_request(), outcome)
            try:
                first = await self._first_piece(pieces, deadline, validator)
                return pieces, first, outcome, started
            except StopAsyncIteration:
                self._attempt(record, started, status="empty", usage=outcome.usage)
                return Failure("empty_answer", f"{self.provider.name} sent an empty answer")
            except TimeoutError:
                await close_stream(pieces)
                failure = first_token_failure(deadline, self.limits, self.provider)
                self._attempt(record, started, error=TimeoutError(failure.message))
                return failure
            except ProviderError as exc:
                await close_stream(pieces)
                self._attempt(record, started, error=exc)
                retry_from = time.perf_counter() if retry_from is None else retry_from
                delay = retry_delay(exc, attempt)
                hinted = isinstance(exc, ProviderHTTPError) and exc.retry_after is not None
                if delay is None or not may_retry(
                    delay, retry_from, deadline, self.limits, validator, hinted=hinted
                ):
                    return Failure(reason_of(exc), exc.user_message, fault_of(exc))
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
                alone = validator_failed(validator)
                left = deadline.remaining() if alone else deadline.first_token()
                scope.reschedule(None if left is None else loop.time() + left)

            limit()
            validator.add_done_callback(limit)
            try:
                return await anext(pieces)
            finally:
                waiting = False
                validator.remove_done_callback(limit)

    async def relay(
        self, record: RunRecord, deadline: Deadline, opened: Opened, relay: Relay
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
                piece = await next_piece(pieces, deadline.next_chunk())
        except StopAsyncIteration:
            pass
        except (ProviderError, TimeoutError) as exc:
            relay.failure = mid_stream_failure(exc, deadline, self.limits, self.provider)
            error = exc if isinstance(exc, ProviderError) else TimeoutError(relay.failure.message)
            self._attempt(record, started, error=error, usage=outcome.usage)
        finally:
            await close_stream(pieces)
        record.fast_duration = record.elapsed()
        record.fast_usage = outcome.usage
        if relay.failure is not None:
            await count_fault(self.circuit, record, relay.failure)
            return
        self._attempt(record, started, usage=outcome.usage)
        relay.finish_reason = outcome.finish_reason
        if self.circuit:
            await self.circuit.record_success()
        fast_text = record.fast_answer
        yield ev.GroqComplete(content=fast_text, length=len(fast_text), model=self.provider.model)

    def _attempt(
        self,
        record: RunRecord,
        started: float,
        *,
        error: BaseException | None = None,
        status: str = "ok",
        usage: object = None,
    ) -> None:
        note_attempt(
            record, FAST_ROLE, self.provider, started, error=error, status=status, usage=usage
        )
