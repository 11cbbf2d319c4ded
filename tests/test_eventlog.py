"""The shared event log (`consensus/streaming/eventlog.py`): chunks, meta, stop and attach flags."""

from __future__ import annotations

import pytest

from consensus.streaming import eventlog

pytestmark = pytest.mark.redis


async def test_chunks_read_back_in_order_with_the_meta():
    log = eventlog.EventLog("run-1", retention=60, client="token:1")
    await log.append([b'{"n":0}', b'{"n":1}'], done=False)
    await log.append([], done=False)  # a flush with nothing new writes only the meta
    await log.append([b'{"n":2}'], done=True)

    meta = await eventlog.read_meta("run-1")

    assert meta == eventlog.Meta(chunks=2, events=3, done=True, client="token:1")
    assert await eventlog.read_chunks("run-1", 0, 2) == [b'{"n":0}', b'{"n":1}', b'{"n":2}']
    assert await eventlog.read_chunks("run-1", 1, 2) == [b'{"n":2}']
    assert meta.terminal_seen(2)
    assert not meta.terminal_seen(1)


async def test_an_unknown_run_has_no_meta():
    assert await eventlog.read_meta("nobody") is None


async def test_stop_and_attached_flags():
    assert not await eventlog.stop_requested("run-2")
    await eventlog.request_stop("run-2", retention=60)
    await eventlog.mark_attached("run-2", ttl=3)

    assert await eventlog.stop_requested("run-2")
    assert await eventlog.is_attached("run-2")
