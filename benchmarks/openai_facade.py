"""CPU cost of the OpenAI-compatible facade's streaming against the SSE endpoint's (issue 15).

    .venv/bin/python benchmarks/openai_facade.py [--tokens 2000] [--streams 100] [--repeat 30]

Latency on a shared machine is mostly noise, so this measures CPU time (`time.process_time()`)
of what each edge does with a run's events once the hub has them, with no network and no
upstream: a fake run hands the edge's framer the real payloads of `consensus.events` (one event
per batch, as live tokens arrive), and the body is consumed the way Django's ASGI handler does
(`aiter(response)`).

- per chunk: one run of `--tokens` token events; CPU per token, facade (model `consensus`) and SSE;
- per stream: `--streams` whole runs of 20 tokens (start, tokens, groq_complete,
  byteplus_complete, complete), each from the view's response builder to the body's end;
  CPU per stream, facade and SSE (the facade's includes its `consensus` object and usage chunk);
- per request: the same runs from the request (a `RequestFactory` POST through the view
  function: body parsing, admission, the run's record; `start_run` hands back the fake run) to
  the body's end. Django's middleware and the ASGI server are not in it (the same for both);
- first token path: what lies between the run's first token and its bytes reaching the server,
  through the ASGI application (lean handler, middleware): the run is parked after `start`
  (the upstream thinking), then its first token is released; CPU of the event loop's thread
  (`time.thread_time()`) until the ASGI `send` of a body holding it, median and best of
  `--firsts` questions per edge. The SSE endpoint has sent its headers by then; the facade
  sends them with the first text (so that a run failing before any text gets its status).

Prints the best of `--repeat` short rounds, the edges alternating (the round least disturbed by
other work on a shared machine).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import AsyncGenerator, Callable, Sequence
from pathlib import Path
from typing import Any

import django
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")
os.environ.setdefault("GROQ_API_KEY", "bench")  # configured (never called: the run is fake)
os.environ.setdefault("ARK_API_KEY", "bench")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from consensus import events as ev  # noqa: E402
from consensus import views as sse_views  # noqa: E402
from consensus.inputs import Question  # noqa: E402
from consensus.openai_api import views as openai_views  # noqa: E402
from consensus.openai_api.request import ChatParams  # noqa: E402

RUN_ID = "7f0c2b9e-4a51-4d8e-9a43-6f1f0c1e2d3a"
PIECE = " pidana"  # a typical streamed piece: a word and its space
ROLES = {
    "groq": {"provider": "Groq", "model": "openai/gpt-oss-20b"},
    "byteplus": {"provider": "BytePlus ModelArk", "model": "seed-1-6-250915"},
}
USAGE = {"prompt_tokens": 38, "completion_tokens": 20, "total_tokens": 58}


def payloads(tokens: int) -> list[bytes]:
    """A whole run's event payloads as the hub stores them (`orjson.dumps(event.payload())`)."""
    answer = PIECE * tokens
    run = [
        ev.Start(run_id=RUN_ID, models=["openai/gpt-oss-20b", "seed-1-6-250915"], roles=ROLES),
        *(ev.Token(content=PIECE, model="groq") for _ in range(tokens)),
        ev.GroqComplete(content=answer, length=len(answer), model="openai/gpt-oss-20b"),
        ev.ByteplusComplete(
            similarity=0.97,
            byteplus_confidence=0.9,
            band="high",
            model="seed-1-6-250915",
            conflicts=[],
            outcome="agree",
            added=[],
            decided_by="rules",
            merged=[],
        ),
        ev.Complete(
            run_id=RUN_ID,
            content=answer,
            confidence=0.95,
            elapsed_time=1.2,
            status="completed",
            corrected=False,
            similarity=0.97,
            usage={"groq": USAGE, "byteplus": USAGE},
        ),
    ]
    return [orjson.dumps(event.payload()) for event in run]


class FakeRun:
    """What an edge sees of a run (`consensus.streaming.run.Run`): the payloads, one per batch."""

    client = "bench"

    def __init__(self, events: Sequence[bytes]) -> None:
        self.run_id = RUN_ID
        self.events = events

    def terminal_seen(self, after: int) -> bool:
        return after >= len(self.events) - 1

    async def follow(
        self, after: int, frame: Callable[[int, Sequence[bytes]], Any]
    ) -> AsyncGenerator[Any, None]:
        for index in range(after + 1, len(self.events)):
            yield frame(index, self.events[index : index + 1])

    async def request_stop(self, why: str) -> bool:
        return False


PARAMS = ChatParams("consensus", Question(prompt="Apa hukuman untuk pencurian motor?"), True, True)


async def facade_response(run: FakeRun) -> Any:
    """The facade's streamed response, through whichever API this checkout's views have."""
    streamed: Any = openai_views._streamed
    if streamed.__code__.co_argcount == 3:  # before the rework: (run, params, translation)
        translation = openai_views.Translation(PARAMS.model, PARAMS.question.prompt)
        return await streamed(run, PARAMS, translation)
    return await streamed(run, PARAMS)


async def sse_response(run: FakeRun) -> Any:
    return sse_views._event_stream(run, -1)  # type: ignore[arg-type]


BODIES = {
    "facade": orjson.dumps(
        {
            "model": "consensus",
            "stream": True,
            "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": PARAMS.question.prompt}],
        }
    ),
    "sse": orjson.dumps({"prompt": PARAMS.question.prompt}),
}
PATHS = {"facade": "/v1/chat/completions", "sse": "/api/consensus/stream"}
VIEWS = {"facade": openai_views.chat_completions, "sse": sse_views.consensus_stream}


async def _anonymous() -> AnonymousUser:
    return AnonymousUser()


async def one_request(name: str, events: Sequence[bytes]) -> int:
    """One question through the edge's view, its run faked (`start_run` patched)."""
    request = RequestFactory().post(PATHS[name], BODIES[name], content_type="application/json")
    request.auser = _anonymous  # what AuthenticationMiddleware sets
    response = await VIEWS[name](request)
    assert response.status_code == 200, response.content
    return await drain(response)


def fake_start_run(events: Sequence[bytes]) -> Callable[..., FakeRun]:
    def start(record: Any, cfg: Any, *, on_finish: Any = (), **_: Any) -> FakeRun:
        for release in on_finish:  # the slot: released at once (the fake run has ended)
            asyncio.get_running_loop().create_task(release())
        return FakeRun(events)

    return start


class GatedRun(FakeRun):
    """A run that stops after `start` until `gate` is set, as a run waits for the upstream's
    first token."""

    def __init__(self, events: Sequence[bytes]) -> None:
        super().__init__(events)
        self.parked = asyncio.Event()
        self.gate = asyncio.Event()

    async def follow(
        self, after: int, frame: Callable[[int, Sequence[bytes]], Any]
    ) -> AsyncGenerator[Any, None]:
        yield frame(0, self.events[:1])
        self.parked.set()
        await self.gate.wait()
        for index in range(1, len(self.events)):
            yield frame(index, self.events[index : index + 1])


async def first_token_path(app: Any, name: str, events: Sequence[bytes]) -> float:
    """Event-loop CPU from the first token's release to the `send` of its bytes."""
    run = GatedRun(events)
    openai_views.start_run = sse_views.start_run = lambda *a, **k: run  # type: ignore[assignment]
    sent = asyncio.Event()
    ended = asyncio.Event()
    at = 0.0
    body = BODIES[name]
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": body, "more_body": False}
        await ended.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal at
        if not sent.is_set() and PIECE.encode() in message.get("body", b""):
            at = time.thread_time()
            sent.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PATHS[name],
        "raw_path": PATHS[name].encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"localhost")],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 8000),
    }
    task = asyncio.create_task(app(scope, receive, send))
    await run.parked.wait()
    for _ in range(20):  # let the SSE response's headers go out, as during the upstream's wait
        await asyncio.sleep(0)
    started = time.thread_time()
    run.gate.set()
    async with asyncio.timeout(10):  # no token sent: the edge answered something else
        await sent.wait()
    spent = at - started
    await task
    ended.set()
    return spent


async def drain(response: Any) -> int:
    sent = 0
    async for part in aiter(response):
        sent += len(part)
    return sent


async def one_stream(edge: Callable[[FakeRun], Any], events: Sequence[bytes]) -> int:
    return await drain(await edge(FakeRun(events)))


async def cpu(work: Callable[[], Any]) -> float:
    started = time.process_time()
    await work()
    return time.process_time() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--firsts", type=int, default=300)
    args = parser.parse_args()
    long_run = payloads(args.tokens)
    short_run = payloads(20)
    edges = {"facade": facade_response, "sse": sse_response}
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 0  # the bench asks thousands of questions
    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 0
    openai_views.start_run = sse_views.start_run = fake_start_run(short_run)  # type: ignore[assignment]
    chunk: dict[str, float] = {}
    stream: dict[str, float] = {}
    request: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, edge in edges.items():
            spent = await cpu(lambda edge=edge: one_stream(edge, long_run))
            chunk[name] = min(chunk.get(name, spent), spent)

            async def many(edge: Any = edge) -> None:
                for _ in range(args.streams):
                    await one_stream(edge, short_run)

            spent = await cpu(many)
            stream[name] = min(stream.get(name, spent), spent)

            async def asked(name: str = name) -> None:
                for _ in range(args.streams):
                    await one_request(name, short_run)

            spent = await cpu(asked)
            request[name] = min(request.get(name, spent), spent)
    per_chunk = {name: spent / args.tokens * 1e6 for name, spent in chunk.items()}
    per_stream = {name: spent / args.streams * 1e6 for name, spent in stream.items()}
    print(f"CPU per token chunk (best of {args.repeat}, {args.tokens} tokens):")
    for name, value in per_chunk.items():
        print(f"  {name:7} {value:7.2f} us")
    print(f"  added   {per_chunk['facade'] - per_chunk['sse']:+7.2f} us")
    print(f"CPU per stream of 20 tokens (best of {args.repeat}, {args.streams} streams):")
    for name, value in per_stream.items():
        print(f"  {name:7} {value:7.1f} us")
    print(f"  added   {per_stream['facade'] - per_stream['sse']:+7.1f} us")
    from consensus_project.asgi import build_http_application

    app = build_http_application(lean=True)
    firsts: dict[str, list[float]] = {name: [] for name in edges}
    for _ in range(args.firsts):
        for name in edges:
            firsts[name].append(await first_token_path(app, name, short_run))
    per_request = {name: spent / args.streams * 1e6 for name, spent in request.items()}
    print(f"CPU per request, view to the body's end (best of {args.repeat}):")
    for name, value in per_request.items():
        print(f"  {name:7} {value:7.1f} us")
    print(f"  added   {per_request['facade'] - per_request['sse']:+7.1f} us")
    print(f"First token path, event-loop CPU ({args.firsts} questions each): median / best")
    medians = {name: statistics.median(spent) * 1e6 for name, spent in firsts.items()}
    for name, spent in firsts.items():
        print(f"  {name:7} {medians[name]:7.1f} / {min(spent) * 1e6:7.1f} us")
    print(f"  added   {medians['facade'] - medians['sse']:+7.1f} us (medians)")


if __name__ == "__main__":
    asyncio.run(main())
