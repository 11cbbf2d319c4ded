"""The hub (`consensus/streaming/hub.py`): a run apart from its connections, with a scripted engine
and the save replaced by a gate, so each step is observable without a database or upstream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import orjson
import pytest

from consensus import events as ev
from consensus.record import RunRecord
from consensus.status import RunStatus
from consensus.streaming import eventlog, hub
from consensus.streaming.hub import Hub
from consensus.streaming.remote import RemoteRun
from consensus.streaming.run import StreamSettings

from .conftest import eventually

OPTS = StreamSettings(resume_grace=0.0, event_retention=60.0, heartbeat=0.0, run_timeout=10.0)


class ScriptedEngine:
    """Yields `start`, the tokens given, then `complete`; each token waits for `go` if given."""

    def __init__(self, tokens: Sequence[str], go: asyncio.Event | None = None) -> None:
        self.tokens = tokens
        self.go = go

    async def run(self, record: RunRecord) -> AsyncIterator[ev.Event]:
        run_id = str(record.id)
        yield ev.Start(run_id=run_id, models=["fast", "validator"], roles={})
        for token in self.tokens:
            if self.go is not None:
                await self.go.wait()
            yield ev.Token(content=token, model="fast")
        record.final_answer = "".join(self.tokens)
        record.settle(RunStatus.COMPLETED)
        yield ev.Complete(
            run_id=run_id,
            content=record.final_answer,
            confidence=0.9,
            elapsed_time=0.1,
            status="completed",
            corrected=False,
            similarity=1.0,
            usage={},
        )


@pytest.fixture
def saves(monkeypatch: pytest.MonkeyPatch) -> list[RunRecord]:
    """Runs the hub saved, in order (no database); the live feed muted."""
    saved: list[RunRecord] = []

    async def save(record: RunRecord) -> None:
        saved.append(record)

    async def publish(record: RunRecord) -> None:
        return None

    monkeypatch.setattr(hub, "save_record", save)
    monkeypatch.setattr(hub.feed, "publish_run_finished", publish)
    return saved


def batches(start: int, payloads: Sequence[bytes]) -> tuple[int, list[bytes]]:
    return start, list(payloads)


async def collect(run: Any, after: int = -1) -> list[tuple[int, list[bytes]]]:
    return [batch async for batch in run.follow(after, batches)]


async def test_each_event_is_encoded_once_and_shared_by_every_subscriber(saves):
    go = asyncio.Event()
    channel = Hub().start(ScriptedEngine(["a", "b"], go), RunRecord(prompt="q"), OPTS)
    first = asyncio.create_task(collect(channel))
    second = asyncio.create_task(collect(channel))
    await eventually(lambda: channel.subscribers == 2, what="both subscribers attached")
    go.set()

    one, two = await asyncio.wait_for(asyncio.gather(first, second), 5)

    flat = [p for _, ps in one for p in ps]
    assert [orjson.loads(p)["type"] for p in flat] == ["start", "token", "token", "complete"]
    assert all(a is b for a, b in zip(flat, [p for _, ps in two for p in ps], strict=True))
    assert [start for start, _ in one] == sorted(start for start, _ in one)


async def test_the_terminal_event_is_shown_only_once_the_run_is_saved(monkeypatch):
    saving, gate = asyncio.Event(), asyncio.Event()
    saved: list[RunRecord] = []

    async def save(record: RunRecord) -> None:
        saving.set()
        await gate.wait()
        saved.append(record)

    async def publish(record: RunRecord) -> None:
        return None

    monkeypatch.setattr(hub, "save_record", save)
    monkeypatch.setattr(hub.feed, "publish_run_finished", publish)
    channel = Hub().start(ScriptedEngine(["a"]), RunRecord(prompt="q"), OPTS)
    follower = channel.follow(-1, batches)
    seen: list[str] = []
    while len(seen) < 2:
        _, payloads = await asyncio.wait_for(anext(follower), 5)
        seen += [orjson.loads(p)["type"] for p in payloads]
    pending = asyncio.create_task(anext(follower))
    await asyncio.wait_for(saving.wait(), 5)
    for _ in range(5):
        # A check that something does NOT happen: give the follower every turn of the loop it
        # could take; only `gate` can wake it.
        await asyncio.sleep(0)

    assert seen == ["start", "token"]
    assert orjson.loads(channel.payloads[-1])["type"] == "complete"
    assert not pending.done()  # `complete` exists but waits for the save
    gate.set()
    _, payloads = await asyncio.wait_for(pending, 5)
    assert saved
    assert [orjson.loads(p)["type"] for p in payloads] == ["complete"]
    await follower.aclose()


async def test_follow_after_an_index_replays_only_the_later_events(saves):
    channel = Hub().start(ScriptedEngine(["a", "b", "c"]), RunRecord(prompt="q"), OPTS)
    everything = await asyncio.wait_for(collect(channel), 5)

    later = await asyncio.wait_for(collect(channel, after=2), 5)

    flat = [p for _, ps in everything for p in ps]
    assert later == [(3, flat[3:])]
    assert channel.terminal_seen(len(flat) - 1)
    assert not channel.terminal_seen(len(flat) - 2)


async def test_the_last_subscriber_leaving_stops_the_run_after_the_grace(saves):
    go = asyncio.Event()
    channel = Hub().start(ScriptedEngine(["a", "b"], go), RunRecord(prompt="q"), OPTS)
    follower = channel.follow(-1, batches)
    await asyncio.wait_for(anext(follower), 5)

    await follower.aclose()  # grace 0: stopped at once
    assert channel.task is not None
    await asyncio.wait_for(asyncio.gather(channel.task, return_exceptions=True), 5)

    assert saves[0].status == "aborted"
    last = orjson.loads(channel.payloads[-1])
    assert (last["type"], last["code"]) == ("error", "aborted")
    assert await channel.request_stop("late") is False


async def test_locate_finds_local_runs_then_the_shared_log_then_nothing(saves):
    the_hub = Hub()
    go = asyncio.Event()
    channel = the_hub.start(ScriptedEngine(["a"], go), RunRecord(prompt="q", client_id="me"), OPTS)
    log = eventlog.EventLog("elsewhere", retention=60, client="them")
    await log.append([b'{"type":"start"}', b'{"type":"token"}'], done=False)
    await log.append([b'{"type":"complete"}'], done=True)

    local = await the_hub.locate(channel.run_id, OPTS)
    remote = await the_hub.locate("elsewhere", OPTS)
    unknown = await the_hub.locate("nobody", OPTS)

    assert local is channel
    assert local.client == "me"
    assert isinstance(remote, RemoteRun)
    assert remote.client == "them"
    assert await collect(remote, after=0) == [(1, [b'{"type":"token"}', b'{"type":"complete"}'])]
    assert remote.terminal_seen(2)
    assert await remote.request_stop("late") is False
    assert unknown is None
    go.set()
    assert channel.task is not None
    await asyncio.wait_for(channel.task, 5)


async def test_the_save_connection_is_kept_while_other_runs_are_live(monkeypatch):
    # Opening a database connection per save cost ~1.2 ms of CPU; the last run to finish
    # closes it (outside a request nothing else does).
    saved, closed = [], []

    async def run_save(*, record):
        saved.append(record.id)

    monkeypatch.setattr(hub.services, "run_save", run_save)
    monkeypatch.setattr(hub, "close_old_connections", lambda: closed.append(True))
    the_hub = hub.get_hub()
    monkeypatch.setattr(the_hub, "runs", {"a": object(), "b": object()})
    await hub.save_record(RunRecord(prompt="q"))
    assert (len(saved), closed) == (1, [])
    the_hub.runs.pop("b")
    await hub.save_record(RunRecord(prompt="q"))
    assert (len(saved), closed) == (2, [True])


async def test_a_run_keeps_each_event_in_memory_at_its_own_size(saves):
    # A run keeps every payload until it ends, for subscribers that join or resume late; a
    # token's JSON is ~60 bytes, and it must not hold the encoder's 4 KB write buffer
    # (orjson hands that buffer back as the bytes object): 1,000 open streams of 25 tokens
    # held ~100 KB each that way.
    import tracemalloc

    go = asyncio.Event()
    channel = Hub().start(ScriptedEngine(["x"] * 200, go), RunRecord(prompt="q"), OPTS)
    tracemalloc.start()
    try:
        go.set()
        await eventually(lambda: channel.done, what="the run finished")
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    assert len(channel.payloads) == 202
    in_hub = snapshot.filter_traces([tracemalloc.Filter(True, hub.__file__)])
    held = sum(stat.size for stat in in_hub.statistics("filename"))
    assert held < 202 * 512, f"{held / 202:.0f} bytes per event"
