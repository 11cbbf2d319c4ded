"""Where a burst of streams waits: the service under uvicorn with a timeline per stream.

`TRACE=1 scripts/bench --only 5` serves the service through this module instead of plain
uvicorn (same loop, parser and settings) and, when the server stops, prints for the last burst
of `/api/consensus/stream` requests (the streams that arrived within a second of the burst's
first one) how long after the burst's first arrival each step happened, as percentiles:

- `arrived`: the request reached the ASGI application;
- `response started`: the view returned and the response headers went out;
- `fast connect`: the fast model's request began (a connection being opened, or an idle one
  taken; the moment the validator may start, `openai_compatible._ON_WIRE`);
- `fast body sent`: the fast request's body was written to its connection;
- `first piece`: the fast model's first piece reached the engine;
- `token written`: the first `token` event was handed to the server for the client.

It also prints how busy the event loop was, in 20 ms bins (how late a 1 ms sleep woke up,
summed). Nothing in the service changes: the view, the engine and the provider are wrapped from
outside. The JSON lands next to the bench JSON when `TRACE_JSON` is set.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")

STREAM_PATH = "/api/consensus/stream"
_RUN_ID = re.compile(rb'"run_id":\s*"([0-9a-f-]+)"')

arrivals: list[dict[str, float | str]] = []  # one per stream request, in arrival order
runs: dict[str, dict[str, float]] = {}  # the engine's side, by run id
lag: list[tuple[float, float]] = []  # (when a 1 ms sleep began, how long it took)
_current: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar(
    "burst_trace_run", default=None
)


def instrument() -> Any:
    """Wrap the fast model's start and the provider's wire trace; return the ASGI app."""
    from consensus import fast_stream
    from consensus.providers import openai_compatible
    from consensus_project.asgi import application

    on_wire = openai_compatible._on_wire

    def traced_on_wire(outcome: Any) -> Any:
        inner = on_wire(outcome)

        async def trace(event: str, info: dict[str, Any]) -> None:
            run = _current.get()
            if run is not None and event == "http11.send_request_body.complete":
                run.setdefault("fast body sent", time.perf_counter())
            await inner(event, info)

        return trace

    openai_compatible._on_wire = traced_on_wire  # type: ignore[assignment]
    opened = fast_stream.FastModel.open

    async def open_traced(
        self: Any, record: Any, deadline: Any, validator: Any, on_sent: Any
    ) -> Any:
        run = runs.setdefault(str(record.id), {})
        _current.set(run)  # the fast request runs in this task; the validator's does not

        def sent() -> None:
            run.setdefault("fast connect", time.perf_counter())
            if on_sent is not None:
                on_sent()

        result = await opened(self, record, deadline, validator, sent)
        run["first piece"] = time.perf_counter()
        return result

    fast_stream.FastModel.open = open_traced  # type: ignore[method-assign]
    return application


async def _monitor() -> None:
    while True:
        began = time.perf_counter()
        await asyncio.sleep(0.001)
        lag.append((began, time.perf_counter() - began))


def traced_app(app: Any) -> Any:
    monitor: list[asyncio.Task[None]] = []

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if not monitor and scope["type"] in ("http", "lifespan"):
            monitor.append(asyncio.get_running_loop().create_task(_monitor()))
        if scope["type"] != "http" or scope["path"] != STREAM_PATH:
            await app(scope, receive, send)
            return
        stream: dict[str, float | str] = {"arrived": time.perf_counter()}
        arrivals.append(stream)

        async def send_traced(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                stream["response started"] = time.perf_counter()
            elif message["type"] == "http.response.body":
                body = bytes(message.get("body", b""))
                if "run" not in stream and (found := _RUN_ID.search(body)):
                    stream["run"] = found.group(1).decode()
                if "token written" not in stream and b'"type":"token"' in body:
                    stream["token written"] = time.perf_counter()
            await send(message)

        await app(scope, receive, send_traced)

    return asgi


STEPS = (
    "arrived",
    "response started",
    "fast connect",
    "fast body sent",
    "first piece",
    "token written",
)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def report() -> dict[str, Any]:
    """The last burst's timeline and the loop's busy time, printed and returned."""
    if not arrivals:
        return {}
    last = max(float(s["arrived"]) for s in arrivals)
    first = min(float(s["arrived"]) for s in arrivals if float(s["arrived"]) > last - 1.0)
    burst = [
        {**s, **runs.get(str(s.get("run")), {})} for s in arrivals if float(s["arrived"]) >= first
    ]
    timeline: dict[str, dict[str, float]] = {}
    print(f"\nburst: {len(burst)} streams; ms after the burst's first arrival", file=sys.stderr)
    print(
        f"  {'step':18s} {'n':>4s} {'p0':>7s} {'p50':>7s} {'p90':>7s} {'max':>7s}", file=sys.stderr
    )
    for step in STEPS:
        values = [(float(s[step]) - first) * 1000 for s in burst if step in s]
        if not values:
            continue
        row = {
            "n": len(values),
            "p0": min(values),
            "p50": _pct(values, 0.5),
            "p90": _pct(values, 0.9),
            "max": max(values),
        }
        timeline[step] = row
        print(
            f"  {step:18s} {row['n']:4d} {row['p0']:7.1f} {row['p50']:7.1f} {row['p90']:7.1f}"
            f" {row['max']:7.1f}",
            file=sys.stderr,
        )
    busy: dict[int, float] = {}
    for began, took in lag:
        offset = (began - first) * 1000
        if -20 <= offset < 600:
            slot = int(offset // 20) * 20
            busy[slot] = busy.get(slot, 0.0) + max(0.0, took - 0.001) * 1000
    print("  event loop busy (ms of lateness of a 1 ms sleep, per 20 ms):", file=sys.stderr)
    for slot in sorted(busy):
        print(f"  {slot:5d} ms {busy[slot]:6.1f} {'#' * int(busy[slot] / 2)}", file=sys.stderr)
    return {"timeline_ms": timeline, "loop_busy_ms_per_20ms": busy}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    import uvicorn

    app = traced_app(instrument())
    try:
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            loop="uvloop",
            http="httptools",
            log_level="warning",
            access_log=False,
            backlog=4096,
            timeout_keep_alive=30,
        )
    finally:
        found = report()
        if (path := os.environ.get("TRACE_JSON")) and found:
            Path(path).write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
