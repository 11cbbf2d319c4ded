"""The lean SSE decoder: WHATWG parsing rules, whatever way the bytes are split into reads."""

from __future__ import annotations

import httpx
import pytest

from consensus.providers.sse_decoder import SSEDecoder, SSEMessage, aiter_sse

M = SSEMessage

CASES = [
    pytest.param(b"data: hello\n\n", [M("hello")], id="lf"),
    pytest.param(b"data: hello\r\n\r\n", [M("hello")], id="crlf"),
    pytest.param(b"data: hello\r\rdata: again\r\r", [M("hello"), M("again")], id="cr"),
    pytest.param(b"data: a\ndata: b\n\n", [M("a\nb")], id="multi-line data joined with LF"),
    pytest.param(b": keep-alive\n\ndata: x\n\n", [M("x")], id="comment ignored"),
    pytest.param(b"event: error\ndata: {}\n\n", [M("{}", event="error")], id="event type"),
    pytest.param(
        b"id: 7\nretry: 1500\ndata: x\n\ndata: y\n\n",
        [M("x", id="7", retry=1500), M("y", id="7")],
        id="id persists, retry does not",
    ),
    pytest.param(b"retry: soon\ndata: x\n\n", [M("x")], id="retry must be digits"),
    pytest.param(b"data:x\n\n", [M("x")], id="no space after colon"),
    pytest.param(b"data:  x\n\n", [M(" x")], id="only one space stripped"),
    pytest.param(b"data\n\n", [M("")], id="field name alone is an empty value"),
    pytest.param(b"data: done\n\ndata: cut off", [M("done")], id="unterminated last event dropped"),
    pytest.param(
        'data: {"content":"Pasal 362 — penjara"}\n\n'.encode(),
        [M('{"content":"Pasal 362 — penjara"}')],
        id="utf-8 split anywhere",
    ),
    pytest.param(b"\xef\xbb\xbfdata: bom\n\n", [M("bom")], id="leading BOM stripped"),
    pytest.param(b"\n\n\ndata: x\n\n", [M("x")], id="blank lines dispatch nothing"),
    pytest.param(b"event: ping\n\n", [M("", event="ping")], id="event without data"),
    pytest.param(b"data: [DONE]\n\n", [M("[DONE]")], id="done sentinel is plain data"),
    pytest.param(b"foo: bar\ndata: x\n\n", [M("x")], id="unknown field ignored"),
    pytest.param(b"data: a\r\n: c\r\ndata: b\r\n\r\n", [M("a\nb")], id="comment between data"),
    pytest.param(
        b"data: a\n\nevent: e\ndata: b\nid: 3\nretry: 10\n\n",
        [M("a"), M("b", event="e", id="3", retry=10)],
        id="all fields after a plain event",
    ),
]


def decode(chunks: list[bytes]) -> list[SSEMessage]:
    decoder = SSEDecoder()
    return [message for chunk in chunks for message in decoder.feed(chunk)] + decoder.finish()


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_one_read(raw: bytes, expected: list[SSEMessage]) -> None:
    assert decode([raw]) == expected


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_one_byte_per_read(raw: bytes, expected: list[SSEMessage]) -> None:
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == expected


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_every_split_into_two_reads(raw: bytes, expected: list[SSEMessage]) -> None:
    for cut in range(len(raw) + 1):
        assert decode([raw[:cut], raw[cut:]]) == expected, cut


async def test_events_are_grouped_by_the_read_that_completed_them() -> None:
    async def reads():  # type: ignore[no-untyped-def]
        yield b"data: 1\n\ndata: 2\n\ndata: 3"
        yield b"\n\n"
        yield b": only a comment\n\n"
        yield b"data: 4\n\n"

    groups = [[m.data for m in group] async for group in aiter_sse(reads())]

    assert groups == [["1", "2"], ["3"], ["4"]]


# --- the same events as httpx-sse (the library the lean decoder replaces on the hot path) ------


async def httpx_sse_events(chunks: list[bytes]) -> list[SSEMessage]:
    """What httpx-sse's `aiter_sse()` makes of the same reads (through httpx's own decoding)."""
    from httpx_sse import EventSource

    async def body():  # type: ignore[no-untyped-def]
        for chunk in chunks:
            yield chunk

    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    return [
        M(sse.data, sse.event, sse.id or None, sse.retry)
        async for sse in EventSource(response).aiter_sse()
    ]


# httpx-sse keeps a leading BOM (it decodes with "utf-8", not "utf-8-sig"), so its first line
# reads "\ufeffdata" and is ignored; the WHATWG rules, and this decoder, strip one BOM.
DIFFERENT = {"leading BOM stripped"}
# Its `id` is the last one seen, "" when never set; ours is None then (the same information).


@pytest.mark.parametrize(("raw", "expected"), [case for case in CASES if case.id not in DIFFERENT])
async def test_same_events_as_httpx_sse_whatever_the_reads(raw: bytes, expected) -> None:
    splits = [[raw], [raw[i : i + 1] for i in range(len(raw))]]
    splits += [[raw[:cut], raw[cut:]] for cut in range(len(raw) + 1)]
    for chunks in splits:
        assert decode(chunks) == await httpx_sse_events(chunks) == expected, chunks


async def test_httpx_sse_keeps_a_leading_bom_that_the_lean_decoder_strips() -> None:
    raw = b"\xef\xbb\xbfdata: bom\n\ndata: next\n\n"
    assert [m.data for m in await httpx_sse_events([raw])] == ["next"]
    assert [m.data for m in decode([raw])] == ["bom", "next"]
