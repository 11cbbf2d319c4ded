"""A second load client, written apart from `load.py`: plain httpx, every stream read to its end.

`load.py` is raw asyncio with pattern counting on the bytes; a number that matters should not
rest on one client's way of reading. This one is what a Python frontend would write: an
`httpx.AsyncClient`, `client.stream("POST", ...)`, `aiter_lines()`, each `data:` line parsed as
JSON; the first token is the first `token` event (service) or the first content delta (direct,
straight to the fake upstream). Shapes 1, 2 and 4 are `load.py`'s first three scenarios, the two
sides alternating (direct, service) `--rounds` times so that both see the same machine. With
`--server-pid`, shape 4 also samples the worker's RSS while the service side runs: (peak - RSS
before the side) / streams, as `load.py` reports it.

httpx costs more per stream than raw asyncio, so its direct TTFT is higher than `load.py`'s; the
added time (service minus direct at the same percentile) is what compares.

Run by `CLIENT=httpx scripts/bench` (the same fake upstream and service as `make bench`); by
hand: `python benchmarks/httpx_client.py --service URL --upstream URL [--only 1 2]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from typing import Any

import httpx
from load import rss_kb  # the worker's side of the measure, read as load.py reads it


@dataclass(frozen=True)
class Shape:
    name: str
    streams: int
    ramp: float  # seconds over which starts are spread (0: all at once)
    ttft: float
    tps: float
    tokens: int
    validator_ttft: float
    sequential: bool = False
    validator_tps: float = 50.0
    # Report token events per second over each side's wall time (the saturation shape).
    throughput: bool = False


SHAPES = [
    Shape("1 stream x 30 in a row", 30, 0, 0.05, 1000, 20, 0.02, sequential=True),
    Shape("100 streams over 2 s, 50 tok/s", 100, 2.0, 0.2, 50, 100, 0.5),
    Shape("100 streams at once", 100, 0, 0.2, 50, 100, 0.5),
    # load.py's 1,000-stream shape; with --server-pid, the worker's RSS per open stream.
    Shape("1,000 streams at once", 1000, 0, 0.5, 5, 25, 1.0),
    # load.py's saturation shape: both models at 2,000 tok/s, 4,000 tokens each; every stream
    # read to its end, events counted by this client.
    Shape(
        "saturation: 50 streams at 2,000 tok/s",
        50,
        0,
        0.05,
        2000,
        4000,
        0.1,
        validator_tps=2000,
        throughput=True,
    ),
]
QUESTION = "Apa hukuman untuk pencurian motor?"


async def one_stream(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], *, direct: bool
) -> tuple[float | None, int, str]:
    """(TTFT in s or None, token count, error or "")."""
    started = time.perf_counter()
    first: float | None = None
    tokens = 0
    try:
        async with client.stream("POST", url, json=body) as response:
            if response.status_code != 200:
                await response.aread()
                return None, 0, f"HTTP {response.status_code}"
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    continue
                event = json.loads(data)
                if direct:
                    choices = event.get("choices") or [{}]
                    is_token = bool((choices[0].get("delta") or {}).get("content"))
                else:
                    is_token = event.get("type") == "token"
                    if event.get("type") == "error":
                        return first, tokens, f"error event: {event.get('message')}"
                if is_token:
                    tokens += 1
                    if first is None:
                        first = time.perf_counter() - started
    except httpx.HTTPError as exc:
        return first, tokens, f"{type(exc).__name__}: {exc}"
    return first, tokens, "" if first is not None else "no token"


async def configure(client: httpx.AsyncClient, upstream: str, shape: Shape) -> None:
    await client.post(
        f"{upstream}/_config",
        json={
            "groq": {"ttft": shape.ttft, "tps": shape.tps, "tokens": shape.tokens},
            "ark": {
                "ttft": shape.validator_ttft,
                "tokens": shape.tokens,
                "tps": shape.validator_tps,
            },
        },
    )


async def peak_rss(pid: int, peak: list[int], stop: asyncio.Event) -> None:
    """Keeps the highest RSS of `pid` seen in `peak[0]` until `stop` is set."""
    while not stop.is_set():
        peak[0] = max(peak[0], rss_kb(pid))
        await asyncio.sleep(0.05)


async def side(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], shape: Shape, *, direct: bool
) -> list[tuple[float | None, int, str]]:
    if shape.sequential:
        return [await one_stream(client, url, body, direct=direct) for _ in range(shape.streams)]

    async def delayed(i: int) -> tuple[float | None, int, str]:
        await asyncio.sleep(i * shape.ramp / shape.streams)
        return await one_stream(client, url, body, direct=direct)

    return list(await asyncio.gather(*(delayed(i) for i in range(shape.streams))))


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def summary(results: list[tuple[float | None, int, str]]) -> dict[str, Any]:
    ttfts = [r[0] * 1000 for r in results if r[0] is not None]
    errors = [r[2] for r in results if r[2]]
    return {
        "streams": len(results),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "ttft_ms": {f"p{q}": pct(ttfts, q) for q in (50, 95, 99)},
    }


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    timeout = httpx.Timeout(120.0)
    direct_url = f"{args.upstream}/groq/v1/chat/completions"
    service_url = f"{args.service}/api/consensus/stream"
    direct_body = {
        "model": "openai/gpt-oss-20b",
        "stream": True,
        "messages": [{"role": "user", "content": QUESTION}],
    }
    service_body = {"prompt": QUESTION}
    out = []
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        # Warm both paths.
        await configure(client, args.upstream, SHAPES[0])
        for _ in range(3):
            await one_stream(client, service_url, service_body, direct=False)
            await one_stream(client, direct_url, direct_body, direct=True)
        for number, shape in enumerate(SHAPES, 1):
            if args.only and number not in args.only:
                continue
            print(f"running: {shape.name} ...", file=sys.stderr, flush=True)
            await configure(client, args.upstream, shape)
            direct: list[tuple[float | None, int, str]] = []
            service: list[tuple[float | None, int, str]] = []
            rss_per_stream: list[float] = []
            elapsed = {"direct": 0.0, "service": 0.0}
            for _ in range(args.rounds):
                started = time.perf_counter()
                direct += await side(client, direct_url, direct_body, shape, direct=True)
                elapsed["direct"] += time.perf_counter() - started
                await asyncio.sleep(args.pause)
                sampling = args.server_pid and shape.streams >= 1000
                if sampling:
                    before, peak, stop = rss_kb(args.server_pid), [0], asyncio.Event()
                    sampler = asyncio.create_task(peak_rss(args.server_pid, peak, stop))
                started = time.perf_counter()
                service += await side(client, service_url, service_body, shape, direct=False)
                elapsed["service"] += time.perf_counter() - started
                if sampling:
                    stop.set()
                    await sampler
                    rss_per_stream.append((peak[0] - before) / shape.streams)
                await asyncio.sleep(args.pause)
            d, s = summary(direct), summary(service)
            added = {
                q: None
                if d["ttft_ms"][q] is None or s["ttft_ms"][q] is None
                else s["ttft_ms"][q] - d["ttft_ms"][q]
                for q in ("p50", "p95", "p99")
            }
            row = {"shape": shape.name, "direct": d, "service": s, "added_ttft_ms": added}
            if rss_per_stream:
                row["rss_kb_per_stream"] = rss_per_stream
            if shape.throughput:
                # Token events received over the wall time from the first request to the last
                # stream's end, per side.
                row["token_events_per_s"] = {
                    name: sum(r[1] for r in results) / elapsed[name]
                    for name, results in (("direct", direct), ("service", service))
                }
            out.append(row)
    return out


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--only", type=int, nargs="*", help="shape numbers (1-5)")
    parser.add_argument("--server-pid", type=int, help="the worker, for RSS per stream (shape 4)")
    parser.add_argument("--rounds", type=int, default=1, help="direct/service rounds per shape")
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument("--json", help="write the JSON report here")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    print(f"{'shape':<34} {'side':<8} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>6}")
    for r in results:
        for name in ("direct", "service"):
            t = r[name]["ttft_ms"]
            print(
                f"{r['shape'] if name == 'direct' else '':<34} {name:<8} {fmt(t['p50']):>8} "
                f"{fmt(t['p95']):>8} {fmt(t['p99']):>8} {r[name]['errors']:>6}"
            )
        a = r["added_ttft_ms"]
        print(f"{'':<34} {'added':<8} {fmt(a['p50']):>8} {fmt(a['p95']):>8} {fmt(a['p99']):>8}")
        if "token_events_per_s" in r:
            rates = r["token_events_per_s"]
            print(
                f"{'':<34} {'events/s':<8} direct {rates['direct']:,.0f}, "
                f"service {rates['service']:,.0f} token events/s"
            )
        if "rss_kb_per_stream" in r:
            kb = ", ".join(f"{v:.1f}" for v in r["rss_kb_per_stream"])
            print(f"{'':<34} {'RSS':<8} {kb} KB per open stream (worker's peak over its start)")
    report = {"client": "httpx", "load_average": os.getloadavg(), "results": results}
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
