"""The lean SSE decoder: WHATWG parsing rules, whatever way the bytes are split into reads."""

from __future__ import annotations

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
