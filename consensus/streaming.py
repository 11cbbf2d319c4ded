"""The SSE relay: engine events to framed bytes, and the run saved however the stream ends."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import sentry_sdk

from . import events as ev
from . import services, sse
from .engine import ConsensusEngine
from .record import RunRecord

logger = logging.getLogger(__name__)

# Saves still running after their stream was cancelled twice; kept so they are not collected.
_pending_saves: set[asyncio.Task[object]] = set()


async def relay(engine: ConsensusEngine, record: RunRecord) -> AsyncIterator[bytes]:
    """Yield the run's SSE frames; save the run once it ends, is aborted or breaks."""
    run_id = str(record.id)
    index = 0
    try:
        async with contextlib.aclosing(engine.run(record)) as events:
            async for event in events:
                yield sse.encode(event.payload(), id=f"{run_id}:{index}")
                index += 1
    except (asyncio.CancelledError, GeneratorExit):
        _mark_aborted(record)
        raise
    except Exception as exc:  # a bug: the client still gets a terminal event
        logger.exception("run %s: internal error", run_id)
        sentry_sdk.capture_exception(exc)
        record.status, record.error = "failed", f"internal error: {type(exc).__name__}"
        error = ev.Error(message="Internal error; the run was recorded.", run_id=run_id,
                         code="internal_error")
        yield sse.encode(error.payload(), id=f"{run_id}:{index}")
    finally:
        _mark_aborted(record)
        await save_shielded(record)


def _mark_aborted(record: RunRecord) -> None:
    if record.status == "running":
        record.status = "aborted"
        record.error = record.error or "client disconnected before the run finished"


async def save_shielded(record: RunRecord) -> None:
    """Save the run even if the surrounding task is being cancelled."""
    task: asyncio.Task[object] = asyncio.ensure_future(_save(record))
    _pending_saves.add(task)
    task.add_done_callback(_pending_saves.discard)
    await asyncio.shield(task)


async def _save(record: RunRecord) -> None:
    try:
        await services.run_save(record=record)
    except Exception as exc:
        logger.exception("run %s: could not be saved", record.id)
        sentry_sdk.capture_exception(exc)
