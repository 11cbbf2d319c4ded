"""A fake OpenAI-compatible upstream on loopback, lean enough never to be the bottleneck.

Raw asyncio protocol (no framework, no coroutine per stream: timers via `loop.call_at`).
Two roles share one port: `/groq/v1/chat/completions` and `/ark/v1/chat/completions`.

- `"stream": true` answers Groq-shaped `chat.completion.chunk` frames (role chunk, content chunks,
  a finish chunk with `usage` and `x_groq.usage`, then `data: [DONE]`), chunked, keep-alive.
- `"stream": false` answers a ModelArk-shaped `chat.completion` JSON body after `ttft` seconds.

Per role: `ttft` (seconds to the first token / to the JSON answer), `tps` (tokens per second)
and `tokens` (how many). Set them with `POST /_config {"groq": {...}, "ark": {...}}`; read
counters with `GET /_stats`. Tokens that fall due within `tick` seconds of each other are written
together (one write), as a real server's socket would batch them at high rates.

Payloads come from the tests' shared wire format (`tests/fakes/wire.py`), rendered to bytes once
(per token count), never per request.

Run: `python benchmarks/fake_upstream.py [--port 0]`; prints `READY <port>` when listening.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the repo root

from tests.fakes import wire


@dataclass
class RoleConfig:
    ttft: float = 0.2
    tps: float = 50.0
    tokens: int = 50
    tick: float = 0.005  # tokens due within this window go out in one write


CONFIG: dict[str, RoleConfig] = {"groq": RoleConfig(), "ark": RoleConfig(ttft=0.3)}
STATS = {"requests": 0, "streams": 0, "completions": 0, "aborted": 0, "open": 0, "max_open": 0}
_FRAMES: dict[int, list[bytes]] = {}


def token_text(n: int) -> str:
    return f" kata{n}"


ROLE_FRAME = wire.sse_frame(wire.groq_role_chunk())


def content_frames(count: int) -> list[bytes]:
    """Pre-rendered content frames (rendered once per token count, not per request)."""
    frames = _FRAMES.get(count)
    if frames is None:
        frames = _FRAMES[count] = [
            wire.sse_frame(wire.groq_chunk({"content": token_text(n)})) for n in range(count)
        ]
    return frames


def _http_chunk(data: bytes) -> bytes:
    return b"%x\r\n%b\r\n" % (len(data), data)


def stream_head() -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
        b"transfer-encoding: chunked\r\nconnection: keep-alive\r\n\r\n"
    )


@functools.cache
def stream_tail(count: int) -> bytes:
    return wire.sse_frame(wire.groq_finish_chunk(count)) + wire.DONE


@functools.cache
def completion_body(count: int) -> bytes:
    text = "".join(token_text(n) for n in range(count))
    return wire.json_bytes(wire.ark_completion(text, completion_tokens=count))


def simple_response(status: str, body: bytes, content_type: bytes = b"application/json") -> bytes:
    return (
        b"HTTP/1.1 %b\r\ncontent-type: %b\r\ncontent-length: %d\r\nconnection: keep-alive\r\n\r\n%b"
        % (status.encode(), content_type, len(body), body)
    )


class UpstreamProtocol(asyncio.Protocol):
    """One client connection: parse requests one at a time, answer each on timers."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.busy = False
        self.timer: asyncio.TimerHandle | None = None
        self.frames: list[bytes] = []
        self.sent = 0
        self.started = 0.0
        self.cfg = RoleConfig()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        STATS["open"] += 1
        STATS["max_open"] = max(STATS["max_open"], STATS["open"])

    def connection_lost(self, exc: Exception | None) -> None:
        STATS["open"] -= 1
        if self.timer is not None:
            self.timer.cancel()
            STATS["aborted"] += 1
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.busy:
            self._next_request()

    def _next_request(self) -> None:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = self.buffer[:end].decode("latin-1").split("\r\n")
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if len(self.buffer) < end + 4 + length:
            return
        body = self.buffer[end + 4 : end + 4 + length]
        self.buffer = self.buffer[end + 4 + length :]
        method, path = head[0].split(" ")[:2]
        self.busy = True
        STATS["requests"] += 1
        self._dispatch(method, path, body)

    def _done(self) -> None:
        self.timer = None
        self.busy = False
        if self.buffer:
            self._next_request()

    def _dispatch(self, method: str, path: str, body: bytes) -> None:
        assert self.transport is not None
        if path == "/_config" and method == "POST":
            for role, values in orjson.loads(body or b"{}").items():
                for key, value in values.items():
                    setattr(CONFIG[role], key, type(getattr(CONFIG[role], key))(value))
            return self._reply("200 OK", orjson.dumps({r: asdict(c) for r, c in CONFIG.items()}))
        if path == "/_stats":
            return self._reply("200 OK", orjson.dumps(STATS))
        role = path.strip("/").split("/")[0]
        if method != "POST" or not path.endswith("/chat/completions") or role not in CONFIG:
            return self._reply("404 Not Found", b'{"error":{"message":"not found"}}')
        self.cfg = cfg = CONFIG[role]
        stream = orjson.loads(body).get("stream") is True
        self.started = self.loop.time()
        if stream:
            STATS["streams"] += 1
            self.frames, self.sent = content_frames(cfg.tokens), 0
            self.transport.write(stream_head())
            self.timer = self.loop.call_at(self.started + cfg.ttft, self._stream_step)
        else:
            STATS["completions"] += 1
            self.timer = self.loop.call_at(self.started + cfg.ttft, self._complete, cfg.tokens)

    def _reply(self, status: str, body: bytes) -> None:
        assert self.transport is not None
        self.transport.write(simple_response(status, body))
        self._done()

    def _complete(self, count: int) -> None:
        if self.transport is not None:
            self.transport.write(simple_response("200 OK", completion_body(count)))
        self._done()

    def _stream_step(self) -> None:
        if self.transport is None:
            return
        cfg, now = self.cfg, self.loop.time()
        out = [ROLE_FRAME] if not self.sent else []
        # Every token due by now (plus the tick window) goes in this one write.
        due = (
            len(self.frames)
            if cfg.tps <= 0
            else 1 + int((now - self.started - cfg.ttft + cfg.tick) * cfg.tps)
        )
        due = min(max(due, self.sent + 1), len(self.frames))
        out.extend(self.frames[self.sent : due])
        self.sent = due
        if self.sent >= len(self.frames):
            out.append(stream_tail(len(self.frames)))
            self.transport.write(_http_chunk(b"".join(out)) + b"0\r\n\r\n")
            self._done()
            return
        self.transport.write(_http_chunk(b"".join(out)))
        next_due = self.started + cfg.ttft + self.sent / cfg.tps
        self.timer = self.loop.call_at(max(next_due, now + cfg.tick * 0.5), self._stream_step)


async def serve(host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(UpstreamProtocol, host, port, backlog=4096)
    print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("fake_upstream: loopback only")
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    started = time.monotonic()
    try:
        asyncio.run(serve(args.host, args.port))
    except KeyboardInterrupt:
        pass
    finally:
        print(
            f"fake upstream stopped after {time.monotonic() - started:.1f}s: {STATS}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
