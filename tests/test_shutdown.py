"""Graceful shutdown (`consensus/runtime/shutdown.py`, the lifespan in `consensus_project/asgi.py`):
SIGTERM to a live uvicorn in the middle of a stream, and the 503 while draining."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from consensus.runtime import shutdown
from consensus_project import asgi
from tests.browser.live import free_port
from tests.fakes.upstream_server import FakeUpstream

from .test_sse import call

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def draining() -> Iterator[None]:
    shutdown.draining.start()
    try:
        yield
    finally:
        shutdown.draining.since = None


async def test_while_draining_a_new_question_gets_a_503_json(draining) -> None:
    http = asgi.build_http_application(lean=True)

    status, headers, body = await call(
        http,
        "POST",
        "/api/consensus/stream",
        b'{"prompt": "q"}',
        [(b"content-type", b"application/json")],
    )

    assert status == 503
    assert json.loads(body)["error"]["code"] == "shutting_down"
    assert int(headers["retry-after"]) > 0


def test_grace_left_counts_from_the_signal(draining) -> None:
    assert 0 < shutdown.draining.left(20.0) <= 20.0
    shutdown.draining.since = time.monotonic() - 30
    assert shutdown.draining.left(20.0) == 0.0


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_sigterm_during_a_stream_saves_the_run_and_logs_no_traceback(tmp_path: Path) -> None:
    """The validator never answers within the grace: uvicorn stops waiting for the connection
    (`--timeout-graceful-shutdown 1`), the lifespan gives the run what is left of
    CONSENSUS_SHUTDOWN_GRACE, then stops it: saved as aborted, with the fast answer so far."""
    with FakeUpstream() as fake:
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SENTRY_DSN")},
            "DJANGO_SETTINGS_MODULE": "consensus_project.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "GROQ_PRESET": "groq",
            "GROQ_API_KEY": "x",
            "GROQ_BASE_URL": fake.base_url,
            "ARK_PRESET": "byteplus",
            "ARK_API_KEY": "x",
            "ARK_BASE_URL": fake.base_url,
            "CONSENSUS_RATE_LIMIT_PER_MINUTE": "0",
            "CONSENSUS_MAX_CONCURRENT_PER_CLIENT": "0",
            "CONSENSUS_CIRCUIT_FAILURES": "0",
            "CONSENSUS_VALIDATOR_TIMEOUT": "30",
            "CONSENSUS_SHUTDOWN_GRACE": "2",
            "CONSENSUS_SPOOL_DIR": str(tmp_path / "spool"),
        }
        migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=60)
        port = free_port()
        log = tmp_path / "uvicorn.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "consensus_project.asgi:application",
                    "--port",
                    str(port),
                    "--timeout-graceful-shutdown",
                    "1",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            run_id = _stream_then_sigterm(f"http://127.0.0.1:{port}", server, log)
            code = server.wait(timeout=20)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    output = log.read_text()
    assert code in (0, -signal.SIGTERM), output  # uvicorn re-raises the signal it caught
    assert "Traceback" not in output, output
    assert "Application shutdown complete" in output, output
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        status, fast = db.execute(
            "SELECT status, fast_answer FROM consensus_consensusrun WHERE id = ?",
            (uuid.UUID(run_id).hex,),
        ).fetchone()
    assert status == "aborted"
    assert fast


def _stream_then_sigterm(url: str, server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 20
    while True:
        assert server.poll() is None, log.read_text()
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)  # polling a starting process, not synchronising with it
    prompt = "[delay:0.2] [validator_delay:30] Jelaskan tahapan gugatan perdata"
    with httpx.stream(
        "POST", f"{url}/api/consensus/stream", json={"prompt": prompt}, timeout=30
    ) as response:
        run_id = response.headers["X-Run-Id"]
        for line in response.iter_lines():
            if '"type":"token"' in line:
                server.send_signal(signal.SIGTERM)
                break
    return run_id
