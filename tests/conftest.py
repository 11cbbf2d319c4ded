from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import respx
from django.test import AsyncClient

from . import upstreams


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=0.5
        ):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres`/`redis` run on the embedded defaults in the first pass, and again
    on the real services in the test command's second pass; there they skip, visibly, when the
    service is unreachable."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    pg_down = database_url.startswith("postgres") and not _reachable(database_url, 5432)
    redis_down = bool(redis_url) and not _reachable(redis_url, 6379)
    for item in items:
        if pg_down and "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL unreachable at {database_url}"))
        if redis_down and "redis" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"Redis unreachable at {redis_url}"))


@pytest.fixture
def redis_url() -> str:
    """The Redis URL of this pass; tests that cannot run on the local-memory cache skip without."""
    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("needs Redis: runs in the test command's second pass (REDIS_URL set)")
    return str(settings.REDIS_URL)


@pytest.fixture(autouse=True)
def _providers(settings: Any) -> None:
    """Every test talks to fake Groq/ModelArk hosts; nothing can reach a real provider."""
    settings.CONSENSUS_FAST_PROVIDER = {
        "preset": "groq",
        "api_key": "gsk_test_key_123456",
        "model": upstreams.GROQ_MODEL,
        "base_url": upstreams.GROQ_URL.removesuffix("/chat/completions"),
    }
    settings.CONSENSUS_VALIDATOR_PROVIDER = {
        "preset": "byteplus",
        "api_key": "ark-test-key",
        "model": upstreams.ARK_MODEL,
        "base_url": upstreams.ARK_URL.removesuffix("/chat/completions"),
    }


@pytest.fixture(autouse=True)
def _limits(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Per-client limits off (every test calls from 127.0.0.1; tests/test_ratelimit.py turns them
    on), the answer cache off (tests ask the same question again and count upstream calls;
    tests/test_cache.py turns it on), a private spool directory, and an empty cache before and
    after each test."""
    from django.core.cache import cache

    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 0
    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 0
    settings.CONSENSUS_CACHE_TTL = 0
    settings.CONSENSUS_SPOOL_DIR = str(tmp_path / "spool")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def upstream() -> Iterator[respx.MockRouter]:
    """respx router for the two fake providers; every call must be mocked."""
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


@pytest.fixture
def async_client() -> AsyncClient:
    return AsyncClient()


def http_scope(
    method: str, path: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> dict[str, Any]:
    """An ASGI HTTP scope for `path` (a `?query` is split off), as a server would pass it."""
    path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


def parse_sse(raw: bytes) -> list[dict[str, Any]]:
    """Frames -> list of {"id", "data"} (data parsed as JSON); comments skipped."""
    frames = []
    for block in raw.decode().split("\n\n"):
        if not block.strip():
            continue
        frame: dict[str, Any] = {}
        for line in block.split("\n"):
            if line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            frame[name] = json.loads(value) if name == "data" else value
        if frame:
            frames.append(frame)
    return frames


async def read_stream(response: Any) -> bytes:
    return b"".join([chunk async for chunk in response.streaming_content])


@pytest.fixture
def collect() -> Any:
    async def _collect(response: Any) -> list[dict[str, Any]]:
        assert response.status_code == 200, getattr(response, "content", b"")
        return parse_sse(await read_stream(response))

    return _collect


@pytest.fixture(autouse=True)
def _close_async_orm_connections() -> Iterator[None]:
    """The async ORM runs queries in asgiref's shared thread; close its connection after each
    test so PostgreSQL can drop the test database at the end."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)


@pytest.fixture(autouse=True)
def _fresh_circuit_snapshots() -> Iterator[None]:
    """The circuit breaker trusts its last look at the shared state for a second; a test must
    not inherit another test's."""
    from consensus import circuit

    circuit._snapshots.clear()
    circuit._refreshes.clear()
    yield
    circuit._snapshots.clear()
    circuit._refreshes.clear()


async def eventually(predicate: Callable[[], object], within: float = 5.0, what: str = "") -> None:
    """Wait until `predicate()` holds, checking every few milliseconds; fail after `within`
    seconds naming what never happened. Polling a condition with a deadline, the tests' way to wait
    (never `sleep(n)` and hope)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() >= deadline:
            pytest.fail(f"not true within {within:g}s: {what or predicate}")
        await asyncio.sleep(0.005)
