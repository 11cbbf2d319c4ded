"""Reading a provider's stream of text pieces: the next one within a limit, and closing it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Coroutine, Generator
from typing import Any, TypeVar, cast

T = TypeVar("T")


async def next_piece(pieces: AsyncIterator[str], limit: float | None) -> str:
    """The next piece of a stream, waiting at most `limit` seconds (None: no limit).

    A provider yields the pieces of one socket read back to back, so most pieces are there
    without waiting: the limit is armed only once the stream has to wait for the network. An
    `asyncio.timeout` per piece (a timer scheduled and cancelled, a scope entered and left) was
    ~13% of a saturated worker's CPU (docs/performance.md).
    """
    if limit is None:
        return await anext(pieces)
    step: Coroutine[Any, Any, str] = pieces.__anext__()  # type: ignore[assignment]
    try:
        waiting_on = step.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]  # there without waiting: no timer
    except BaseException:
        step.close()
        raise
    async with asyncio.timeout(limit):
        return await _Resumed(step, waiting_on)


class _Resumed(Awaitable[T]):
    """The rest of a coroutine that has already been stepped once and is waiting on
    `waiting_on` (a future): awaiting this hands that future to the running task, then forwards
    what the task sends or throws in (a result, a cancellation) to the coroutine, as `await`
    would have done had it been awaited from the start."""

    __slots__ = ("step", "waiting_on")

    def __init__(self, step: Coroutine[Any, Any, T], waiting_on: Any) -> None:
        self.step, self.waiting_on = step, waiting_on

    def __await__(self) -> Generator[Any, Any, T]:
        step, pending = self.step, self.waiting_on
        while True:
            try:
                sent = yield pending
            except GeneratorExit:
                step.close()
                raise
            except BaseException as exc:  # thrown in by the task (a cancellation): passed on
                try:
                    pending = step.throw(exc)
                except StopIteration as done:
                    return cast(T, done.value)
                continue
            try:
                pending = step.send(sent)
            except StopIteration as done:
                return cast(T, done.value)


async def close_stream(pieces: AsyncIterator[str]) -> None:
    """Close the stream (its HTTP response) if it can be closed."""
    aclose = getattr(pieces, "aclose", None)
    if aclose is not None:
        await aclose()
