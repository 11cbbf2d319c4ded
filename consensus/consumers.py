"""WebSocket edges (Channels): the consensus stream, and the live feed of finished runs.

`/ws/consensus/`: send `{"prompt": ..., "messages": [...], "system_prompt": ..., "temperature": ...,
"max_tokens": ...}` (validated like the HTTP endpoint); receive the same events as the SSE stream,
one JSON text frame each, with the SSE frame id as an extra `id` field (`<run_id>:<n>`). One
question at a time per socket; ask again after the terminal event. Closing the socket cancels both
upstream calls and the run is saved as aborted. Errors before a run starts arrive as
`{"type": "error", "code", "message", "timestamp"}` and the socket stays open.

`/ws/runs/`: staff only; one `{"type": "run.finished", "run": {...}}` frame per saved run.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import orjson
from channels.generic.websocket import AsyncWebsocketConsumer

from . import events as ev
from .access import ratelimit
from .conf import ConsensusConfig, get_config
from .engine import ConsensusEngine
from .inputs import InvalidInput, Question, parse_question
from .record import RunRecord
from .streaming import feed, sse
from .streaming.hub import internal_error, save_shielded

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403


def _dumps(data: dict[str, Any]) -> str:
    return orjson.dumps(data).decode()


def _problem(code: str, message: str) -> str:
    return _dumps({"type": "error", "code": code, "message": message, "timestamp": ev.now_iso()})


class ConsensusConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Answers questions over a WebSocket with the same engine and events as the SSE endpoint."""

    channel_layer_alias = "consensus-stream-needs-no-layer"  # no per-socket layer channel

    async def connect(self) -> None:
        self.run_task: asyncio.Task[None] | None = None
        user = self.scope.get("user")
        if get_config().require_auth and not (user and user.is_authenticated):
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        await self.accept()

    async def disconnect(self, code: int) -> None:
        task = getattr(self, "run_task", None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.run_task is not None and not self.run_task.done():
            await self.send(_problem("busy", "A question is still being answered on this socket."))
            return
        cfg = get_config()
        try:
            question = self._question(text_data or bytes_data or b"", cfg)
        except InvalidInput as exc:
            await self.send(_problem(exc.code, exc.message))
            return
        if cfg.missing_keys():
            await self.send(_problem("not_configured", "No model is configured (see README)."))
            return
        try:
            lease = await ratelimit.acquire(self._client_key(), cfg)
        except ratelimit.RateLimited as exc:
            await self.send(_problem(exc.code, exc.message))
            return
        self.run_task = asyncio.create_task(self._answer(question, cfg, lease))

    @staticmethod
    def _question(raw: str | bytes, cfg: ConsensusConfig) -> Question:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InvalidInput("invalid_json", f"The message is not valid JSON: {exc}.") from exc
        if not isinstance(data, dict):
            raise InvalidInput("invalid_json", "The message must be a JSON object.")
        return parse_question(data, cfg, from_query=False)

    def _client_key(self) -> str:
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        client = self.scope.get("client") or ("unknown", 0)
        return f"ip:{client[0]}"

    async def _answer(self, question: Question, cfg: ConsensusConfig, lease: Any) -> None:
        record = question.record(client_id=self._client_key())
        run_id, index, saved = str(record.id), 0, False
        try:
            engine_events = ConsensusEngine.from_config(cfg).run(record)
            async with contextlib.aclosing(engine_events) as events:  # type: ignore[type-var]
                async for event in events:
                    if event.terminal:  # stored before the client hears the end: readable at once
                        saved = await _save(record)
                    await self.send(_dumps({"id": sse.event_id(run_id, index), **event.payload()}))
                    index += 1
        except Exception as exc:  # a bug: the client still gets one terminal event
            error = internal_error(record, exc)
            saved = await _save(record)
            await self.send(_dumps({"id": sse.event_id(run_id, index), **error.payload()}))
        finally:
            record.abort("the WebSocket was closed")
            if not saved:
                await _save(record)
            await lease.release()
            await feed.publish_run_finished(record)


async def _save(record: RunRecord) -> bool:
    await save_shielded(record)
    return True


class RunFeedConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Staff only: pushes every finished run to the admin dashboard."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if not (user and user.is_active and user.is_staff):
            await self.close(code=CLOSE_FORBIDDEN)
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
