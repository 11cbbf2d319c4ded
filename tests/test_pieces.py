"""`consensus.providers.pieces.next_piece`: the next piece within a limit, armed only when the
stream has to wait."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from consensus.providers import pieces as pieces_module
from consensus.providers.pieces import next_piece


async def paced(*steps: tuple[float, str]) -> AsyncIterator[str]:
    for delay, text in steps:
        if delay:
            await asyncio.sleep(delay)
        yield text


@pytest.mark.asyncio
async def test_pieces_already_there_arm_no_timer(monkeypatch):
    armed: list[float | None] = []
    real = asyncio.timeout
    monkeypatch.setattr(pieces_module.asyncio, "timeout", lambda d: armed.append(d) or real(d))
    stream = paced((0, "a"), (0, "b"), (0.01, "c"))
    assert [await next_piece(stream, 1.0) for _ in range(3)] == ["a", "b", "c"]
    assert armed == [1.0]  # only "c" had to wait


@pytest.mark.asyncio
async def test_a_piece_that_comes_in_time_is_returned():
    stream = paced((0.02, "late but in time"))
    assert await next_piece(stream, 1.0) == "late but in time"


@pytest.mark.asyncio
async def test_silence_beyond_the_limit_is_a_timeout_and_closes_the_wait():
    closed = asyncio.Event()

    async def silent() -> AsyncIterator[str]:
        try:
            await asyncio.sleep(10)
            yield "never"
        finally:
            closed.set()

    stream = silent()
    started = asyncio.get_running_loop().time()
    with pytest.raises(TimeoutError):
        await next_piece(stream, 0.05)
    assert asyncio.get_running_loop().time() - started < 1
    await stream.aclose()
    assert closed.is_set()


@pytest.mark.asyncio
async def test_errors_and_the_end_of_the_stream_pass_through():
    async def failing() -> AsyncIterator[str]:
        yield "one"
        await asyncio.sleep(0.01)
        raise ValueError("upstream broke")

    stream = failing()
    assert await next_piece(stream, 1.0) == "one"
    with pytest.raises(ValueError, match="upstream broke"):
        await next_piece(stream, 1.0)
    with pytest.raises(StopAsyncIteration):
        await next_piece(paced(), 1.0)
    with pytest.raises(StopAsyncIteration):
        await next_piece(paced(), None)


@pytest.mark.asyncio
async def test_a_cancelled_reader_is_cancelled_not_timed_out():
    stream = paced((10, "never"))
    task = asyncio.create_task(next_piece(stream, 5.0))
    await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_a_bare_yield_to_the_loop_is_passed_through():
    async def polite() -> AsyncIterator[str]:
        await asyncio.sleep(0)  # yields None to the task: "run me again"
        await asyncio.sleep(0)
        yield "after two turns"

    assert await next_piece(polite(), 1.0) == "after two turns"
