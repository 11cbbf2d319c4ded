"""The live feed of finished runs: one message per saved run to the channel layer group "runs".

The admin dashboard subscribes through `consumers.RunFeedConsumer` (`/ws/runs/`, staff only).
In-memory channel layer by default (one process), Redis when `REDIS_URL` is set (all workers).
Publishing never fails a run: a layer error is logged and dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.layers import get_channel_layer

from ..record import RunRecord

logger = logging.getLogger(__name__)

RUNS_GROUP = "runs"
MESSAGE_TYPE = "run.finished"  # handled by RunFeedConsumer.run_finished
PREVIEW_CHARS = 200


def run_summary(record: RunRecord) -> dict[str, Any]:
    """What the dashboard shows for a finished run (answers and history stay in the admin)."""
    return {
        "run_id": str(record.id),
        "status": record.status,
        "prompt": record.prompt[:PREVIEW_CHARS],
        "confidence": record.confidence,
        "similarity": record.similarity,
        "corrected": record.corrected,
        "fast_model": record.fast_model,
        "validator_model": record.validator_model,
        "time_to_first_token": record.time_to_first_token,
        "total_duration": record.total_duration,
        "error": record.error,
    }


async def publish_run_finished(record: RunRecord) -> None:
    """Tell every dashboard subscribed to the feed that `record` was saved."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(RUNS_GROUP, {"type": MESSAGE_TYPE, "run": run_summary(record)})
    except Exception:
        logger.warning("run %s: could not publish to the live feed", record.id, exc_info=True)
