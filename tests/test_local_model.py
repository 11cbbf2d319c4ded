"""End to end through the real llama.cpp server and the bundled SmolLM2 model (the `local` extra).

No fakes: the stream endpoint talks HTTP to `python -m llama_cpp.server` child processes, and
`manage.py serve` is run the way `make run` runs it on a machine without keys.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import call_command

from consensus.conf import get_config
from consensus.management.commands import serve
from consensus.models import ConsensusRun
from consensus.providers.http import close_client
from consensus.runtime.local_model import (
    INSTALL_HINT,
    MODEL_ID,
    choose_mode,
    local_settings,
    missing_packages,
    require_local_model,
    server_command,
)
from consensus.runtime.local_server import LocalServer, Supervisor, free_port

from .conftest import parse_sse

ROOT = Path(__file__).resolve().parent.parent
MISSING = missing_packages()
needs_local_model = pytest.mark.skipif(
    bool(MISSING),
    reason=f"local model not installed (missing {', '.join(MISSING)}): {INSTALL_HINT}",
)


def test_mode_is_local_only_without_any_key_or_when_forced() -> None:
    assert choose_mode(fast_key="", validator_key="", force_local=False) == "local"
    assert choose_mode(fast_key="gsk", validator_key="ark", force_local=False) == "remote"
    assert choose_mode(fast_key="gsk", validator_key="", force_local=False) == "remote"
    assert choose_mode(fast_key="gsk", validator_key="ark", force_local=True) == "local"


def test_each_server_gets_its_own_seed_and_never_interrupts_a_stream() -> None:
    command = server_command(model=Path("m.gguf"), port=1234, threads=1, seed=7)
    flags = dict(zip(command[3::2], command[4::2], strict=True))
    assert flags["--interrupt_requests"] == "false"
    assert flags["--host"] == "127.0.0.1"
    assert flags["--seed"] == "7"


def test_local_mode_waits_longer_but_keeps_no_limit(settings: Any) -> None:
    settings.CONSENSUS_VALIDATOR_TIMEOUT, settings.CONSENSUS_FIRST_TOKEN_TIMEOUT = 10.0, 0.0
    settings.CONSENSUS_STALL_TIMEOUT = 5.0
    overrides = local_settings(get_config(), "http://a/v1", "http://b/v1")
    assert overrides["CONSENSUS_VALIDATOR_TIMEOUT"] == 30.0
    assert overrides["CONSENSUS_STALL_TIMEOUT"] == 30.0
    assert overrides["CONSENSUS_FIRST_TOKEN_TIMEOUT"] == 0.0  # 0 stays "no limit"
    assert overrides["CONSENSUS_RUN_TIMEOUT"] == 150.0  # the 60 s default, lengthened
    assert overrides["CONSENSUS_FAST_PROVIDER"]["preset"] == "local"
    assert overrides["CONSENSUS_VALIDATOR_PROVIDER"]["base_url"] == "http://b/v1"


@pytest.mark.parametrize(
    ("keys", "flags", "mode"),
    [
        (("", ""), [], "local"),
        (("gsk", "ark"), [], "remote"),
        (("gsk", "ark"), ["--local"], "local"),
    ],
)
def test_serve_prints_the_mode_it_would_use(
    settings: Any, keys: tuple[str, str], flags: list[str], mode: str
) -> None:
    settings.CONSENSUS_FAST_PROVIDER = {**settings.CONSENSUS_FAST_PROVIDER, "api_key": keys[0]}
    settings.CONSENSUS_VALIDATOR_PROVIDER = {
        **settings.CONSENSUS_VALIDATOR_PROVIDER, "api_key": keys[1]}  # fmt: skip
    out = io.StringIO()
    call_command("serve", "--print-mode", *flags, stdout=out)
    assert out.getvalue().strip() == mode


def test_serve_with_keys_starts_nothing_local(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[str] = []

    def refuse(self: LocalServer) -> None:
        raise AssertionError("a local server was started although keys are set")

    monkeypatch.setattr(LocalServer, "start", refuse)
    monkeypatch.setattr(
        serve.Command, "_runserver", lambda self, addrport: served.append(get_config().fast.preset)
    )
    call_command("serve", "127.0.0.1:0", stdout=io.StringIO())
    assert served == ["groq"]  # the conftest's keys: the real vendors, untouched


@pytest.fixture(scope="module")
def llama_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """One real llama.cpp server per role, as `manage.py serve` starts them."""
    model, logs = require_local_model(), tmp_path_factory.mktemp("llama-logs")
    servers = [
        LocalServer(name=role, model=model, threads=1, log_path=logs / f"{role}.log")
        for role in ("groq", "byteplus")
    ]
    with Supervisor(servers):
        yield servers[0].base_url, servers[1].base_url


@needs_local_model
@pytest.mark.slow
@pytest.mark.timeout(90)
@pytest.mark.django_db(transaction=True)
async def test_stream_endpoint_answers_with_smollm2_through_llama_cpp(
    llama_servers: tuple[str, str], settings: Any, async_client: Any, collect: Any
) -> None:
    for name, value in local_settings(get_config(), *llama_servers).items():
        setattr(settings, name, value)
    try:
        response = await async_client.post(
            "/api/consensus/stream",
            {"prompt": "Apa hukuman untuk pencurian motor?", "max_tokens": 48},
            content_type="application/json",
        )
        events = [e["data"] for e in await collect(response)]
    finally:
        await close_client()
    kinds = [e["type"] for e in events]
    assert kinds[0] == "start", kinds
    assert kinds[-1] == "complete", kinds
    assert events[0]["models"] == [MODEL_ID, MODEL_ID]
    assert events[0]["roles"]["groq"] == {"provider": "llama.cpp (local)", "model": MODEL_ID}
    tokens = [e for e in events if e["type"] == "token"]
    assert tokens
    assert kinds[1] == "token"
    assert tokens[0]["content"]
    groq_complete = events[kinds.index("groq_complete")]
    assert groq_complete["content"] == "".join(t["content"] for t in tokens)
    verdict = [e for e in events if e["type"].startswith("byteplus_")]
    # The validator answered in time: a verdict, or (by the rule for cut answers, issue 14 item
    # 13) a byteplus_error when only its answer hit the 48-token limit.
    assert len(verdict) == 1, verdict
    answered = verdict[0]["type"] == "byteplus_complete" or verdict[0].get("reason") == "length"
    assert answered, verdict
    complete = events[-1]
    run = await ConsensusRun.objects.aget(id=uuid.UUID(complete["run_id"]))
    assert run.fast_model == run.validator_model == MODEL_ID
    assert run.fast_provider == run.validator_provider == "llama.cpp (local)"
    assert run.status in ("completed", "corrected", "validator_error")
    assert run.fast_answer == groq_complete["content"]
    assert run.final_answer == complete["content"]
    assert run.validator_answer


@needs_local_model
@pytest.mark.slow
def test_supervisor_restarts_a_server_that_dies(tmp_path: Path) -> None:
    server = LocalServer(name="groq", model=require_local_model(), threads=1,
                         log_path=tmp_path / "groq.log")  # fmt: skip
    with Supervisor([server]), httpx.Client(timeout=2) as client:
        assert server.process is not None
        first = server.process
        first.kill()
        deadline = time.monotonic() + 30
        while server.process is first or not server.ready(client):
            assert time.monotonic() < deadline, "not restarted within 30 s"
            time.sleep(0.2)
    assert server.exit_code() is not None  # and stopped with the supervisor


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_serving(client: httpx.Client, serve: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert serve.poll() is None, "manage.py serve exited"
        with contextlib.suppress(httpx.TransportError):
            if client.get("/healthz").status_code == 200:
                return
        time.sleep(0.1)  # polling for readiness, not synchronising on a guess
    pytest.fail(f"the service did not answer /healthz within {timeout:g}s")


@needs_local_model
@pytest.mark.slow
@pytest.mark.timeout(90)
def test_serve_without_keys_starts_the_local_model_and_stops_it_on_exit(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "GROQ_API_KEY": "", "ARK_API_KEY": "", "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "CONSENSUS_SPOOL_DIR": str(tmp_path / "spool")}  # fmt: skip
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=60)
    serve = subprocess.Popen(
        [*manage, "serve", f"127.0.0.1:{port}", "--log-dir", str(tmp_path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert serve.stdout is not None
        ready = next(line for line in serve.stdout if "Local model ready" in line)
        llama_ports = [int(word.split(":")[2].split("/")[0]) for word in ready.split()
                       if word.startswith("http://")]  # fmt: skip
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            _wait_serving(client, serve, timeout=30)
            response = client.post("/api/consensus/stream", json={"prompt": "Hi", "max_tokens": 16})
        events = [e["data"] for e in parse_sse(response.content)]
        assert events[0]["models"] == [MODEL_ID, MODEL_ID]
        assert events[-1]["type"] == "complete", events[-1]
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.communicate(timeout=30)
    assert serve.returncode is not None
    assert len(llama_ports) == 2
    assert not any(_port_open(p) for p in llama_ports), "llama.cpp servers outlived serve"
