"""Saturation with 1 and with 2 workers behind nginx, and what bounds the ratio on this machine.

Issue 17, target 5: two workers behind nginx should relay >= 1.7x the token events per second of
one, or the docs should say what bounds it. On a 2-core machine the load client, the fake
upstream and nginx share the cores with the workers, so this benchmark measures, besides the
events/s, **the CPU each party spends per relayed token event** (user + system time of every
process in the group, from /proc, over the measured window):

- `workers`: the uvicorn workers and their children (the verdict process);
- `nginx`: master and worker processes;
- `fake`: the fake upstream (`benchmarks/fake_upstream.py`), fast and validator streams;
- `client`: this process (the load client of `benchmarks/load.py`, raw asyncio).

With C_w, C_n, C_f, C_c the CPU microseconds per event of each and 2 cores, two workers can
relay at most 2 / (C_w + C_n + C_f + C_c) events per CPU-second, while one worker is bound by
1 / C_w (one core for the worker, the rest fitting on the other core). The printed ceiling
ratio is min(2 / total, 2 / C_w) / min(1 / C_w, 2 / total): what a perfect scheduler could give.

Needs nginx, PostgreSQL and Redis (the deployment's shape: `deploy/run-workers`); uses a
throwaway PostgreSQL database `consensus_bench_workers` and Redis database 15.

    .venv/bin/python benchmarks/workers.py                # 1 then 2 workers, saturation shape
    .venv/bin/python benchmarks/workers.py --workers 2 --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (benchmarks/load.py: the same client and scenario as `make bench`)

TICK = os.sysconf("SC_CLK_TCK")
PG = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "consensus_bench_workers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def processes() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command line, CPU seconds so far) for every process."""
    out: dict[int, tuple[int, str, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out[int(entry)] = (int(fields[1]), cmd, (int(fields[11]) + int(fields[12])) / TICK)
    return out


def group_of(pid: int, table: dict[int, tuple[int, str, float]], roots: dict[int, str]) -> str:
    """The group of the nearest ancestor (or the process itself) named in `roots`."""
    seen = 0
    while pid in table and seen < 64:
        if pid in roots:
            return roots[pid]
        cmd = table[pid][1]
        if "nginx" in cmd.split(" ", 1)[0]:
            return "nginx"
        if "uvicorn" in cmd and "consensus_project.asgi" in cmd:
            return "workers"
        pid, seen = table[pid][0], seen + 1
    return ""


def cpu_by_group(roots: dict[int, str]) -> dict[str, float]:
    table = processes()
    totals: dict[str, float] = {}
    for pid, (_, _, cpu) in table.items():
        if group := group_of(pid, table, roots):
            totals[group] = totals.get(group, 0.0) + cpu
    return totals


def start_fake() -> tuple[subprocess.Popen[bytes], int]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "fake_upstream.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(b"READY"):
            return proc, int(line.split()[1])
    raise SystemExit("workers: the fake upstream did not start")


def reset_database() -> None:
    for sql in (f"DROP DATABASE IF EXISTS {BENCH_DB}", f"CREATE DATABASE {BENCH_DB}"):
        subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


def start_workers(
    count: int, upstream_port: int, run_dir: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port, base = free_port(), free_port()
    env = {
        **os.environ,
        "WORKERS": str(count),
        "PORT": str(port),
        "BASE_PORT": str(base),
        "RUN_DIR": str(run_dir),
        "COLLECTSTATIC": "0",
        "DATABASE_URL": f"{PG}/{BENCH_DB}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "GROQ_BASE_URL": f"http://127.0.0.1:{upstream_port}/groq/v1",
        "GROQ_API_KEY": "bench-key",
        "ARK_BASE_URL": f"http://127.0.0.1:{upstream_port}/ark/v1",
        "ARK_API_KEY": "bench-key",
        "CONSENSUS_RATE_LIMIT_PER_MINUTE": "0",
        "CONSENSUS_MAX_CONCURRENT_PER_CLIENT": "0",
        "CONSENSUS_CACHE_TTL": "0",
        "DJANGO_SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONSENSUS_SPOOL_DIR": str(run_dir / "spool"),
    }
    env.pop("SENTRY_DSN", None)
    proc = subprocess.Popen(
        ["deploy/run-workers"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(run_dir / "run-workers.err", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(b"READY"):
            return proc, line.split()[1].decode()
    raise SystemExit(f"workers: deploy/run-workers did not start ({run_dir}/run-workers.err)")


def stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


async def saturate(service: str, upstream: str, validator_tps: float | None) -> dict[str, Any]:
    scenario = next(s for s in load.SCENARIOS if s.name.startswith("saturation"))
    await load.configure(upstream, scenario, validator_tps)
    warm = load.Scenario("warm-up", 10, 0, 0.01, 1000, 5, validator_ttft=0.01)
    body = orjson.dumps({"prompt": "Apa hukuman untuk pencurian motor?"})
    await load.run_side(f"{service}/api/consensus/stream", body, warm, direct=False, pid=None)
    await load.configure(upstream, scenario, validator_tps)
    return await load.run_side(
        f"{service}/api/consensus/stream", body, scenario, direct=False, pid=None
    )


def measure(
    count: int, fake_pid: int, upstream_port: int, args: argparse.Namespace
) -> dict[str, Any]:
    reset_database()
    run_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-workers-{os.getpid()}-{count}"
    run_dir.mkdir(parents=True, exist_ok=True)
    proc, service = start_workers(count, upstream_port, run_dir)
    roots = {fake_pid: "fake", os.getpid(): "client"}
    try:
        upstream = f"http://127.0.0.1:{upstream_port}"
        asyncio.run(saturate(service, upstream, None))  # warm every worker's pools and caches
        before, started = cpu_by_group(roots), time.perf_counter()
        result = asyncio.run(saturate(service, upstream, args.validator_tps))
        wall = time.perf_counter() - started
        after = cpu_by_group(roots)
    finally:
        stop(proc)
    events = result["token_events_per_s"] * wall if result["token_events_per_s"] else 0
    cpu = {
        g: after.get(g, 0.0) - before.get(g, 0.0) for g in ("workers", "nginx", "fake", "client")
    }
    return {
        "workers": count,
        "token_events_per_s": result["token_events_per_s"],
        "errors": result["errors"],
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_us_per_event": {g: (c * 1e6 / events if events else None) for g, c in cpu.items()},
        "load_average": os.getloadavg(),
    }


def mean(rows: list[dict[str, Any]], key: str) -> float:
    return sum(r[key] or 0 for r in rows) / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--validator-tps", type=float, default=None)
    parser.add_argument("--json", help="write the JSON report here")
    args = parser.parse_args()
    fake, upstream_port = start_fake()
    rows = []
    try:
        for _ in range(args.repeat):
            for count in args.workers:
                print(f"running: {count} worker(s) ...", file=sys.stderr, flush=True)
                rows.append(measure(count, fake.pid, upstream_port, args))
    finally:
        fake.terminate()
        fake.wait()
    print(
        f"{'workers':>7} {'events/s':>9} {'errors':>6}  "
        "CPU us per event: workers nginx fake client total"
    )
    for row in rows:
        per = row["cpu_us_per_event"]
        total = sum(v for v in per.values() if v)
        print(
            f"{row['workers']:>7} {row['token_events_per_s'] or 0:>9.0f} {row['errors']:>6}  "
            + " ".join(f"{per[g] or 0:>7.1f}" for g in ("workers", "nginx", "fake", "client"))
            + f" {total:>7.1f}"
        )
        row["ceiling_events_per_s"] = {
            "one_worker": min(1e6 / per["workers"], 2e6 / total) if per["workers"] else None,
            "two_cores_all_parties": 2e6 / total if total else None,
        }
    ones = [r for r in rows if r["workers"] == 1]
    twos = [r for r in rows if r["workers"] == 2]
    if ones and twos:
        ratio = mean(twos, "token_events_per_s") / mean(ones, "token_events_per_s")
        per2 = {
            g: sum(r["cpu_us_per_event"][g] or 0 for r in twos) / len(twos)
            for g in twos[0]["cpu_us_per_event"]
        }
        total2 = sum(per2.values())
        others = per2["client"] + per2["fake"] + per2["nginx"]
        ceiling = min(2e6 / total2, 2e6 / per2["workers"]) / min(
            1e6 / per2["workers"], 2e6 / total2
        )
        print(
            f"2 workers / 1 worker: {ratio:.2f}x measured; {ceiling:.2f}x at most on 2 cores with "
            f"this client, fake and nginx (their CPU per event: {others:.1f} us of {total2:.1f})"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": load.machine(), "runs": rows}, indent=2))


if __name__ == "__main__":
    main()
