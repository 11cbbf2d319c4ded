"""A scriptable fake of both upstreams, served over real HTTP on a loopback port.

`POST /v1/chat/completions` answers like Groq when streamed (`data:` chunks with `x_groq`, usage on
the finish chunk, `data: [DONE]`) and like BytePlus ModelArk when not (one `chat.completion`). The
role of a request is guessed from its body (ModelArk's preset sends `thinking`, Groq's sends
`max_completion_tokens`; otherwise a stream is the fast model) unless the path says it:
`/fast/v1/...` or `/validator/v1/...`. Payloads and frames come from `tests/fakes/wire.py`.

What each request gets, first match wins:
1. a reply queued for its role (`fake.enqueue("fast", Reply(...))` or `POST /_fake/enqueue`);
2. directives in the last user message: `[scenario:disagree]`, `[delay:0.2]` (seconds between the
   fast stream's chunks), `[first_delay:1]` (before the fast stream's first chunk),
   `[validator_delay:3]` (before the validator answers);
3. the default scenario (`fake.default_scenario`, `POST /_fake/default {"scenario": ...}`).

Every request is recorded (`fake.requests`, `GET /_fake/requests`), including whether the client
hung up before the answer was complete, which is how a test sees an upstream call cancelled.

    with FakeUpstream() as fake:          # a thread in this process
        env["GROQ_BASE_URL"] = env["ARK_BASE_URL"] = fake.base_url
        ...
        fake.wait_for(lambda reqs: len(reqs) == 2)

    python -m tests.fakes.upstream_server --port 8765 --scenario agree   # standalone
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import select
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from tests.fakes import wire

Role = Literal["fast", "validator"]
ROLES: tuple[Role, ...] = ("fast", "validator")
FAST_MODEL = wire.GROQ_MODEL
VALIDATOR_MODEL = wire.ARK_MODEL
HANG = 30.0  # "never answers": ends early when the client hangs up or the fake stops

DIRECTIVE = re.compile(r"\[(scenario|delay|first_delay|validator_delay):([\w.\-]+)\]")


@dataclass(frozen=True)
class Reply:
    """What one request gets back."""

    text: str = ""
    pieces: tuple[str, ...] | None = None  # streamed chunks; default: `text` split into words
    delay: float = 0.0  # seconds between streamed chunks
    first_delay: float = 0.0  # seconds before the first byte of the answer
    status: int = 200  # >= 400: answer this HTTP error instead
    error: str = ""  # message of the HTTP error, or of the in-stream error (`fail_after`)
    fail_after: int | None = None  # streamed: an in-stream error after this many chunks
    cut_after: int | None = None  # streamed: hang up after this many chunks, without [DONE]
    finish_reason: str = "stop"

    def chunks(self) -> list[str]:
        if self.pieces is not None:
            return list(self.pieces)
        return re.findall(r"\s*\S+\s*", self.text) or [self.text]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("pieces") is not None:
            values["pieces"] = tuple(values["pieces"])
        return cls(**values)


# --- Scenarios ------------------------------------------------------------------------------------

AGREE_FAST = (
    "Menurut **Pasal 362 KUHP**, pencurian diancam dengan pidana penjara paling lama lima tahun "
    "atau pidana denda paling banyak sembilan ratus rupiah.\n\n"
    "Jika pencurian dilakukan dengan pemberatan, berlaku Pasal 363 KUHP."
)
AGREE_VALIDATOR = (
    "Menurut Pasal 362 KUHP, pencurian diancam pidana penjara paling lama lima tahun atau pidana "
    "denda paling banyak sembilan ratus rupiah. Jika pencurian dilakukan dengan pemberatan, "
    "berlaku Pasal 363 KUHP."
)
DISAGREE_FAST = "Pencurian motor dihukum 5 tahun penjara maksimal."
# The design document's Test 2 pair, longer: the fast answer leaves out the fine the law gives as
# the alternative to prison, which makes the penalty it states incomplete (a conflict).
DISAGREE_VALIDATOR = (
    "Pencurian sepeda motor diatur dalam Pasal 362 KUHP dengan ancaman pidana penjara paling lama "
    "5 tahun atau denda paling banyak sembilan ratus rupiah. Bila disertai pemberatan, misalnya "
    "dilakukan pada malam hari atau dengan merusak kunci, berlaku Pasal 363 KUHP dengan ancaman "
    "hingga 7 tahun penjara."
)
HTML_ANSWER = (
    "Contoh input berbahaya: <script>window.__xss = 'script'</script> dan "
    '<img src="x" onerror="window.__xss = \'img\'"> harus tampil sebagai teks biasa.'
)
SLOW_FAST = " ".join(
    f"Kalimat {n}: ketentuan ini dijelaskan langkah demi langkah." for n in range(1, 61)
)
FAST_DOWN = Reply(status=503, error="Groq is over capacity. Please try again later.")
VALIDATOR_DOWN = Reply(status=503, error="The service is temporarily unavailable.")
STREAM_DELAY = 0.03

SCENARIOS: dict[str, dict[Role, Reply]] = {
    "agree": {
        "fast": Reply(AGREE_FAST, delay=STREAM_DELAY),
        "validator": Reply(AGREE_VALIDATOR, first_delay=0.2),
    },
    "disagree": {
        "fast": Reply(DISAGREE_FAST, delay=STREAM_DELAY),
        "validator": Reply(DISAGREE_VALIDATOR, first_delay=0.2),
    },
    "validator_timeout": {
        "fast": Reply(AGREE_FAST, delay=STREAM_DELAY),
        "validator": Reply(AGREE_VALIDATOR, first_delay=HANG),
    },
    "validator_error": {
        "fast": Reply(AGREE_FAST, delay=STREAM_DELAY),
        "validator": VALIDATOR_DOWN,
    },
    "fast_error": {  # the fast model fails before answering; the validator is fine
        "fast": FAST_DOWN,
        "validator": Reply(AGREE_VALIDATOR, first_delay=0.2),
    },
    "both_error": {"fast": FAST_DOWN, "validator": VALIDATOR_DOWN},
    "fast_stream_error": {  # HTTP 200, a few tokens, then Groq's in-stream error
        "fast": Reply(AGREE_FAST, delay=STREAM_DELAY, fail_after=3, error="Service overloaded"),
        "validator": Reply(AGREE_VALIDATOR, first_delay=0.2),
    },
    "fast_cut": {  # the connection drops mid-stream
        "fast": Reply(AGREE_FAST, delay=STREAM_DELAY, cut_after=3),
        "validator": Reply(AGREE_VALIDATOR, first_delay=0.2),
    },
    "slow": {  # a long, slow answer and a validator that never answers: for stop buttons
        "fast": Reply(SLOW_FAST, delay=0.15),
        "validator": Reply(SLOW_FAST, first_delay=HANG),
    },
    "html": {
        "fast": Reply(HTML_ANSWER, delay=STREAM_DELAY),
        "validator": Reply(HTML_ANSWER, first_delay=0.2),
    },
}


def reply_for(role: Role, prompt: str, default_scenario: str) -> tuple[str, Reply]:
    """(scenario name, reply) chosen by the directives in `prompt`."""
    found = dict(DIRECTIVE.findall(prompt))
    name = found.get("scenario", default_scenario)
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
    reply = SCENARIOS[name][role]
    if role == "fast":
        if "delay" in found:
            reply = replace(reply, delay=float(found["delay"]))
        if "first_delay" in found:
            reply = replace(reply, first_delay=float(found["first_delay"]))
    elif "validator_delay" in found:
        reply = replace(reply, first_delay=float(found["validator_delay"]))
    return name, reply


# --- Wire shapes (from the shared module) ---------------------------------------------------------


def completion(
    role: Role, model: str, text: str, finish: str, prompt_tokens: int
) -> dict[str, Any]:
    """A non-streamed answer: ModelArk's shape for the validator, Groq's for the fast role."""
    build = wire.ark_completion if role == "validator" else wire.groq_completion
    return build(
        text,
        prompt_tokens=prompt_tokens,
        completion_tokens=len(text.split()),
        finish=finish,
        model=model,
    )


def error_body(role: Role, status: int, message: str) -> dict[str, Any]:
    """Groq names the error in `type`+`code`; ModelArk puts the status class in `type`."""
    if role == "validator":
        if status >= 500:
            return wire.ark_error("ServiceUnavailable", "ServiceUnavailable", message)
        return wire.ark_error("InvalidParameter", "BadRequest", message)
    return wire.groq_error(message, "server_error", "service_unavailable")


# --- The server -----------------------------------------------------------------------------------


@dataclass
class Recorded:
    """One request the fake received."""

    role: Role
    path: str
    body: dict[str, Any]
    scenario: str
    started: float = field(default_factory=time.monotonic)
    client_port: int = 0  # the client's end of the connection: equal ports, one connection
    finished: bool = False  # the whole answer was sent
    disconnected: bool = False  # the client hung up before the answer was complete

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    @property
    def prompt(self) -> str:
        return last_user_message(self.body)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def last_user_message(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages") or []):
        if message.get("role") == "user" and isinstance(message.get("content"), str):
            return str(message["content"])
    return ""


def guess_role(path: str, body: dict[str, Any]) -> Role:
    if path.startswith("/fast/"):
        return "fast"
    if path.startswith("/validator/"):
        return "validator"
    if "thinking" in body:
        return "validator"
    if "max_completion_tokens" in body or "reasoning_effort" in body:
        return "fast"
    return "fast" if body.get("stream") else "validator"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up (what the tests provoke) are not errors worth a traceback."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class FakeUpstream:
    """The fake, run in a thread of this process. Thread-safe; usable as a context manager."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, scenario: str = "agree") -> None:
        self.default_scenario = scenario
        self._requests: list[Recorded] = []
        self._queues: dict[Role, deque[Reply]] = {role: deque() for role in ROLES}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.stopping = threading.Event()
        self._server = _Server((host, port), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to set as GROQ_BASE_URL and ARK_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeUpstream:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"fake-upstream-{self.port}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # scripting
    def enqueue(self, role: Role, *replies: Reply) -> None:
        """The next requests of `role` get these replies, in order (before any directive)."""
        with self._lock:
            self._queues[role].extend(replies)

    def reset(self) -> None:
        """Forget recorded requests and queued replies."""
        with self._lock:
            self._requests.clear()
            for queue in self._queues.values():
                queue.clear()

    def choose(self, role: Role, body: dict[str, Any]) -> tuple[str, Reply]:
        with self._lock:
            if self._queues[role]:
                return "queued", self._queues[role].popleft()
        return reply_for(role, last_user_message(body), self.default_scenario)

    # recording
    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def record(self, entry: Recorded) -> None:
        with self._changed:
            self._requests.append(entry)
            self._changed.notify_all()

    def update(self, entry: Recorded, **changes: Any) -> None:
        with self._changed:
            for name, value in changes.items():
                setattr(entry, name, value)
            self._changed.notify_all()

    def wait_for(
        self, predicate: Callable[[list[Recorded]], bool], timeout: float = 5.0
    ) -> list[Recorded]:
        """Block until `predicate(requests)` holds; raise TimeoutError with what was seen."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self._requests)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [
                        (r.role, r.scenario, r.finished, r.disconnected) for r in self._requests
                    ]
                    raise TimeoutError(f"fake upstream: condition not met; requests: {seen}")
                self._changed.wait(remaining)
            return list(self._requests)


class ClientGone(Exception):
    """The client hung up while we were answering."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeUpstream/1"

    @property
    def fake(self) -> FakeUpstream:
        return self.server.fake  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    # routing
    def do_GET(self) -> None:
        if self.path == "/_fake/requests":
            self._json(200, {"requests": [r.as_dict() for r in self.fake.requests]})
        elif self.path == "/_fake/scenarios":
            self._json(200, {"scenarios": sorted(SCENARIOS), "default": self.fake.default_scenario})
        elif self.path.endswith("/models"):
            data = [{"id": m, "object": "model"} for m in (FAST_MODEL, VALIDATOR_MODEL)]
            self._json(200, {"object": "list", "data": data})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        body = self._read_json()
        if self.path.endswith("/chat/completions"):
            self._chat(body)
        elif self.path == "/_fake/reset":
            self.fake.reset()
            self._json(200, {"ok": True})
        elif self.path == "/_fake/default":
            scenario = str(body.get("scenario", ""))
            if scenario not in SCENARIOS:
                self._json(400, {"error": {"message": f"unknown scenario {scenario!r}"}})
                return
            self.fake.default_scenario = scenario
            self._json(200, {"ok": True})
        elif self.path == "/_fake/enqueue":
            self.fake.enqueue(body["role"], Reply.from_dict(body.get("reply") or {}))
            self._json(200, {"ok": True})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    # chat completions
    def _chat(self, body: dict[str, Any]) -> None:
        role = guess_role(self.path, body)
        try:
            scenario, reply = self.fake.choose(role, body)
        except KeyError as exc:
            self._json(400, {"error": {"message": str(exc.args[0]), "type": "invalid_request"}})
            return
        entry = Recorded(
            role=role,
            path=self.path,
            body=body,
            scenario=scenario,
            client_port=int(self.client_address[1]),
        )
        self.fake.record(entry)
        model = str(body.get("model") or (FAST_MODEL if role == "fast" else VALIDATOR_MODEL))
        try:
            self._pause(reply.first_delay)
            if reply.status >= 400:
                self._json(reply.status, error_body(role, reply.status, reply.error or "error"))
            elif body.get("stream"):
                self._stream(role, model, reply)
            else:
                prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in entry.messages)
                answer = completion(role, model, reply.text, reply.finish_reason, prompt_tokens)
                self._json(200, answer)
            self.fake.update(entry, finished=True)
        except (ClientGone, OSError):
            self.fake.update(entry, disconnected=True)
            self.close_connection = True

    def _stream(self, role: Role, model: str, reply: Reply) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunks = reply.chunks()
        fast = role == "fast"
        self._frame(wire.groq_role_chunk(model=model) if fast else wire.ark_role_chunk(model=model))
        for index, piece in enumerate(chunks):
            if reply.fail_after is not None and index == reply.fail_after:
                self._frame(wire.stream_error(reply.error or "Service overloaded"))
                self._end_chunks()
                return
            if reply.cut_after is not None and index == reply.cut_after:
                self.close_connection = True
                self.wfile.flush()
                return
            if index:
                self._pause(reply.delay)  # the reply's pacing: the behaviour under test
            build = wire.groq_chunk if fast else wire.ark_chunk
            self._frame(build({"content": piece}, model=model))
        if fast:
            last = wire.groq_finish_chunk(len(chunks), reply.finish_reason, model=model)
        else:  # ModelArk's usage chunk comes only with `stream_options.include_usage`, not asked
            last = wire.ark_finish_chunk(reply.finish_reason, model=model)
        self._frame(last)
        self._chunk(wire.DONE)
        self._end_chunks()

    # plumbing
    def _pause(self, seconds: float) -> None:
        """Sleep, but notice (and raise `ClientGone`) when the client hangs up meanwhile."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if self.fake.stopping.is_set():
                raise ClientGone
            readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.05))
            if readable:
                try:
                    peek = self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    raise ClientGone from None
                if not peek:
                    raise ClientGone
                time.sleep(min(remaining, 0.05))  # a pipelined request: keep waiting

    def _frame(self, obj: dict[str, Any]) -> None:
        self._chunk(wire.sse_frame(obj))

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _end_chunks(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _read_json(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _json(self, status: int, obj: dict[str, Any]) -> None:
        data = wire.json_bytes(obj)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


@contextlib.contextmanager
def running(scenario: str = "agree", port: int = 0) -> Iterator[FakeUpstream]:
    """`with running() as fake:` — a started fake, stopped on exit."""
    fake = FakeUpstream(port=port, scenario=scenario).start()
    try:
        yield fake
    finally:
        fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--scenario", default="agree", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    with running(args.scenario, args.port) as fake:
        print(f"fake upstream on {fake.base_url} (default scenario {args.scenario})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
