"""Resume and stop across two server processes that share Redis (live daphne servers).

A stream started on worker A and cut is resumed on worker B with `Last-Event-ID`: B replays what
the client missed from the shared cache, then follows the live events A keeps producing; the
question is asked upstream once. A stop request sent to B cancels the run A owns.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser.live import free_port
from tests.fakes.upstream_server import FakeUpstream

pytestmark = [pytest.mark.redis, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]
REDIS_DB = 13  # apart from the test process's own cache database


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis shared by two processes: runs in the test command's second pass")
    return url.rsplit("/", 1)[0] + f"/{REDIS_DB}"


class Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open for the process's lifetime
            prefix="worker-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "consensus_project.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, Path(self.log.name).read_text()
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"worker not ready: {Path(self.log.name).read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Worker, Worker, FakeUpstream]]:
    redis_url = _redis_url()
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    workdir = Path(tempfile.mkdtemp(prefix="consensus-cluster-"))
    with FakeUpstream() as fake:
        env = {
            **{k: v for k, v in os.environ.items() if k != "SENTRY_DSN"},
            "DJANGO_SETTINGS_MODULE": "consensus_project.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "REDIS_URL": redis_url,
            "GROQ_PRESET": "groq",
            "GROQ_API_KEY": "x",
            "GROQ_BASE_URL": fake.base_url,
            "ARK_PRESET": "byteplus",
            "ARK_API_KEY": "x",
            "ARK_BASE_URL": fake.base_url,
            "CONSENSUS_RATE_LIMIT_PER_MINUTE": "0",
            "CONSENSUS_MAX_CONCURRENT_PER_CLIENT": "0",
            "CONSENSUS_CIRCUIT_FAILURES": "0",
            "CONSENSUS_RESUME_GRACE": "5",
            "CONSENSUS_CACHE_TTL": "0",  # repeated test questions must reach the upstreams
            "CONSENSUS_VALIDATOR_TIMEOUT": "5",
            "CONSENSUS_SPOOL_DIR": str(workdir / "spool"),
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
        workers = (Worker(env), Worker(env))
        try:
            for worker in workers:
                worker.wait_ready()
            yield workers[0], workers[1], fake
        finally:
            for worker in workers:
                worker.stop()


def frames(lines: Iterator[str]) -> Iterator[dict]:
    """Parse SSE lines into {"id", "data"} frames (comments skipped)."""
    frame: dict = {}
    for line in lines:
        if not line:
            if frame:
                yield frame
            frame = {}
        elif line.startswith("id: "):
            frame["id"] = line[4:]
        elif line.startswith("data: "):
            frame["data"] = json.loads(line[6:])


def test_a_stream_cut_on_one_worker_is_resumed_on_the_other(cluster) -> None:
    a, b, fake = cluster
    fake.reset()
    seen: list[dict] = []
    with httpx.stream(
        "POST",
        f"{a.url}/api/consensus/stream",
        timeout=10,
        json={"prompt": "[scenario:agree] [delay:0.08] Jelaskan gugatan"},
    ) as r:
        assert r.status_code == 200
        for frame in frames(r.iter_lines()):
            seen.append(frame)
            if sum(f["data"]["type"] == "token" for f in seen) >= 5:
                break  # the connection is cut here
    run_id = seen[0]["data"]["run_id"]
    time.sleep(0.5)  # let A batch its frames into Redis

    resumed: list[dict] = []
    with httpx.stream(
        "GET",
        f"{b.url}/api/consensus/stream",
        timeout=30,
        headers={"Last-Event-ID": seen[-1]["id"]},
    ) as r:
        assert r.status_code == 200
        for frame in frames(r.iter_lines()):
            resumed.append(frame)

    everything = seen + resumed
    assert [f["id"] for f in everything] == [f"{run_id}:{n}" for n in range(len(everything))]
    types = [f["data"]["type"] for f in everything]
    assert types[-1] == "complete", types[-3:]
    tokens = "".join(f["data"]["content"] for f in everything if f["data"]["type"] == "token")
    assert tokens == everything[-1]["data"]["content"] or types[-2] == "byteplus_timeout"
    roles = sorted(r.role for r in fake.requests)
    assert roles == ["fast", "validator"]  # asked upstream once, not again on resume

    after_end = httpx.get(
        f"{b.url}/api/consensus/runs/{run_id}/events",
        params={"after": len(everything) - 1},
        timeout=5,
    )
    assert after_end.status_code == 204
    stored = httpx.get(f"{a.url}/api/consensus/runs/{run_id}", timeout=5).json()
    assert stored["status"] in ("completed", "validator_timeout")


def test_stop_sent_to_another_worker_cancels_the_run(cluster) -> None:
    a, b, fake = cluster
    fake.reset()
    seen: list[dict] = []
    started = None
    with httpx.stream(
        "POST",
        f"{a.url}/api/consensus/stream",
        timeout=15,
        json={"prompt": "[scenario:slow] Jelaskan tahapan gugatan"},
    ) as r:
        for frame in frames(r.iter_lines()):
            seen.append(frame)
            if frame["data"]["type"] == "token" and started is None:
                run_id = seen[0]["data"]["run_id"]
                stop = httpx.post(f"{b.url}/api/consensus/runs/{run_id}/stop", timeout=5)
                assert stop.status_code == 202
                started = time.monotonic()
    assert started is not None
    assert time.monotonic() - started < 3.0
    assert seen[-1]["data"]["type"] == "error"
    assert seen[-1]["data"]["code"] == "aborted"
    fake.wait_for(lambda reqs: all(r.finished or r.disconnected for r in reqs), timeout=5)
    assert any(r.role == "fast" and r.disconnected for r in fake.requests)
