"""WebSocket edges (Channels): the consensus stream, and the live feed of finished runs.

`/ws/consensus/` answers over the hub like the SSE endpoint: the same admission, limits, events,
resume and stop (docs/api.md "WebSockets"). Messages, one JSON object each:

- a question: `{"prompt": ..., "messages": [...], "system_prompt": ..., "temperature": ...,
  "max_tokens": ...}` (validated like the HTTP endpoint);
- `{"resume": "<run_id>:<n>"}`: the events after the `n`-th, then the live ones (`"<run_id>"`
  alone replays from the start);
- `{"stop": "<run_id>"}`: cancel a run (saved as aborted); answered `{"type": "stop", "run_id",
  "status": "stopping" | "finished"}`;
- any of them may carry `"token": "<API token>"` on the socket's first message (browsers cannot
  set an `Authorization` header on a WebSocket; other clients may send that header instead).

Events arrive one JSON text frame each: the SSE payload with its id as an extra first field `id`
(`<run_id>:<n>`). One run at a time per socket. Closing the socket detaches it from the run, which
goes on for `CONSENSUS_RESUME_GRACE` seconds (resumable from any socket or SSE client), then is
stopped and saved as aborted. Problems answer `{"type": "error", "code", "message", "timestamp"}`
without an `id`, and the socket stays open, except that authentication failures close it with
4401 (reason: the error code).

`/ws/runs/`: staff only (others: accepted, then closed with 4403); one
`{"type": "run.finished", "run": {...}}` frame per saved run.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth.models import AnonymousUser

from . import events as ev
from .access import admission as access
from .conf import get_config
from .inputs import InvalidInput, parse_question
from .models import ApiToken
from .streaming import feed, sse
from .streaming.hub import get_hub, start_run, stream_settings
from .streaming.run import Run

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403


def _dumps(data: dict[str, Any]) -> str:
    return orjson.dumps(data).decode()


def _problem(code: str, message: str, **extra: Any) -> str:
    return _dumps(
        {"type": "error", "code": code, "message": message, "timestamp": ev.now_iso(), **extra}
    )


def framer(run_id: str) -> Callable[[int, Sequence[bytes]], list[str]]:
    """Text frames for a run's JSON payloads numbered from `start`: each payload with `"id"`
    spliced in first (no JSON re-encoding); none for a heartbeat (WebSocket pings do that)."""
    prefix = '{"id":"' + run_id + ":"

    def frames(start: int, payloads: Sequence[bytes]) -> list[str]:
        # A payload is a non-empty JSON object, b'{"type":...}': `"id"` goes before its first key.
        if len(payloads) == 1:  # the token path: one event per wake-up
            return [prefix + str(start) + '",' + payloads[0][1:].decode()]
        return [
            prefix + str(n) + '",' + data[1:].decode() for n, data in enumerate(payloads, start)
        ]

    return frames


class ConsensusConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Questions, resumes and stops over a WebSocket, on the hub like the SSE endpoint."""

    channel_layer_alias = "consensus-stream-needs-no-layer"  # no per-socket layer channel

    async def connect(self) -> None:
        self.relay: asyncio.Task[None] | None = None
        self.identity: tuple[ApiToken | None, str] | None = None
        await self.accept()  # then close with a code a browser can read, never a bare 403
        secret = self._header_secret()
        user = self.scope.get("user")
        if secret is not None or (user is not None and user.is_authenticated):
            await self._identify(secret)

    async def disconnect(self, code: int) -> None:
        # Detach from the run; it goes on for the resume grace, then is stopped and saved.
        relay = getattr(self, "relay", None)
        if relay is not None and not relay.done():
            relay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            data = orjson.loads(text_data or bytes_data or b"")
        except orjson.JSONDecodeError as exc:
            await self.send(_problem("invalid_json", f"The message is not valid JSON: {exc}."))
            return
        if not isinstance(data, dict):
            await self.send(_problem("invalid_json", "The message must be a JSON object."))
            return
        if self.identity is None:
            token = data.pop("token", None)
            if not await self._identify(token if isinstance(token, str) else None):
                return
        else:
            data.pop("token", None)
        if "stop" in data:
            await self._stop(data["stop"])
        elif self.relay is not None and not self.relay.done():
            await self.send(_problem("busy", "A run is still being streamed on this socket."))
        elif "resume" in data:
            await self._resume(data["resume"])
        else:
            await self._ask(data)

    # --- who is asking ----------------------------------------------------------------------

    def _header_secret(self) -> str | None:
        for name, value in self.scope.get("headers", []):
            if name == b"authorization":
                scheme, _, secret = value.decode("latin1").strip().partition(" ")
                return secret.strip() if scheme.lower() == "bearer" else None
        return None

    async def _identify(self, secret: str | None) -> bool:
        """Authenticate the socket once (token, session, or address); close it with 4401 on a
        bad token or a required login."""
        user = self.scope.get("user")

        async def account() -> Any:
            return user if user is not None else AnonymousUser()

        address = (self.scope.get("client") or ("",))[0]
        try:
            self.identity = await access.identify_client(secret, account, address, get_config())
        except access.AccessDenied as denied:
            await self.close(code=CLOSE_UNAUTHORIZED, reason=denied.code)
            return False
        return True

    def _caller(self) -> access.Caller:
        if not get_config().require_auth or self.identity is None:
            return access.Caller(None)
        user = self.scope.get("user")
        staff = bool(user is not None and user.is_authenticated and user.is_staff)
        return access.Caller(self.identity[1], is_staff=staff)

    # --- the three requests -----------------------------------------------------------------

    async def _ask(self, data: dict[str, Any]) -> None:
        cfg = get_config()
        try:
            question = parse_question(data, cfg, from_query=False)
        except InvalidInput as exc:
            await self.send(_problem(exc.code, exc.message))
            return
        if missing := cfg.missing_keys():
            await self.send(_problem("not_configured", "No model is configured.", missing=missing))
            return
        assert self.identity is not None
        token, client_key = self.identity
        try:
            admission = await access.admit_client(token, client_key, cfg)
        except access.AccessDenied as denied:
            retry = denied.headers.get("Retry-After")
            extra = {"retry_after": int(retry)} if retry else {}
            await self.send(_problem(denied.code, denied.message, **extra))
            return
        record = question.record(client_id=admission.client_key, source="websocket")
        self._follow(start_run(record, cfg, on_finish=[admission.release]), -1)

    async def _resume(self, value: object) -> None:
        position = _position(value)
        if position is None:
            await self.send(
                _problem("invalid_event_id", "'resume' must be '<run_id>:<n>' with n >= 0.")
            )
            return
        run_id, after = position
        run = await self._locate(run_id)
        if run is None:
            return
        if run.terminal_seen(after):
            await self.send(_problem("run_finished", "That run's terminal event was sent."))
            return
        self._follow(run, after)

    async def _stop(self, value: object) -> None:
        position = _position(value)
        if position is None:
            await self.send(_problem("invalid_run_id", "'stop' must be a run id."))
            return
        run = await self._locate(position[0])
        if run is None:
            return
        stopping = await run.request_stop("stopped on request")
        status = "stopping" if stopping else "finished"
        await self.send(_dumps({"type": "stop", "run_id": run.run_id, "status": status}))

    async def _locate(self, run_id: str) -> Run | None:
        run = await get_hub().locate(run_id, stream_settings(get_config()))
        if run is None or not self._caller().may_see(run.client):
            await self.send(_problem("run_not_found", f"No run with id {run_id}."))
            return None
        return run

    def _follow(self, run: Run, after: int) -> None:
        self.relay = asyncio.create_task(self._relay(run, after), name=f"ws-{run.run_id}")

    async def _relay(self, run: Run, after: int) -> None:
        async with contextlib.aclosing(run.follow(after, framer(run.run_id))) as batches:
            async for texts in batches:
                for text in texts:
                    await self.send(text)


def _position(value: object) -> tuple[str, int] | None:
    """`"<run_id>:<n>"` -> (run id, n); `"<run_id>"` alone -> (run id, -1); None if malformed."""
    if not isinstance(value, str):
        return None
    if ":" in value:
        parsed = sse.parse_event_id(value)
        return None if parsed is None else (str(parsed[0]), parsed[1])
    try:
        return str(uuid.UUID(value.strip())), -1
    except ValueError:
        return None


class RunFeedConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Staff only: pushes every finished run to the admin dashboard."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not (user and user.is_active and user.is_staff):
            await self.accept()  # so that the browser sees the code
            await self.close(code=CLOSE_FORBIDDEN, reason="forbidden")
            return
        if self.channel_layer is None:
            await self.close()
            return
        await self.channel_layer.group_add(feed.RUNS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.channel_layer is not None:
            await self.channel_layer.group_discard(feed.RUNS_GROUP, self.channel_name)

    async def run_finished(self, message: dict[str, Any]) -> None:
        await self.send(_dumps({"type": "run.finished", "run": message["run"]}))
