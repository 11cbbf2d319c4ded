"""Runs decoupled from connections: a producer task per run, any number of subscribers.

The producer iterates the engine, encodes each event's payload to JSON once and keeps it in
memory; subscribers (SSE responses, WebSockets) read from any index and frame what they read
themselves, so a client that reconnects with the last id it saw gets what it missed and then the
live events, without a second upstream call. When the last subscriber leaves, the run waits
`resume_grace` seconds for one to come back, then is cancelled (both upstream calls with it) and
saved as aborted. Events are copied to the Django cache in batches, off the token path, so another
worker can replay them (Redis) and a reconnect after the end is told so. The terminal event is
shown to subscribers only once the run is saved. Whatever happens, the run is saved once.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Protocol

import orjson
import sentry_sdk
from asgiref.sync import SyncToAsync, sync_to_async
from django.conf import settings
from django.db import close_old_connections

from .. import events as ev
from .. import services
from ..conf import ConsensusConfig
from ..engine import ConsensusEngine
from ..record import RunRecord
from ..replay import CachingEngine
from ..runtime import telemetry
from ..status import RunStatus
from . import eventlog, feed
from .remote import RemoteRun
from .run import Framer, Run, StreamSettings, T

logger = logging.getLogger(__name__)

FinishCallback = Callable[[], Awaitable[None]]


class Answerer(Protocol):
    """What produces a run's events: the engine, or the answer cache in front of it."""

    def run(self, record: RunRecord) -> AsyncIterator[ev.Event]: ...


SHARED_FLUSH_IDLE = 0.25  # cache flush cadence while nobody is attached here
SHARED_FLUSH_ATTACHED = 1.0  # ... and while a subscriber reads here


class RunChannel:
    """One run's events, its producer task and its subscribers (all on one event loop)."""

    def __init__(self, record: RunRecord, opts: StreamSettings, shared_cache: bool) -> None:
        self.record = record
        self.run_id = str(record.id)
        self.opts = opts
        self.shared_cache = shared_cache
        self.payloads: list[bytes] = []  # each event's JSON, encoded once for every subscriber
        self.visible = 0  # how many subscribers may see: the terminal event waits for the save
        self.done = False
        self.subscribers = 0
        self.stopped_by = ""
        self.task: asyncio.Task[None] | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._log = eventlog.EventLog(self.run_id, opts.event_retention, record.client_id)
        self._grace: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._urgent = asyncio.Event()

    # --- producer side --------------------------------------------------------------------

    @property
    def client(self) -> str:
        return self.record.client_id

    def publish(self, event: ev.Event) -> None:
        # A copy of exactly its size: orjson returns its 4 KB write buffer as the bytes object,
        # and a run keeps every payload until it ends (4 KB x events per open stream).
        self.payloads.append(memoryview(orjson.dumps(event.payload())).tobytes())
        if not event.terminal:
            self.visible = len(self.payloads)
            self._wake()

    def _wake(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def produce(self, engine: Answerer, on_finish: list[FinishCallback]) -> None:
        record = self.record
        if self.shared_cache:
            self._flusher = asyncio.create_task(self._flush_loop(), name=f"flush-{self.run_id}")
        try:
            backstop = self.opts.run_timeout + 5.0 if self.opts.run_timeout else None
            async with asyncio.timeout(backstop):
                events = engine.run(record)
                try:
                    async for event in events:
                        self.publish(event)
                finally:
                    await events.aclose()  # type: ignore[attr-defined]
        except Exception as exc:  # a bug or the backstop: the run still ends with one error
            sentry_sdk.capture_exception(exc)
            self.publish(internal_error(record, exc))
        finally:
            self._end_aborted()
            await _shielded(self._finish(on_finish))

    def _end_aborted(self) -> None:
        """A run cancelled before its terminal event still ends with exactly one."""
        why = self.stopped_by or "the client disconnected and did not come back"
        if not self.record.abort(why):
            return
        self.publish(
            ev.Error(message=f"The run was stopped: {why}.", run_id=self.run_id, code="aborted")
        )

    async def _finish(self, on_finish: list[FinishCallback]) -> None:
        """Save, buffer and release; only then do subscribers see the end of the stream, so a
        client that saw the stream close can read the stored run at once."""
        for task in (self._grace, self._flusher):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await save_record(self.record)
        await _quietly(self._flush(done=True), "buffer the events of")
        # Release (the client's stream slot) before the end is visible: a client may ask again
        # as soon as it sees `complete`.
        for callback in on_finish:
            await _quietly(callback(), "finish")
        self.visible = len(self.payloads)
        self.done = True
        self._wake()
        await feed.publish_run_finished(self.record)  # the admin dashboard's live feed

    async def _flush(self, *, done: bool) -> None:
        end = len(self.payloads) if done else self.visible  # the terminal event once saved
        await self._log.append(self.payloads[self._log.events : end], done=done)

    async def _flush_loop(self) -> None:
        """Shared cache only: batch events to the cache (at once when the run starts or its last
        subscriber leaves, else every SHARED_FLUSH_* seconds); notice stops from other workers."""
        while not self.done:
            if self._log.events < self.visible:
                await _quietly(self._flush(done=False), "buffer the events of")
            if await eventlog.stop_requested(self.run_id):
                self.stop("stopped on request")
                return
            interval = SHARED_FLUSH_ATTACHED if self.subscribers else SHARED_FLUSH_IDLE
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval):
                    await self._urgent.wait()
            self._urgent.clear()

    # --- control ----------------------------------------------------------------------------

    def stop(self, why: str) -> None:
        """Cancel the run now (both upstream calls); it is saved as aborted."""
        if self.task is not None and not self.task.done():
            self.stopped_by = why
            self.task.cancel()

    async def request_stop(self, why: str) -> bool:
        if self.done:
            return False
        self.stop(why)
        return True

    def attach(self) -> None:
        self.subscribers += 1
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None

    def detach(self) -> None:
        self.subscribers -= 1
        if self.subscribers or self.done:
            return
        if not self.opts.resume_grace:
            self.stop("the client disconnected")
            return
        self._urgent.set()  # make what was sent so far resumable elsewhere now
        self._grace = asyncio.create_task(self._grace_period(), name=f"grace-{self.run_id}")

    async def _grace_period(self) -> None:
        await asyncio.sleep(self.opts.resume_grace)
        # A subscriber on another worker keeps the run alive while it reads; that flag lives in
        # the shared cache, so there is no local event to wait on.
        attached = eventlog.is_attached
        while self.shared_cache and not self.done and await attached(self.run_id):  # noqa: ASYNC110
            await asyncio.sleep(1.0)
        if not self.subscribers:
            self.stop("the client disconnected and did not come back")

    # --- subscriber side --------------------------------------------------------------------

    def terminal_seen(self, after: int) -> bool:
        """True when a client that saw events up to `after` has seen the terminal event."""
        return self.done and after >= len(self.payloads) - 1

    async def follow(self, after: int, frame: Framer[T]) -> AsyncGenerator[T, None]:
        """Events after index `after`, then live ones until the terminal event, each batch
        framed by the edge; an empty batch after `heartbeat` seconds of silence."""
        index = after + 1
        self.attach()
        try:
            while True:
                if index < self.visible:
                    pending = self.payloads[index : self.visible]
                    yield frame(index, pending)
                    index += len(pending)
                    continue
                if self.done:
                    return
                if not await self._wait(self.opts.heartbeat):
                    yield frame(index, ())
        finally:
            self.detach()

    async def _wait(self, seconds: float) -> bool:
        """Wait for the next event; False when `seconds` pass first (time for a heartbeat).

        Called once per event per subscriber: a timer on the waiter itself, not an
        `asyncio.timeout` scope (which would cancel and uncancel the task on expiry)."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)
        if not seconds:
            await waiter
            return True
        timer = loop.call_later(seconds, _expire, waiter)
        try:
            await waiter
        except TimeoutError:
            return False
        finally:
            timer.cancel()
        return True


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class Hub:
    """The runs this process owns (one hub per event loop)."""

    def __init__(self) -> None:
        self.runs: dict[str, RunChannel] = {}

    def start(
        self,
        engine: Answerer,
        record: RunRecord,
        opts: StreamSettings,
        *,
        on_finish: list[FinishCallback] | None = None,
    ) -> RunChannel:
        """Start producing a run in the background; subscribe with `channel.follow(-1, frame)`."""
        channel = RunChannel(record, opts, shared_cache=bool(getattr(settings, "REDIS_URL", None)))
        self.runs[channel.run_id] = channel
        channel.task = asyncio.create_task(
            self._produce(channel, engine, on_finish or []),
            name=f"run-{channel.run_id}",
            context=_outside_request(),
        )
        return channel

    async def _produce(
        self, channel: RunChannel, engine: Answerer, on_finish: list[FinishCallback]
    ) -> None:
        try:
            await channel.produce(engine, on_finish)
        except asyncio.CancelledError:
            pass  # stopped or abandoned: already recorded as aborted
        finally:
            self.runs.pop(channel.run_id, None)

    def get(self, run_id: str) -> RunChannel | None:
        """The run of this worker with that id, if it is still producing or finishing."""
        return self.runs.get(run_id)

    async def locate(self, run_id: str, opts: StreamSettings) -> Run | None:
        """The run with that id, of this worker or (through the shared event log) another's;
        None when no worker knows it (unknown, or its events have expired)."""
        channel = self.runs.get(run_id)
        if channel is not None:
            return channel
        meta = await eventlog.read_meta(run_id)
        return None if meta is None else RemoteRun(run_id, meta, opts)

    async def shutdown(self) -> None:
        """Stop every run (saved as aborted) and wait for them."""
        for channel in list(self.runs.values()):
            channel.stop("the server is shutting down")
        tasks = [c.task for c in self.runs.values() if c.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


def _outside_request() -> contextvars.Context:
    """A copy of the current context detached from the request's thread-sensitive executor.

    A run outlives the request that started it (resume, grace period), and asgiref refuses ORM
    calls from a task whose request context has exited; the run's ORM calls use asgiref's shared
    thread instead.
    """
    context = contextvars.copy_context()
    context.run(SyncToAsync.thread_sensitive_context.set, None)  # type: ignore[arg-type]
    context.run(SyncToAsync.deadlock_context.set, False)
    return context


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """This event loop's hub."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub()
    return hub


def internal_error(record: RunRecord, exc: BaseException) -> ev.Error:
    """A bug ended the run: log it, mark the record failed, and the one terminal event to send."""
    logger.error("run %s: internal error", record.id, exc_info=exc)
    record.settle(RunStatus.FAILED, error=f"internal error: {type(exc).__name__}")
    return ev.Error(
        message="Internal error; the run was recorded.",
        run_id=str(record.id),
        code="internal_error",
    )


async def _shielded(awaitable: Awaitable[None]) -> None:
    """Finish `awaitable` even if the surrounding task is cancelled again meanwhile."""
    task = asyncio.ensure_future(awaitable)
    _pending.add(task)
    task.add_done_callback(_pending.discard)
    await asyncio.shield(task)


_pending: set[asyncio.Future[None]] = set()


async def _quietly(awaitable: Awaitable[object], what: str) -> None:
    try:
        await awaitable
    except Exception as exc:
        logger.exception("could not %s a run", what)
        sentry_sdk.capture_exception(exc)


async def save_record(record: RunRecord) -> None:
    """Save a run (never raising), then close the save thread's database connection, unless
    another run of this worker is still live: its save will take the connection as it is.
    Outside a request nothing else closes it (CONN_MAX_AGE=0), and opening one per save cost
    about 1.2 ms of CPU (`benchmarks/db_save.py`); the last run to finish closes it."""
    await _quietly(services.run_save(record=record), "save")
    hub = _hubs.get(asyncio.get_running_loop())
    if hub is None or len(hub.runs) <= 1:  # this run is still in `runs` while it saves
        await _quietly(sync_to_async(close_old_connections)(), "close the connection of")


def stream_settings(cfg: ConsensusConfig) -> StreamSettings:
    """The hub's numbers from the config."""
    return StreamSettings(
        resume_grace=cfg.resume_grace,
        event_retention=cfg.event_retention,
        heartbeat=cfg.heartbeat_interval,
        run_timeout=cfg.run_timeout,
    )


def start_run(
    record: RunRecord,
    cfg: ConsensusConfig,
    *,
    on_finish: list[FinishCallback],
    resume_grace: float | None = None,
) -> RunChannel:
    """Start answering `record` on this loop's hub, as configured (every edge starts runs here),
    from the answer cache when it holds a validated answer to the same question.

    `resume_grace` overrides the configured grace: 0 cancels the run as soon as its last
    subscriber leaves (the OpenAI-compatible API, whose clients cannot resume)."""
    telemetry.watch_run(record)  # Sentry events from this run mask its prompt and answers
    opts = stream_settings(cfg)
    if resume_grace is not None:
        opts = replace(opts, resume_grace=resume_grace)
    return get_hub().start(answerer(cfg), record, opts, on_finish=on_finish)


def answerer(cfg: ConsensusConfig) -> Answerer:
    """The engine for `cfg`, behind the answer cache unless `CONSENSUS_CACHE_TTL` is 0."""
    engine = ConsensusEngine.from_config(cfg)
    return CachingEngine(engine, ttl=cfg.cache_ttl) if cfg.cache_ttl else engine
