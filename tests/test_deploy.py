"""Two uvicorn workers behind nginx (deploy/run-workers) on PostgreSQL and Redis, with the fake
upstream from benchmarks/: tokens stream through nginx progressively, runs from both workers land
in PostgreSQL, the rate limit is shared, and a cut stream is resumed on the other worker.

Slow (about 20 s, most of it migrating a fresh database). Skips, with the reason, when nginx,
PostgreSQL (127.0.0.1:5432, user postgres) or Redis (127.0.0.1:6379) is missing. Uses its own
database `consensus_deploy_test` (created and dropped here) and Redis db 14 (flushed).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from consensus.access.ratelimit import WINDOW

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql://postgres@127.0.0.1:5432"
DB_NAME = "consensus_deploy_test"
REDIS_URL = "redis://127.0.0.1:6379/14"
RATE_LIMIT = 5


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free loopback ports."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count < 65000 and all(_port_free(base + i) for i in range(count)):
            return base
    raise RuntimeError("no free ports")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _nginx() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )


def _admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


@dataclass
class Stack:
    url: str  # nginx
    workers: list[str]
    upstream: str  # the fake upstream
    run_dir: Path

    def configure(self, **groq: float) -> None:
        body = {"groq": groq, "ark": {"ttft": 0.05, "tokens": int(groq.get("tokens", 50))}}
        httpx.post(f"{self.upstream}/_config", json=body, timeout=5).raise_for_status()

    def upstream_streams(self) -> int:
        return int(httpx.get(f"{self.upstream}/_stats", timeout=5).json()["streams"])

    def access_log(self) -> list[str]:
        return (self.run_dir / "nginx-access.log").read_text().splitlines()

    def worker_of(self, run_id: str) -> str:
        """The worker that served `run_id` (nginx logs a request just after its last byte)."""
        ends = time.monotonic() + 3
        while time.monotonic() < ends:
            for line in self.access_log():
                if f"run={run_id}" in line:
                    return line.split("upstream=", 1)[1].split()[0]
            time.sleep(0.05)
        raise AssertionError(f"run {run_id} not in nginx's access log")


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole below
        )


def _wait_for(log: Path, marker: str, process: subprocess.Popen[bytes], limit: float) -> str:
    ends = time.monotonic() + limit
    while time.monotonic() < ends:
        text = log.read_text() if log.exists() else ""
        for line in text.splitlines():
            if line.startswith(marker):
                return line
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"{marker!r} not seen in {log}:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    nginx = _nginx()
    if nginx is None:
        pytest.skip("nginx is not installed (scripts/system-deps installs nginx-light)")
    if not _reachable(5432):
        pytest.skip("PostgreSQL unreachable at 127.0.0.1:5432")
    if not _reachable(6379):
        pytest.skip("Redis unreachable at 127.0.0.1:6379")
    import redis

    _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    run_dir = tmp_path_factory.mktemp("deploy")
    upstream = _start(
        [sys.executable, "benchmarks/fake_upstream.py", "--port", "0"],
        dict(os.environ),
        run_dir / "upstream.log",
    )
    processes = [upstream]
    try:
        upstream_port = _wait_for(run_dir / "upstream.log", "READY", upstream, 10).split()[1]
        base = _free_ports(3)  # two workers, then nginx
        port = base + 2
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CONSENSUS_", "DJANGO_"))},
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "REDIS_URL": REDIS_URL,
            "GROQ_BASE_URL": f"http://127.0.0.1:{upstream_port}/groq/v1",
            "GROQ_API_KEY": "gsk_deploy_test",
            "ARK_BASE_URL": f"http://127.0.0.1:{upstream_port}/ark/v1",
            "ARK_API_KEY": "ark-deploy-test",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "deploy-test-" + "k3y-" * 12,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONSENSUS_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
            "CONSENSUS_MAX_CONCURRENT_PER_CLIENT": "0",
            "CONSENSUS_CACHE_TTL": "0",  # repeated test questions must reach the upstreams
            "CONSENSUS_SPOOL_DIR": str(run_dir / "spool"),
            "WORKERS": "2",
            "BASE_PORT": str(base),
            "PORT": str(port),
            "RUN_DIR": str(run_dir / "run"),
            "NGINX": nginx,
            "COLLECTSTATIC": "0",
            "PYTHON": sys.executable,
            "UVICORN": str(Path(sys.executable).parent / "uvicorn"),
        }
        workers = _start([str(ROOT / "deploy" / "run-workers")], env, run_dir / "workers.log")
        processes.append(workers)
        _wait_for(run_dir / "workers.log", "READY", workers, 45)
        yield Stack(
            url=f"http://127.0.0.1:{port}",
            workers=[f"http://127.0.0.1:{base + i}" for i in range(2)],
            upstream=f"http://127.0.0.1:{upstream_port}",
            run_dir=run_dir / "run",
        )
    finally:
        for process in reversed(processes):
            _stop(process)
        _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        redis.Redis.from_url(REDIS_URL).flushdb()


def as_client(address: str) -> dict[str, str]:
    """Requests from loopback may name the client they stand for (nginx appends, uvicorn trusts
    127.0.0.1 only): each test is its own client for the rate limit."""
    return {"X-Forwarded-For": address}


def frames(raw: bytes) -> list[dict[str, Any]]:
    out = []
    for block in raw.decode().split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if not line.startswith(":")
        )
        if "data" in fields:
            out.append({"id": fields.get("id"), **json.loads(fields["data"])})
    return out


def ask(url: str, headers: dict[str, str], prompt: str = "Apa itu wanprestasi?") -> httpx.Response:
    response = httpx.post(
        f"{url}/api/consensus/stream", json={"prompt": prompt}, headers=headers, timeout=30
    )
    return response


def test_every_worker_reports_healthy_on_postgresql_and_redis(stack: Stack) -> None:
    for url in [stack.url, *stack.workers]:
        response = httpx.get(f"{url}/healthz", timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["database"] == "ok"
        assert response.json()["cache"] == "ok"


def test_tokens_arrive_through_nginx_progressively(stack: Stack) -> None:
    stack.configure(ttft=0.1, tps=20, tokens=30)
    arrivals: list[tuple[float, int]] = []
    body = b""
    with httpx.stream(
        "POST",
        f"{stack.url}/api/consensus/stream",
        json={"prompt": "Apa itu KUHP?"},
        headers=as_client("10.0.0.1"),
        timeout=30,
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for chunk in response.iter_raw():
            arrivals.append((time.perf_counter(), chunk.count(b'"type":"token"')))
            body += chunk
    events = frames(body)
    token_times = [t for t, n in arrivals if n]

    assert [e["type"] for e in events].count("token") == 30
    assert events[-1]["type"] == "complete"
    # 30 tokens at 20/s: they must trickle in over ~1.5 s, not arrive as one block at the end.
    assert len(token_times) >= 15
    assert token_times[-1] - token_times[0] >= 1.0


def test_runs_from_both_workers_land_in_postgresql(stack: Stack) -> None:
    import psycopg

    stack.configure(ttft=0.02, tps=1000, tokens=5)
    run_ids = []
    for _ in range(4):
        response = ask(stack.url, as_client("10.0.0.2"))
        assert response.status_code == 200
        assert frames(response.content)[-1]["type"] == "complete"
        run_ids.append(response.headers["x-run-id"])

    assert {stack.worker_of(run_id) for run_id in run_ids} == {
        w.removeprefix("http://") for w in stack.workers
    }
    with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
        rows = conn.execute(
            "SELECT id::text, status FROM consensus_consensusrun WHERE id::text = ANY(%s)",
            (run_ids,),
        ).fetchall()
    assert sorted(rows) == sorted((run_id, "completed") for run_id in run_ids)


def test_the_rate_limit_is_shared_by_the_workers(stack: Stack) -> None:
    stack.configure(ttft=0.02, tps=1000, tokens=5)
    client = as_client("10.0.0.3")
    # The limit counts the streams started in the current clock minute (ratelimit.WINDOW): six
    # requests that straddle a minute's end would be counted in two windows and all admitted.
    left = WINDOW - time.time() % WINDOW
    if left < 15:
        time.sleep(left + 0.5)
    admitted = [ask(stack.url, client) for _ in range(RATE_LIMIT)]
    refused = ask(stack.url, client)

    assert [r.status_code for r in admitted] == [200] * RATE_LIMIT
    assert len({stack.worker_of(r.headers["x-run-id"]) for r in admitted}) == 2
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["error"]["code"]
    assert int(refused.headers["retry-after"]) > 0


def test_a_cut_stream_is_resumed_on_the_other_worker_without_a_second_upstream_call(
    stack: Stack,
) -> None:
    stack.configure(ttft=0.1, tps=20, tokens=40)
    streams_before = stack.upstream_streams()
    first, other = stack.workers
    seen = b""
    with httpx.stream(
        "POST",
        f"{first}/api/consensus/stream",
        json={"prompt": "Jelaskan KUHP"},
        headers=as_client("10.0.0.4"),
        timeout=30,
    ) as response:
        for chunk in response.iter_raw():
            seen += chunk
            if seen.count(b'"type":"token"') >= 5 and seen.endswith(b"\n\n"):
                break  # the client's connection is cut here
    before = frames(seen)
    run_id, last = before[-1]["id"].rsplit(":", 1)

    resumed = httpx.get(
        f"{other}/api/consensus/stream",
        headers={**as_client("10.0.0.4"), "Last-Event-ID": f"{run_id}:{last}"},
        timeout=30,
    )
    after = frames(resumed.content)

    assert resumed.status_code == 200
    assert [e["id"] for e in after] == [
        f"{run_id}:{n}" for n in range(int(last) + 1, int(last) + 1 + len(after))
    ]
    assert after[-1]["type"] == "complete"
    tokens = [e["content"] for e in before + after if e["type"] == "token"]
    assert "".join(tokens) == "".join(f" kata{n}" for n in range(40))
    # the run's two streams (fast model and validator), none for the resumed connection
    assert stack.upstream_streams() == streams_before + 2
