"""Disconnects, heartbeats and 204-after-end against a live ASGI server (daphne's runserver)
whose upstreams are the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.browser.live import LiveServer
from tests.fakes.upstream_server import FakeUpstream

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[LiveServer, FakeUpstream]]:
    with (
        FakeUpstream() as fake,
        LiveServer(
            upstream_url=fake.base_url,
            CONSENSUS_RESUME_GRACE="0.5",
            CONSENSUS_HEARTBEAT_INTERVAL="0.2",
            CONSENSUS_VALIDATOR_TIMEOUT="5",
        ) as server,
    ):
        yield server, fake


def test_a_client_that_leaves_cancels_both_upstream_calls_after_the_grace(live) -> None:
    server, fake = live
    fake.reset()
    with httpx.stream(
        "POST",
        f"{server.url}/api/consensus/stream",
        json={"prompt": "[scenario:slow] Jelaskan tahapan gugatan"},
        timeout=10,
    ) as response:
        run_id = response.headers["X-Run-Id"]
        tokens = 0
        for line in response.iter_lines():
            tokens += '"type":"token"' in line
            if tokens >= 2:
                break  # the client hangs up mid-answer

    run = server.wait_for_run(run_id, "aborted", timeout=10)
    assert run["fast_answer"]
    assert run["final_answer"] == ""
    fake.wait_for(lambda reqs: len(reqs) == 2 and all(r.disconnected for r in reqs), timeout=5)


def test_heartbeats_flow_while_the_validator_thinks_and_a_late_reconnect_gets_204(live) -> None:
    server, fake = live
    fake.reset()
    started = time.monotonic()
    response = httpx.post(
        f"{server.url}/api/consensus/stream",
        json={
            "prompt": "[scenario:agree] [delay:0.005] [validator_delay:1.5] Sahkah kontrak lisan?"
        },
        timeout=15,
    )
    assert response.status_code == 200
    assert time.monotonic() - started >= 1.0
    assert response.text.count(": keep-alive\n\n") >= 2
    frames = [line for line in response.text.splitlines() if line.startswith("id: ")]
    last_id = frames[-1].removeprefix("id: ")
    data = [line for line in response.text.splitlines() if line.startswith("data: ")]
    assert json.loads(data[-1].removeprefix("data: "))["type"] == "complete"

    again = httpx.get(
        f"{server.url}/api/consensus/stream", headers={"Last-Event-ID": last_id}, timeout=5
    )
    assert again.status_code == 204
    assert len(fake.requests) == 2  # the reconnect asked nobody anything
