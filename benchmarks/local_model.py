"""Measure the bundled local model (SmolLM2-135M-Instruct Q4_1, llama.cpp) as the service uses it.

    .venv/bin/python benchmarks/local_model.py                 # both layouts, 1 thread per server
    .venv/bin/python benchmarks/local_model.py --threads 2 --runs 10 --json out.json

Layouts (each run streams the fast role and, at the same moment, asks the validator role for a
non-streamed answer, as the engine does):
  per-role  one llama.cpp server per role (what `manage.py serve` starts)
  shared    both roles on one server: the requests queue behind each other
  alone     the fast stream with no validator running (the model's own speed)

First token = time from sending the request to the first content chunk. Tokens/s = streamed
chunks after the first / time from first to last chunk (llama.cpp's server sends one chunk per
token). Needs the `local` extra (`scripts/bootstrap local`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import aconnect_sse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consensus.runtime.local_model import MODEL_ID, require_local_model
from consensus.runtime.local_server import LocalServer, Supervisor

PROMPTS = [
    "Apa hukuman untuk pencurian motor?",
    "Jelaskan secara singkat apa itu KUHP.",
    "What is the penalty for theft under Indonesian law?",
]


@dataclass
class Sample:
    layout: str
    first_token: float  # seconds
    tokens: int
    tokens_per_second: float
    stream_seconds: float
    validator_seconds: float | None
    validator_tokens: int | None


FULL_LENGTH = False  # --full-length: `ignore_eos`, answers run to max_tokens (worst case)


def body(prompt: str, *, stream: bool, max_tokens: int) -> dict[str, Any]:
    return {
        "ignore_eos": FULL_LENGTH,
        "model": MODEL_ID,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0.7,
        "max_tokens": max_tokens,
        "stream": stream,
    }


async def stream_fast(
    client: httpx.AsyncClient, url: str, prompt: str, max_tokens: int
) -> tuple[float, int, float]:
    """(first token s, chunks, last chunk s), all from the request start."""
    start = time.perf_counter()
    first, last, chunks = 0.0, 0.0, 0
    payload = body(prompt, stream=True, max_tokens=max_tokens)
    async with aconnect_sse(client, "POST", f"{url}/chat/completions", json=payload) as source:
        async for sse in source.aiter_sse():
            if sse.data == "[DONE]":
                break
            for choice in json.loads(sse.data).get("choices") or ():
                if (choice.get("delta") or {}).get("content"):
                    last = time.perf_counter() - start
                    first = first or last
                    chunks += 1
    return first, chunks, last


async def validate(
    client: httpx.AsyncClient, url: str, prompt: str, max_tokens: int
) -> tuple[float, int]:
    start = time.perf_counter()
    response = await client.post(
        f"{url}/chat/completions", json=body(prompt, stream=False, max_tokens=max_tokens)
    )
    response.raise_for_status()
    return time.perf_counter() - start, int(response.json()["usage"]["completion_tokens"])


async def one_run(
    layout: str, fast_url: str, validator_url: str | None, prompt: str, max_tokens: int
) -> Sample:
    async with httpx.AsyncClient(timeout=300) as client:
        validator = (
            asyncio.create_task(validate(client, validator_url, prompt, max_tokens))
            if validator_url
            else None
        )
        try:
            first, chunks, last = await stream_fast(client, fast_url, prompt, max_tokens)
            v_seconds, v_tokens = await validator if validator else (None, None)
        finally:
            if validator and not validator.done():
                validator.cancel()
                await asyncio.gather(validator, return_exceptions=True)
    rate = (chunks - 1) / (last - first) if chunks > 1 and last > first else 0.0
    return Sample(layout, first, chunks, rate, last, v_seconds, v_tokens)


async def measure(
    layout: str, fast_url: str, validator_url: str | None, args: argparse.Namespace
) -> list[Sample]:
    await one_run(layout, fast_url, validator_url, "Hi", 8)  # warm-up (page the model in)
    samples = []
    for i in range(args.runs):
        samples.append(
            await one_run(
                layout, fast_url, validator_url, PROMPTS[i % len(PROMPTS)], args.max_tokens
            )
        )
    return samples


def summarize(samples: list[Sample]) -> dict[str, Any]:
    def med(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    validator = [s.validator_seconds for s in samples if s.validator_seconds is not None]
    return {
        "layout": samples[0].layout,
        "runs": len(samples),
        "first_token_median_s": med([s.first_token for s in samples]),
        "first_token_max_s": round(max(s.first_token for s in samples), 3),
        "tokens_per_second_median": med([s.tokens_per_second for s in samples]),
        "fast_tokens_median": med([float(s.tokens) for s in samples]),
        "validator_seconds_median": med(validator) if validator else None,
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    model = require_local_model()
    logs = Path(tempfile.mkdtemp(prefix="local-model-bench-"))
    servers = [
        LocalServer(name=name, model=model, threads=args.threads, log_path=logs / f"{name}.log")
        for name in ("fast", "validator")
    ]
    results = []
    load_before = os.getloadavg()  # other work on the machine changes these numbers a lot
    with Supervisor(servers):
        fast, validator = servers
        layouts = {
            "per-role": (fast.base_url, validator.base_url),
            "shared": (fast.base_url, fast.base_url),
            "alone": (fast.base_url, None),
        }
        for name in args.layouts:
            samples = await measure(name, *layouts[name], args)
            results.append({"summary": summarize(samples), "samples": [asdict(s) for s in samples]})
    return {
        "model": MODEL_ID,
        "model_file": str(model),
        "threads_per_server": args.threads,
        "max_tokens": args.max_tokens,
        "full_length": args.full_length,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "load_average_1m": {"before": load_before[0], "after": os.getloadavg()[0]},
        "results": results,
    }


def print_table(report: dict[str, Any]) -> None:
    load = report["load_average_1m"]
    print(
        f"{report['cpus']} CPUs, {report['threads_per_server']} thread(s) per server, "
        f"max_tokens {report['max_tokens']}, load {load['before']:.1f} -> {load['after']:.1f}"
    )
    row = "{:10} {:>4} {:>14} {:>14} {:>12} {:>14}"
    print(
        row.format("layout", "runs", "1st token med", "1st token max", "tok/s med", "validator med")
    )
    for result in report["results"]:
        s = result["summary"]
        validator = s["validator_seconds_median"]
        print(
            row.format(
                s["layout"],
                s["runs"],
                f"{s['first_token_median_s']:.3f} s",
                f"{s['first_token_max_s']:.3f} s",
                f"{s['tokens_per_second_median']:.1f}",
                "-" if validator is None else f"{validator:.2f} s",
            )
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1, help="threads per llama.cpp server")
    parser.add_argument(
        "--layouts",
        nargs="+",
        default=["per-role", "shared", "alone"],
        choices=["per-role", "shared", "alone"],
    )
    parser.add_argument(
        "--full-length", action="store_true", help="answers run to --max-tokens (worst case)"
    )
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    FULL_LENGTH = args.full_length
    report = asyncio.run(main(args))
    print_table(report)
    text = json.dumps(report, indent=2)
    if args.json:
        args.json.write_text(text)
    print(text if not args.json else f"JSON written to {args.json}")
