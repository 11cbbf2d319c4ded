"""The HTTP contract around the stream: validation errors, methods, configuration, run JSON."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from .conftest import parse_sse, read_stream
from .upstreams import ARK_URL, GROQ_URL, ark_completion, groq_frames, stream_response

URL = "/api/consensus/stream"


def post(async_client, body: object, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return async_client.post(URL, data, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        ({}, "missing_prompt", "'prompt' is required"),
        ({"prompt": ""}, "missing_prompt", "'prompt' is required"),
        ({"prompt": "   "}, "missing_prompt", "must not be blank"),
        ({"prompt": 42}, "invalid_prompt", "must be a string"),
        ({"prompt": "x" * 8001}, "prompt_too_long", "limit is 8000"),
        ({"prompt": "q", "temperature": 2.5}, "invalid_temperature", "between 0 and 2"),
        ({"prompt": "q", "temperature": "hot"}, "invalid_temperature", "must be a number"),
        ({"prompt": "q", "temperature": True}, "invalid_temperature", "must be a number"),
        ({"prompt": "q", "max_tokens": 0}, "invalid_max_tokens", "between 1 and 8192"),
        ({"prompt": "q", "max_tokens": 9000}, "invalid_max_tokens", "between 1 and 8192"),
        ({"prompt": "q", "max_tokens": 1.5}, "invalid_max_tokens", "must be an integer"),
        ({"prompt": "q", "system_prompt": ["x"]}, "invalid_system_prompt", "must be a string"),
        ({"prompt": "q", "messages": "hi"}, "invalid_messages", "must be a list"),
        (
            {"prompt": "q", "messages": [{"role": "system", "content": "x"}]},
            "invalid_messages",
            "messages[0].role",
        ),
        (
            {"prompt": "q", "messages": [{"role": "user"}]},
            "invalid_messages",
            "messages[0].content",
        ),
        (
            {"prompt": "q", "messages": [{"role": "user", "content": "x"}] * 41},
            "too_many_messages",
            "limit is 40",
        ),
        (
            {"prompt": "q", "messages": [{"role": "user", "content": "x" * 20000}] * 2},
            "messages_too_long",
            "limit is 32000",
        ),
        ([1, 2], "invalid_json", "must be a JSON object"),
    ],
)
async def test_invalid_json_bodies_get_a_400_naming_the_problem(async_client, body, code, fragment):
    response = await post(async_client, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert fragment in error["message"]


async def test_malformed_json_and_wrong_content_type_are_400(async_client):
    bad = await post(async_client, "{not json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_json"
    form = await async_client.post(URL, {"prompt": "q"})  # multipart form
    assert form.status_code == 400
    assert form.json()["error"]["code"] == "unsupported_content_type"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "missing_prompt"),
        ("prompt=q&temperature=abc", "invalid_temperature"),
        ("prompt=q&max_tokens=0", "invalid_max_tokens"),
    ],
)
async def test_invalid_query_strings_get_a_400(async_client, query, code):
    response = await async_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
async def test_other_methods_are_405(async_client, method):
    response = await getattr(async_client, method)(URL)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_without_keys_the_endpoint_answers_503_naming_the_variables(async_client, settings):
    settings.CONSENSUS_FAST_PROVIDER = {**settings.CONSENSUS_FAST_PROVIDER, "api_key": ""}
    settings.CONSENSUS_VALIDATOR_PROVIDER = {**settings.CONSENSUS_VALIDATOR_PROVIDER, "api_key": ""}
    response = await post(async_client, {"prompt": "q"})
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "not_configured"
    assert error["missing"] == ["GROQ_API_KEY", "ARK_API_KEY"]
    assert "GROQ_API_KEY" in error["message"]
    assert "ARK_API_KEY" in error["message"]


@pytest.mark.django_db(transaction=True)
async def test_get_streams_for_event_source_and_the_run_is_readable_as_json(async_client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya", ", boleh."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya, boleh.")))

    response = await async_client.get(
        f"{URL}?prompt=Bolehkah%20saya%3F&temperature=0.2&max_tokens=50"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream; charset=utf-8"
    events = parse_sse(await read_stream(response))
    run_id = events[0]["data"]["run_id"]
    assert response["X-Run-Id"] == run_id
    groq_call = next(c for c in upstream.calls if str(c.request.url) == GROQ_URL)
    sent = json.loads(groq_call.request.content)
    assert sent["temperature"] == 0.2
    assert sent["max_completion_tokens"] == 50

    detail = await async_client.get(f"/api/consensus/runs/{run_id}")
    assert detail.status_code == 200
    run = detail.json()
    assert run["id"] == run_id
    assert run["prompt"] == "Bolehkah saya?"
    assert run["status"] == "completed"
    assert run["final_answer"] == "Ya, boleh."
    assert run["parameters"] == {"temperature": 0.2, "max_tokens": 50}
    assert run["models"]["groq"]["model"] == "openai/gpt-oss-20b"
    assert set(run["timings"]) == {
        "time_to_first_token",
        "fast_duration",
        "validator_duration",
        "total_duration",
    }

    missing = await async_client.get(f"/api/consensus/runs/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "run_not_found"


@pytest.mark.django_db(transaction=True)
async def test_healthz_reports_database_cache_and_models(async_client):
    response = await async_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["models"]["groq"] == {"model": "openai/gpt-oss-20b", "configured": True}
