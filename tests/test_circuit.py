"""The circuit breaker's view of the shared state: never a cache read on a first token's path."""

from __future__ import annotations

import asyncio
import time

import pytest

from consensus import circuit
from consensus.circuit import Circuit, fault_of
from consensus.providers.errors import (
    ProviderConnectionError,
    ProviderHTTPError,
    ProviderProtocolError,
    ProviderStreamError,
    ProviderTimeout,
)


class SlowCache:
    """Stands in for the Django cache's `aget_many`: answers when the test says so."""

    def __init__(self, answer: dict[str, object]) -> None:
        self.answer = answer
        self.release = asyncio.Event()
        self.reads = 0

    async def aget_many(self, keys: list[str]) -> dict[str, object]:
        self.reads += 1
        await self.release.wait()
        return {key: value for key, value in self.answer.items() if key in keys}


@pytest.fixture
def breaker() -> Circuit:
    return Circuit("test-refresh", failures=2, cooldown=60)


async def test_a_stale_look_is_used_at_once_and_refreshed_in_the_background(
    breaker: Circuit, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_elsewhere = {f"{breaker.key}:open_until": time.time() + 60}
    slow = SlowCache(opened_elsewhere)
    monkeypatch.setattr(circuit, "cache", slow)
    circuit._snapshots[breaker.key] = circuit._Snapshot(time.monotonic() - 5, 0, None)

    state = await asyncio.wait_for(breaker.before_call(), timeout=1)  # does not wait for the read

    assert state == "closed"  # the last look, while the shared state is read
    assert slow.reads == 1
    assert await breaker.before_call() == "closed"
    assert slow.reads == 1  # one background read at a time
    slow.release.set()
    await circuit._refreshes[breaker.key]
    assert await breaker.before_call() == "open"  # another worker opened it: seen now


async def test_the_first_look_of_a_process_reads_the_shared_state(
    breaker: Circuit, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowCache({f"{breaker.key}:open_until": time.time() + 60})
    slow.release.set()
    monkeypatch.setattr(circuit, "cache", slow)

    assert await breaker.before_call() == "open"
    assert slow.reads == 1


async def test_a_failing_cache_keeps_the_last_look(
    breaker: Circuit, monkeypatch: pytest.MonkeyPatch
) -> None:
    class DownCache:
        async def aget_many(self, keys: list[str]) -> dict[str, object]:
            raise ConnectionError("redis is down")

    monkeypatch.setattr(circuit, "cache", DownCache())
    circuit._snapshots[breaker.key] = circuit._Snapshot(time.monotonic() - 5, 0, None)

    assert await breaker.before_call() == "closed"
    await circuit._refreshes[breaker.key]  # logged, not raised
    assert await breaker.before_call() == "closed"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
async def test_concurrent_failures_are_all_counted() -> None:
    """Every failure counts, however many runs fail at once (local memory, then Redis)."""
    from django.core.cache import cache

    breaker = Circuit("test-count", failures=50, cooldown=60)

    async with asyncio.timeout(10):
        await asyncio.gather(*(breaker.record_failure() for _ in range(20)))

    assert await cache.aget(f"{breaker.key}:failures") == 20


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (ProviderHTTPError("bad", status=400), "none"),
        (ProviderHTTPError("too large", status=413), "none"),
        (ProviderHTTPError("unprocessable", status=422), "none"),
        (ProviderHTTPError("rate limited", status=429), "upstream"),
        (ProviderHTTPError("bad key", status=401), "upstream"),
        (ProviderHTTPError("no such model", status=404), "upstream"),
        (ProviderHTTPError("boom", status=500), "upstream"),
        (ProviderHTTPError("overloaded", status=503), "upstream"),
        (ProviderConnectionError("refused"), "upstream"),
        (ProviderStreamError("over capacity"), "upstream"),
        (ProviderProtocolError("not json"), "upstream"),
        (ProviderTimeout("timed out connecting", phase="connect"), "upstream"),
        (ProviderTimeout("timed out waiting for data", phase="read"), "timeout"),
        (TimeoutError("no first token"), "timeout"),
        (ValueError("a bug of ours"), "none"),
    ],
)
def test_only_faults_of_the_upstream_itself_count(error: BaseException, fault: str) -> None:
    assert fault_of(error) == fault


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
async def test_a_timeout_counts_once_per_client_and_prompt() -> None:
    from django.core.cache import cache

    await cache.aclear()  # timeouts are remembered for 60 s, also from a previous test run
    breaker = Circuit("test-timeouts", failures=3, cooldown=60)
    circuit._snapshots.pop(breaker.key, None)
    failures = f"{breaker.key}:failures"

    await breaker.record_timeout(sources=["prompt:a", "client:1"])
    await breaker.record_timeout(sources=["prompt:a", "client:2"])  # the same prompt again
    await breaker.record_timeout(sources=["prompt:b", "client:1"])  # the same client again
    assert await cache.aget(failures) == 1
    await breaker.record_timeout(sources=["prompt:c", "client:3"])
    assert await cache.aget(failures) == 2
    await breaker.record_timeout(sources=["prompt:d", "client:4"])

    assert await breaker.before_call() == "open"
    await cache.aclear()
