"""What an attacker sees: no provider key on any page, JSON errors under /api/ whatever DEBUG is,
a Content-Security-Policy on the pages."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest

from consensus.conf import get_config
from consensus_project.asgi import application

from .conftest import http_scope

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = ("gsk_test_key_123456", "ark-test-key")  # tests/conftest.py's provider keys


async def asgi(
    method: str, path: str, body: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request through the real ASGI application: status, headers, body."""
    messages: list[dict[str, Any]] = []
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client stays until the answer is sent
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = http_scope(method, path, headers or [])
    async with asyncio.timeout(10):
        await application(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    names = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], names, content


def error_of(status_headers_body: tuple[int, dict[str, str], bytes]) -> dict[str, Any]:
    _, headers, content = status_headers_body
    assert headers["content-type"].startswith("application/json"), content[:300]
    error: dict[str, Any] = json.loads(content)["error"]
    assert error["message"]
    return error


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    return bool(request.param)


def test_provider_keys_are_in_no_repr_of_the_config():
    cfg = get_config()
    for text in (repr(cfg), str(cfg), repr(cfg.fast), str(cfg.validator)):
        for key in KEYS:
            assert key not in text
    assert cfg.fast.api_key == KEYS[0]  # still there, only not shown


@pytest.mark.parametrize("require_auth", [False, True])
async def test_an_oversized_body_is_a_413_json_error_without_keys(debug, settings, require_auth):
    settings.CONSENSUS_REQUIRE_AUTH = require_auth
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"prompt": "x" * 4096}).encode()
    answer = await asgi(
        "POST",
        "/api/consensus/stream",
        body,
        [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    )
    assert answer[0] == 413
    assert error_of(answer)["code"] == "payload_too_large"
    for key in KEYS:
        assert key.encode() not in answer[2]


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/consensus/runs/not-a-uuid", 404, "run_not_found"),
        ("GET", "/api/consensus/runs/not-a-uuid/events", 404, "run_not_found"),
        ("POST", "/api/consensus/runs/12/stop", 404, "run_not_found"),
        ("GET", "/api/nothing-here", 404, "not_found"),
        ("POST", f"/api/consensus/runs/{uuid.uuid4()}", 405, "method_not_allowed"),
        ("DELETE", f"/api/consensus/runs/{uuid.uuid4()}", 405, "method_not_allowed"),
        ("PUT", "/api/consensus/stream", 405, "method_not_allowed"),
    ],
)
async def test_every_client_error_under_api_is_json(debug, method, path, status, code):
    answer = await asgi(method, path)
    assert answer[0] == status
    assert error_of(answer)["code"] == code


async def test_a_query_string_with_too_many_fields_is_a_400_json_error(debug, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    query = "&".join(f"f{n}=1" for n in range(10))
    answer = await asgi("GET", f"/api/consensus/stream?prompt=q&{query}")
    assert answer[0] == 400
    assert error_of(answer)["code"] == "invalid_query"


async def test_pages_outside_the_api_keep_their_html_404(settings):
    settings.DEBUG = False
    status, headers, _ = await asgi("GET", "/nothing-here")
    assert status == 404
    assert headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
async def test_html_pages_carry_a_content_security_policy_without_inline_code(path):
    status, headers, _ = await asgi("GET", path)
    assert status == 200
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


async def test_api_answers_carry_no_page_policy():
    _, headers, _ = await asgi("GET", "/api/consensus/runs/not-a-uuid")
    assert "content-security-policy" not in headers
