"""Reading a provider's stream of text pieces: the next one within a limit, and closing it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator


async def next_piece(pieces: AsyncIterator[str], limit: float | None) -> str:
    """The next piece of a stream, waiting at most `limit` seconds (None: no limit)."""
    if limit is None:
        return await anext(pieces)
    async with asyncio.timeout(limit):
        return await anext(pieces)


async def close_stream(pieces: AsyncIterator[str]) -> None:
    """Close the stream (its HTTP response) if it can be closed."""
    aclose = getattr(pieces, "aclose", None)
    if aclose is not None:
        await aclose()
