"""A scripted fake provider for tests and demos: `enqueue()` answers, read `history`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from .base import ChatRequest, Completion, StreamOutcome, Usage


@dataclass(frozen=True, slots=True)
class Script:
    """One scripted answer: its pieces, a delay before each piece, or an error to raise."""

    pieces: tuple[str, ...]
    delay: float = 0.0
    error: BaseException | None = None
    error_after: int | None = None


class FakeProvider:
    """Answers from a queue of scripts, recording every request it was asked."""

    def __init__(self, *, name: str = "Fake", model: str = "fake-model") -> None:
        self.name = name
        self.model = model
        self.history: list[ChatRequest] = []
        self._queue: list[Script] = []

    def enqueue(
        self,
        pieces: Sequence[str],
        *,
        delay: float = 0.0,
        error: BaseException | None = None,
        error_after: int | None = None,
    ) -> None:
        """Queue the next answer; with `error`, raise it after `error_after` pieces (or at once)."""
        self._queue.append(Script(tuple(pieces), delay, error, error_after))

    def _next(self, request: ChatRequest) -> Script:
        self.history.append(request)
        if not self._queue:
            raise AssertionError(f"{self.name}: no scripted answer left")
        return self._queue.pop(0)

    async def stream(self, request: ChatRequest, outcome: StreamOutcome) -> AsyncIterator[str]:
        script = self._next(request)
        outcome.sent()
        for index, piece in enumerate(script.pieces):
            if script.error is not None and script.error_after == index:
                raise script.error
            await asyncio.sleep(script.delay)
            yield piece
        if script.error is not None and script.error_after in (None, len(script.pieces)):
            raise script.error
        outcome.finish_reason = "stop"
        outcome.usage = Usage(1, len(script.pieces), 1 + len(script.pieces))

    async def complete(self, request: ChatRequest) -> Completion:
        script = self._next(request)
        await asyncio.sleep(script.delay)
        if script.error is not None:
            raise script.error
        pieces = len(script.pieces)
        return Completion("".join(script.pieces), self.model, Usage(1, pieces, 1 + pieces), "stop")
