"""The design document's five scenarios, end to end over HTTP with byte-faithful upstreams."""

from __future__ import annotations

import uuid

import httpx
import pytest
from django.test import override_settings

from consensus.models import ConsensusRun

from .upstreams import (
    ARK_MODEL,
    ARK_URL,
    GROQ_MODEL,
    GROQ_URL,
    ark_completion,
    ark_error,
    groq_error,
    groq_frames,
    slow_ark,
    stream_response,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

CONTRACT = "Jelaskan hukum perdata tentang kontrak"
AGREEING_FAST = (
    "Menurut hukum Indonesia, kontrak sah bila memenuhi empat syarat Pasal 1320 KUHPerdata: "
    "kesepakatan, kecakapan, suatu hal tertentu, dan sebab yang halal."
)
AGREEING_VALIDATOR = (
    "Menurut hukum Indonesia, sebuah kontrak sah apabila memenuhi empat syarat Pasal 1320 "
    "KUHPerdata: kesepakatan, kecakapan, suatu hal tertentu, dan sebab yang halal."
)
THEFT = "Apa hukuman untuk pencurian motor?"
THEFT_FAST = "5 tahun penjara maksimal"
THEFT_VALIDATOR = "Pasal 362 KUHP, maksimal 5 tahun penjara, atau denda maksimal..."


def words(text: str) -> list[str]:
    """Split into tokens the way a model streams them: each word with its leading space."""
    parts = text.split(" ")
    return [parts[0]] + [" " + p for p in parts[1:]]


def types(events: list[dict]) -> list[str]:
    return [e["data"]["type"] for e in events]


def assert_wire_shape(events: list[dict], run_id: str) -> None:
    assert [e["id"] for e in events] == [f"{run_id}:{n}" for n in range(len(events))]
    assert sum(e["data"]["type"] in ("complete", "error") for e in events) == 1
    assert events[-1]["data"]["type"] in ("complete", "error")


async def test_high_agreement_streams_tokens_then_completes_without_correction(
    async_client, upstream, collect
):
    pieces = words(AGREEING_FAST)
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(pieces)))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(AGREEING_VALIDATOR))
    )

    response = await async_client.post(
        "/api/consensus/stream", {"prompt": CONTRACT}, content_type="application/json"
    )
    assert response["Content-Type"] == "text/event-stream; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    events = await collect(response)

    run_id = events[0]["data"]["run_id"]
    assert_wire_shape(events, run_id)
    assert types(events) == ["start"] + ["token"] * len(pieces) + [
        "groq_complete",
        "byteplus_complete",
        "complete",
    ]
    start, complete = events[0]["data"], events[-1]["data"]
    assert start["models"] == [GROQ_MODEL, ARK_MODEL]
    assert start["timestamp"].endswith("Z")
    tokens = [e["data"] for e in events if e["data"]["type"] == "token"]
    assert all(t["model"] == "groq" for t in tokens)
    groq_complete = events[len(pieces) + 1]["data"]
    assert groq_complete["content"] == "".join(t["content"] for t in tokens) == AGREEING_FAST
    assert groq_complete["length"] == len(AGREEING_FAST)
    validation = events[-2]["data"]
    assert validation["similarity"] >= 0.85
    assert validation["byteplus_confidence"] == 0.85
    assert complete["content"] == AGREEING_FAST
    assert complete["confidence"] == 0.89
    assert complete["run_id"] == run_id
    assert complete["usage"]["groq"]["completion_tokens"] == len(pieces)
    assert complete["usage"]["byteplus"] == {
        "prompt_tokens": 40,
        "completion_tokens": 60,
        "total_tokens": 100,
    }

    run = await ConsensusRun.objects.aget(id=uuid.UUID(run_id))
    assert run.prompt == CONTRACT
    assert run.status == "completed"
    assert run.fast_model == GROQ_MODEL
    assert run.validator_model == ARK_MODEL
    assert run.fast_provider == "Groq"
    assert run.validator_provider == "BytePlus ModelArk"
    assert run.fast_answer == AGREEING_FAST
    assert run.validator_answer == AGREEING_VALIDATOR
    assert run.final_answer == AGREEING_FAST
    assert run.similarity == validation["similarity"]
    assert run.corrected is False
    assert run.confidence == 0.89
    assert run.parameters == {"temperature": 0.7, "max_tokens": 2000}
    assert run.error == ""
    assert 0 < run.time_to_first_token <= run.fast_duration <= run.total_duration
    assert run.validator_duration is not None
    assert run.fast_usage["total_tokens"] == 38 + len(pieces)
    assert run.validator_usage["total_tokens"] == 100
    assert run.finished_at is not None


async def test_low_agreement_sends_the_validators_answer_as_correction(
    async_client, upstream, collect
):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(THEFT_FAST))))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(THEFT_VALIDATOR))
    )

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": THEFT}, content_type="application/json"
        )
    )

    assert types(events)[-4:] == ["groq_complete", "byteplus_complete", "correction", "complete"]
    correction, complete = events[-2]["data"], events[-1]["data"]
    # The penalty it states is incomplete: the law gives prison *or* a fine.
    assert correction["reason"] == "fact_conflict"
    assert [c["kind"] for c in correction["conflicts"]] == ["penalty_incomplete"]
    assert correction["original"] == THEFT_FAST
    assert correction["corrected"] == THEFT_VALIDATOR
    assert 0.40 <= correction["similarity"] <= 0.50
    assert complete["content"] == THEFT_VALIDATOR
    assert complete["confidence"] == 0.69
    assert complete["corrected"] is True

    run = await ConsensusRun.objects.aget(id=complete["run_id"])
    assert run.status == "corrected"
    assert run.corrected is True
    assert run.correction_reason == "fact_conflict"
    assert run.fast_answer == THEFT_FAST
    assert run.final_answer == THEFT_VALIDATOR
    assert run.confidence == 0.69


@override_settings(CONSENSUS_VALIDATOR_TIMEOUT=0.2)
async def test_validator_timeout_keeps_the_fast_answer_at_unvalidated_confidence(
    async_client, upstream, collect
):
    log: list[str] = []
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(AGREEING_FAST))))
    upstream.post(ARK_URL).mock(side_effect=slow_ark(AGREEING_VALIDATOR, 30, log))

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": CONTRACT}, content_type="application/json"
        )
    )

    assert types(events)[-3:] == ["groq_complete", "byteplus_timeout", "complete"]
    assert events[-2]["data"]["message"] == "Using Groq response only"
    assert events[-1]["data"]["content"] == AGREEING_FAST
    assert events[-1]["data"]["confidence"] == 0.7
    assert log == ["validator cancelled"]
    run = await ConsensusRun.objects.aget(id=events[-1]["data"]["run_id"])
    assert run.status == "validator_timeout"
    assert run.final_answer == AGREEING_FAST
    assert run.similarity is None
    assert run.confidence == 0.7
    assert run.validator_answer == ""


@override_settings(CONSENSUS_RETRY_BUDGET=0.3)
async def test_fast_model_error_with_validator_down_ends_with_one_readable_error(
    async_client, upstream, collect
):
    """The seed's scenario 4: the client gets an error event, not a crash; the run is failed."""
    upstream.post(GROQ_URL).mock(side_effect=httpx.ConnectTimeout("Connection timeout to Groq API"))
    upstream.post(ARK_URL).mock(
        return_value=ark_error(
            503, "ServiceUnavailable", "ServiceUnavailable", "overloaded", request_id=None
        )
    )

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": CONTRACT}, content_type="application/json"
        )
    )

    assert types(events) == ["start", "fallback", "error"]
    error = events[-1]["data"]
    assert error["message"] == (
        "Both models failed. Groq: timed out connecting. "
        "BytePlus ModelArk answered HTTP 503: overloaded."
    )
    assert error["timestamp"].endswith("Z")
    run = await ConsensusRun.objects.aget(id=events[0]["data"]["run_id"])
    assert run.status == "failed"
    assert run.error == error["message"]
    assert run.fast_answer == ""
    assert run.final_answer == ""


@override_settings(CONSENSUS_RETRY_BUDGET=0.3)
async def test_fast_model_error_falls_back_to_the_validators_answer(
    async_client, upstream, collect
):
    upstream.post(GROQ_URL).mock(side_effect=httpx.ConnectTimeout("Connection timeout to Groq API"))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(AGREEING_VALIDATOR))
    )

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": CONTRACT}, content_type="application/json"
        )
    )

    kinds = types(events)
    assert kinds[:2] == ["start", "fallback"]
    assert kinds[-1] == "complete"
    assert set(kinds[2:-1]) == {"token"}
    assert "groq_complete" not in kinds
    assert "byteplus_complete" not in kinds
    fallback = events[1]["data"]
    assert fallback == {
        "type": "fallback",
        "from": "groq",
        "to": "byteplus",
        "reason": "timeout",
        "message": "Groq: timed out connecting",
    }
    tokens = [e["data"] for e in events if e["data"]["type"] == "token"]
    assert {t["model"] for t in tokens} == {"byteplus"}
    assert "".join(t["content"] for t in tokens) == AGREEING_VALIDATOR
    complete = events[-1]["data"]
    assert complete["content"] == AGREEING_VALIDATOR
    assert complete["confidence"] == 0.7
    run = await ConsensusRun.objects.aget(id=complete["run_id"])
    assert run.status == "fallback"
    assert run.final_answer == AGREEING_VALIDATOR
    assert [a["role"] for a in run.attempts].count("groq") >= 2  # retried within the budget
    assert run.attempts[-1]["role"] == "byteplus" or any(
        a["role"] == "byteplus" and a["status"] == "ok" for a in run.attempts
    )


async def test_long_response_streams_every_token_and_validator_finishes_during_stream(
    async_client, upstream, collect
):
    pieces = [f" kata{n}" for n in range(600)]
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(pieces), delay=0.0005))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion("".join(pieces)))
    )

    response = await async_client.post(
        "/api/consensus/stream",
        {"prompt": "Jelaskan semua tahapan gugatan perdata dari awal hingga eksekusi"},
        content_type="application/json",
    )
    chunks = [chunk async for chunk in response.streaming_content]
    # Tokens go out as they arrive (deltas that arrive together may share a body message).
    assert len(chunks) > 100
    from .conftest import parse_sse

    events = parse_sse(b"".join(chunks))
    assert types(events) == ["start"] + ["token"] * 600 + [
        "groq_complete",
        "byteplus_complete",
        "complete",
    ]
    run = await ConsensusRun.objects.aget(id=events[-1]["data"]["run_id"])
    assert run.validator_duration < run.fast_duration
    assert run.status == "completed"
    assert run.fast_answer == "".join(pieces)


async def test_validator_error_still_completes_with_the_fast_answer(
    async_client, upstream, collect
):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(AGREEING_FAST))))
    upstream.post(ARK_URL).mock(
        return_value=ark_error(
            500, "InternalServiceError", "InternalServerError", "boom", request_id=None
        )
    )

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": CONTRACT}, content_type="application/json"
        )
    )

    assert types(events)[-3:] == ["groq_complete", "byteplus_error", "complete"]
    assert events[-2]["data"]["message"] == "BytePlus ModelArk answered HTTP 500: boom"
    assert events[-1]["data"]["content"] == AGREEING_FAST
    assert events[-1]["data"]["confidence"] == 0.7
    run = await ConsensusRun.objects.aget(id=events[-1]["data"]["run_id"])
    assert run.status == "validator_error"
    assert run.final_answer == AGREEING_FAST
    assert "HTTP 500" in run.error


async def test_groq_http_error_body_reaches_the_user(async_client, upstream, collect):
    upstream.post(GROQ_URL).mock(
        return_value=groq_error(401, "invalid_api_key", "invalid_request_error", "Invalid API Key")
    )
    upstream.post(ARK_URL).mock(
        return_value=ark_error(
            401, "AuthenticationError", "Unauthorized", "bad key", request_id=None
        )
    )

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": CONTRACT}, content_type="application/json"
        )
    )

    assert types(events) == ["start", "fallback", "error"]
    assert events[1]["data"]["reason"] == "rejected"
    assert "Groq answered HTTP 401: Invalid API Key" in events[-1]["data"]["message"]
    assert "BytePlus ModelArk answered HTTP 401: bad key" in events[-1]["data"]["message"]
    assert events[-1]["data"]["code"] == "models_unavailable"
