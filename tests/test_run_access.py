"""With CONSENSUS_REQUIRE_AUTH, a run can be read, resumed or stopped only by its own client."""

from __future__ import annotations

import httpx
import pytest
from asgiref.sync import sync_to_async

from consensus.access import tokens as auth

from .conftest import parse_sse, read_stream
from .upstreams import ARK_URL, GROQ_URL, ark_completion, groq_frames, stream_response

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def answering(upstream):  # type: ignore[no-untyped-def]
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya", " sah."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya sah.")))
    return upstream


async def test_only_the_runs_own_client_may_read_resume_or_stop_it(
    async_client, answering, settings
):
    settings.CONSENSUS_REQUIRE_AUTH = True
    _, mine = await sync_to_async(auth.token_create)(name="frontend A")
    _, theirs = await sync_to_async(auth.token_create)(name="frontend B")
    me = {"Authorization": f"Bearer {mine}"}
    them = {"Authorization": f"Bearer {theirs}"}

    response = await async_client.post(
        "/api/consensus/stream",
        {"prompt": "Apakah kontrak lisan sah?"},
        content_type="application/json",
        headers=me,
    )
    events = parse_sse(await read_stream(response))
    run_id = events[0]["data"]["run_id"]

    assert (await async_client.get(f"/api/consensus/runs/{run_id}", headers=me)).status_code == 200
    other = await async_client.get(f"/api/consensus/runs/{run_id}", headers=them)
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "run_not_found"
    anonymous = await async_client.get(f"/api/consensus/runs/{run_id}")
    assert anonymous.status_code == 401
    assert (
        await async_client.get(f"/api/consensus/runs/{run_id}/events?after=0", headers=them)
    ).status_code == 404
    mine_events = await async_client.get(f"/api/consensus/runs/{run_id}/events?after=0", headers=me)
    assert mine_events.status_code == 200
    assert (
        await async_client.post(f"/api/consensus/runs/{run_id}/stop", headers=them)
    ).status_code == 404


async def test_without_required_auth_the_run_id_is_the_capability(async_client, answering):
    response = await async_client.post(
        "/api/consensus/stream",
        {"prompt": "Apakah kontrak lisan sah?"},
        content_type="application/json",
    )
    run_id = parse_sse(await read_stream(response))[0]["data"]["run_id"]
    assert (await async_client.get(f"/api/consensus/runs/{run_id}")).status_code == 200
