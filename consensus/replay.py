"""The answer cache in front of the engine: a hit replays the cached answer as the run's events
without an upstream call; a miss runs the engine and caches what it validated.

Every edge starts runs through `streaming.hub.start_run`, which puts `CachingEngine` in front of
the engine when `CONSENSUS_CACHE_TTL` is set. A hit sends `start` and `complete` with
`cached: true`, the answer as `token` events (model as stored), `groq_complete`, and
`byteplus_complete` with the stored verdict; the run is saved with `cache_hit` set, the stored
verdict and confidence, and the hit's own timings. With extra validators (`CONSENSUS_VALIDATORS`,
part of the key) the hit also sends what they sent: `start.validators`, the first validator's
event as it was (`byteplus_complete`, or `byteplus_timeout` / `byteplus_error` when an extra one
decided), one `validator_complete` each, and `complete.validators`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
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
class CachedPanelStart(ev.PanelStart):
    """`start` of a run answered from the cache, with extra validators."""

    type: ClassVar[ev.EventType] = "start"
    cached: bool = True


@dataclass(frozen=True, slots=True)
class CachedPanelComplete(ev.PanelComplete):
    """`complete` of a run answered from the cache, with extra validators."""

    type: ClassVar[ev.EventType] = "complete"
    terminal: ClassVar[bool] = True
    cached: bool = True


@dataclass(frozen=True, slots=True)
class StoredVerdict(ev.Event):
    """`byteplus_complete` as it was sent when the answer was validated."""

    type: ClassVar[ev.EventType] = "byteplus_complete"
    fields_: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {"type": self.type, **self.fields_}


@dataclass(frozen=True, slots=True)
class StoredTimeout(StoredVerdict):
    """`byteplus_timeout` as it was sent (an extra validator's verdict was taken)."""

    type: ClassVar[ev.EventType] = "byteplus_timeout"


@dataclass(frozen=True, slots=True)
class StoredError(StoredVerdict):
    """`byteplus_error` as it was sent (an extra validator's verdict was taken)."""

    type: ClassVar[ev.EventType] = "byteplus_error"


@dataclass(frozen=True, slots=True)
class StoredValidator(StoredVerdict):
    """`validator_complete` of an extra validator, as it was sent."""

    type: ClassVar[ev.EventType] = "validator_complete"


STORED: dict[str, type[StoredVerdict]] = {
    "byteplus_complete": StoredVerdict,
    "byteplus_timeout": StoredTimeout,
    "byteplus_error": StoredError,
}


@dataclass(slots=True)
class Sent:
    """What a run sent that its cache entry keeps: the first validator's verdict step and,
    with extra validators, theirs."""

    first: dict[str, Any] | None = None
    start_validators: list[dict[str, Any]] = field(default_factory=list)
    extra_events: list[dict[str, Any]] = field(default_factory=list)
    panel: dict[str, Any] | None = None

    def note(self, event: ev.Event) -> None:
        if type(event) is ev.Token:  # nearly every event: one check on the token path
            return
        if isinstance(event, ev.ByteplusComplete | ev.ByteplusTimeout | ev.ByteplusError):
            self.first = event.payload()
        elif isinstance(event, ev.ValidatorComplete):
            self.extra_events.append(event.payload())
        elif isinstance(event, ev.PanelStart):
            self.start_validators = list(event.validators)
        elif isinstance(event, ev.PanelComplete):
            self.panel = dict(event.validators)

    def entry(self, record: RunRecord) -> CachedAnswer | None:
        if self.first is None:
            return None
        return CachedAnswer.of(
            record,
            self.first,
            start_validators=self.start_validators,
            extra_events=self.extra_events,
            panel=self.panel,
        )


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
            validators=[(extra.name, extra.model) for extra in self.engine.extras],
        )

    async def run(self, record: RunRecord) -> AsyncIterator[ev.Event]:
        """Yield the run's events, ending with exactly one `complete` or `error`."""
        key = self.key(record)
        hit = await answer_lookup(key)
        if hit is not None:
            for event in replay(hit, record):
                yield event
            return
        sent = Sent()
        events = self.engine.run(record)
        try:
            async for event in events:
                sent.note(event)
                yield event
        finally:
            await events.aclose()  # type: ignore[attr-defined]
        # Here only when the run ended on its own (not cancelled); the client does not see
        # `complete` before the hub has saved the run, so asking again right away is a hit.
        entry = sent.entry(record)
        if entry is not None:
            await answer_store(key, entry, ttl=self.ttl)


def replay(hit: CachedAnswer, record: RunRecord) -> list[ev.Event]:
    """A cached answer as the run's events, filling in `record` as the engine would."""
    record.cache_hit = True
    record.fast_provider, record.fast_model = hit.fast_provider, hit.fast_model
    record.validator_provider, record.validator_model = hit.validator_provider, hit.validator_model
    run_id = str(record.id)
    models = [hit.fast_model, hit.validator_model]
    roles = {
        FAST_ROLE: {"provider": hit.fast_provider, "model": hit.fast_model},
        VALIDATOR_ROLE: {"provider": hit.validator_provider, "model": hit.validator_model},
    }
    start: ev.Start
    if hit.start_validators:
        start = CachedPanelStart(
            run_id=run_id, models=models, roles=roles, validators=list(hit.start_validators)
        )
    else:
        start = CachedStart(run_id=run_id, models=models, roles=roles)
    answer = hit.final_answer
    tokens = [ev.Token(content=p, model=hit.answered_by) for p in _WORDS.findall(answer)]
    record.time_to_first_token = record.elapsed()
    record.fast_pieces = [hit.fast_answer]
    record.validator_answer = hit.validator_answer
    record.similarity, record.conflicts = hit.similarity, list(hit.conflicts)
    record.outcome = hit.outcome or str(hit.verdict.get("outcome", ""))
    record.validators = [dict(v) for v in hit.validators]
    record.added_facts, record.decided_by = list(hit.added_facts), hit.decided_by
    record.settle(RunStatus(hit.status), corrected=hit.corrected, reason=hit.correction_reason)
    record.final_answer, record.confidence = answer, hit.confidence
    record.fast_duration = record.total_duration = record.elapsed()
    complete: ev.Complete
    ends: dict[str, Any] = {
        "run_id": run_id,
        "content": answer,
        "confidence": hit.confidence,
        "elapsed_time": round(record.total_duration, 4),
        "status": record.status,
        "corrected": record.corrected,
        "similarity": record.similarity,
        "usage": record.usage_payload(),
    }
    if hit.panel is not None:
        complete = CachedPanelComplete(**ends, validators=dict(hit.panel))
    else:
        complete = CachedComplete(**ends)
    verdict = STORED[hit.first_event](fields_=hit.verdict)
    extras = [StoredValidator(fields_=fields) for fields in hit.extra_events]
    groq = ev.GroqComplete(content=answer, length=len(answer), model=hit.fast_model)
    return [start, *tokens, groq, verdict, *extras, complete]
