"""The HTTP edges' checks on existing runs: CSRF on `/stop`, the event index of a resume."""

from __future__ import annotations

import uuid

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.middleware.csrf import _get_new_csrf_string
from django.test import AsyncClient

from consensus.access import tokens as auth

from .upstreams import ARK_URL, GROQ_URL, ark_completion, groq_frames, stream_response

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def answering(upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya", " sah."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya sah.")))
    return upstream


async def finished_run(client: AsyncClient, collect, headers=None) -> str:
    response = await client.post(
        "/api/consensus/stream",
        {"prompt": "Apakah kontrak lisan sah?"},
        content_type="application/json",
        headers=headers or {},
    )
    events = await collect(response)
    return str(events[0]["data"]["run_id"])


async def test_stop_needs_the_csrf_token_from_a_session_user(answering, collect):
    user = await get_user_model().objects.acreate_user("advokat", password="rahasia-sekali-123")
    client = AsyncClient(enforce_csrf_checks=True)
    await client.aforce_login(user)
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    run_id = await finished_run(client, collect, {"X-CSRFToken": csrf})

    refused = await client.post(f"/api/consensus/runs/{run_id}/stop")
    accepted = await client.post(
        f"/api/consensus/runs/{run_id}/stop", headers={"X-CSRFToken": csrf}
    )

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert accepted.status_code == 200
    assert accepted.json() == {"run_id": run_id, "status": "finished"}


async def test_stop_with_an_api_token_needs_no_csrf_token(answering, collect):
    _, secret = await sync_to_async(auth.token_create)(name="cli")
    client = AsyncClient(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {secret}"}
    run_id = await finished_run(client, collect, headers)

    response = await client.post(f"/api/consensus/runs/{run_id}/stop", headers=headers)

    assert response.status_code == 200


@pytest.mark.parametrize("index", ["-5", "-1", "+2", "1_0", "1.5", "x", "²"])
async def test_a_resume_index_that_is_not_a_plain_count_is_a_400(
    answering, collect, async_client, index
):
    run_id = await finished_run(async_client, collect)

    header = await async_client.get(
        f"/api/consensus/runs/{run_id}/events", headers={"Last-Event-ID": f"{run_id}:{index}"}
    )
    param = await async_client.get(f"/api/consensus/runs/{run_id}/events", {"after": index})
    reconnect = await async_client.get(
        "/api/consensus/stream?prompt=x", headers={"Last-Event-ID": f"{run_id}:{index}"}
    )

    assert header.status_code == 400
    assert header.json()["error"]["code"] == "invalid_event_id"
    assert param.status_code == 400
    assert param.json()["error"]["code"] == "invalid_after"
    assert reconnect.status_code == 400


async def test_a_resume_index_past_the_end_of_a_finished_run_is_a_204(
    answering, collect, async_client
):
    run_id = await finished_run(async_client, collect)

    response = await async_client.get(f"/api/consensus/runs/{run_id}/events?after=99")
    unknown = await async_client.get(f"/api/consensus/runs/{uuid.uuid4()}/events?after=0")

    assert response.status_code == 204
    assert unknown.status_code == 404
