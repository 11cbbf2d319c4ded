"""Graceful shutdown: stop taking new runs, let open ones finish for a grace period, save the
rest as aborted.

The server tells the app through ASGI lifespan (uvicorn; daphne has no lifespan) only once it has
stopped listening, and before that it waits for open connections (`--timeout-graceful-shutdown`).
So `watch_signals` also marks the process as draining the moment SIGTERM or SIGINT arrives,
then hands the signal on to the server's own handler: from then on a new question gets a
503 JSON (`shutting_down`) instead of a run the process would have to cut short.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from types import FrameType
from typing import Any

logger = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds; another worker (or this one, restarted) takes the question
SHUTTING_DOWN = json.dumps(
    {
        "error": {
            "code": "shutting_down",
            "message": "This server is shutting down; ask again in a few seconds.",
        }
    }
).encode()


class Draining:
    """Whether this process still takes new runs (one flag per process), and since when."""

    def __init__(self) -> None:
        self.since: float | None = None

    @property
    def active(self) -> bool:
        return self.since is not None

    def start(self) -> None:
        if self.since is None:
            logger.info("shutting down: new runs are refused from now on")
            self.since = time.monotonic()

    def left(self, grace: float) -> float:
        """What remains of `grace` seconds counted from the start of draining."""
        if self.since is None:
            return grace
        return max(0.0, grace - (time.monotonic() - self.since))


draining = Draining()


def watch_signals() -> None:
    """Start draining on SIGTERM/SIGINT, then run the handler the server installed."""
    if threading.current_thread() is not threading.main_thread():
        return  # signals can only be caught on the main thread (embedded servers, tests)
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if getattr(previous, "drains", False):
            continue  # already chained (a second lifespan in this process)
        signal.signal(signum, _chained(previous))


def _chained(previous: Any) -> Callable[[int, FrameType | None], None]:
    def on_signal(signum: int, frame: FrameType | None) -> None:
        draining.start()
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:  # no server handler: die as the signal says
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    on_signal.drains = True  # type: ignore[attr-defined]
    return on_signal


async def refuse(send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
    """Answer one HTTP request with the 503 JSON, as a raw ASGI response."""
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(SHUTTING_DOWN)).encode()),
        (b"retry-after", str(RETRY_AFTER).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": SHUTTING_DOWN})


async def finish_runs(runs: Callable[[], list[asyncio.Task[None]]], grace: float) -> int:
    """Wait up to `grace` seconds for the running runs' tasks; return how many still run."""
    pending = [task for task in runs() if not task.done()]
    if pending and grace > 0:
        logger.info("shutting down: waiting up to %gs for %d open run(s)", grace, len(pending))
        _, still = await asyncio.wait(pending, timeout=grace)
        pending = list(still)
    return len(pending)
