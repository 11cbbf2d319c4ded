"""A lean Server-Sent Events decoder over raw bytes (the upstream read path of every token).

Same results as httpx-sse's `aiter_sse()` (WHATWG rules: LF, CRLF or CR line ends, `:` comments,
one space after the colon stripped, several `data:` lines joined with LF, `event`/`id`/`retry`,
a lone field name with an empty value, an unterminated last event dropped), without decoding the
stream to text first or walking it character by character: it splits the bytes the socket gave
on LF and decodes one complete line at a time, so a multi-byte character split across reads is
never cut. Profiled, this path was the largest single cost per relayed token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import NamedTuple


class SSEMessage(NamedTuple):
    """One dispatched event (a named tuple: made once per upstream token, and a frozen
    dataclass's `__init__` cost three times as much)."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Feed it the stream's bytes as they come; it returns the events each read completed."""

    def __init__(self) -> None:
        self._tail = b""
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None
        self._started = False

    def feed(self, chunk: bytes) -> list[SSEMessage]:
        buffer = self._tail + chunk if self._tail else chunk
        if not self._started and buffer:
            if len(buffer) < 3 and b"\xef\xbb\xbf".startswith(buffer):
                self._tail = buffer
                return []
            self._started = True
            buffer = buffer.removeprefix(b"\xef\xbb\xbf")  # one leading BOM
        if b"\r" in buffer:
            # A CR at the very end may be the first half of a CRLF: keep it for the next read.
            held = buffer.endswith(b"\r")
            body = buffer[:-1] if held else buffer
            buffer = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n") + (b"\r" if held else b"")
        lines = buffer.split(b"\n")
        self._tail = lines.pop()
        out: list[SSEMessage] = []
        for raw in lines:
            if not raw:
                if self._data or self._event:
                    out.append(self._dispatch())
                continue
            self._field(raw)
        return out

    def finish(self) -> list[SSEMessage]:
        """At the end of the stream: a held CR was a line end after all (CR-only streams)."""
        return self.feed(b"\n") if self._tail.endswith(b"\r") else []

    def _field(self, raw: bytes) -> None:
        if raw[:5] == b"data:":  # the hot case first
            value = raw[6:] if raw[5:6] == b" " else raw[5:]
            self._data.append(value.decode("utf-8", "replace"))
            return
        if raw[:1] == b":":
            return  # comment
        name, colon, value = raw.partition(b":")
        if colon and value[:1] == b" ":
            value = value[1:]
        text = value.decode("utf-8", "replace")
        if name == b"data":
            self._data.append(text)
        elif name == b"event":
            self._event = text
        elif name == b"id" and "\0" not in text:
            self._id = text
        elif name == b"retry" and text.isdigit():
            self._retry = int(text)

    def _dispatch(self) -> SSEMessage:
        data = self._data[0] if len(self._data) == 1 else "\n".join(self._data)
        message = SSEMessage(data, self._event or "message", self._id, self._retry)
        self._data, self._event, self._retry = [], "", None
        return message


async def aiter_sse(chunks: AsyncIterator[bytes]) -> AsyncIterator[list[SSEMessage]]:
    """The events of a byte stream, grouped by the read that completed them (never empty)."""
    decoder = SSEDecoder()
    async for chunk in chunks:
        if messages := decoder.feed(chunk):
            yield messages
    if messages := decoder.finish():
        yield messages
