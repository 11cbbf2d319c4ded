"""Writes: turning a finished (or abandoned) `RunRecord` into a `ConsensusRun` row."""

from __future__ import annotations

import logging

from django.utils import timezone

from .models import ConsensusRun
from .record import RunRecord

logger = logging.getLogger(__name__)


def run_fields(record: RunRecord) -> dict[str, object]:
    """The model fields for a record."""
    return {
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
        "attempts": record.attempts,
        "client_id": record.client_id,
        "finished_at": timezone.now(),
    }


async def run_save(*, record: RunRecord) -> ConsensusRun:
    """Store the run (one write per run, after its stream is over)."""
    if record.total_duration is None:
        record.total_duration = record.elapsed()
    run, _ = await ConsensusRun.objects.aupdate_or_create(id=record.id, defaults=run_fields(record))
    logger.info("run %s saved: %s", record.id, record.status)
    return run
