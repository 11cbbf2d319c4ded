"""Per-client limits: streams per minute and streams at once, shared through the cache."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from django.core.cache import cache
from django.test import AsyncClient

from consensus.access import ratelimit
from consensus.conf import get_config

from .upstreams import ARK_URL, GROQ_URL, SSE, ark_completion, groq_frames, stream_response

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

NOW = 60 * 16_667 + 20.0  # 20 s into a minute: the window ends in 40 s


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A fixed clock for the per-minute window; tests move it by assigning `clock[0]`."""
    now = [NOW]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    return now


@pytest.fixture
def answering(upstream):
    """Both upstreams answer at once."""
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya", " benar."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya benar.")))
    return upstream


def gated(gate: asyncio.Event):
    """Upstream side effects that hold their answer until `gate` is set (runs stay open)."""

    def fast(request: httpx.Request) -> httpx.Response:
        async def body():
            await gate.wait()
            for frame in groq_frames(["Ya", " benar."]):
                yield frame

        return httpx.Response(200, headers=SSE, content=body())

    async def validator(request: httpx.Request) -> httpx.Response:
        await gate.wait()
        return httpx.Response(200, json=ark_completion("Ya benar."))

    return fast, validator


class ClientAt(AsyncClient):
    """A test client connecting from another address (REMOTE_ADDR)."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def _base_scope(self, **request):
        return {**super()._base_scope(**request), "client": [self.address, 50000]}


async def ask(http, **extra):
    return await http.post(
        "/api/consensus/stream",
        {"prompt": "Apakah kontrak lisan sah?"},
        content_type="application/json",
        **extra,
    )


# --- the limiter ------------------------------------------------------------------------------


async def test_minute_limit_admits_n_starts_then_refuses_until_the_next_minute(settings, clock):
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 3
    cfg = get_config()
    for _ in range(3):
        await (await ratelimit.acquire("ip:10.0.0.1", cfg)).release()

    with pytest.raises(ratelimit.RateLimited) as refused:
        await ratelimit.acquire("ip:10.0.0.1", cfg)
    assert refused.value.code == "rate_limited"
    assert refused.value.retry_after == 40
    await ratelimit.acquire("ip:10.0.0.2", cfg)  # another client is not affected

    clock[0] = NOW + 40
    await ratelimit.acquire("ip:10.0.0.1", cfg)


async def test_twenty_concurrent_starts_against_ten_a_minute_admit_exactly_ten(settings, clock):
    """On the local-memory cache in the first pass, on Redis in the second."""
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 10
    cfg = get_config()

    async with asyncio.timeout(10):
        outcomes = await asyncio.gather(
            *(ratelimit.acquire("ip:10.0.0.9", cfg) for _ in range(20)), return_exceptions=True
        )

    admitted = [o for o in outcomes if isinstance(o, ratelimit.Lease)]
    refused = [o for o in outcomes if isinstance(o, ratelimit.RateLimited)]
    assert (len(admitted), len(refused)) == (10, 10)
    assert {r.code for r in refused} == {"rate_limited"}


async def test_concurrent_increments_in_threads_are_atomic():
    """Workers sharing Redis are threads or processes: count from many threads at once."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import async_to_sync

    from consensus.access import counters

    def bump() -> int:
        return async_to_sync(counters.incr)("consensus:test:threads", ttl=60)

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = sorted(pool.map(lambda _: bump(), range(40)))

    assert counts == list(range(1, 41))
    assert await cache.aget("consensus:test:threads") == 40


async def test_concurrency_limit_frees_a_slot_on_release(settings):
    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 2
    settings.CONSENSUS_RESUME_GRACE = 10
    cfg = get_config()
    first = await ratelimit.acquire("token:1", cfg)
    await ratelimit.acquire("token:1", cfg)
    with pytest.raises(ratelimit.RateLimited) as refused:
        await ratelimit.acquire("token:1", cfg)
    assert refused.value.code == "too_many_streams"
    assert refused.value.retry_after == 12  # the resume grace, plus the cancel and the save

    await first.release()
    third = await ratelimit.acquire("token:1", cfg)
    await first.release()  # idempotent: must not free the slot `third` now holds
    with pytest.raises(ratelimit.RateLimited):
        await ratelimit.acquire("token:1", cfg)
    await third.release()


async def test_a_refused_concurrent_start_does_not_use_up_the_minute(settings, clock):
    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 1
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 2
    cfg = get_config()
    held = await ratelimit.acquire("user:7", cfg)
    for _ in range(5):
        with pytest.raises(ratelimit.RateLimited, match="at once"):
            await ratelimit.acquire("user:7", cfg)
    await held.release()
    await (await ratelimit.acquire("user:7", cfg)).release()  # the second start of the minute


async def test_a_crashed_workers_slot_expires(settings, monkeypatch):
    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 1
    settings.CONSENSUS_RUN_TIMEOUT = 1
    settings.CONSENSUS_RESUME_GRACE = 0
    monkeypatch.setattr(ratelimit, "SLOT_MARGIN", 0)
    cfg = get_config()
    assert ratelimit.slot_ttl(cfg) == 1
    await ratelimit.acquire("ip:10.0.0.9", cfg)  # never released: its worker died

    async def admitted() -> None:
        while True:
            try:
                await ratelimit.acquire("ip:10.0.0.9", cfg)
                return
            except ratelimit.RateLimited:
                await asyncio.sleep(0.1)

    await asyncio.wait_for(admitted(), timeout=5)


def test_slot_lifetime_covers_the_longest_run(settings):
    settings.CONSENSUS_RUN_TIMEOUT = 60
    settings.CONSENSUS_RESUME_GRACE = 10
    assert ratelimit.slot_ttl(get_config()) == 60 + 10 + ratelimit.SLOT_MARGIN
    settings.CONSENSUS_RUN_TIMEOUT = 0
    assert ratelimit.slot_ttl(get_config()) == ratelimit.UNBOUNDED_RUN_SLOT_TTL


async def test_zero_disables_both_limits(settings):
    cfg = get_config()
    assert cfg.rate_limit_per_minute == cfg.max_concurrent_per_client == 0
    for _ in range(50):
        await ratelimit.acquire("ip:10.0.0.3", cfg)


# --- over HTTP ---------------------------------------------------------------------------------


async def test_stream_over_the_minute_limit_gets_429_json_with_retry_after(
    async_client, answering, collect, settings, clock
):
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 2
    for _ in range(2):
        response = await ask(async_client)
        assert (await collect(response))[-1]["data"]["type"] == "complete"

    refused = await ask(async_client)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "per minute" in refused.json()["error"]["message"]
    assert answering.routes[0].call_count == 2  # the refused question reached no model


async def test_third_concurrent_stream_gets_429_until_one_ends(
    async_client, upstream, collect, settings
):
    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 2
    settings.CONSENSUS_FIRST_TOKEN_TIMEOUT = 0  # the held fast model must not trigger fallback
    gate = asyncio.Event()
    fast, validator = gated(gate)
    upstream.post(GROQ_URL).mock(side_effect=fast)
    upstream.post(ARK_URL).mock(side_effect=validator)

    first, second = await ask(async_client), await ask(async_client)
    assert first.status_code == second.status_code == 200
    refused = await ask(async_client)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_streams"
    assert refused["Retry-After"] == str(ratelimit.streams_retry_after(get_config()))

    gate.set()
    for response in (first, second):
        assert (await collect(response))[-1]["data"]["type"] == "complete"
    again = await ask(async_client)  # a slot is free as soon as a stream's end is seen
    assert again.status_code == 200
    await collect(again)


async def test_too_many_streams_retry_after_covers_an_abandoned_streams_grace(upstream, settings):
    """The client left its stream (a reload): the run lives on for the resume grace, then its slot
    frees, within the `Retry-After` the refusal gave."""
    from .test_connections import post_call

    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 1
    settings.CONSENSUS_RESUME_GRACE = 0.5
    settings.CONSENSUS_FIRST_TOKEN_TIMEOUT = 0
    fast, validator = gated(asyncio.Event())  # never answers: only the grace ends the run
    upstream.post(GROQ_URL).mock(side_effect=fast)
    upstream.post(ARK_URL).mock(side_effect=validator)
    cfg = get_config()

    call = post_call()
    task = call.start()
    await call.wait_for(lambda c: b"data: " in c.raw)  # the start event: the slot is held
    call.disconnect.set()
    await asyncio.wait_for(task, 5)
    with pytest.raises(ratelimit.RateLimited) as refused:
        await ratelimit.acquire("ip:127.0.0.1", cfg)
    assert refused.value.retry_after == 3  # ceil(0.5 s grace + 2 s)

    async with asyncio.timeout(refused.value.retry_after):
        while True:
            try:
                lease = await ratelimit.acquire("ip:127.0.0.1", cfg)
            except ratelimit.RateLimited:
                await asyncio.sleep(0.05)  # polling for the freed slot, bounded above
                continue
            break
    await lease.release()


async def test_forwarded_for_header_does_not_change_the_client(
    async_client, answering, collect, settings, clock
):
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 1
    await collect(await ask(async_client, headers={"X-Forwarded-For": "203.0.113.1"}))

    refused = await ask(async_client, headers={"X-Forwarded-For": "203.0.113.2"})

    assert refused.status_code == 429


async def test_limits_count_per_client_address(async_client, answering, collect, settings, clock):
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 1
    await collect(await ask(async_client))
    assert (await ask(async_client)).status_code == 429

    other = await ask(ClientAt("198.51.100.7"))

    assert other.status_code == 200
    await collect(other)
