"""Client disconnects, resume with Last-Event-ID, stop, 204 after the end, heartbeats.

Disconnects are driven through the real ASGI application with a raw scope/receive/send harness:
Django's AsyncClient bypasses ASGIHandler's disconnect handling.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from django.core.cache import cache
from django.test import override_settings

from consensus.models import ConsensusRun
from consensus_project.asgi import application

from .conftest import http_scope, parse_sse, read_stream
from .upstreams import ARK_URL, GROQ_URL, ark_completion, groq_frames, slow_ark, stream_response

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]

PIECES = [f" kata{n}" for n in range(40)]


@pytest.fixture(autouse=True)
def _clean_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def slow_upstreams(upstream: Any, *, delay: float) -> list[str]:
    """Groq streams PIECES a `delay` apart, ModelArk would take 30 s; returns the log in which
    each notes being closed or cancelled."""
    log: list[str] = []
    upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(PIECES), delay=delay, log=log)
    )
    upstream.post(ARK_URL).mock(side_effect=slow_ark("jawaban", 30, log))
    return log


class AsgiCall:
    """One HTTP request against the ASGI app; the test decides when the client goes away."""

    def __init__(self, method: str, path: str, body: bytes = b"", headers: list | None = None):
        self.scope = http_scope(method, path, headers or [])
        self.body = body
        self.messages: list[dict[str, Any]] = []
        self.disconnect = asyncio.Event()
        self.body_sent = False
        self.new_message = asyncio.Event()

    async def receive(self) -> dict[str, Any]:
        if not self.body_sent:
            self.body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        self.new_message.set()

    def start(self) -> asyncio.Task[None]:
        return asyncio.create_task(application(self.scope, self.receive, self.send))

    @property
    def status(self) -> int:
        return next(m["status"] for m in self.messages if m["type"] == "http.response.start")

    @property
    def raw(self) -> bytes:
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )

    @property
    def run_id(self) -> str:
        """The run id from the stream's first event (`start`)."""
        return str(json.loads(self.raw.split(b"data: ", 1)[1].split(b"\n", 1)[0])["run_id"])

    async def wait_for(self, predicate, within: float = 5.0) -> None:  # type: ignore[no-untyped-def]
        async with asyncio.timeout(within):
            while not predicate(self):
                self.new_message.clear()
                await self.new_message.wait()


def post_call(prompt: str = "Jelaskan wanprestasi") -> AsgiCall:
    return AsgiCall(
        "POST",
        "/api/consensus/stream",
        json.dumps({"prompt": prompt}).encode(),
        [(b"content-type", b"application/json")],
    )


def tokens_seen(call: AsgiCall) -> int:
    return call.raw.count(b'"type":"token"')


async def wait_for_run(run_id: str, within: float = 5.0) -> ConsensusRun:
    async with asyncio.timeout(within):
        while True:
            run = await ConsensusRun.objects.filter(id=run_id).afirst()
            if run is not None:
                return run
            await asyncio.sleep(0.02)


@override_settings(CONSENSUS_RESUME_GRACE=0)
async def test_disconnect_cancels_both_upstreams_and_saves_an_aborted_run(upstream):
    log = slow_upstreams(upstream, delay=0.05)

    call = post_call()
    task = call.start()
    await call.wait_for(lambda c: tokens_seen(c) >= 3)
    run_id = call.run_id
    call.disconnect.set()
    await asyncio.wait_for(task, 5)

    run = await wait_for_run(run_id)
    assert run.status == "aborted"
    assert 3 <= len(run.fast_answer.split()) < 40  # the partial answer is kept
    assert run.final_answer == ""
    assert sorted(log) == ["fast upstream closed", "validator cancelled"]
    assert [a["status"] for a in run.attempts if a["role"] == "byteplus"] == ["cancelled"]


@override_settings(CONSENSUS_RESUME_GRACE=5)
async def test_reconnect_with_last_event_id_replays_missed_events_without_a_second_call(upstream):
    fast = upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(PIECES), delay=0.02)
    )
    validator = upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion("".join(PIECES)))
    )

    first = post_call()
    task = first.start()
    await first.wait_for(lambda c: tokens_seen(c) >= 5)
    seen = parse_sse(first.raw.rsplit(b"\n\n", 1)[0] + b"\n\n")
    last_id = seen[-1]["id"]
    first.disconnect.set()
    await asyncio.wait_for(task, 5)

    again = AsgiCall(
        "GET",
        "/api/consensus/stream?prompt=ignored",
        headers=[(b"last-event-id", last_id.encode())],
    )
    await asyncio.wait_for(again.start(), 10)

    assert again.status == 200
    resumed = parse_sse(again.raw)
    run_id, last_index = last_id.rsplit(":", 1)
    assert resumed[0]["id"] == f"{run_id}:{int(last_index) + 1}"
    everything = seen + resumed
    assert [e["id"] for e in everything] == [f"{run_id}:{n}" for n in range(len(everything))]
    assert everything[-1]["data"]["type"] == "complete"
    tokens = "".join(e["data"]["content"] for e in everything if e["data"]["type"] == "token")
    assert tokens == "".join(PIECES)
    assert fast.call_count == 1
    assert validator.call_count == 1
    run = await wait_for_run(run_id)
    assert run.status == "completed"

    # The terminal event was seen: a further reconnect gets 204, which stops EventSource.
    done = AsgiCall(
        "GET", "/api/consensus/stream", headers=[(b"last-event-id", resumed[-1]["id"].encode())]
    )
    await asyncio.wait_for(done.start(), 5)
    assert done.status == 204
    assert fast.call_count == 1


async def test_run_events_endpoint_replays_after_n_for_fetch_clients(async_client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(PIECES[:5])))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion("".join(PIECES[:5])))
    )
    response = await async_client.post(
        "/api/consensus/stream", {"prompt": "x"}, content_type="application/json"
    )
    events = parse_sse(await read_stream(response))
    run_id = events[0]["data"]["run_id"]

    replay = await async_client.get(f"/api/consensus/runs/{run_id}/events?after=2")
    replayed = parse_sse(await read_stream(replay))
    assert [e["id"] for e in replayed] == [e["id"] for e in events[3:]]

    by_header = await async_client.get(
        f"/api/consensus/runs/{run_id}/events", headers={"Last-Event-ID": f"{run_id}:4"}
    )
    assert [e["id"] for e in parse_sse(await read_stream(by_header))] == [
        e["id"] for e in events[5:]
    ]

    finished = await async_client.get(
        f"/api/consensus/runs/{run_id}/events?after={len(events) - 1}"
    )
    assert finished.status_code == 204

    unknown = await async_client.get(f"/api/consensus/runs/{uuid.uuid4()}/events")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "run_not_found"
    bad = await async_client.get(f"/api/consensus/runs/{run_id}/events?after=x")
    assert bad.status_code == 400


async def test_stop_endpoint_cancels_a_run_at_once(async_client, upstream):
    log = slow_upstreams(upstream, delay=0.1)

    call = post_call()
    task = call.start()
    await call.wait_for(lambda c: tokens_seen(c) >= 2)
    run_id = call.run_id

    stopped = await async_client.post(f"/api/consensus/runs/{run_id}/stop")
    assert stopped.status_code == 202
    await asyncio.wait_for(task, 5)  # the open stream ends with its terminal event

    events = parse_sse(call.raw)
    assert events[-1]["data"]["type"] == "error"
    assert events[-1]["data"]["code"] == "aborted"
    run = await wait_for_run(run_id)
    assert run.status == "aborted"
    assert "stopped on request" in run.error
    assert sorted(log) == ["fast upstream closed", "validator cancelled"]
    missing = await async_client.post(f"/api/consensus/runs/{uuid.uuid4()}/stop")
    assert missing.status_code == 404


@override_settings(CONSENSUS_HEARTBEAT_INTERVAL=0.1, CONSENSUS_VALIDATOR_TIMEOUT=5)
async def test_heartbeat_comments_flow_while_nothing_else_is_sent(async_client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(PIECES[:3])))
    upstream.post(ARK_URL).mock(side_effect=slow_ark("".join(PIECES[:3]), 0.5))

    response = await async_client.post(
        "/api/consensus/stream", {"prompt": "x"}, content_type="application/json"
    )
    raw = await read_stream(response)

    assert raw.count(b": keep-alive\n\n") >= 2
    assert parse_sse(raw)[-1]["data"]["type"] == "complete"


@override_settings(CONSENSUS_RESUME_GRACE=0.3)
async def test_abandoned_run_is_cancelled_after_the_grace_period(upstream):
    log = slow_upstreams(upstream, delay=0.1)

    call = post_call()
    task = call.start()
    await call.wait_for(lambda c: tokens_seen(c) >= 1)
    run_id = call.run_id
    call.disconnect.set()
    await asyncio.wait_for(task, 5)
    assert log == []  # still running during the grace period

    run = await wait_for_run(run_id)
    assert run.status == "aborted"
    assert sorted(log) == ["fast upstream closed", "validator cancelled"]


async def test_reconnect_to_an_unknown_run_gets_204_not_a_new_question(async_client, upstream):
    route = upstream.post(GROQ_URL)
    response = await async_client.get(
        "/api/consensus/stream?prompt=hello", headers={"Last-Event-ID": f"{uuid.uuid4()}:3"}
    )
    assert response.status_code == 204
    assert route.call_count == 0
    bad = await async_client.get(
        "/api/consensus/stream?prompt=hello", headers={"Last-Event-ID": "nonsense"}
    )
    assert bad.status_code == 400


async def test_a_finished_sse_run_is_announced_on_the_staff_feed(async_client, upstream):
    from channels.testing import WebsocketCommunicator
    from django.contrib.auth import get_user_model

    from consensus.consumers import RunFeedConsumer

    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(PIECES[:3])))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion("".join(PIECES[:3])))
    )
    staff = await get_user_model().objects.acreate_user(
        "staff", password="x-long-password-1", is_staff=True
    )
    dashboard = WebsocketCommunicator(RunFeedConsumer.as_asgi(), "/ws/runs/")
    dashboard.scope["user"] = staff
    connected, _ = await dashboard.connect(timeout=5)
    assert connected

    response = await async_client.post(
        "/api/consensus/stream", {"prompt": "Apa itu wanprestasi?"}, content_type="application/json"
    )
    events = parse_sse(await read_stream(response))
    message = await dashboard.receive_json_from(timeout=5)

    assert message["run"]["run_id"] == events[0]["data"]["run_id"]
    assert message["run"]["status"] == "completed"
    await dashboard.disconnect()
