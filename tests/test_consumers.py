"""The WebSocket endpoint answers the SSE scenarios with the same events; the staff feed."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.test import override_settings

from consensus.consumers import RunFeedConsumer
from consensus.models import ConsensusRun
from consensus_project.asgi import application

from .test_scenarios import (
    AGREEING_FAST,
    AGREEING_VALIDATOR,
    CONTRACT,
    THEFT,
    THEFT_FAST,
    THEFT_VALIDATOR,
    words,
)
from .upstreams import (
    ARK_MODEL,
    ARK_URL,
    GROQ_MODEL,
    GROQ_URL,
    ark_completion,
    ark_error,
    groq_frames,
    slow_ark,
    stream_response,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ORIGIN = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


@pytest.fixture(autouse=True)
def _clean_cache():  # type: ignore[no-untyped-def]
    cache.clear()  # circuit breaker and rate-limit counters from other tests
    yield
    cache.clear()


async def connect(path: str = "/ws/consensus/") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def ask(communicator: WebsocketCommunicator, **question: Any) -> list[dict[str, Any]]:
    """Send one question; receive frames until the terminal event."""
    await communicator.send_json_to(question)
    events = []
    while True:
        event = await communicator.receive_json_from(timeout=10)
        events.append(event)
        if event["type"] in ("complete", "error"):
            return events


def types(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


def assert_ids(events: list[dict[str, Any]]) -> str:
    run_id = events[0]["run_id"]
    assert [e["id"] for e in events] == [f"{run_id}:{n}" for n in range(len(events))]
    return str(run_id)


async def test_agreement_streams_the_same_events_as_sse_and_stores_the_run(upstream):
    pieces = words(AGREEING_FAST)
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(pieces)))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(AGREEING_VALIDATOR))
    )
    communicator = await connect()

    events = await ask(communicator, prompt=CONTRACT)

    run_id = assert_ids(events)
    assert types(events) == ["start"] + ["token"] * len(pieces) + [
        "groq_complete",
        "byteplus_complete",
        "complete",
    ]
    assert events[0]["models"] == [GROQ_MODEL, ARK_MODEL]
    assert "".join(e["content"] for e in events if e["type"] == "token") == AGREEING_FAST
    assert events[-1]["confidence"] == 0.89
    assert events[-1]["content"] == AGREEING_FAST
    run = await ConsensusRun.objects.aget(id=uuid.UUID(run_id))
    assert run.status == "completed"
    assert run.final_answer == AGREEING_FAST
    await communicator.disconnect()


async def test_low_agreement_sends_a_correction(upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(THEFT_FAST))))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(THEFT_VALIDATOR))
    )
    communicator = await connect()

    events = await ask(communicator, prompt=THEFT)

    assert types(events)[-4:] == ["groq_complete", "byteplus_complete", "correction", "complete"]
    assert events[-2]["corrected"] == THEFT_VALIDATOR
    assert events[-1]["content"] == THEFT_VALIDATOR
    assert events[-1]["confidence"] == 0.69
    run = await ConsensusRun.objects.aget(id=events[-1]["run_id"])
    assert run.status == "corrected"
    assert run.corrected is True
    await communicator.disconnect()


@override_settings(CONSENSUS_VALIDATOR_TIMEOUT=0.2)
async def test_validator_timeout_keeps_the_fast_answer(upstream):
    log: list[str] = []
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(AGREEING_FAST))))
    upstream.post(ARK_URL).mock(side_effect=slow_ark(AGREEING_VALIDATOR, 30, log))
    communicator = await connect()

    events = await ask(communicator, prompt=CONTRACT)

    assert types(events)[-3:] == ["groq_complete", "byteplus_timeout", "complete"]
    assert events[-1]["confidence"] == 0.7
    assert events[-1]["content"] == AGREEING_FAST
    assert log == ["validator cancelled"]
    run = await ConsensusRun.objects.aget(id=events[-1]["run_id"])
    assert run.status == "validator_timeout"
    await communicator.disconnect()


@override_settings(CONSENSUS_RETRY_BUDGET=0.3)
async def test_fast_model_error_with_validator_down_ends_with_one_error(upstream):
    upstream.post(GROQ_URL).mock(side_effect=httpx.ConnectTimeout("Connection timeout to Groq API"))
    upstream.post(ARK_URL).mock(
        return_value=ark_error(
            503, "ServiceUnavailable", "ServiceUnavailable", "overloaded", request_id=None
        )
    )
    communicator = await connect()

    events = await ask(communicator, prompt=CONTRACT)

    assert types(events) == ["start", "fallback", "error"]
    assert events[-1]["message"].startswith("Both models failed. Groq: timed out connecting.")
    run = await ConsensusRun.objects.aget(id=events[0]["run_id"])
    assert run.status == "failed"
    await communicator.disconnect()


async def test_closing_the_socket_cancels_both_upstream_calls_and_saves_an_aborted_run(upstream):
    log: list[str] = []
    pieces = [f" kata{n}" for n in range(200)]
    upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(pieces), delay=0.02, log=log)
    )
    upstream.post(ARK_URL).mock(side_effect=slow_ark(AGREEING_VALIDATOR, 30, log))
    communicator = await connect()
    await communicator.send_json_to({"prompt": CONTRACT})
    start = await communicator.receive_json_from(timeout=5)
    for _ in range(3):
        assert (await communicator.receive_json_from(timeout=5))["type"] == "token"

    await communicator.disconnect(timeout=10)

    assert sorted(log) == ["fast upstream closed", "validator cancelled"]
    run = await ConsensusRun.objects.aget(id=start["run_id"])
    assert run.status == "aborted"
    assert 3 <= len(run.fast_answer.split()) < len(pieces)


async def test_invalid_question_gets_an_error_frame_and_the_socket_stays_open(upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya.")))
    communicator = await connect()

    await communicator.send_json_to({"prompt": ""})
    problem = await communicator.receive_json_from(timeout=5)
    await communicator.send_to(text_data="not json")
    not_json = await communicator.receive_json_from(timeout=5)
    events = await ask(communicator, prompt="Apakah ini sah?")

    assert problem["type"] == "error"
    assert problem["code"] == "missing_prompt"
    assert not_json["code"] == "invalid_json"
    assert events[-1]["type"] == "complete"
    await communicator.disconnect()


async def test_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/consensus/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


async def feed_as(user: Any) -> tuple[bool, Any, WebsocketCommunicator]:
    communicator = WebsocketCommunicator(RunFeedConsumer.as_asgi(), "/ws/runs/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=5)
    return connected, code, communicator


@pytest.mark.redis
async def test_the_run_feed_is_for_staff_only():
    connected, code, _ = await feed_as(AnonymousUser())
    assert (connected, code) == (False, 4403)
    user = await User.objects.acreate_user("reader", password="x-long-password-1")
    connected, code, _ = await feed_as(user)
    assert (connected, code) == (False, 4403)


@pytest.mark.redis
async def test_staff_see_each_finished_run_on_the_feed(upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(AGREEING_FAST))))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(AGREEING_VALIDATOR))
    )
    staff = await User.objects.acreate_user("staff", password="x-long-password-1", is_staff=True)
    connected, _, dashboard = await feed_as(staff)
    assert connected
    communicator = await connect()

    events = await ask(communicator, prompt=CONTRACT)
    message = await dashboard.receive_json_from(timeout=5)

    assert message["type"] == "run.finished"
    assert message["run"]["run_id"] == events[-1]["run_id"]
    assert message["run"]["status"] == "completed"
    assert message["run"]["prompt"] == CONTRACT
    await communicator.disconnect()
    await dashboard.disconnect()
    await asyncio.sleep(0)


@pytest.mark.redis
async def test_runs_streamed_over_sse_reach_the_feed_too(upstream, async_client, collect):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(words(THEFT_FAST))))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(THEFT_VALIDATOR))
    )
    staff = await User.objects.acreate_user("staff2", password="x-long-password-1", is_staff=True)
    connected, _, dashboard = await feed_as(staff)
    assert connected

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": THEFT}, content_type="application/json"
        )
    )
    message = await dashboard.receive_json_from(timeout=5)

    assert message["run"]["run_id"] == events[-1]["data"]["run_id"]
    assert message["run"]["status"] == "corrected"
    await dashboard.disconnect()
