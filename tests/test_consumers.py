"""The WebSocket endpoint answers the SSE scenarios with the same events, on the hub (resume, stop,
the resume grace, admission with API tokens); the staff feed."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.test import override_settings

from consensus.access import tokens as auth
from consensus.consumers import RunFeedConsumer
from consensus.models import ConsensusRun
from consensus.streaming.hub import get_hub
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


async def connect(
    path: str = "/ws/consensus/", headers: list[tuple[bytes, bytes]] = ORIGIN
) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def until_terminal(communicator: WebsocketCommunicator) -> list[dict[str, Any]]:
    events = []
    while True:
        event = await communicator.receive_json_from(timeout=10)
        events.append(event)
        if event["type"] in ("complete", "error") and "id" in event:
            return events


async def run_finished(run_id: str) -> ConsensusRun:
    """The stored run, once the hub has finished it (saved, slot released)."""
    channel = get_hub().get(run_id)
    if channel is not None and channel.task is not None:
        await asyncio.wait_for(asyncio.shield(channel.task), 10)
    return await ConsensusRun.objects.aget(id=run_id)


def slow_upstreams(upstream: Any, log: list[str]) -> Any:
    """Groq streams 200 pieces 20 ms apart; ModelArk would take 30 s. Returns Groq's route."""
    pieces = [f" kata{n}" for n in range(200)]
    route = upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(pieces), delay=0.02, log=log)
    )
    upstream.post(ARK_URL).mock(side_effect=slow_ark(AGREEING_VALIDATOR, 30, log))
    return route


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


@override_settings(CONSENSUS_RESUME_GRACE=0.3)
async def test_closing_the_socket_leaves_the_run_for_the_grace_then_aborts_and_saves_it(upstream):
    log: list[str] = []
    slow_upstreams(upstream, log)
    communicator = await connect()
    await communicator.send_json_to({"prompt": CONTRACT})
    start = await communicator.receive_json_from(timeout=5)
    for _ in range(3):
        assert (await communicator.receive_json_from(timeout=5))["type"] == "token"

    await communicator.disconnect(timeout=10)

    channel = get_hub().get(start["run_id"])
    assert channel is not None  # not cancelled with the socket
    assert not channel.done
    run = await run_finished(start["run_id"])
    assert run.status == "aborted"
    assert sorted(log) == ["fast upstream closed", "validator cancelled"]
    assert 3 <= len(run.fast_answer.split()) < 200


@override_settings(CONSENSUS_RESUME_GRACE=5)
async def test_a_new_socket_resumes_a_run_after_the_last_event_id_without_a_second_call(upstream):
    fast = upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(words(AGREEING_FAST)), delay=0.02)
    )
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(AGREEING_VALIDATOR))
    )
    first = await connect()
    await first.send_json_to({"prompt": CONTRACT})
    seen = [await first.receive_json_from(timeout=5) for _ in range(4)]
    await first.disconnect(timeout=10)

    second = await connect()
    await second.send_json_to({"resume": seen[-1]["id"]})
    rest = await until_terminal(second)

    events = seen + rest
    run_id = assert_ids(events)  # contiguous: nothing missed, nothing twice
    assert events[-1]["type"] == "complete"
    assert "".join(e["content"] for e in events if e["type"] == "token") == AGREEING_FAST
    assert fast.call_count == 1
    assert (await run_finished(run_id)).status == "completed"
    await second.send_json_to({"resume": events[-1]["id"]})
    assert (await second.receive_json_from(timeout=5))["code"] == "run_finished"
    await second.send_json_to({"resume": run_id})  # from the start
    assert await until_terminal(second) == events
    await second.disconnect()


async def test_resume_refuses_a_negative_index_and_an_unknown_run():
    communicator = await connect()

    await communicator.send_json_to({"resume": f"{uuid.uuid4()}:-5"})
    negative = await communicator.receive_json_from(timeout=5)
    await communicator.send_json_to({"resume": f"{uuid.uuid4()}:3"})
    unknown = await communicator.receive_json_from(timeout=5)

    assert negative["code"] == "invalid_event_id"
    assert unknown["code"] == "run_not_found"
    await communicator.disconnect()


async def test_a_stop_message_stops_the_run_and_it_is_saved_as_aborted(upstream):
    log: list[str] = []
    slow_upstreams(upstream, log)
    communicator = await connect()
    await communicator.send_json_to({"prompt": CONTRACT})
    start = await communicator.receive_json_from(timeout=5)
    assert (await communicator.receive_json_from(timeout=5))["type"] == "token"

    await communicator.send_json_to({"stop": start["run_id"]})
    frames = await until_terminal(communicator)

    assert {"type": "stop", "run_id": start["run_id"], "status": "stopping"} in frames
    assert frames[-1]["code"] == "aborted"
    run = await ConsensusRun.objects.aget(id=start["run_id"])  # saved before the terminal event
    assert run.status == "aborted"
    assert sorted(log) == ["fast upstream closed", "validator cancelled"]
    await communicator.send_json_to({"stop": start["run_id"]})
    assert (await communicator.receive_json_from(timeout=5))["type"] in ("stop", "error")
    await communicator.disconnect()


async def test_the_http_stop_endpoint_stops_a_websocket_run(upstream, async_client):
    log: list[str] = []
    slow_upstreams(upstream, log)
    communicator = await connect()
    await communicator.send_json_to({"prompt": CONTRACT})
    start = await communicator.receive_json_from(timeout=5)

    stopped = await async_client.post(f"/api/consensus/runs/{start['run_id']}/stop")
    frames = await until_terminal(communicator)

    assert stopped.status_code == 202
    assert frames[-1]["code"] == "aborted"
    assert (await run_finished(start["run_id"])).status == "aborted"
    await communicator.disconnect()


# --- admission: tokens, required login, origins ----------------------------------------------


async def closed_with(communicator: WebsocketCommunicator) -> tuple[int, str]:
    message = await communicator.receive_output(timeout=5)
    assert message["type"] == "websocket.close"
    return message["code"], message.get("reason", "")


@override_settings(CONSENSUS_REQUIRE_AUTH=True)
async def test_required_login_closes_an_anonymous_socket_with_4401():
    communicator = await connect()

    await communicator.send_json_to({"prompt": CONTRACT})

    assert await closed_with(communicator) == (4401, "unauthorized")


@override_settings(CONSENSUS_REQUIRE_AUTH=True)
async def test_a_bad_token_in_the_header_closes_the_socket_with_4401():
    communicator = await connect(headers=[(b"authorization", b"Bearer csk_not-a-real-token")])

    assert await closed_with(communicator) == (4401, "invalid_token")


@override_settings(CONSENSUS_REQUIRE_AUTH=True)
async def test_an_api_token_in_the_header_without_an_origin_is_admitted(upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya", " sah."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya sah.")))
    token, secret = await sync_to_async(auth.token_create)(name="cli")
    communicator = await connect(headers=[(b"authorization", f"Bearer {secret}".encode())])

    events = await ask(communicator, prompt=CONTRACT)

    assert events[-1]["type"] == "complete"
    run = await run_finished(events[0]["run_id"])
    assert run.client_id == f"token:{token.pk}"
    await communicator.disconnect()


@override_settings(CONSENSUS_REQUIRE_AUTH=True)
async def test_a_browser_sends_its_token_in_the_first_message_and_others_cannot_stop_its_run(
    upstream,
):
    log: list[str] = []
    slow_upstreams(upstream, log)
    _, mine = await sync_to_async(auth.token_create)(name="browser")
    _, theirs = await sync_to_async(auth.token_create)(name="someone else")
    communicator = await connect()
    await communicator.send_json_to({"prompt": CONTRACT, "token": mine})
    start = await communicator.receive_json_from(timeout=5)
    other = await connect()

    await other.send_json_to({"stop": start["run_id"], "token": theirs})
    refused = await other.receive_json_from(timeout=5)
    await communicator.send_json_to({"stop": start["run_id"]})
    frames = await until_terminal(communicator)

    assert start["type"] == "start"
    assert refused["code"] == "run_not_found"
    assert frames[-1]["code"] == "aborted"
    await communicator.disconnect()
    await other.disconnect()


async def test_a_client_without_an_origin_header_may_connect(upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya.")))
    communicator = await connect(headers=[(b"host", b"testserver")])

    events = await ask(communicator, prompt=CONTRACT)

    assert events[-1]["type"] == "complete"
    await communicator.disconnect()


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
    _, _, anonymous = await feed_as(AnonymousUser())
    assert await closed_with(anonymous) == (4403, "forbidden")
    user = await User.objects.acreate_user("reader", password="x-long-password-1")
    _, _, reader = await feed_as(user)
    assert await closed_with(reader) == (4403, "forbidden")


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
