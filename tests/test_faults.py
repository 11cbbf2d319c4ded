"""Fault injection at the HTTP level: one test per way the fast model (or both) can fail.

Each test asserts the exact event sequence, that the user's final answer is complete (never a
partial text), and that exactly one run row exists with the right status.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from django.core.cache import cache
from django.test import override_settings

from consensus.models import ConsensusRun

from .conftest import parse_sse, read_stream
from .upstreams import (
    ARK_URL,
    SSE,
    ark_completion,
    ark_error,
    groq_chunk,
    groq_error,
    groq_frames,
    stream_response,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.redis,
]
GROQ_URL = "https://api.groq.test/openai/v1/chat/completions"
FAST = "Menurut Pasal 1320 KUHPerdata, kontrak sah bila ada kesepakatan dan kecakapan."
VALIDATOR = "Menurut Pasal 1320 KUHPerdata, sebuah kontrak sah bila ada kesepakatan dan kecakapan."
TIGHT = {
    "CONSENSUS_FIRST_TOKEN_TIMEOUT": 0.4,
    "CONSENSUS_STALL_TIMEOUT": 0.4,
    "CONSENSUS_RETRY_BUDGET": 1.0,
    "CONSENSUS_VALIDATOR_TIMEOUT": 1.0,
    "CONSENSUS_RUN_TIMEOUT": 10.0,
    "CONSENSUS_CIRCUIT_FAILURES": 0,
}


@pytest.fixture(autouse=True)
def _tight_limits(settings):  # type: ignore[no-untyped-def]
    for name, value in TIGHT.items():
        setattr(settings, name, value)
    cache.clear()
    yield
    cache.clear()


def words(text: str) -> list[str]:
    parts = text.split(" ")
    return [parts[0]] + [" " + p for p in parts[1:]]


def ok_validator(upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion(VALIDATOR)))


async def ask(async_client) -> tuple[list[dict], ConsensusRun]:  # type: ignore[no-untyped-def]
    response = await async_client.post(
        "/api/consensus/stream",
        {"prompt": "Apa syarat sah perjanjian?"},
        content_type="application/json",
    )
    assert response.status_code == 200
    events = parse_sse(await read_stream(response))
    data = [e["data"] for e in events]
    assert sum(d["type"] in ("complete", "error") for d in data) == 1
    assert data[-1]["type"] in ("complete", "error")
    assert await ConsensusRun.objects.acount() == 1
    run = await ConsensusRun.objects.aget()
    return data, run


def kinds(events: list[dict]) -> list[str]:
    """Event types with consecutive tokens collapsed to one "token*"."""
    out: list[str] = []
    for event in events:
        name = "token*" if event["type"] == "token" else event["type"]
        if not (out and out[-1] == name == "token*"):
            out.append(name)
    return out


def streamed_text(events: list[dict], model: str) -> str:
    return "".join(e["content"] for e in events if e["type"] == "token" and e["model"] == model)


def assert_normal_completion(events: list[dict], run: ConsensusRun) -> None:
    assert kinds(events) == ["start", "token*", "groq_complete", "byteplus_complete", "complete"]
    assert events[-1]["content"] == FAST
    assert run.status == "completed"
    assert run.final_answer == FAST


def assert_fallback(events: list[dict], run: ConsensusRun, reason: str) -> None:
    assert kinds(events) == ["start", "fallback", "token*", "complete"]
    assert events[1]["reason"] == reason
    assert streamed_text(events, "byteplus") == VALIDATOR == events[-1]["content"]
    assert events[-1]["confidence"] == 0.7
    assert run.status == "fallback"
    assert run.final_answer == VALIDATOR


def assert_recovered(events: list[dict], run: ConsensusRun, partial: str) -> None:
    assert kinds(events) == ["start", "token*", "correction", "complete"]
    correction = events[-2]
    assert correction["reason"] == "fast_model_failed"
    assert correction["original"] == partial == streamed_text(events, "groq")
    assert correction["corrected"] == VALIDATOR == events[-1]["content"]
    assert events[-1]["confidence"] == 0.7
    assert run.status == "corrected"
    assert run.correction_reason == "fast_model_failed"
    assert run.fast_answer == partial
    assert run.final_answer == VALIDATOR


def groq_calls(run: ConsensusRun) -> list[dict]:
    return [a for a in run.attempts if a["role"] == "groq"]


def sequence(*responses):  # type: ignore[no-untyped-def]
    """A side effect answering call n with responses[n] (the last one repeats)."""
    calls: list[float] = []

    def respond(request: httpx.Request) -> httpx.Response:
        calls.append(time.perf_counter())
        item = responses[min(len(calls), len(responses)) - 1]
        return item(request) if callable(item) else item

    respond.calls = calls  # type: ignore[attr-defined]
    return respond


async def test_429_with_retry_after_waits_then_retries(async_client, upstream):
    side = sequence(
        groq_error(
            429, "rate_limit_exceeded", "tokens", "Rate limit reached", **{"retry-after": "0.3"}
        ),
        stream_response(groq_frames(words(FAST))),
    )
    upstream.post(GROQ_URL).mock(side_effect=side)
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_normal_completion(events, run)
    assert len(side.calls) == 2
    assert side.calls[1] - side.calls[0] >= 0.3
    assert [a.get("http_status") for a in groq_calls(run)] == [429, None]


async def test_429_without_retry_after_backs_off_then_falls_back(async_client, upstream):
    side = sequence(groq_error(429, "rate_limit_exceeded", "requests", "Rate limit reached"))
    upstream.post(GROQ_URL).mock(side_effect=side)
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_fallback(events, run, "rate_limited")
    assert 2 <= len(side.calls) <= 4  # a few spaced retries, no hammering
    gaps = [b - a for a, b in zip(side.calls, side.calls[1:], strict=False)]
    assert all(gap >= 0.15 for gap in gaps)
    assert gaps == sorted(gaps) or len(gaps) == 1


async def test_500_once_then_healthy_is_retried_transparently(async_client, upstream):
    side = sequence(
        groq_error(500, "internal_server_error", "api_error", "Internal error"),
        stream_response(groq_frames(words(FAST))),
    )
    upstream.post(GROQ_URL).mock(side_effect=side)
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_normal_completion(events, run)
    assert [a["status"] for a in groq_calls(run)] == ["http_error", "ok"]


async def test_503_persistent_falls_back_after_the_retry_budget(async_client, upstream):
    side = sequence(groq_error(503, "service_unavailable", "api_error", "Service Unavailable"))
    upstream.post(GROQ_URL).mock(side_effect=side)
    ok_validator(upstream)

    started = time.perf_counter()
    events, run = await ask(async_client)

    assert_fallback(events, run, "server_error")
    assert len(side.calls) >= 2
    assert time.perf_counter() - started < 3.0


async def test_connection_reset_before_headers_is_retried_then_falls_back(async_client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=httpx.RemoteProtocolError("peer closed connection"))
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_fallback(events, run, "connection_error")
    assert len(groq_calls(run)) >= 2


async def test_accept_then_silence_falls_back_after_the_first_token_timeout(async_client, upstream):
    log: list[str] = []
    upstream.post(GROQ_URL).mock(side_effect=stream_response([], first_delay=30, log=log))
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_fallback(events, run, "first_token_timeout")
    assert log == ["fast upstream closed"]
    assert len(groq_calls(run)) == 1


async def test_slow_first_token_falls_back(async_client, upstream):
    log: list[str] = []
    upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(words(FAST)), first_delay=2.0, log=log)
    )
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_fallback(events, run, "first_token_timeout")
    assert log == ["fast upstream closed"]


async def test_stream_cut_after_10_tokens_is_corrected_by_the_validator(async_client, upstream):
    pieces = words(FAST)
    frames = groq_frames(pieces)[: 1 + 10]  # role chunk + 10 content chunks, no finish
    upstream.post(GROQ_URL).mock(
        side_effect=stream_response(frames, then=httpx.ReadError("connection reset"))
    )
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_recovered(events, run, "".join(pieces[:10]))
    assert groq_calls(run)[0]["status"] == "connection_error"


async def test_stall_mid_stream_is_corrected_by_the_validator(async_client, upstream):
    pieces = words(FAST)

    def stalled(request: httpx.Request) -> httpx.Response:
        async def body():  # type: ignore[no-untyped-def]
            for frame in groq_frames(pieces)[:6]:
                yield frame
            await asyncio.sleep(30)

        return httpx.Response(200, headers=SSE, content=body())

    upstream.post(GROQ_URL).mock(side_effect=stalled)
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_recovered(events, run, "".join(pieces[:5]))
    assert "stopped sending" in run.error


async def test_malformed_chunk_after_tokens_is_corrected(async_client, upstream):
    pieces = words(FAST)
    frames = [*groq_frames(pieces)[:4], b"data: {not json\n\n"]
    upstream.post(GROQ_URL).mock(side_effect=stream_response(frames))
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_recovered(events, run, "".join(pieces[:3]))
    assert groq_calls(run)[0]["status"] == "protocol_error"


async def test_malformed_first_chunk_falls_back_without_retry(async_client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response([b"data: <html>oops\n\n"]))
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_fallback(events, run, "protocol_error")
    assert len(groq_calls(run)) == 1


async def test_missing_done_after_a_finish_reason_is_a_complete_answer(async_client, upstream):
    frames = groq_frames(words(FAST))[:-1]  # finish chunk present, "data: [DONE]" missing
    upstream.post(GROQ_URL).mock(side_effect=stream_response(frames))
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_normal_completion(events, run)


async def test_close_without_finish_reason_or_done_is_not_presented_as_complete(
    async_client, upstream
):
    pieces = words(FAST)
    frames = groq_frames(pieces)[: 1 + len(pieces)]  # every token, then a clean EOF
    upstream.post(GROQ_URL).mock(side_effect=stream_response(frames))
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_recovered(events, run, FAST)


async def test_context_overflow_400_falls_back_without_retry(async_client, upstream):
    side = sequence(
        groq_error(
            400,
            "context_length_exceeded",
            "invalid_request_error",
            "Please reduce the length of the messages or completion.",
        )
    )
    upstream.post(GROQ_URL).mock(side_effect=side)
    ok_validator(upstream)

    events, run = await ask(async_client)

    assert_fallback(events, run, "rejected")
    assert len(side.calls) == 1


async def test_content_policy_400_on_both_models_reaches_the_user_in_their_words(
    async_client, upstream
):
    side = sequence(
        groq_error(
            400, "content_filter", "invalid_request_error", "Request blocked by content policy."
        )
    )
    upstream.post(GROQ_URL).mock(side_effect=side)
    upstream.post(ARK_URL).mock(
        return_value=ark_error(
            400,
            "SensitiveContentDetected",
            "BadRequest",
            "The request failed because the input text may contain sensitive information.",
        )
    )

    events, run = await ask(async_client)

    assert kinds(events) == ["start", "fallback", "error"]
    assert len(side.calls) == 1
    message = events[-1]["message"]
    assert "Request blocked by content policy" in message
    assert "may contain sensitive information" in message
    assert run.status == "failed"
    assert run.final_answer == ""


@override_settings(CONSENSUS_CIRCUIT_FAILURES=2, CONSENSUS_CIRCUIT_COOLDOWN=0.5)
async def test_flapping_fast_model_opens_the_circuit_then_a_probe_closes_it(async_client, upstream):
    failing = groq_error(503, "service_unavailable", "api_error", "over capacity")
    side = sequence(*([failing] * 4))
    route = upstream.post(GROQ_URL).mock(side_effect=side)
    upstream.post(ARK_URL).mock(
        side_effect=lambda r: httpx.Response(200, json=ark_completion(VALIDATOR))
    )

    for _ in range(2):  # two failing runs (each retried within its budget) open the circuit
        await ConsensusRun.objects.all().adelete()
        events, run = await ask(async_client)
        assert_fallback(events, run, "server_error")
    calls_when_opened = route.call_count

    await ConsensusRun.objects.all().adelete()
    events, run = await ask(async_client)
    assert_fallback(events, run, "circuit_open")
    assert route.call_count == calls_when_opened  # the fast model was not called at all
    assert groq_calls(run) == []

    await asyncio.sleep(0.6)  # cool-down over: the next question is the probe, and it succeeds
    route.mock(side_effect=stream_response(groq_frames(words(FAST))))
    await ConsensusRun.objects.all().adelete()
    events, run = await ask(async_client)
    assert_normal_completion(events, run)

    await ConsensusRun.objects.all().adelete()
    events, run = await ask(async_client)  # closed again
    assert_normal_completion(events, run)


async def test_validator_500_keeps_the_fast_answer(async_client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(FAST))))
    upstream.post(ARK_URL).mock(
        return_value=ark_error(
            500, "InternalServiceError", "InternalServerError", "The service encountered an error."
        )
    )

    events, run = await ask(async_client)

    assert kinds(events) == ["start", "token*", "groq_complete", "byteplus_error", "complete"]
    assert events[-1]["content"] == FAST
    assert events[-1]["confidence"] == 0.7
    assert run.status == "validator_error"
    assert run.final_answer == FAST


async def test_validator_slow_times_out_and_keeps_the_fast_answer(async_client, upstream):
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200, json=ark_completion(VALIDATOR))

    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(FAST))))
    upstream.post(ARK_URL).mock(side_effect=slow)

    events, run = await ask(async_client)

    assert kinds(events) == ["start", "token*", "groq_complete", "byteplus_timeout", "complete"]
    assert events[-1]["content"] == FAST
    assert events[-1]["confidence"] == 0.7
    assert run.status == "validator_timeout"
    assert [a["status"] for a in run.attempts if a["role"] == "byteplus"] == ["cancelled"]


async def test_both_models_down_end_in_one_readable_error(async_client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=httpx.ConnectError("connection refused"))
    upstream.post(ARK_URL).mock(side_effect=httpx.ConnectError("connection refused"))

    events, run = await ask(async_client)

    assert kinds(events) == ["start", "fallback", "error"]
    assert events[-1]["message"].startswith("Both models failed. Groq: connection failed")
    assert run.status == "failed"


@override_settings(CONSENSUS_RUN_TIMEOUT=1.0, CONSENSUS_STALL_TIMEOUT=0)
async def test_run_time_limit_ends_a_never_ending_stream(async_client, upstream):
    def endless(request: httpx.Request) -> httpx.Response:
        async def body():  # type: ignore[no-untyped-def]
            yield groq_chunk({"role": "assistant", "content": ""})
            while True:
                yield groq_chunk({"content": " lagi"})
                await asyncio.sleep(0.05)

        return httpx.Response(200, headers=SSE, content=body())

    upstream.post(GROQ_URL).mock(side_effect=endless)
    ok_validator(upstream)

    started = time.perf_counter()
    events, run = await ask(async_client)

    assert time.perf_counter() - started < 3.0
    assert kinds(events) == ["start", "token*", "correction", "complete"]
    assert events[-1]["content"] == VALIDATOR
    assert run.status == "corrected"
    assert "time limit" in run.error
