"""The answer cache: a question already answered and validated is answered again without a model
call.

Keyed by the normalised question (Unicode NFKC, case-folded, whitespace collapsed) with its
history and system prompt, both model ids, the extra validators (`CONSENSUS_VALIDATORS`: names
and models, in order), the settings that change the answer (temperature, max_tokens) and the
verdict's policy, hashed. Only a run that completed with a verdict (agree, supplement, or
conflict: then the corrected answer) is stored; with extra validators, also one whose first
validator gave none but an extra one decided. The entries live in the Django
cache (Redis when `REDIS_URL` is set, else the process's local memory) for
`CONSENSUS_CACHE_TTL` seconds. A cache that is down never fails a run: it is a miss.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson
from django.core.cache import cache

from .agreement.confidence import Policy
from .events import VALIDATOR_ROLE
from .record import RunRecord
from .status import RunStatus

logger = logging.getLogger(__name__)

KEY_VERSION = "v1"  # part of every key: a change of the key or the entry starts afresh
VERDICTS = frozenset({"agree", "supplement", "conflict"})
CACHEABLE = frozenset({RunStatus.COMPLETED, RunStatus.CORRECTED})
# A lookup sits before the first upstream request: a slow or queued cache counts as a miss.
LOOKUP_TIMEOUT = 0.25
# What the first validator's verdict step may have sent (`byteplus_complete` when it answered).
FIRST_EVENTS = frozenset({"byteplus_complete", "byteplus_timeout", "byteplus_error"})


def normalise(text: str) -> str:
    """The form two questions share when they differ only in case, spacing or Unicode form."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def answer_key(
    *,
    prompt: str,
    system_prompt: str,
    history: Iterable[Mapping[str, Any]],
    fast_model: str,
    validator_model: str,
    temperature: float,
    max_tokens: int,
    policy: Policy,
    validators: Sequence[tuple[str, str]] = (),
) -> str:
    """The cache key of a question as asked of these models with these settings.

    `validators`: the extra validators as (name, model), in their configured order (the order
    breaks ties). None: the key is the one it was before extra validators existed, so the
    answers cached under a single validator stay valid."""
    material: dict[str, Any] = {
        "prompt": normalise(prompt),
        "system": normalise(system_prompt),
        "history": [
            [str(m.get("role", "")), normalise(str(m.get("content", "")))] for m in history
        ],
        "models": [fast_model, validator_model],
        "temperature": float(temperature),
        "max_tokens": int(max_tokens),
        "policy": asdict(policy),
    }
    if validators:
        material["validators"] = [[str(name), str(model)] for name, model in validators]
    digest = hashlib.sha256(orjson.dumps(material, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return f"consensus:answer:{KEY_VERSION}:{digest}"


def stored_validators(entries: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The extra validators, as (name, model), of a run's `validators` (`ConsensusRun.validators`,
    `RunRecord.validators`): the key's `validators` for a stored run."""
    return [
        (str(e.get("name", "")), str(e.get("model", "")))
        for e in entries
        if e.get("role") != VALIDATOR_ROLE  # the first validator's entry
    ]


def record_key(
    record: RunRecord,
    *,
    fast_model: str,
    validator_model: str,
    policy: Policy,
    validators: Sequence[tuple[str, str]] = (),
) -> str:
    """The cache key of a run's question."""
    return answer_key(
        prompt=record.prompt,
        system_prompt=record.system_prompt,
        history=record.history,
        fast_model=fast_model,
        validator_model=validator_model,
        temperature=record.temperature,
        max_tokens=record.max_tokens,
        policy=policy,
        validators=validators,
    )


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """What a hit replays and stores: the answer, the verdict as sent, and the two answers; with
    extra validators, also their events as sent and every validator's entry for the run."""

    final_answer: str
    answered_by: str  # the role whose words the answer is ("groq", or "byteplus" if corrected)
    status: str
    corrected: bool
    correction_reason: str
    confidence: float
    similarity: float | None
    # The first validator's event without its type: the byteplus_complete payload, or with extra
    # validators the byteplus_timeout / byteplus_error that an extra validator's verdict followed.
    verdict: dict[str, Any]
    fast_provider: str
    fast_model: str
    validator_provider: str
    validator_model: str
    fast_answer: str
    validator_answer: str
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    added_facts: list[dict[str, str]] = field(default_factory=list)
    decided_by: str = ""
    # With extra validators (empty / None otherwise, and in entries stored before them):
    first_event: str = "byteplus_complete"  # the type of `verdict`
    outcome: str = ""  # the run's outcome (the deciding validator's)
    start_validators: list[dict[str, Any]] = field(default_factory=list)  # start.validators
    extra_events: list[dict[str, Any]] = field(default_factory=list)  # validator_complete, no type
    panel: dict[str, Any] | None = None  # complete.validators: how they voted
    validators: list[dict[str, Any]] = field(default_factory=list)  # the run's `validators`

    @classmethod
    def of(
        cls,
        record: RunRecord,
        verdict: Mapping[str, Any],
        *,
        start_validators: Sequence[Mapping[str, Any]] = (),
        extra_events: Sequence[Mapping[str, Any]] = (),
        panel: Mapping[str, Any] | None = None,
    ) -> CachedAnswer | None:
        """The entry for a finished run, or None when it may not be cached (failed, aborted,
        fallback, unvalidated, or no verdict). `verdict` is the first validator's event as sent
        (with its type); the keywords are what a run with extra validators sent besides."""
        if record.status not in CACHEABLE or record.outcome not in VERDICTS:
            return None
        if record.confidence is None or not record.final_answer.strip():
            return None
        first_event = str(verdict.get("type", "byteplus_complete"))
        if first_event not in FIRST_EVENTS:
            return None
        # The first validator gave no verdict: the run has one only if an extra validator's was
        # taken (a validated run like any other, so it is cached like any other).
        if first_event != "byteplus_complete" and not (panel and panel.get("decided_by")):
            return None
        return cls(
            final_answer=record.final_answer,
            answered_by="byteplus" if record.corrected else "groq",
            status=str(record.status),
            corrected=record.corrected,
            correction_reason=record.correction_reason,
            confidence=record.confidence,
            similarity=record.similarity,
            verdict={k: v for k, v in verdict.items() if k != "type"},
            fast_provider=record.fast_provider,
            fast_model=record.fast_model,
            validator_provider=record.validator_provider,
            validator_model=record.validator_model,
            fast_answer=record.fast_answer,
            validator_answer=record.validator_answer,
            conflicts=list(record.conflicts),
            added_facts=list(record.added_facts),
            decided_by=record.decided_by,
            first_event=first_event,
            outcome=record.outcome,
            start_validators=[dict(v) for v in start_validators],
            extra_events=[{k: v for k, v in e.items() if k != "type"} for e in extra_events],
            panel=dict(panel) if panel is not None else None,
            validators=list(record.validators),
        )

    @classmethod
    def parse(cls, raw: object) -> CachedAnswer | None:
        """An entry read back, or None when it is not one (another version, damaged)."""
        if not isinstance(raw, dict):
            return None
        try:
            entry = cls(**raw)
        except TypeError:
            return None
        if entry.status not in CACHEABLE or entry.first_event not in FIRST_EVENTS:
            return None
        if (entry.outcome or entry.verdict.get("outcome")) not in VERDICTS:
            return None
        return entry

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def answer_lookup(key: str) -> CachedAnswer | None:
    """The cached answer under `key`; None on a miss, and when the cache is down or slow."""
    try:
        async with asyncio.timeout(LOOKUP_TIMEOUT):
            raw = await cache.aget(key)
    except Exception:
        logger.warning("answer cache: lookup failed, answering afresh", exc_info=True)
        return None
    return CachedAnswer.parse(raw)


async def answer_store(key: str, entry: CachedAnswer, *, ttl: int) -> bool:
    """Keep `entry` under `key` for `ttl` seconds; False when the cache would not take it."""
    try:
        await cache.aset(key, entry.as_dict(), timeout=ttl)
    except Exception:
        logger.warning("answer cache: could not store an answer", exc_info=True)
        return False
    return True


def answers_evict(keys: Iterable[str]) -> None:
    """Drop these entries (sync: the admin's review actions)."""
    keys = list(keys)
    if keys:
        cache.delete_many(keys)
