"""Where verdicts are computed: a process of their own, so their CPU never holds the worker's GIL.

`consensus.agreement.assess` is pure CPU-bound Python (regular expressions over both answers, the
sentence encoder on the claims the words cannot decide): 2.5 to 4 ms for a 700-character pair and
tens of ms for long answers. Run on a thread of the worker it holds the GIL for that long, and the
event loop, which relays every other stream's tokens, waits for it: with 100 streams ramped over
2 s the worker spent ~3.6 ms of GIL time per stream on verdicts and the first-token p99 grew by
hundreds of ms (docs/performance.md). A verdict process takes that work to the other core.

`CONSENSUS_VERDICT_WORKER`:
- `process` (default): one child process per worker (`spawn`: a fresh interpreter, no forked copy
  of the worker's threads, sockets or event loop), started and warmed (imports, the sentence
  encoder) at start-up, reused for every verdict. The two answers go in, the `Agreement` comes
  back (pickled: a few KB).
- `thread`: one thread of the worker, as before (what tests use unless they test this module).

Nothing is lost when the process fails: a verdict whose process died, or that cannot be sent to
it, is judged on the worker's own verdict thread instead, and the next verdict starts a new
process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from consensus.agreement import Agreement, assess

logger = logging.getLogger(__name__)

MODES = ("process", "thread")

# Several verdict threads at once starved the loop (100 ramped streams, first-token p99 +200 ms
# with the default executor's threads): one thread, in either mode (the fallback uses it too).
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verdicts")
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


PARENT_CHECK_EVERY = 1.0  # seconds
# The verdict process runs below the worker's priority: a verdict is needed once an answer is
# complete, the worker's event loop relays every other stream's tokens now. On a busy machine
# (both cores taken) the scheduler then gives the relay the CPU first (CFS weight 110 against
# 1,024), and the verdict the rest; on an idle core it runs at full speed all the same. Measured
# with the saturation shape, whose 4,000-token answers cost 160-235 ms a verdict
# (docs/performance.md).
NICENESS = 10


def _watch_parent(parent: int) -> None:
    """Exit once the worker that started this process is gone. A worker killed outright
    (SIGKILL, the OOM killer) leaves its pool's child waiting forever on a queue whose pipe the
    child itself holds open: found as orphans after CI runs whose servers were killed."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_EVERY)
    os._exit(0)


def _child_init(parent: int) -> None:
    """In the verdict process: exit with the worker, a lower priority than the worker's, one
    BLAS thread, the encoder loaded before the first verdict."""
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    os.nice(NICENESS)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from consensus.agreement import semantic

    semantic.warm_up()


def _process_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_child_init,
                initargs=(os.getpid(),),
            )
        return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def mode() -> str:
    from django.conf import settings

    return str(getattr(settings, "CONSENSUS_VERDICT_WORKER", "process"))


def start() -> None:
    """Start and warm the verdict process (or, judging on a thread, load the sentence encoder)
    now rather than on the first verdict."""
    if mode() == "process":
        _process_pool().submit(int)  # the child starts, runs its initializer, then this
    else:
        from consensus.agreement import semantic

        semantic.warm_up()


READY_WITHIN = 60.0  # seconds the server waits at start-up for the verdict process


async def ready() -> None:
    """Wait (at most `READY_WITHIN` s) until the verdict process has started and warmed up: the
    server then takes requests only once the first verdicts need not wait for it, and its
    start-up (~1-2 s of CPU: imports, the encoder) does not compete with the first streams."""
    if mode() != "process":
        return
    try:
        async with asyncio.timeout(READY_WITHIN):
            await asyncio.wrap_future(_process_pool().submit(int))
    except (TimeoutError, BrokenProcessPool, RuntimeError) as exc:
        logger.warning("verdict process not ready (%r): the first verdicts may wait for it", exc)


def shutdown() -> None:
    """Stop the verdict process (at the worker's shutdown)."""
    pool = _pool
    if pool is not None:
        _discard(pool)


async def judge(fast: str, validator: str, *, question: str | None = None) -> Agreement:
    """`assess(fast, validator, question=question)` off the event loop: in the verdict process
    (or on the verdict thread when so configured, or when the process cannot be used)."""
    loop = asyncio.get_running_loop()
    call = partial(assess, fast, validator, question=question)
    if mode() == "process":
        pool = _process_pool()
        try:
            future = loop.run_in_executor(pool, call)
        except RuntimeError as exc:  # shut down under us (the worker is stopping)
            _unusable(pool, exc)
        else:
            try:
                return await future
            except BrokenProcessPool as exc:  # the process died: killed, out of memory
                _unusable(pool, exc)
    return await loop.run_in_executor(_THREAD, call)


def _unusable(pool: ProcessPoolExecutor, exc: BaseException) -> None:
    logger.warning("verdict process unusable (%s): judged on the worker's thread", exc)
    _discard(pool)
