"""What an open stream holds in the worker's memory, by the line that allocated it.

    .venv/bin/python benchmarks/stream_memory.py                # 300 streams held open
    .venv/bin/python benchmarks/stream_memory.py --streams 500 --top 30

Starts the fake upstream (benchmarks/fake_upstream.py) and the service (uvicorn, one worker,
uvloop and httptools as `scripts/bench` runs it, a throwaway SQLite database) with `tracemalloc`
on, opens one warm-up stream, takes a snapshot, opens N streams at once and waits until every
one has had its first token (both upstreams answer slowly, so all N stay open), takes a second
snapshot, and prints the difference grouped by the allocating line: Python's own allocations
per open stream, beside the worker's RSS per open stream (which also counts what C libraries
and the allocator hold). tracemalloc slows the worker by ~2x, so the timings of this run mean
nothing; the bytes do.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import orjson  # noqa: E402
from load import SCENARIOS, configure, rss_kb  # noqa: E402


def serve(port: int, frames: int) -> None:
    """The service in this process, with tracemalloc on; SIGUSR1 writes a snapshot to the file
    named by STREAM_MEMORY_SNAPSHOT (then renames it to `.done`)."""
    tracemalloc.start(frames)
    import uvicorn

    def dump(*_: object) -> None:
        target = os.environ["STREAM_MEMORY_SNAPSHOT"]
        snapshot = tracemalloc.take_snapshot().filter_traces(
            (tracemalloc.Filter(False, tracemalloc.__file__),)
        )
        with open(target, "wb") as out:
            pickle.dump(snapshot, out)
        os.replace(target, target + ".done")

    signal.signal(signal.SIGUSR1, dump)
    uvicorn.run(
        "consensus_project.asgi:application",
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        backlog=4096,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def hold(url: str, body: bytes, first: asyncio.Event, done: asyncio.Event) -> bool:
    """One stream: POST, wait for the first token event, then hold the connection open."""
    parsed = urlparse(url)
    reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
    writer.write(
        b"POST %b HTTP/1.1\r\nHost: %b\r\nContent-Type: application/json\r\n"
        b"Accept: text/event-stream\r\nContent-Length: %d\r\n\r\n%b"
        % (parsed.path.encode(), parsed.netloc.encode(), len(body), body)
    )
    seen = b""
    try:
        while b'"type":"token"' not in seen:
            data = await reader.read(65536)
            if not data:
                return False
            seen = seen[-64:] + data
        first.set()
        await done.wait()
        return True
    finally:
        writer.close()


def _load(path: str) -> tracemalloc.Snapshot | None:
    """The snapshot the server wrote, or None while it is still writing it."""
    if not os.path.exists(path + ".done"):
        return None
    with open(path + ".done", "rb") as source:
        taken = pickle.load(source)
    os.remove(path + ".done")
    return taken


def _where(filename: str) -> str:
    """A source file's name, short: relative to the repository or to site-packages."""
    if filename.startswith(str(ROOT)):
        filename = os.path.relpath(filename, ROOT)
    return filename.split("site-packages/")[-1].removeprefix(sysconfig.get_paths()["stdlib"] + "/")


async def snapshot(pid: int, path: str) -> tracemalloc.Snapshot:
    os.kill(pid, signal.SIGUSR1)
    for _ in range(600):
        if (taken := await asyncio.to_thread(_load, path)) is not None:
            return taken
        await asyncio.sleep(0.1)
    raise TimeoutError("the server wrote no snapshot")


async def measure(
    args: argparse.Namespace, service: str, upstream: str, pid: int, path: str
) -> None:
    scenario = next(s for s in SCENARIOS if s.name == "1,000 streams at once")
    # Slow upstreams: every stream is still open when the last one has its first token.
    await configure(upstream, replace(scenario, tps=2, tokens=200), validator_tps=2)
    url = f"{service}/api/consensus/stream"

    def body(i: int) -> bytes:
        return orjson.dumps({"prompt": f"Apa sanksi pencurian ringan? ({i})"})

    warm_first, warm_done = asyncio.Event(), asyncio.Event()
    warm = asyncio.create_task(hold(url, body(-1), warm_first, warm_done))
    await asyncio.wait_for(warm_first.wait(), 30)
    await asyncio.sleep(1)
    before_rss = rss_kb(pid)
    before = await snapshot(pid, path)
    firsts = [asyncio.Event() for _ in range(args.streams)]
    done = asyncio.Event()
    tasks = [asyncio.create_task(hold(url, body(i), firsts[i], done)) for i in range(args.streams)]
    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(f.wait() for f in firsts)), 120)
    print(
        f"{args.streams} streams open with a first token in {time.perf_counter() - started:.1f} s"
    )
    await asyncio.sleep(1)
    after_rss = rss_kb(pid)
    after = await snapshot(pid, path)
    done.set()
    warm_done.set()
    await asyncio.gather(*tasks, warm, return_exceptions=True)

    n = args.streams
    stats = after.compare_to(before, "lineno")
    grown = sum(s.size_diff for s in stats)
    print(
        f"worker RSS {before_rss / 1024:.1f} -> {after_rss / 1024:.1f} MB: "
        f"{(after_rss - before_rss) / n:.1f} KB per open stream"
    )
    print(
        f"Python allocations (tracemalloc) +{grown / 1024 / 1024:.1f} MB: "
        f"{grown / n / 1024:.1f} KB per open stream\n"
    )
    print(f"{'KB/stream':>9} {'blocks/stream':>13}  allocated at")
    for stat in stats[: args.top]:
        frame = stat.traceback[0]
        where = f"{_where(frame.filename)}:{frame.lineno}"
        print(f"{stat.size_diff / n / 1024:9.2f} {stat.count_diff / n:13.1f}  {where}")
    print(f"\n{'KB/stream':>9}  by file")
    for stat in after.compare_to(before, "filename")[: args.top // 2]:
        print(f"{stat.size_diff / n / 1024:9.2f}  {_where(stat.traceback[0].filename)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--frames", type=int, default=1)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.frames)
        return

    work = tempfile.mkdtemp(prefix="stream-memory-")
    env = dict(os.environ)
    python = sys.executable
    upstream_proc = subprocess.Popen(
        [python, str(ROOT / "benchmarks/fake_upstream.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    port_line = upstream_proc.stdout.readline() if upstream_proc.stdout else ""
    upstream = f"http://127.0.0.1:{port_line.split()[1]}"
    env.update(
        DATABASE_URL=f"sqlite:///{work}/bench.sqlite3",
        GROQ_BASE_URL=f"{upstream}/groq/v1",
        GROQ_API_KEY="bench-key",
        ARK_BASE_URL=f"{upstream}/ark/v1",
        ARK_API_KEY="bench-key",
        CONSENSUS_RATE_LIMIT_PER_MINUTE="0",
        CONSENSUS_MAX_CONCURRENT_PER_CLIENT="0",
        CONSENSUS_CACHE_TTL="0",
        DJANGO_SECRET_KEY="stream-memory-" + "x" * 50,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_DEBUG="false",
        LOG_LEVEL="WARNING",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        CONSENSUS_SPOOL_DIR=f"{work}/spool",
        STREAM_MEMORY_SNAPSHOT=f"{work}/snapshot.pickle",
    )
    env.pop("REDIS_URL", None)
    env.pop("SENTRY_DSN", None)
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [python, __file__, "--serve", str(port), "--frames", str(args.frames)], cwd=ROOT, env=env
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        asyncio.run(
            measure(
                args,
                f"http://127.0.0.1:{port}",
                upstream,
                server.pid,
                env["STREAM_MEMORY_SNAPSHOT"],
            )
        )
    finally:
        # The server first: its runs still read from the fake upstream.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        upstream_proc.terminate()
        upstream_proc.wait(10)


if __name__ == "__main__":
    main()
