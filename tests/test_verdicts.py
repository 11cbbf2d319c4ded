"""consensus.runtime.verdicts: verdicts in a process of their own, and what happens when it dies."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time

import pytest

from consensus.agreement import assess
from consensus.runtime import verdicts

# The design document's Test 2 pair (a correction) and a supplement.
FAST = "5 tahun penjara maksimal"
VALIDATOR = "Pasal 362 KUHP, maksimal 5 tahun penjara, atau denda maksimal..."
SUPPLEMENT = (
    "Gugatan cerai diajukan ke Pengadilan Agama.",
    "Bagi yang beragama Islam, gugatan cerai diajukan ke Pengadilan Agama di tempat tinggal "
    "istri, paling lambat 14 hari setelah mediasi gagal, sesuai Pasal 73 UU Peradilan Agama.",
)


@pytest.fixture
def fresh_pool():
    verdicts.shutdown()
    yield
    verdicts.shutdown()


def _child_pid() -> int:
    pool = verdicts._process_pool()
    pool.submit(int).result(timeout=60)  # started and warmed
    (pid,) = pool._processes  # one child
    return pid


def test_agreement_survives_the_trip_between_processes():
    for fast, validator in ((FAST, VALIDATOR), SUPPLEMENT):
        agreement = assess(fast, validator)
        assert pickle.loads(pickle.dumps(agreement)) == agreement


@pytest.mark.asyncio
async def test_process_verdict_equals_the_in_process_one(settings, fresh_pool):
    settings.CONSENSUS_VERDICT_WORKER = "process"
    for fast, validator in ((FAST, VALIDATOR), SUPPLEMENT):
        assert await verdicts.judge(fast, validator) == assess(fast, validator)
    assert os.getpid() not in verdicts._process_pool()._processes


@pytest.mark.asyncio
async def test_test_2_pair_still_corrects_from_the_process(settings, fresh_pool):
    settings.CONSENSUS_VERDICT_WORKER = "process"
    agreement = await verdicts.judge(FAST, VALIDATOR)
    assert agreement.outcome == "conflict"
    assert agreement.score < 0.60
    assert [c.kind for c in agreement.conflicts] == ["penalty_incomplete"]


@pytest.mark.asyncio
async def test_a_dead_process_costs_no_verdict(settings, fresh_pool, caplog):
    settings.CONSENSUS_VERDICT_WORKER = "process"
    first = _child_pid()
    os.kill(first, signal.SIGKILL)
    # Judged on the worker's thread instead, with a warning; nothing raised.
    assert await verdicts.judge(FAST, VALIDATOR) == assess(FAST, VALIDATOR)
    assert "verdict process unusable" in caplog.text
    # The next verdict starts a new process.
    assert await verdicts.judge(*SUPPLEMENT) == assess(*SUPPLEMENT)
    assert _child_pid() != first


def test_the_verdict_process_yields_the_cpu_to_the_worker(fresh_pool):
    child = verdicts._process_pool().submit(os.nice, 0).result(timeout=60)
    assert child == min(19, os.nice(0) + verdicts.NICENESS)  # 19: the lowest priority


@pytest.mark.asyncio
async def test_ready_waits_for_a_warm_process(settings, fresh_pool):
    settings.CONSENSUS_VERDICT_WORKER = "process"
    await verdicts.ready()
    pool = verdicts._pool
    assert pool is not None
    assert len(pool._processes) == 1
    # Warm: the encoder was loaded by the child's initializer, so a verdict is quick.
    assert await verdicts.judge(*SUPPLEMENT) == assess(*SUPPLEMENT)


@pytest.mark.asyncio
async def test_thread_mode_starts_no_process(settings, fresh_pool):
    settings.CONSENSUS_VERDICT_WORKER = "thread"
    verdicts.start()
    await verdicts.ready()
    assert await verdicts.judge(FAST, VALIDATOR) == assess(FAST, VALIDATOR)
    assert verdicts._pool is None


def test_an_unknown_mode_is_refused_at_start_up():
    env = {**os.environ, "CONSENSUS_VERDICT_WORKER": "fork"}
    env["DJANGO_SETTINGS_MODULE"] = "consensus_project.settings"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "CONSENSUS_VERDICT_WORKER must be 'process' or 'thread'" in done.stderr


def test_the_verdict_process_exits_when_its_worker_is_killed():
    # A worker killed outright (SIGKILL) must not leave its verdict process behind.
    script = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'consensus_project.settings';"
        "django.setup(); from consensus.runtime import verdicts;"
        "pool = verdicts._process_pool(); pool.submit(int).result(timeout=60);"
        "print(*pool._processes, flush=True); import time; time.sleep(60)"
    )
    worker = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    child = int(worker.stdout.readline())
    worker.kill()
    worker.wait(timeout=10)
    worker.stdout.close()
    deadline = time.monotonic() + 10 * verdicts.PARENT_CHECK_EVERY
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
