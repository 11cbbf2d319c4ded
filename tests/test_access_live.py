"""Rate limits, API tokens and CORS against a live ASGI server (daphne's runserver) whose
upstreams are the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.browser.live import ROOT, LiveServer
from tests.fakes.upstream_server import FakeUpstream

pytestmark = pytest.mark.slow

ORIGIN = "https://app.example.id"
PER_MINUTE = 3


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with (
        FakeUpstream() as fake,
        LiveServer(
            upstream_url=fake.base_url,
            CONSENSUS_RATE_LIMIT_PER_MINUTE=str(PER_MINUTE),
            CONSENSUS_MAX_CONCURRENT_PER_CLIENT="1",
            CONSENSUS_CORS_ALLOWED_ORIGINS=ORIGIN,
        ) as live,
    ):
        yield live


def new_token(server: LiveServer, name: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "create_api_token", name],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return result.stdout.strip()


def ask(server: LiveServer, prompt: str = "Apakah kontrak lisan sah?", **headers: str):
    return httpx.post(
        f"{server.url}/api/consensus/stream", json={"prompt": prompt}, headers=headers, timeout=15
    )


def last_event(response: httpx.Response) -> dict:
    frames = [line for line in response.text.splitlines() if line.startswith("data: ")]
    return json.loads(frames[-1].removeprefix("data: "))


def test_preflight_and_stream_carry_cors_headers_for_the_allowed_origin(server):
    preflight = httpx.options(
        f"{server.url}/api/consensus/stream",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in preflight.headers["access-control-allow-headers"]

    token = new_token(server, "cors")
    response = ask(server, Origin=ORIGIN, Authorization=f"Bearer {token}")
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "X-Run-Id" in response.headers["access-control-expose-headers"]
    assert last_event(response)["type"] == "complete"

    other = httpx.options(
        f"{server.url}/api/consensus/stream",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers


def test_a_bad_token_is_401(server):
    response = ask(server, Authorization="Bearer csk_nope")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_token_gets_its_own_minute_limit_and_then_429(server):
    for attempt in range(2):  # a second try if the minute rolled over mid-test
        # A new token each try: requests of a try that crossed into the next minute count there.
        token = new_token(server, f"limits-{attempt}")
        minute = int(time.time() // 60)
        responses = [ask(server, Authorization=f"Bearer {token}") for _ in range(PER_MINUTE + 1)]
        if int(time.time() // 60) == minute:
            break
    *admitted, refused = responses
    assert all(last_event(r)["type"] == "complete" for r in admitted)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60


def test_a_second_concurrent_stream_of_one_token_is_429(server):
    token = new_token(server, "concurrency")
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.stream(
        "POST",
        f"{server.url}/api/consensus/stream",
        headers=auth,
        timeout=15,
        json={"prompt": "Jelaskan wanprestasi [validator_delay:3]"},
    ) as first:
        assert first.status_code == 200
        next(first.iter_lines())  # the run is under way

        second = ask(server, **auth)

    assert second.status_code == 429
    assert second.json()["error"]["code"] == "too_many_streams"
    assert second.headers["retry-after"] == "4"  # the live server's 2 s resume grace + 2 s
