"""The answer cache in front of the engine: a hit replays the cached answer as the run's events
without an upstream call; a miss runs the engine and caches what it validated.

Every edge starts runs through `streaming.hub.start_run`, which puts `CachingEngine` in front of
the engine when `CONSENSUS_CACHE_TTL` is set. A hit sends `start` and `complete` with
`cached: true`, the answer as `token` events (model as stored), `groq_complete`, and
`byteplus_complete` with the stored verdict; the run is saved with `cache_hit` set, the stored
verdict and confidence, and the hit's own timings.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, ClassVar

from . import events as ev
from .cache import CachedAnswer, answer_lookup, answer_store, record_key
from .engine import FAST_ROLE, VALIDATOR_ROLE, ConsensusEngine
from .record import RunRecord
from .status import RunStatus

_WORDS = re.compile(r"\s*\S+\s*")


@dataclass(frozen=True, slots=True)
class CachedStart(ev.Start):
    """`start` of a run answered from the cache."""

    type: ClassVar[ev.EventType] = "start"
    cached: bool = True


@dataclass(frozen=True, slots=True)
class CachedComplete(ev.Complete):
    """`complete` of a run answered from the cache."""

    type: ClassVar[ev.EventType] = "complete"
    terminal: ClassVar[bool] = True
    cached: bool = True


@dataclass(frozen=True, slots=True)
class StoredVerdict(ev.Event):
    """`byteplus_complete` as it was sent when the answer was validated."""

    type: ClassVar[ev.EventType] = "byteplus_complete"
    fields_: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {"type": "byteplus_complete", **self.fields_}


class CachingEngine:
    """`ConsensusEngine` with the answer cache in front (same `run` contract)."""

    def __init__(self, engine: ConsensusEngine, *, ttl: int) -> None:
        self.engine = engine
        self.ttl = ttl

    def key(self, record: RunRecord) -> str:
        return record_key(
            record,
            fast_model=self.engine.fast.model,
            validator_model=self.engine.validator.model,
            policy=self.engine.policy,
        )

    async def run(self, record: RunRecord) -> AsyncIterator[ev.Event]:
        """Yield the run's events, ending with exactly one `complete` or `error`."""
        key = self.key(record)
        hit = await answer_lookup(key)
        if hit is not None:
            for event in replay(hit, record):
                yield event
            return
        verdict: dict[str, Any] | None = None
        events = self.engine.run(record)
        try:
            async for event in events:
                if isinstance(event, ev.ByteplusComplete):
                    verdict = event.payload()
                yield event
        finally:
            await events.aclose()  # type: ignore[attr-defined]
        # Here only when the run ended on its own (not cancelled); the client does not see
        # `complete` before the hub has saved the run, so asking again right away is a hit.
        entry = CachedAnswer.of(record, verdict) if verdict is not None else None
        if entry is not None:
            await answer_store(key, entry, ttl=self.ttl)


def replay(hit: CachedAnswer, record: RunRecord) -> list[ev.Event]:
    """A cached answer as the run's events, filling in `record` as the engine would."""
    record.cache_hit = True
    record.fast_provider, record.fast_model = hit.fast_provider, hit.fast_model
    record.validator_provider, record.validator_model = hit.validator_provider, hit.validator_model
    run_id = str(record.id)
    start = CachedStart(
        run_id=run_id,
        models=[hit.fast_model, hit.validator_model],
        roles={
            FAST_ROLE: {"provider": hit.fast_provider, "model": hit.fast_model},
            VALIDATOR_ROLE: {"provider": hit.validator_provider, "model": hit.validator_model},
        },
    )
    answer = hit.final_answer
    tokens = [ev.Token(content=p, model=hit.answered_by) for p in _WORDS.findall(answer)]
    record.time_to_first_token = record.elapsed()
    record.fast_pieces = [hit.fast_answer]
    record.validator_answer = hit.validator_answer
    record.similarity, record.conflicts = hit.similarity, list(hit.conflicts)
    record.outcome = str(hit.verdict.get("outcome", ""))
    record.added_facts, record.decided_by = list(hit.added_facts), hit.decided_by
    record.settle(RunStatus(hit.status), corrected=hit.corrected, reason=hit.correction_reason)
    record.final_answer, record.confidence = answer, hit.confidence
    record.fast_duration = record.total_duration = record.elapsed()
    complete = CachedComplete(
        run_id=run_id,
        content=answer,
        confidence=hit.confidence,
        elapsed_time=round(record.total_duration, 4),
        status=record.status,
        corrected=record.corrected,
        similarity=record.similarity,
        usage=record.usage_payload(),
    )
    verdict = StoredVerdict(fields_=hit.verdict)
    groq = ev.GroqComplete(content=answer, length=len(answer), model=hit.fast_model)
    return [start, *tokens, groq, verdict, complete]
