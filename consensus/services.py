"""Writes: turning a finished (or abandoned) `RunRecord` into a `ConsensusRun` row."""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.utils import timezone

from . import spool
from .conf import get_config
from .models import ConsensusRun
from .record import RunRecord

logger = logging.getLogger(__name__)

# Pauses between save attempts while the database is unreachable, and a bound on all of them
# (a connection attempt can hang); after that the run is spooled.
SAVE_RETRY_PAUSES = (0.1, 0.5)
SAVE_DEADLINE = 5.0


def run_fields(record: RunRecord) -> dict[str, object]:
    """The model fields for a record."""
    return {
        "created_at": record.created_at,
        "prompt": record.prompt,
        "system_prompt": record.system_prompt,
        "history": record.history,
        "parameters": {"temperature": record.temperature, "max_tokens": record.max_tokens},
        "fast_provider": record.fast_provider,
        "fast_model": record.fast_model,
        "validator_provider": record.validator_provider,
        "validator_model": record.validator_model,
        "fast_answer": record.fast_answer,
        "validator_answer": record.validator_answer,
        "final_answer": record.final_answer,
        "similarity": record.similarity,
        "corrected": record.corrected,
        "confidence": record.confidence,
        "status": record.status,
        "error": record.error,
        "time_to_first_token": record.time_to_first_token,
        "fast_duration": record.fast_duration,
        "validator_duration": record.validator_duration,
        "total_duration": record.total_duration,
        "fast_usage": record.fast_usage.as_dict() if record.fast_usage else None,
        "validator_usage": record.validator_usage.as_dict() if record.validator_usage else None,
        "conflicts": record.conflicts,
        "correction_reason": record.correction_reason,
        "outcome": record.outcome,
        "added_facts": record.added_facts,
        "merged_answer": record.merged_answer,
        "decided_by": record.decided_by,
        "attempts": record.attempts,
        "client_id": record.client_id,
        "source": record.source,
        "cache_hit": record.cache_hit,
        "validators": record.validators,
        "finished_at": timezone.now(),
    }


async def run_save(*, record: RunRecord) -> ConsensusRun | None:
    """Store the run (one write per run, after its stream is over). While the database is
    unreachable the write is retried briefly, then the run is spooled to a file for
    `manage.py replay_spool` (and None returned)."""
    if record.total_duration is None:
        record.total_duration = record.elapsed()
    fields = run_fields(record)
    try:
        async with asyncio.timeout(SAVE_DEADLINE):
            run = await _store_with_retries(record, fields)
    except (TimeoutError, DatabaseError) as exc:
        logger.error("run %s: could not be saved (%s: %s)", record.id, type(exc).__name__, exc)
        await run_spool(record=record, fields=fields)
        return None
    logger.info("run %s saved: %s", record.id, record.status)
    return run


async def _store_with_retries(record: RunRecord, fields: dict[str, object]) -> ConsensusRun:
    for attempt, pause in enumerate(SAVE_RETRY_PAUSES, start=1):
        try:
            return await _store(record, fields)
        except (OperationalError, InterfaceError) as exc:  # unreachable: worth another try
            logger.warning("run %s: save attempt %d failed: %s", record.id, attempt, exc)
        await asyncio.sleep(pause)
        await sync_to_async(close_old_connections)()  # drop the broken connection
    return await _store(record, fields)


async def _store(record: RunRecord, fields: dict[str, object]) -> ConsensusRun:
    """One `INSERT ... ON CONFLICT (id) DO UPDATE` statement (SQLite and PostgreSQL).

    `update_or_create` took a transaction, a `SELECT ... FOR UPDATE` and then the `INSERT`:
    three round trips and about twice the CPU, spent in the save thread right when the worker
    accepts the client's next question (README "Performance"). The upsert keeps a retried save
    (after a commit whose acknowledgement was lost) idempotent all the same.
    """
    run = ConsensusRun(id=record.id, **fields)
    await ConsensusRun.objects.abulk_create(
        [run], update_conflicts=True, unique_fields=["id"], update_fields=list(fields)
    )
    return run


async def run_spool(*, record: RunRecord, fields: dict[str, object]) -> None:
    """Keep a run the database would not take in the spool directory."""
    path = await asyncio.to_thread(
        spool.spool_write,
        directory=get_config().spool_dir,
        run_id=record.id,
        fields=fields,
        created_at=record.created_at,
    )
    logger.error("run %s: database unreachable, spooled to %s", record.id, path)
