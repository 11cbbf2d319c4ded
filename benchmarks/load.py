"""Load client: time to first token through the service and directly against the fake upstream.

Every scenario runs twice in the same process and the same run, with the same shape: once
straight against the fake upstream's stream (`direct`), once through the service's SSE endpoint
(`service`). Added latency at pN = pN(service TTFT) - pN(direct TTFT). The client is raw asyncio
(uvloop when installed), one fresh connection per stream on both sides, so it costs the same per
stream on both sides and stays far from being the bottleneck.

Reported per scenario: TTFT p50/p95/p99 on both sides and their difference, inter-token gaps
(time between reads that carried tokens), token events per second, errors, and, for the server
process given with `--server-pid`, its RSS growth per concurrent stream (`/proc/<pid>/status`).

With `--openai`, each scenario runs once more with its streams alternating between the SSE
endpoint (`sse` side) and the OpenAI-compatible API (`/v1/chat/completions`, model `consensus`,
streamed: `openai` side), in the same burst so that both see the same machine (a sequential
scenario runs its count on each); the facade's added time to first token is
pN(openai TTFT) - pN(sse TTFT).

Run by `scripts/bench` (`make bench`); by hand:
`python benchmarks/load.py --service http://127.0.0.1:8000 --upstream http://127.0.0.1:9000`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import orjson

SERVICE_TOKEN = b'"type":"token"'
SERVICE_END = (b'"type":"complete"', b'"type":"error"')
DIRECT_TOKEN = b'"delta":{"content":"'
DIRECT_END = (b"data: [DONE]",)
OPENAI_END = (b"data: [DONE]", b'data: {"error"')  # the facade's chunks count like direct ones


@dataclass
class Scenario:
    name: str
    streams: int
    ramp: float  # seconds over which stream starts are spread evenly (0: all at once)
    ttft: float
    tps: float
    tokens: int
    sequential: bool = False
    validator_ttft: float = 0.3
    measure_rss: bool = False
    targets: dict[str, float] = field(default_factory=dict)


FACADE_TARGET_MS = 1.0  # issue 15: the OpenAI facade within 1 ms p50 of the SSE endpoint
SCENARIOS = [
    Scenario(
        "1 stream x 30 in a row",
        30,
        0,
        ttft=0.05,
        tps=1000,
        tokens=20,
        sequential=True,
        validator_ttft=0.02,
        targets={"added_ttft_p50_ms": 2.5},
    ),
    Scenario(
        "100 streams over 2 s, 50 tok/s",
        100,
        2.0,
        ttft=0.2,
        tps=50,
        tokens=100,
        validator_ttft=0.5,
        targets={"added_ttft_p99_ms": 10.0},
    ),
    Scenario(
        "1,000 streams at once",
        1000,
        0,
        ttft=0.5,
        tps=5,
        tokens=25,
        validator_ttft=1.0,
        measure_rss=True,
        targets={"errors": 0, "rss_kb_per_stream": 100.0, "added_ttft_p50_ms": 1000.0},
    ),
    Scenario(
        "saturation: 50 streams at 2,000 tok/s",
        50,
        0,
        ttft=0.05,
        tps=2000,
        tokens=4000,
        validator_ttft=0.1,
        targets={"token_events_per_s": 20000.0},
    ),
    # Issue 17's burst target; the same shape as benchmarks/httpx_client.py's third.
    Scenario(
        "100 streams at once",
        100,
        0,
        ttft=0.2,
        tps=50,
        tokens=100,
        validator_ttft=0.5,
        targets={"added_ttft_p99_ms": 50.0},
    ),
]


@dataclass
class Result:
    ok: bool = False
    error: str = ""
    start: float = 0.0
    first_token: float | None = None
    end: float = 0.0
    tokens: int = 0
    fallback: bool = False  # the service answered with the validator (fast model too slow)
    gaps: list[float] = field(default_factory=list)

    @property
    def ttft(self) -> float | None:
        return None if self.first_token is None else self.first_token - self.start


class Counter:
    """Counts pattern hits across reads (keeps a short tail so no hit is split)."""

    def __init__(self, token: bytes, ends: tuple[bytes, ...]) -> None:
        self.token, self.ends = token, ends
        self.keep = max(len(p) for p in (token, *ends)) - 1
        self.tail = b""

    def feed(self, data: bytes) -> tuple[int, bool]:
        window = self.tail + data
        hits = window.count(self.token) - self.tail.count(self.token)
        ended = any(p in window for p in self.ends)
        self.tail = window[-self.keep :]
        return hits, ended


class Dechunker:
    """Incremental HTTP/1.1 chunked transfer decoding."""

    def __init__(self) -> None:
        self.buf = b""
        self.remaining = 0
        self.finished = False

    def feed(self, data: bytes) -> bytes:
        self.buf += data
        out = []
        while self.buf:
            if self.remaining:
                piece = self.buf[: self.remaining]
                out.append(piece)
                self.buf = self.buf[len(piece) :]
                self.remaining -= len(piece)
                continue
            line_end = self.buf.find(b"\r\n")
            if line_end < 0:
                break
            if line_end == 0:  # the CRLF after a chunk's data
                self.buf = self.buf[2:]
                continue
            size = int(self.buf[:line_end].split(b";")[0], 16)
            self.buf = self.buf[line_end + 2 :]
            if size == 0:
                self.finished = True
                break
            self.remaining = size
        return b"".join(out)


async def sse_stream(
    url: str, body: bytes, *, direct: bool, limit: float, openai: bool = False
) -> Result:
    """POST `body` to `url` on a fresh connection and time the stream's token events."""
    parsed = urlparse(url)
    result = Result(start=time.perf_counter())
    if openai:
        counter = Counter(DIRECT_TOKEN, OPENAI_END)
    else:
        counter = Counter(*(DIRECT_TOKEN, DIRECT_END) if direct else (SERVICE_TOKEN, SERVICE_END))
    writer = None
    try:
        async with asyncio.timeout(limit):
            reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
            writer.write(
                b"POST %b HTTP/1.1\r\nHost: %b\r\nContent-Type: application/json\r\n"
                b"Accept: text/event-stream\r\nContent-Length: %d\r\n\r\n%b"
                % (parsed.path.encode(), parsed.netloc.encode(), len(body), body)
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = head.split(b" ", 2)[1]
            if status != b"200":
                result.error = f"HTTP {status.decode()}"
                return result
            chunked = b"transfer-encoding: chunked" in head.lower()
            dechunk = Dechunker()
            last = None
            while True:
                data = await reader.read(65536)
                now = time.perf_counter()
                if not data:
                    break
                if chunked:
                    data = dechunk.feed(data)
                hits, ended = counter.feed(data)
                if not direct and b'"type":"fallback"' in data:
                    result.fallback = True
                if hits:
                    if result.first_token is None:
                        result.first_token = now
                    elif last is not None:
                        result.gaps.append(now - last)
                    last = now
                    result.tokens += hits
                if ended:
                    result.ok = True
                    at = -1 if direct else data.find(b'"error"' if openai else b'"type":"error"')
                    if at >= 0:
                        message = data[at:].split(b'"message":"', 1)[-1].split(b'"', 1)[0]
                        result.ok, result.error = False, f"error event: {message.decode()}"
                    break
            # A stream is over when its response is, as for a browser's EventSource: read to
            # the end of the body, so that the next stream of a sequential scenario starts
            # after this one (the service stores the run between its last event and its end).
            while not (chunked and dechunk.finished):
                data = await reader.read(65536)
                if not data:
                    break
                if chunked:
                    dechunk.feed(data)
            if not result.ok and not result.error:
                result.error = "stream ended without a terminal event"
    except TimeoutError:
        result.error = "timeout"
    except OSError as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        result.end = time.perf_counter()
        if writer is not None:
            writer.close()
    return result


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _stat(pid: int | str) -> list[str]:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def cpu_ms(pid: int) -> float:
    """CPU time (user + system, every thread) the process and its live children (the verdict
    process) have used so far, in ms."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = _stat(entry)
        except OSError:  # gone meanwhile
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


async def configure(upstream: str, scenario: Scenario, validator_tps: float | None) -> None:
    body = orjson.dumps(
        {
            "groq": {"ttft": scenario.ttft, "tps": scenario.tps, "tokens": scenario.tokens},
            "ark": {
                "ttft": scenario.validator_ttft,
                "tokens": scenario.tokens,
                # The validator streams at the fast model's pace unless told otherwise.
                "tps": scenario.tps if validator_tps is None else validator_tps,
            },
        }
    )
    parsed = urlparse(upstream)
    reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
    writer.write(
        b"POST /_config HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%b" % (len(body), body)
    )
    await reader.readuntil(b"\r\n\r\n")
    writer.close()


async def run_side(
    url: str,
    body: bytes,
    scenario: Scenario,
    *,
    direct: bool,
    pid: int | None,
    openai: bool = False,
    cpu_pid: int | None = None,
) -> dict[str, Any]:
    timeout = scenario.ttft + scenario.tokens / scenario.tps + scenario.validator_ttft + 60
    started = time.perf_counter()
    cpu_before = cpu_ms(cpu_pid) if cpu_pid else 0.0
    rss_before = rss_kb(pid) if pid else 0
    peak = {"rss": rss_before, "open": 0}
    results: list[Result] = []
    if scenario.sequential:
        for _ in range(scenario.streams):
            results.append(await sse_stream(url, body, direct=direct, limit=timeout, openai=openai))
    else:
        open_now = 0

        async def one(delay: float) -> Result:
            nonlocal open_now
            await asyncio.sleep(delay)
            open_now += 1
            try:
                return await sse_stream(url, body, direct=direct, limit=timeout, openai=openai)
            finally:
                open_now -= 1

        async def sample() -> None:
            while True:
                await asyncio.sleep(0.05)
                # RSS when the most streams are open (Python keeps freed memory, so RSS at the
                # end of the burst would overstate the cost of the streams still open then).
                if pid and open_now >= peak["open"]:
                    peak["rss"], peak["open"] = rss_kb(pid), open_now
                peak["max_open"] = max(peak.get("max_open", 0), open_now)

        sampler = asyncio.create_task(sample())
        step = scenario.ramp / scenario.streams
        try:
            results = await asyncio.gather(*(one(i * step) for i in range(scenario.streams)))
        finally:
            sampler.cancel()
    elapsed = time.perf_counter() - started
    out = summarize(results, elapsed, rss_before, peak, direct=direct, pid=pid)
    if cpu_pid:
        # The server's whole cost of a stream: request, relay, verdict (its thread), save. The
        # last saves may land just after the last stream ends: wait for them.
        await asyncio.sleep(0.3)
        out["server_cpu_ms_per_stream"] = (cpu_ms(cpu_pid) - cpu_before) / len(results)
    return out


async def run_alternating(
    targets: list[tuple[str, bytes, bool]], scenario: Scenario
) -> list[dict[str, Any]]:
    """The scenario's streams, stream i to `targets[i % len(targets)]` (url, body, openai); one
    summary per target."""
    timeout = scenario.ttft + scenario.tokens / scenario.tps + scenario.validator_ttft + 60
    started = time.perf_counter()
    count = scenario.streams * (len(targets) if scenario.sequential else 1)
    results: list[list[Result]] = [[] for _ in targets]

    async def one(i: int, delay: float) -> None:
        await asyncio.sleep(delay)
        url, body, openai = targets[i % len(targets)]
        result = await sse_stream(url, body, direct=False, limit=timeout, openai=openai)
        results[i % len(targets)].append(result)

    if scenario.sequential:
        for i in range(count):
            await one(i, 0)
    else:
        step = scenario.ramp / count
        await asyncio.gather(*(one(i, i * step) for i in range(count)))
    elapsed = time.perf_counter() - started
    return [summarize(r, elapsed, 0, {}, direct=False, pid=None) for r in results]


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def summarize(
    results: list[Result],
    elapsed: float,
    rss_before: int,
    peak: dict[str, int],
    *,
    direct: bool,
    pid: int | None,
) -> dict[str, Any]:
    ttfts = [r.ttft * 1000 for r in results if r.ttft is not None]
    gaps = [g * 1000 for r in results for g in r.gaps]
    tokens = sum(r.tokens for r in results)
    firsts = [r.first_token for r in results if r.first_token is not None]
    window = (max(r.end for r in results) - min(firsts)) if firsts else elapsed
    errors: dict[str, int] = {}
    for r in results:
        if not r.ok:
            errors[r.error or "unknown"] = errors.get(r.error or "unknown", 0) + 1
    out: dict[str, Any] = {
        "streams": len(results),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "fallbacks": sum(r.fallback for r in results),
        "ttft_ms": {f"p{q}": pct(ttfts, q) for q in (50, 95, 99)}
        | {"mean": statistics.fmean(ttfts) if ttfts else None},
        "gap_ms": {f"p{q}": pct(gaps, q) for q in (50, 99)} | {"max": max(gaps, default=None)},
        "tokens": tokens,
        "token_events_per_s": tokens / window if window > 0 else None,
        "elapsed_s": elapsed,
    }
    if pid and not direct:
        growth = peak["rss"] - rss_before
        out["rss_kb"] = {
            "before": rss_before,
            "peak": peak["rss"],
            "open_at_peak": peak["open"],
            "max_open": peak.get("max_open", 0),
            "per_stream": growth / peak["open"] if peak["open"] else None,
        }
    return out


async def run_scenario(args: argparse.Namespace, scenario: Scenario) -> dict[str, Any]:
    await configure(args.upstream, scenario, args.validator_tps)
    request = {
        "model": "openai/gpt-oss-20b",
        "stream": True,
        "messages": [{"role": "user", "content": "Apa hukuman untuk pencurian motor?"}],
    }
    direct = await run_side(
        f"{args.upstream}/groq/v1/chat/completions",
        orjson.dumps(request),
        scenario,
        direct=True,
        pid=None,
    )
    body = orjson.dumps({"prompt": "Apa hukuman untuk pencurian motor?"})
    service = await run_side(
        f"{args.service}/api/consensus/stream",
        body,
        scenario,
        direct=False,
        pid=args.server_pid if scenario.measure_rss else None,
        cpu_pid=args.server_pid,
    )
    added = _added(service, direct)
    result = {
        "scenario": scenario.name,
        "shape": {
            "streams": scenario.streams,
            "ramp_s": scenario.ramp,
            "ttft_s": scenario.ttft,
            "tokens_per_s": scenario.tps,
            "tokens": scenario.tokens,
            "validator_ttft_s": scenario.validator_ttft,
            "sequential": scenario.sequential,
        },
        "direct": direct,
        "service": service,
        "added_ttft_ms": added,
    }
    if args.openai:
        await asyncio.sleep(args.pause)
        chat = orjson.dumps({**request, "model": "consensus"})
        result["sse"], result["openai"] = await run_alternating(
            [
                (f"{args.service}/api/consensus/stream", body, False),
                (f"{args.service}/v1/chat/completions", chat, True),
            ],
            scenario,
        )
        result["facade_added_ttft_ms"] = _added(result["openai"], result["sse"])
    result["targets"] = check(scenario, result)
    return result


def _added(side: dict[str, Any], base: dict[str, Any]) -> dict[str, float | None]:
    """pN(side TTFT) - pN(base TTFT) for p50, p95, p99."""
    return {
        q: (side["ttft_ms"][q] - base["ttft_ms"][q])
        if side["ttft_ms"][q] is not None and base["ttft_ms"][q] is not None
        else None
        for q in ("p50", "p95", "p99")
    }


def check(scenario: Scenario, result: dict[str, Any]) -> dict[str, Any]:
    service = result["service"]
    facade = result.get("facade_added_ttft_ms") or {}
    measured = {
        "facade_added_ttft_p50_ms": facade.get("p50"),
        "added_ttft_p50_ms": result["added_ttft_ms"]["p50"],
        "added_ttft_p99_ms": result["added_ttft_ms"]["p99"],
        "errors": service["errors"],
        "rss_kb_per_stream": (service.get("rss_kb") or {}).get("per_stream"),
        "token_events_per_s": service["token_events_per_s"],
    }
    out = {}
    targets = dict(scenario.targets)
    if facade:
        targets["facade_added_ttft_p50_ms"] = FACADE_TARGET_MS
    for name, target in targets.items():
        value = measured[name]
        met = value is not None and (
            value >= target if name == "token_events_per_s" else value <= target
        )
        out[name] = {"target": target, "measured": value, "met": met}
    return out


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: list[dict[str, Any]]) -> str:
    head = (
        f"{'scenario':<40} {'side':<8} {'TTFT p50':>9} {'p95':>8} {'p99':>8} "
        f"{'gap p50':>8} {'gap p99':>8} {'tok ev/s':>9} {'errors':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        for side in ("direct", "service", "sse", "openai"):
            if side not in r:
                continue
            s = r[side]
            lines.append(
                f"{r['scenario'] if side == 'direct' else '':<40} {side:<8} "
                f"{fmt(s['ttft_ms']['p50']):>9} {fmt(s['ttft_ms']['p95']):>8} "
                f"{fmt(s['ttft_ms']['p99']):>8} {fmt(s['gap_ms']['p50']):>8} "
                f"{fmt(s['gap_ms']['p99']):>8} {fmt(s['token_events_per_s'], 0):>9} "
                f"{s['errors']:>6}"
                + (f"  ({s['fallbacks']} fell back to the validator)" if s["fallbacks"] else "")
            )
        a = r["added_ttft_ms"]
        lines.append(
            f"{'':<40} {'added':<8} {fmt(a['p50'], 2):>9} {fmt(a['p95'], 2):>8} "
            f"{fmt(a['p99'], 2):>8}"
        )
        if f := r.get("facade_added_ttft_ms"):
            lines.append(
                f"{'':<40} {'facade':<8} {fmt(f['p50'], 2):>9} {fmt(f['p95'], 2):>8} "
                f"{fmt(f['p99'], 2):>8}  (openai - sse, alternating streams)"
            )
        if (cpu := r["service"].get("server_cpu_ms_per_stream")) is not None:
            lines.append(
                f"{'':<40} server CPU {cpu:.2f} ms per stream (all threads, verdict process)"
            )
        rss = r["service"].get("rss_kb")
        if rss:
            lines.append(
                f"{'':<40} RSS {rss['before']} -> {rss['peak']} KB with "
                f"{rss['open_at_peak']} streams open: {fmt(rss['per_stream'])} KB/stream"
            )
        for name, t in r["targets"].items():
            lines.append(
                f"{'':<40} target {name} {'<=' if name != 'token_events_per_s' else '>='}"
                f" {t['target']:g}: {fmt(t['measured'], 2)} "
                f"{'MET' if t['met'] else 'NOT MET'}"
            )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                "",
            )
    except OSError:
        pass
    return {
        "load_average": os.getloadavg(),  # other work on the machine skews every number here
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    wanted = [s for i, s in enumerate(SCENARIOS, 1) if not args.only or i in args.only]
    # Warm up both paths (imports, pools, first-request caches) before measuring.
    await run_side(
        f"{args.service}/api/consensus/stream",
        orjson.dumps({"prompt": "warm-up"}),
        Scenario("warm-up", 5, 0, 0.01, 1000, 5, validator_ttft=0.01),
        direct=False,
        pid=None,
    )
    if args.openai:
        await run_side(
            f"{args.service}/v1/chat/completions",
            orjson.dumps(
                {
                    "model": "consensus",
                    "stream": True,
                    "messages": [{"role": "user", "content": "warm-up"}],
                }
            ),
            Scenario("warm-up", 5, 0, 0.01, 1000, 5, validator_ttft=0.01),
            direct=False,
            pid=None,
            openai=True,
        )
    results = []
    for scenario in wanted:
        print(f"running: {scenario.name} ...", file=sys.stderr, flush=True)
        results.append(await run_scenario(args, scenario))
        await asyncio.sleep(args.pause)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", required=True, help="base URL of the service")
    parser.add_argument("--upstream", required=True, help="base URL of the fake upstream")
    parser.add_argument("--server-pid", type=int, help="pid of the server process (RSS)")
    parser.add_argument("--only", type=int, nargs="*", help="scenario numbers (1-5)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between scenarios")
    parser.add_argument("--json", help="write the JSON report here")
    parser.add_argument(
        "--validator-tps",
        type=float,
        default=None,
        help="the fake validator's tokens/s (default: the scenario's fast pace; 0: all at once)",
    )
    parser.add_argument(
        "--openai", action="store_true", help="also time the OpenAI-compatible API (the facade)"
    )
    args = parser.parse_args()
    for url in (args.service, args.upstream):
        if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("load: loopback only")
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    before = machine()
    results = runner(main_async(args))
    report = {
        "machine": before,
        "load_average_after": os.getloadavg(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": results,
    }
    print(table(results))
    print(f"load average before/after: {before['load_average']} / {report['load_average_after']}")
    text = orjson.dumps(report, option=orjson.OPT_INDENT_2).decode()
    print(text)
    if args.json:
        with open(args.json, "w") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
