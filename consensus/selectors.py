"""Reads: runs as the API shows them."""

from __future__ import annotations

import uuid
from typing import Any

from .models import ConsensusRun


async def run_get(*, run_id: uuid.UUID) -> ConsensusRun | None:
    """One run, or None."""
    return await ConsensusRun.objects.filter(id=run_id).afirst()


def run_to_dict(run: ConsensusRun) -> dict[str, Any]:
    """The JSON shape of `GET /api/consensus/runs/<id>`."""
    return {
        "id": str(run.id),
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "status": run.status,
        "source": run.source,
        "prompt": run.prompt,
        "system_prompt": run.system_prompt,
        "history": run.history,
        "parameters": run.parameters,
        "models": {
            "groq": {"provider": run.fast_provider, "model": run.fast_model},
            "byteplus": {"provider": run.validator_provider, "model": run.validator_model},
        },
        "fast_answer": run.fast_answer,
        "validator_answer": run.validator_answer,
        "final_answer": run.final_answer,
        "similarity": run.similarity,
        "corrected": run.corrected,
        "confidence": run.confidence,
        "correction_reason": run.correction_reason,
        "conflicts": run.conflicts,
        "outcome": run.outcome,
        "added_facts": run.added_facts,
        "merged_answer": run.merged_answer,
        "decided_by": run.decided_by,
        "cache_hit": run.cache_hit,
        "validators": run.validators,
        "error": run.error,
        "timings": {
            "time_to_first_token": run.time_to_first_token,
            "fast_duration": run.fast_duration,
            "validator_duration": run.validator_duration,
            "total_duration": run.total_duration,
        },
        "usage": {"groq": run.fast_usage, "byteplus": run.validator_usage},
        "attempts": run.attempts,
        "review": {
            "state": run.review_state,
            "reviewed_at": run.reviewed_at.isoformat() if run.reviewed_at else None,
            "note": run.review_note,
        },
    }
