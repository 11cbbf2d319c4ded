"""The OpenAI-compatible API, driven by the official `openai` package against the ASGI app.

The SDK's HTTP client gets a transport that runs `consensus_project.asgi.application` in-process
and streams its body as it is sent (httpx's own `ASGITransport` buffers the whole body and never
sends a disconnect); closing a response sends `http.disconnect`, as a server does when a client
goes away. Upstreams are faked with respx at their hosts (tests/upstreams.py); respx patches the
upstream client's transport only, never this one.
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import openai
import pytest
from asgiref.sync import sync_to_async

from consensus.access.tokens import token_create
from consensus.models import ConsensusRun
from consensus.runtime import shutdown
from consensus.streaming.hub import get_hub
from consensus_project.asgi import application

from .upstreams import (
    ARK_MODEL,
    ARK_URL,
    GROQ_MODEL,
    GROQ_URL,
    ark_completion,
    ark_error,
    groq_error,
    groq_frames,
    slow_ark,
    stream_response,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

# The HTTP package the installed SDK is built on (httpx, or httpx2 in its newer releases).
hx: Any = importlib.import_module(
    openai.DefaultAsyncHttpxClient.__mro__[1].__module__.split(".")[0]
)

AGREEING = ["Ya, ", "boleh ", "menurut undang-undang."]
QUESTION = [{"role": "user", "content": "Apakah saya boleh melakukannya?"}]
FAST_WRONG = "Pencurian diatur dalam Pasal 363 KUHP dengan pidana penjara paling lama lima tahun."
VALIDATOR_RIGHT = (
    "Pencurian diatur dalam Pasal 362 KUHP dengan pidana penjara paling lama lima tahun."
)


class _Body(hx.AsyncByteStream):  # type: ignore[misc]
    """The app's body messages as they are sent; closing it is the client going away."""

    def __init__(self, queue: asyncio.Queue[bytes | None], gone: asyncio.Event, app: Any) -> None:
        self.queue, self.gone, self.app = queue, gone, app

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (chunk := await self.queue.get()) is not None:
            yield chunk

    async def aclose(self) -> None:
        self.gone.set()
        async with asyncio.timeout(10):
            await self.app


class StreamingASGI(hx.AsyncBaseTransport):  # type: ignore[misc]
    """An in-process ASGI transport that streams the response and reports a disconnect."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def handle_async_request(self, request: Any) -> Any:
        body = b"".join([part async for part in request.stream])
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        gone = asyncio.Event()
        started: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        asked = False

        async def receive() -> dict[str, Any]:
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": body, "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.set_result(message)
            elif message["type"] == "http.response.body":
                await queue.put(message.get("body", b""))
                if not message.get("more_body"):
                    await queue.put(None)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": "http",
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "root_path": "",
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        app = asyncio.ensure_future(self.app(scope, receive, send))
        try:
            async with asyncio.timeout(15):
                await asyncio.wait([app, started], return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # the client gave up before the response began
            gone.set()
            async with asyncio.timeout(10):
                await asyncio.wait([app])
            raise
        if not started.done():
            app.result()  # raises what the app raised
            raise AssertionError("the app ended without a response")
        start = started.result()
        return hx.Response(
            start["status"], headers=start.get("headers", []), stream=_Body(queue, gone, app)
        )


@pytest.fixture
async def http() -> AsyncIterator[Any]:
    async with hx.AsyncClient(
        transport=StreamingASGI(application), base_url="http://testserver"
    ) as client:
        yield client


def sdk(http: Any, api_key: str = "EMPTY") -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url="http://testserver/v1", api_key=api_key, http_client=http, max_retries=0
    )


@pytest.fixture
def client(http: Any) -> openai.AsyncOpenAI:
    return sdk(http)


def agreeing(upstream: Any, pieces: list[str] = AGREEING) -> None:
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(pieces)))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion("".join(pieces)))
    )


def correcting(upstream: Any) -> None:
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames([FAST_WRONG])))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion(VALIDATOR_RIGHT))
    )


async def stored(run_id: str) -> ConsensusRun:
    return await ConsensusRun.objects.aget(id=run_id)


def run_id_of(completion_id: str) -> str:
    return completion_id.removeprefix("chatcmpl-")


async def collect(stream: Any) -> list[Any]:
    async with asyncio.timeout(15):
        return [chunk async for chunk in stream]


def text_of(chunks: list[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


# --- models --------------------------------------------------------------------------------


async def test_models_lists_consensus_and_consensus_validated(client):
    listed = await client.models.list()
    assert [m.id for m in listed.data] == ["consensus", "consensus-validated"]
    assert all(m.object == "model" and m.owned_by for m in listed.data)
    assert (await client.models.retrieve("consensus-validated")).id == "consensus-validated"
    with pytest.raises(openai.NotFoundError) as missing:
        await client.models.retrieve("gpt-4o")
    assert missing.value.code == "model_not_found"


# --- model `consensus` ---------------------------------------------------------------------


async def test_streaming_consensus_sends_the_fast_answer_as_deltas_then_stop(client, upstream):
    agreeing(upstream)
    stream = await client.chat.completions.create(model="consensus", messages=QUESTION, stream=True)
    chunks = await collect(stream)

    assert chunks[0].choices[0].delta.role == "assistant"
    contents = [c.choices[0].delta.content for c in chunks if c.choices][1:-1]
    assert contents == AGREEING  # one delta per fast token, as they arrived
    assert {c.object for c in chunks} == {"chat.completion.chunk"}
    assert len({c.id for c in chunks}) == 1
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.choices[0].delta.content is None
    consensus = last.consensus
    assert consensus["status"] == "completed"
    assert consensus["outcome"] == "agree"
    assert consensus["corrected"] is False
    assert consensus["similarity"] == pytest.approx(1.0)
    assert consensus["models"]["fast"]["model"] == GROQ_MODEL
    assert consensus["models"]["validator"]["model"] == ARK_MODEL
    assert consensus["models"]["validator"]["usage"]["total_tokens"] == 100
    assert consensus["run_id"] == run_id_of(last.id)
    run = await stored(consensus["run_id"])
    assert run.source == "openai"
    assert run.final_answer == "".join(AGREEING)


async def test_non_streaming_consensus_answers_with_the_consensus_object_and_summed_usage(
    client, upstream
):
    agreeing(upstream)
    completion = await client.chat.completions.create(model="consensus", messages=QUESTION)

    assert completion.object == "chat.completion"
    assert completion.model == "consensus"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content == "".join(AGREEING)
    assert completion.choices[0].finish_reason == "stop"
    # Groq: 38 prompt + 3 completion tokens; ModelArk: 40 + 60.
    assert completion.usage.prompt_tokens == 78
    assert completion.usage.completion_tokens == 63
    assert completion.usage.total_tokens == 141
    consensus = completion.consensus
    assert consensus["outcome"] == "agree"
    assert consensus["confidence"] > 0.8
    assert consensus["models"]["fast"]["usage"]["prompt_tokens"] == 38
    assert (await stored(consensus["run_id"])).source == "openai"


async def test_a_correction_goes_on_with_a_labelled_delta_in_indonesian(client, upstream):
    correcting(upstream)
    stream = await client.chat.completions.create(
        model="consensus",
        messages=[{"role": "user", "content": "Pasal berapa yang mengatur pencurian?"}],
        stream=True,
    )
    chunks = await collect(stream)

    assert text_of(chunks) == (
        FAST_WRONG + "\n\n---\n**Koreksi (model validator):**\n" + VALIDATOR_RIGHT
    )
    consensus = chunks[-1].consensus
    assert consensus["corrected"] is True
    assert consensus["outcome"] == "conflict"
    assert consensus["correction_reason"] == "fact_conflict"
    assert consensus["conflicts"][0]["kind"] == "article"
    assert chunks[-1].choices[0].finish_reason == "stop"


async def test_an_english_question_gets_an_english_label(client, upstream):
    correcting(upstream)
    completion = await client.chat.completions.create(
        model="consensus",
        messages=[{"role": "user", "content": "Which article of the criminal code is theft?"}],
    )
    assert "\n\n---\n**Correction (validator model):**\n" in completion.choices[0].message.content


async def test_a_supplement_appends_the_added_facts(client, upstream):
    fast = "Ancamannya penjara paling lama lima tahun atau denda."
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames([fast])))
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(
            200,
            json=ark_completion(
                "Menurut Pasal 362 KUHP, pencuri diancam penjara paling lama 5 tahun atau denda."
            ),
        )
    )
    completion = await client.chat.completions.create(
        model="consensus", messages=[{"role": "user", "content": "Apa hukuman pencurian?"}]
    )
    text = completion.choices[0].message.content
    assert text.startswith(fast + "\n\n---\n**Tambahan dari validator:** ")
    assert "Pasal 362 KUHP" in text
    assert completion.consensus["outcome"] == "supplement"
    assert {"kind": "article", "text": "Pasal 362 KUHP"} in completion.consensus["added"]


async def test_a_validator_timeout_leaves_the_fast_answer_standing(client, upstream, settings):
    settings.CONSENSUS_VALIDATOR_TIMEOUT = 0.2
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(AGREEING)))
    upstream.post(ARK_URL).mock(side_effect=slow_ark("late", 30))
    stream = await client.chat.completions.create(
        model="consensus", messages=QUESTION, stream=True, stream_options={"include_usage": True}
    )
    chunks = await collect(stream)

    assert text_of(chunks) == "".join(AGREEING)
    finish = next(c for c in chunks if c.choices and c.choices[0].finish_reason)
    assert finish.consensus["status"] == "validator_timeout"
    assert finish.consensus["outcome"] is None
    assert finish.consensus["models"]["validator"]["usage"] is None
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == []
    assert usage_chunk.usage.total_tokens == 41  # the fast model's only
    assert all(c.usage is None for c in chunks[:-1])


async def test_fallback_streams_the_validators_answer(client, upstream):
    upstream.post(GROQ_URL).mock(
        return_value=groq_error(401, "invalid_api_key", "invalid_request_error", "Invalid API Key")
    )
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion("Jawaban dari validator."))
    )
    stream = await client.chat.completions.create(model="consensus", messages=QUESTION, stream=True)
    chunks = await collect(stream)

    assert text_of(chunks) == "Jawaban dari validator."
    assert chunks[-1].consensus["status"] == "fallback"


async def test_a_cut_fast_stream_is_rescued_with_the_validators_answer(client, upstream):
    upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(AGREEING)[:3], then=httpx.ReadError("cut"))
    )
    upstream.post(ARK_URL).mock(
        return_value=httpx.Response(200, json=ark_completion("Jawaban lengkap."))
    )
    completion = await client.chat.completions.create(model="consensus", messages=QUESTION)

    assert completion.choices[0].message.content == (
        "Ya, boleh \n\n---\n"
        "**Jawaban cepat terputus; jawaban lengkap dari model validator:**\nJawaban lengkap."
    )
    assert completion.consensus["correction_reason"] == "fast_model_failed"


# --- model `consensus-validated` -----------------------------------------------------------


async def test_validated_streams_only_the_final_answer(client, upstream):
    correcting(upstream)
    stream = await client.chat.completions.create(
        model="consensus-validated", messages=QUESTION, stream=True
    )
    chunks = await collect(stream)

    assert text_of(chunks) == VALIDATOR_RIGHT
    assert FAST_WRONG not in text_of(chunks)
    assert chunks[-1].model == "consensus-validated"
    assert chunks[-1].consensus["corrected"] is True


async def test_validated_returns_the_final_answer_whole(client, upstream):
    agreeing(upstream)
    completion = await client.chat.completions.create(
        model="consensus-validated", messages=QUESTION
    )
    assert completion.choices[0].message.content == "".join(AGREEING)
    assert completion.consensus["outcome"] == "agree"


# --- the question --------------------------------------------------------------------------


async def test_messages_become_system_prompt_history_and_prompt(client, upstream):
    agreeing(upstream)
    await client.chat.completions.create(
        model="consensus",
        messages=[
            {"role": "system", "content": "Jawab singkat."},
            {"role": "user", "content": "Halo"},
            {"role": "assistant", "content": [{"type": "text", "text": "Halo juga."}]},
            {"role": "developer", "content": "Sebut pasalnya."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Apakah "},
                    {"type": "text", "text": "boleh?"},
                ],
            },
        ],
        temperature=0.3,
        max_completion_tokens=120,
    )
    sent = json.loads(
        next(c for c in upstream.calls if str(c.request.url) == GROQ_URL).request.content
    )
    assert sent["messages"] == [
        {"role": "system", "content": "Jawab singkat.\n\nSebut pasalnya."},
        {"role": "user", "content": "Halo"},
        {"role": "assistant", "content": "Halo juga."},
        {"role": "user", "content": "Apakah boleh?"},
    ]
    assert sent["temperature"] == 0.3
    assert sent["max_completion_tokens"] == 120
    run = await ConsensusRun.objects.aget()
    assert run.prompt == "Apakah boleh?"
    assert run.parameters == {"temperature": 0.3, "max_tokens": 120}


async def test_max_tokens_is_read_too(client, upstream):
    agreeing(upstream)
    await client.chat.completions.create(model="consensus", messages=QUESTION, max_tokens=77)
    run = await ConsensusRun.objects.aget()
    assert run.parameters["max_tokens"] == 77


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_body", "code", "param"),
    [
        ({"messages": QUESTION}, "missing_model", "model"),
        ({"model": "consensus", "messages": []}, "missing_messages", "messages"),
        ({"model": "consensus"}, "missing_messages", "messages"),
        (
            {"model": "consensus", "messages": [{"role": "assistant", "content": "x"}]},
            "invalid_messages",
            "messages",
        ),
        (
            {"model": "consensus", "messages": [{"role": "tool", "content": "x"}]},
            "invalid_messages",
            "messages",
        ),
        (
            {
                "model": "consensus",
                "messages": [
                    {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}
                ],
            },
            "invalid_messages",
            "messages",
        ),
        (
            {"model": "consensus", "messages": [{"role": "user", "content": " "}]},
            "missing_prompt",
            "messages",
        ),
        (
            {"model": "consensus", "messages": [{"role": "user", "content": "x" * 8001}]},
            "prompt_too_long",
            "messages",
        ),
        (
            {"model": "consensus", "messages": QUESTION, "temperature": 3},
            "invalid_temperature",
            "temperature",
        ),
        (
            {"model": "consensus", "messages": QUESTION, "max_tokens": 0},
            "invalid_max_tokens",
            "max_tokens",
        ),
        (
            {"model": "consensus", "messages": QUESTION, "max_completion_tokens": 9000},
            "invalid_max_tokens",
            "max_completion_tokens",
        ),
        ({"model": "consensus", "messages": QUESTION, "n": 2}, "unsupported_n", "n"),
        (
            {"model": "consensus", "messages": QUESTION, "tools": [{"type": "function"}]},
            "unsupported_tools",
            "tools",
        ),
        (
            {"model": "consensus", "messages": QUESTION, "stream_options": {"include_usage": True}},
            "invalid_stream_options",
            None,
        ),
        ({"model": "consensus", "messages": QUESTION, "stream": "yes"}, "invalid_stream", "stream"),
    ],
)
async def test_invalid_requests_are_400_in_openais_shape(client, request_body, code, param):
    with pytest.raises(openai.BadRequestError) as bad:
        await client.post("/chat/completions", body=request_body, cast_to=object)
    error = bad.value
    assert error.status_code == 400
    assert error.type == "invalid_request_error"
    assert error.code == code
    assert error.param == param
    assert set(error.body) == {"message", "type", "param", "code"}
    assert error.message


async def test_an_index_in_the_message_names_the_request_message(http):
    messages = [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "ok"},
        {"role": "assistant", "content": "bad \x00"},
        {"role": "user", "content": "q"},
    ]
    response = await http.post(
        "/v1/chat/completions", json={"model": "consensus", "messages": messages}
    )
    assert response.status_code == 400
    assert "messages[2].content" in response.json()["error"]["message"]


async def test_malformed_json_and_other_methods(http):
    bad = await http.post(
        "/v1/chat/completions", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_json"
    get = await http.get("/v1/chat/completions")
    assert get.status_code == 405
    assert get.headers["allow"] == "POST"
    assert get.json()["error"]["type"] == "invalid_request_error"


async def test_an_unknown_model_is_404_model_not_found(client):
    with pytest.raises(openai.NotFoundError) as missing:
        await client.chat.completions.create(model="gpt-4o", messages=QUESTION)
    assert missing.value.code == "model_not_found"
    assert missing.value.param == "model"
    assert await ConsensusRun.objects.acount() == 0


@pytest.mark.parametrize("stream", [False, True])
async def test_both_models_down_is_503(client, upstream, stream):
    upstream.post(GROQ_URL).mock(
        return_value=groq_error(401, "invalid_api_key", "invalid_request_error", "Invalid API Key")
    )
    upstream.post(ARK_URL).mock(
        return_value=ark_error(400, "InvalidParameter", "BadRequest", "Bad parameter.")
    )
    with pytest.raises(openai.InternalServerError) as down:
        await client.chat.completions.create(model="consensus", messages=QUESTION, stream=stream)
    assert down.value.status_code == 503
    assert down.value.code == "models_unavailable"
    assert down.value.type == "server_error"
    run = await ConsensusRun.objects.aget()
    assert run.status == "failed"
    assert run.source == "openai"


async def test_a_failure_after_the_answer_began_is_an_error_event(client, upstream):
    upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(AGREEING)[:3], then=httpx.ReadError("cut"))
    )
    upstream.post(ARK_URL).mock(
        return_value=ark_error(400, "InvalidParameter", "BadRequest", "Bad parameter.")
    )
    stream = await client.chat.completions.create(model="consensus", messages=QUESTION, stream=True)
    seen: list[Any] = []

    async def read() -> None:
        async with asyncio.timeout(15):
            async for chunk in stream:
                seen.append(chunk)

    with pytest.raises(openai.APIError, match="Both models failed"):
        await read()
    assert text_of(seen) == "Ya, boleh "


async def test_without_keys_the_api_answers_503(client, settings):
    settings.CONSENSUS_FAST_PROVIDER = {**settings.CONSENSUS_FAST_PROVIDER, "api_key": ""}
    settings.CONSENSUS_VALIDATOR_PROVIDER = {**settings.CONSENSUS_VALIDATOR_PROVIDER, "api_key": ""}
    with pytest.raises(openai.InternalServerError) as down:
        await client.chat.completions.create(model="consensus", messages=QUESTION)
    assert down.value.status_code == 503
    assert down.value.code == "not_configured"


async def test_while_shutting_down_new_questions_get_503_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(shutdown.draining, "since", 1.0)
    with pytest.raises(openai.InternalServerError) as down:
        await client.chat.completions.create(model="consensus", messages=QUESTION)
    assert down.value.code == "shutting_down"
    assert down.value.response.headers["retry-after"] == str(shutdown.RETRY_AFTER)


# --- admission -----------------------------------------------------------------------------


async def test_auth_required_401_without_or_with_a_bad_key_then_a_token_works(
    http, upstream, settings
):
    settings.CONSENSUS_REQUIRE_AUTH = True
    missing = await http.post("/v1/chat/completions", json={"model": "consensus"})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "missing_api_key"
    with pytest.raises(openai.AuthenticationError) as wrong:
        await sdk(http, "csk_wrong").models.list()
    assert wrong.value.code == "invalid_api_key"
    assert wrong.value.response.headers["www-authenticate"].startswith("Bearer")
    with pytest.raises(openai.AuthenticationError) as placeholder:
        await sdk(http, "EMPTY").chat.completions.create(model="consensus", messages=QUESTION)
    assert placeholder.value.code == "invalid_api_key"
    assert await ConsensusRun.objects.acount() == 0

    token, secret = await sync_to_async(token_create)(name="open-webui")
    agreeing(upstream)
    completion = await sdk(http, secret).chat.completions.create(
        model="consensus", messages=QUESTION
    )
    assert completion.choices[0].message.content == "".join(AGREEING)
    run = await stored(completion.consensus["run_id"])
    assert run.client_id == f"token:{token.pk}"


async def test_auth_off_a_placeholder_key_is_served_by_address_a_bad_token_is_401(
    http, upstream, settings
):
    settings.CONSENSUS_REQUIRE_AUTH = False
    agreeing(upstream)
    completion = await sdk(http).chat.completions.create(model="consensus", messages=QUESTION)
    assert (await stored(completion.consensus["run_id"])).client_id == "ip:127.0.0.1"
    with pytest.raises(openai.AuthenticationError):
        await sdk(http, "csk_typo").chat.completions.create(model="consensus", messages=QUESTION)


async def test_the_rate_limit_is_429_with_retry_after(client, upstream, settings):
    settings.CONSENSUS_RATE_LIMIT_PER_MINUTE = 1
    agreeing(upstream)
    await client.chat.completions.create(model="consensus", messages=QUESTION)
    with pytest.raises(openai.RateLimitError) as limited:
        await client.chat.completions.create(model="consensus", messages=QUESTION)
    assert limited.value.status_code == 429
    assert limited.value.code == "rate_limited"
    assert limited.value.type == "rate_limit_error"
    assert int(limited.value.response.headers["retry-after"]) > 0


async def test_the_concurrency_limit_is_429_too(client, upstream, settings):
    settings.CONSENSUS_MAX_CONCURRENT_PER_CLIENT = 1
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(AGREEING)))
    upstream.post(ARK_URL).mock(side_effect=slow_ark("Ya.", 30))
    stream = await client.chat.completions.create(model="consensus", messages=QUESTION, stream=True)
    async with asyncio.timeout(10):
        first = await anext(aiter(stream))
    with pytest.raises(openai.RateLimitError) as limited:
        await client.chat.completions.create(model="consensus", messages=QUESTION)
    assert limited.value.code == "too_many_streams"
    assert "retry-after" in limited.value.response.headers
    finished = get_hub().get(run_id_of(first.id)).task
    await stream.close()
    async with asyncio.timeout(5):
        await asyncio.shield(finished)


# --- disconnects ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["consensus", "consensus-validated"])
async def test_a_client_that_leaves_cancels_both_upstream_calls_at_once(
    client, upstream, settings, model
):
    settings.CONSENSUS_RESUME_GRACE = 30  # the SSE endpoint's grace does not apply here
    log: list[str] = []
    upstream.post(GROQ_URL).mock(
        side_effect=stream_response(groq_frames(AGREEING * 50), delay=0.05, log=log)
    )
    asked = asyncio.Event()
    slow = slow_ark("Ya.", 30, log=log)

    async def validator(request: httpx.Request) -> httpx.Response:
        asked.set()
        return await slow(request)

    upstream.post(ARK_URL).mock(side_effect=validator)
    if model == "consensus":
        stream = await client.chat.completions.create(model=model, messages=QUESTION, stream=True)
        async with asyncio.timeout(10):
            first = await anext(aiter(stream))
        run_id = run_id_of(first.id)
        finished = get_hub().get(run_id).task
        await stream.close()
    else:  # non-streaming: the client gives up while it waits
        waiting = asyncio.create_task(
            client.chat.completions.create(model=model, messages=QUESTION)
        )
        async with asyncio.timeout(10):
            await asked.wait()
        ((run_id, channel),) = get_hub().runs.items()
        finished = channel.task
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    async with asyncio.timeout(5):
        await asyncio.shield(finished)
    assert "validator cancelled" in log
    if model == "consensus":
        assert "fast upstream closed" in log
    run = await stored(run_id)
    assert run.status == "aborted"
    assert run.source == "openai"


async def test_sse_runs_are_stored_with_their_source(async_client, upstream, collect):
    agreeing(upstream)
    response = await async_client.post(
        "/api/consensus/stream", json.dumps({"prompt": "q"}), content_type="application/json"
    )
    events = await collect(response)
    run = await stored(events[0]["data"]["run_id"])
    assert run.source == "sse"


async def test_websocket_runs_are_stored_with_their_source(upstream):
    from channels.testing import WebsocketCommunicator

    agreeing(upstream)
    socket = WebsocketCommunicator(
        application, "/ws/consensus/", headers=[(b"origin", b"http://testserver")]
    )
    connected, _ = await socket.connect(timeout=5)
    assert connected
    await socket.send_json_to({"prompt": "q"})
    event = await socket.receive_json_from(timeout=10)
    while event["type"] not in ("complete", "error"):
        event = await socket.receive_json_from(timeout=10)
    await socket.disconnect()
    assert event["type"] == "complete"
    assert (await stored(event["run_id"])).source == "websocket"
