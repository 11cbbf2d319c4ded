"""A client for OpenAI-compatible chat-completions APIs (Groq, BytePlus ModelArk, llama.cpp)."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import httpx
import orjson

from .base import ChatRequest, Completion, StreamOutcome, Usage
from .errors import (
    ProviderConnectionError,
    ProviderError,
    ProviderHTTPError,
    ProviderProtocolError,
    ProviderStreamError,
    ProviderTimeout,
)
from .http import get_client
from .sse_decoder import SSEMessage, aiter_sse

# What httpx-sse's `aconnect_sse` sent: ask for an event stream, and no cached copy of it.
_SSE_REQUEST_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-store"}


class OpenAICompatibleProvider:
    """One model behind one OpenAI-compatible endpoint.

    `extra_body` holds the vendor-specific request fields (Groq rejects fields it does not know,
    so they never cross from one vendor to another); `token_field` names the output cap field;
    `stream_usage` asks a stream for its token counts (`stream_options.include_usage`: one more
    chunk, with empty `choices`, before `[DONE]`).
    """

    def __init__(
        self,
        *,
        name: str,
        base_url: str,
        model: str,
        api_key: str = "",
        extra_body: Mapping[str, Any] | None = None,
        token_field: str = "max_tokens",
        stream_usage: bool = False,
        stream_timeout: httpx.Timeout | None = None,
        complete_timeout: httpx.Timeout | None = None,
        client: Callable[[], httpx.AsyncClient] = get_client,
    ) -> None:
        self.name = name
        self.model = model
        self.url = f"{base_url.rstrip('/')}/chat/completions"
        # Parsed once, not on every request (httpx parses a string URL twice per request:
        # ~11 us); a URL httpx cannot parse stays a string and fails on use, as before.
        try:
            self._target: httpx.URL | str = httpx.URL(self.url)
        except httpx.InvalidURL:
            self._target = self.url
        self._api_key = api_key
        self._extra_body = dict(extra_body or {})
        self._token_field = token_field
        self._stream_usage = stream_usage
        # `read` bounds the gap between two chunks of a stream: a stalled stream fails.
        self._stream_timeout = stream_timeout or httpx.Timeout(30.0, connect=5.0, read=30.0)
        self._complete_timeout = complete_timeout or httpx.Timeout(60.0, connect=5.0)
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.model} at {self.url}>"

    def payload(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        """The JSON body sent for `request`."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            self._token_field: request.max_tokens,
            "stream": stream,
        }
        if stream and self._stream_usage:
            body["stream_options"] = {"include_usage": True}
        body.update(self._extra_body)
        return body

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    async def stream(self, request: ChatRequest, outcome: StreamOutcome) -> AsyncIterator[str]:
        """Yield content deltas as they arrive; record usage and finish reason in `outcome`."""
        client = self._client()
        # Exactly its size (orjson hands back its 4 KB buffer): the request holds it while the
        # answer streams.
        body = memoryview(orjson.dumps(self.payload(request, stream=True))).tobytes()
        finished = False
        try:
            async with client.stream(
                "POST",
                self._target,
                content=body,
                headers={**self._headers(), **_SSE_REQUEST_HEADERS},
                timeout=self._stream_timeout,
                extensions={"trace": _on_wire(outcome)} if outcome.on_sent else None,
            ) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise self._http_error(response)
                content_type = response.headers.get("content-type", "")
                if "text/event-stream" not in content_type:
                    await response.aread()
                    if "json" in content_type:
                        # A server that ignores `stream: true` answers one whole completion.
                        for piece in self._whole_answer(response, content_type, outcome):
                            yield piece
                        return
                    raise ProviderProtocolError(
                        f"expected an event stream, got {content_type or 'no content type'}",
                        provider=self.name,
                    )
                # Events are decoded per socket read (sse_decoder.py); the deltas of one read are
                # yielded back to back, so the relay sends them out together.
                chunks = response.aiter_bytes()
                events = aiter_sse(chunks)
                try:
                    async for messages in events:
                        for sse in messages:
                            if sse.data == "[DONE]":
                                finished = True
                                break
                            for piece in self._parse_chunk(sse, outcome):
                                yield piece
                        if finished:
                            break
                finally:
                    await events.aclose()  # type: ignore[attr-defined]
                if finished:
                    await _drain(chunks)
        except httpx.TransportError as exc:
            raise self._transport_error(exc) from exc
        if not finished and outcome.finish_reason is None:
            raise ProviderProtocolError(
                "the stream ended without a finish reason (answer may be cut off)",
                provider=self.name,
            )

    def _whole_answer(
        self, response: httpx.Response, content_type: str, outcome: StreamOutcome
    ) -> list[str]:
        """A JSON completion sent in answer to a stream request, as a stream of one piece."""
        try:
            completion = self._parse_completion(response)
        except ProviderProtocolError as exc:
            raise ProviderProtocolError(
                f"expected an event stream, got {content_type} that is no completion",
                provider=self.name,
            ) from exc
        outcome.usage, outcome.finish_reason = completion.usage, completion.finish_reason
        return [completion.text] if completion.text else []

    def _parse_chunk(self, sse: SSEMessage, outcome: StreamOutcome) -> list[str]:
        if sse.event == "error":
            raise ProviderStreamError(_error_text(sse.data), provider=self.name)
        if not sse.data:
            return []
        try:
            chunk = orjson.loads(sse.data)
        except orjson.JSONDecodeError as exc:
            raise ProviderProtocolError(
                f"malformed stream chunk: {sse.data[:80]!r}", provider=self.name
            ) from exc
        if not isinstance(chunk, dict):
            raise ProviderProtocolError("stream chunk is not a JSON object", provider=self.name)
        if chunk.get("error"):
            raise ProviderStreamError(_error_text(chunk["error"]), provider=self.name)
        vendor = chunk.get("x_groq")
        if isinstance(vendor, dict):
            if vendor.get("error"):
                raise ProviderStreamError(_error_text(vendor["error"]), provider=self.name)
            if vendor.get("usage"):
                outcome.usage = parse_usage(vendor["usage"])
        if chunk.get("usage"):
            outcome.usage = parse_usage(chunk["usage"])
        pieces: list[str] = []
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or {}
            text = delta.get("content")
            if text:
                pieces.append(text)
            if choice.get("finish_reason"):
                outcome.finish_reason = choice["finish_reason"]
        return pieces

    async def complete(self, request: ChatRequest) -> Completion:
        """One non-streamed call: the whole answer, its usage and finish reason."""
        client = self._client()
        try:
            response = await client.post(
                self._target,
                content=orjson.dumps(self.payload(request, stream=False)),
                headers=self._headers(),
                timeout=self._complete_timeout,
            )
        except httpx.TransportError as exc:
            raise self._transport_error(exc) from exc
        if response.status_code >= 400:
            raise self._http_error(response)
        return self._parse_completion(response)

    def _parse_completion(self, response: httpx.Response) -> Completion:
        try:
            data = orjson.loads(response.content)
            if data.get("error"):
                raise ProviderStreamError(_error_text(data["error"]), provider=self.name)
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ProviderProtocolError(
                f"malformed completion: {response.text[:80]!r}", provider=self.name
            ) from exc
        return Completion(
            text=text,
            model=str(data.get("model") or self.model),
            usage=parse_usage(data["usage"]) if data.get("usage") else None,
            finish_reason=choice.get("finish_reason"),
        )

    def _transport_error(self, exc: httpx.TransportError) -> ProviderError:
        """A timeout or a failed/cut connection, typed."""
        if isinstance(exc, httpx.TimeoutException):
            phase = _TIMEOUT_PHASES.get(type(exc), ("", "waiting"))[0]
            return ProviderTimeout(_timeout_message(exc), provider=self.name, phase=phase)
        return ProviderConnectionError(
            f"connection failed: {type(exc).__name__} {exc}".strip(), provider=self.name
        )

    def _http_error(self, response: httpx.Response) -> ProviderError:
        message, code = _error_body(response)
        return ProviderHTTPError(
            message,
            provider=self.name,
            status=response.status_code,
            code=code,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )


# How long to wait for the end of the HTTP body after `data: [DONE]` (normally it came with it).
DRAIN_LIMIT = 0.1


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    """Read the rest of a finished stream's body (the closing chunk after `[DONE]`).

    httpcore returns a connection to the pool only when the response was read to its end; one
    closed at `[DONE]` is dropped, and the next request pays a new TCP (and TLS) handshake.
    """
    with contextlib.suppress(httpx.HTTPError, TimeoutError):
        async with asyncio.timeout(DRAIN_LIMIT):
            async for _ in chunks:
                pass


# httpcore trace events after which the request is on the wire, or waits on the network: a new
# connection being opened (the validator's request need not wait for a handshake), the body sent.
_ON_WIRE = frozenset(
    {
        "connection.connect_tcp.started",
        "http11.send_request_body.complete",
        "http2.send_request_body.complete",
    }
)


def _on_wire(outcome: StreamOutcome) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    """An httpcore `trace` extension that tells `outcome` when the request is on its way."""

    async def trace(event: str, info: dict[str, Any]) -> None:
        if event in _ON_WIRE or event.endswith(".failed"):
            outcome.sent()

    return trace


def parse_usage(raw: Any) -> Usage | None:
    """Token counts from an OpenAI-style `usage` object (extra vendor fields ignored)."""
    if not isinstance(raw, dict):
        return None

    def count(key: str) -> int | None:
        value = raw.get(key)
        return int(value) if isinstance(value, int | float) else None

    return Usage(count("prompt_tokens"), count("completion_tokens"), count("total_tokens"))


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_body(response: httpx.Response) -> tuple[str, str]:
    """(message, code) from `{"error": {...}}` bodies of Groq, ModelArk and OpenAI."""
    try:
        data = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        text = response.text.strip()[:200]
        return (text or response.reason_phrase or "error"), ""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        code = str(error.get("code") or error.get("type") or "")
        return str(error.get("message") or code or "error"), code
    if isinstance(error, str):
        return error, ""
    return (response.reason_phrase or "error"), ""


def _error_text(raw: Any) -> str:
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return raw[:300] or "error in stream"
    if isinstance(raw, dict):
        inner = raw.get("error", raw)
        if isinstance(inner, dict):
            return str(inner.get("message") or inner.get("code") or "error in stream")
        return str(inner)
    return str(raw)


_TIMEOUT_PHASES: dict[type[Exception], tuple[str, str]] = {
    httpx.ConnectTimeout: ("connect", "connecting"),
    httpx.ReadTimeout: ("read", "waiting for data"),
    httpx.WriteTimeout: ("write", "sending the request"),
    httpx.PoolTimeout: ("pool", "waiting for a free connection"),
}


def _timeout_message(exc: httpx.TimeoutException) -> str:
    return f"timed out {_TIMEOUT_PHASES.get(type(exc), ('', 'waiting'))[1]}"
