"""The OpenAI-compatible client against byte-faithful Groq and ModelArk responses."""

from __future__ import annotations

import json

import httpx
import pytest

from consensus.conf import ProviderSettings
from consensus.providers import (
    OpenAICompatibleProvider,
    ProviderConnectionError,
    ProviderHTTPError,
    ProviderProtocolError,
    ProviderStreamError,
    ProviderTimeout,
    StreamOutcome,
)
from consensus.providers.base import ChatRequest, Message
from consensus.providers.openai_compatible import parse_retry_after
from consensus.upstreams import build_provider

from .upstreams import (
    ARK_URL,
    GROQ_URL,
    SSE,
    ark_completion,
    ark_error,
    ark_frames,
    groq_chunk,
    groq_error,
    groq_frames,
    stream_response,
)

REQUEST = ChatRequest((Message("system", "Jawab singkat."), Message("user", "Halo")), 0.3, 64)


def groq(model: str = "openai/gpt-oss-20b"):  # type: ignore[no-untyped-def]
    return build_provider(
        ProviderSettings("groq", "gsk_key", GROQ_URL.rsplit("/chat", 1)[0], model),
        stall_timeout=2.0,
    )


def ark():  # type: ignore[no-untyped-def]
    return build_provider(
        ProviderSettings("byteplus", "ark_key", ARK_URL.rsplit("/chat", 1)[0], "seed-1-6-250915")
    )


async def pieces_of(provider, outcome: StreamOutcome) -> list[str]:  # type: ignore[no-untyped-def]
    return [piece async for piece in provider.stream(REQUEST, outcome)]


def test_vendor_fields_stay_with_their_vendor() -> None:
    groq_body = groq().payload(REQUEST, stream=True)
    assert groq_body["reasoning_effort"] == "low"
    assert groq_body["include_reasoning"] is False
    assert groq_body["max_completion_tokens"] == 64
    assert "max_tokens" not in groq_body
    assert "thinking" not in groq_body
    assert "reasoning_effort" not in groq("llama-3.3-70b-versatile").payload(REQUEST, stream=True)
    ark_body = ark().payload(REQUEST, stream=False)
    assert ark_body["thinking"] == {"type": "disabled"}
    assert ark_body["max_tokens"] == 64
    assert "max_completion_tokens" not in ark_body
    assert "reasoning_effort" not in ark_body
    assert "include_reasoning" not in ark_body
    assert ark_body["messages"] == [
        {"role": "system", "content": "Jawab singkat."},
        {"role": "user", "content": "Halo"},
    ]


async def test_groq_stream_yields_content_and_reads_usage_from_x_groq(upstream) -> None:
    route = upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ha", "lo"])))
    outcome = StreamOutcome()

    assert await pieces_of(groq(), outcome) == ["Ha", "lo"]
    assert outcome.finish_reason == "stop"
    assert outcome.usage is not None
    assert outcome.usage.total_tokens == 40
    request = route.calls[0].request
    assert request.headers["authorization"] == "Bearer gsk_key"
    assert request.headers["accept"] == "text/event-stream"
    assert json.loads(request.content)["stream"] is True


async def test_ark_stream_yields_content_and_reads_usage_from_its_last_chunk(upstream) -> None:
    upstream.post(ARK_URL).mock(side_effect=stream_response(ark_frames(["Ha", "lo"])))
    outcome = StreamOutcome()

    assert await pieces_of(ark(), outcome) == ["Ha", "lo"]
    assert outcome.finish_reason == "stop"
    assert outcome.usage is not None
    assert outcome.usage.as_dict() == {
        "prompt_tokens": 40,
        "completion_tokens": 2,
        "total_tokens": 42,
    }


async def test_a_whole_json_answer_to_a_stream_request_is_one_piece(upstream) -> None:
    """A server (or proxy) that ignores `stream: true` answers one completion: taken as is."""
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Halo")))
    outcome = StreamOutcome()

    assert await pieces_of(ark(), outcome) == ["Halo"]
    assert outcome.finish_reason == "stop"
    assert outcome.usage is not None
    assert outcome.usage.completion_tokens == 60


async def test_usage_only_final_chunk_with_empty_choices_is_tolerated(upstream) -> None:
    frames = [
        groq_chunk({"role": "assistant", "content": ""}),
        groq_chunk({"content": "Ya"}, "stop"),
        b'data: {"id":"c","object":"chat.completion.chunk","choices":[],'
        b'"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}\n\n',
        b"data: [DONE]\n\n",
    ]
    upstream.post(GROQ_URL).mock(side_effect=stream_response(frames))
    outcome = StreamOutcome()
    assert await pieces_of(groq(), outcome) == ["Ya"]
    assert outcome.usage is not None
    assert outcome.usage.total_tokens == 6


def openai_server(request: httpx.Request) -> httpx.Response:
    """A standard OpenAI-compatible server (llama.cpp, vLLM, OpenAI): no `x_groq`, and usage
    only in the extra chunk `stream_options.include_usage` asks for."""
    body = json.loads(request.content)
    frames = [
        b'data: {"object":"chat.completion.chunk","choices":[{"index":0,'
        b'"delta":{"content":"Ya"},"finish_reason":"stop"}]}\n\n'
    ]
    if (body.get("stream_options") or {}).get("include_usage"):
        frames.append(
            b'data: {"object":"chat.completion.chunk","choices":[],'
            b'"usage":{"prompt_tokens":7,"completion_tokens":1,"total_tokens":8}}\n\n'
        )
    frames.append(b"data: [DONE]\n\n")
    return stream_response(frames)(request)


@pytest.mark.parametrize("vendor", ["groq", "local", "openai"])
async def test_a_stream_asks_for_usage_so_any_standard_server_reports_it(upstream, vendor) -> None:
    url = "http://127.0.0.1:8080/v1"
    upstream.post(f"{url}/chat/completions").mock(side_effect=openai_server)
    provider = build_provider(ProviderSettings(vendor, "", url, "qwen2.5-1.5b-instruct"))
    outcome = StreamOutcome()

    assert await pieces_of(provider, outcome) == ["Ya"]

    assert outcome.usage is not None
    assert outcome.usage.total_tokens == 8
    assert "stream_options" not in provider.payload(REQUEST, stream=False)


@pytest.mark.parametrize(
    "bad_frame",
    [
        b'data: {"error":{"message":"Groq is over capacity","type":"internal_server_error"}}\n\n',
        b'event: error\ndata: {"error":{"message":"Groq is over capacity"}}\n\n',
        b'data: {"choices":[],"x_groq":{"error":"Groq is over capacity"}}\n\n',
    ],
)
async def test_errors_inside_a_200_stream_are_typed(upstream, bad_frame: bytes) -> None:
    frames = [groq_chunk({"content": "Ha"}), bad_frame]
    upstream.post(GROQ_URL).mock(side_effect=stream_response(frames))
    with pytest.raises(ProviderStreamError, match="over capacity"):
        await pieces_of(groq(), StreamOutcome())


async def test_http_errors_carry_status_code_and_retry_after(upstream) -> None:
    upstream.post(GROQ_URL).mock(
        return_value=groq_error(
            429,
            "rate_limit_exceeded",
            "tokens",
            "Rate limit reached. Please try again in 4.77s.",
            **{"retry-after": "5"},
        )
    )
    with pytest.raises(ProviderHTTPError) as caught:
        await pieces_of(groq(), StreamOutcome())
    error = caught.value
    assert (error.status, error.code, error.retry_after, error.retryable) == (
        429,
        "rate_limit_exceeded",
        5.0,
        True,
    )
    assert error.user_message.startswith("Groq answered HTTP 429: Rate limit reached")


async def test_modelark_error_body_and_non_retryable_400(upstream) -> None:
    upstream.post(ARK_URL).mock(
        return_value=ark_error(
            400, "InvalidParameter", "BadRequest", "One or more parameters are not valid."
        )
    )
    with pytest.raises(ProviderHTTPError) as caught:
        await ark().complete(REQUEST)
    assert caught.value.code == "InvalidParameter"
    assert caught.value.retryable is False
    assert "Request id" in caught.value.message


async def test_modelark_completion_is_parsed(upstream) -> None:
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Halo!")))
    completion = await ark().complete(REQUEST)
    assert completion.text == "Halo!"
    assert completion.usage is not None
    assert completion.usage.total_tokens == 100
    assert completion.finish_reason == "stop"


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(200, text="<html>gateway</html>"), ProviderProtocolError),
        (httpx.Response(200, json={"choices": []}), ProviderProtocolError),
        (httpx.Response(502, text="Bad Gateway"), ProviderHTTPError),
    ],
)
async def test_malformed_completions_are_protocol_errors(upstream, response, error) -> None:
    upstream.post(ARK_URL).mock(return_value=response)
    with pytest.raises(error):
        await ark().complete(REQUEST)


async def test_non_event_stream_200_is_a_protocol_error(upstream) -> None:
    upstream.post(GROQ_URL).mock(return_value=httpx.Response(200, json={"ok": True}))
    with pytest.raises(ProviderProtocolError, match="expected an event stream"):
        await pieces_of(groq(), StreamOutcome())


@pytest.mark.parametrize(
    ("side_effect", "error"),
    [
        (httpx.ConnectError("refused"), ProviderConnectionError),
        (httpx.ReadTimeout("slow"), ProviderTimeout),
        (httpx.ConnectTimeout("slow"), ProviderTimeout),
    ],
)
async def test_transport_failures_are_typed(upstream, side_effect, error) -> None:
    upstream.post(GROQ_URL).mock(side_effect=side_effect)
    with pytest.raises(error):
        await pieces_of(groq(), StreamOutcome())


async def test_closing_the_stream_early_closes_the_upstream_response(upstream) -> None:
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["a"] * 50), delay=0.01))
    seen: list[httpx.Response] = []

    async def remember(response: httpx.Response) -> None:
        seen.append(response)

    async with httpx.AsyncClient(event_hooks={"response": [remember]}) as client:
        provider = OpenAICompatibleProvider(
            name="Groq", base_url=GROQ_URL.rsplit("/chat", 1)[0], model="m", client=lambda: client
        )
        stream = provider.stream(REQUEST, StreamOutcome())
        assert await anext(stream) == "a"
        assert not seen[0].is_closed
        await stream.aclose()
        assert seen[0].is_closed


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2", 2.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_after_parsing(value, expected) -> None:
    assert parse_retry_after(value) == expected


def test_sse_header_is_set_on_stream_requests() -> None:
    assert SSE["content-type"] == "text/event-stream"


async def test_a_finished_stream_gives_its_connection_back_to_the_pool() -> None:
    """httpcore keeps a connection only when the response was read to its end: closed at
    `[DONE]`, every question would pay a new TCP and TLS handshake to Groq."""
    from tests.fakes.upstream_server import FakeUpstream

    with FakeUpstream() as fake:
        async with httpx.AsyncClient() as client:
            provider = OpenAICompatibleProvider(
                name="Groq",
                base_url=f"{fake.base_url}/fast/v1",
                model="openai/gpt-oss-20b",
                client=lambda: client,
            )
            first = await pieces_of(provider, StreamOutcome())
            second = await pieces_of(provider, StreamOutcome())

    assert first
    assert first == second
    ports = [request.client_port for request in fake.requests]
    assert len(ports) == 2
    assert ports[0] == ports[1]


async def test_the_provider_says_when_the_stream_request_is_on_the_wire() -> None:
    from tests.fakes.upstream_server import FakeUpstream

    calls: list[str] = []
    with FakeUpstream() as fake:
        async with httpx.AsyncClient() as client:
            provider = OpenAICompatibleProvider(
                name="Groq",
                base_url=f"{fake.base_url}/fast/v1",
                model="openai/gpt-oss-20b",
                client=lambda: client,
            )
            outcome = StreamOutcome(on_sent=lambda: calls.append("sent"))
            stream = provider.stream(REQUEST, outcome)
            first = await anext(stream)
            calls.append(f"first piece {first!r}")
            await stream.aclose()  # type: ignore[attr-defined]

    # A new connection: once when it starts connecting, once when the body is sent.
    assert calls[:2] == ["sent", "sent"]
    assert calls[-1].startswith("first piece")
