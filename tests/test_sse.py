"""SSE framing (`consensus/sse.py`) and the lean ASGI path the stream endpoints are served by."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import orjson
import pytest
from django.contrib.auth.models import User
from django.test import AsyncClient, override_settings

from consensus.streaming import sse
from consensus_project import asgi
from consensus_project.asgi import LeanASGIHandler, application, is_stream_path

from .conftest import http_scope
from .upstreams import ARK_URL, GROQ_URL, ark_completion, groq_frames, stream_response


@pytest.mark.parametrize(
    ("payload", "event_id", "expected"),
    [
        ({"type": "token", "content": "Hai"}, None, b'data: {"type":"token","content":"Hai"}\n\n'),
        (
            {"type": "token", "content": "a\nb"},
            "r:1",
            b'id: r:1\ndata: {"type":"token","content":"a\\nb"}\n\n',
        ),
        (
            {"content": "Pasal 362 — penjara"},
            "r:2",
            'id: r:2\ndata: {"content":"Pasal 362 — penjara"}\n\n'.encode(),
        ),
    ],
)
def test_encode_is_one_compact_json_data_line(payload, event_id, expected) -> None:
    assert sse.encode(payload, id=event_id) == expected


def test_comments_and_ids() -> None:
    assert sse.comment("keep-alive") == b": keep-alive\n\n"
    assert sse.comment("a\r\nb") == b": a\n: b\n\n"
    assert sse.event_id("run", 3) == "run:3"


@pytest.mark.parametrize(
    ("path", "lean"),
    [
        ("/api/consensus/stream", True),
        ("/api/consensus/runs/6f0c/events", True),
        ("/api/consensus/runs/6f0c", False),
        ("/api/consensus/runs/6f0c/stop", False),
        ("/admin/", False),
        ("/healthz", False),
    ],
)
def test_only_the_streams_take_the_lean_handler(path: str, lean: bool) -> None:
    assert is_stream_path(path) is lean


async def call(
    app: Any,
    method: str,
    path: str,
    body: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> tuple[int, dict, bytes]:
    """One whole request through an ASGI app: (status, headers, body)."""
    scope = http_scope(method, path, headers or [])
    messages: list[dict[str, Any]] = []
    done = asyncio.Event()
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    async with asyncio.timeout(10):
        await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    head = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], head, b"".join(m.get("body", b"") for m in messages[1:])


def mock_answer(upstream) -> None:  # type: ignore[no-untyped-def]
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(["Ya", ", sah."])))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion("Ya, sah.")))


JSON = (b"content-type", b"application/json")
QUESTION = json.dumps({"prompt": "Apakah kontrak ini sah?"}).encode()


@pytest.mark.django_db(transaction=True)
async def test_the_lean_path_keeps_the_middleware_headers(upstream) -> None:
    mock_answer(upstream)

    status, headers, body = await call(
        application, "POST", "/api/consensus/stream", QUESTION, [JSON]
    )

    assert status == 200
    assert headers["content-type"] == "text/event-stream; charset=utf-8"
    assert headers["x-frame-options"] == "DENY"  # XFrameOptionsMiddleware, inline
    assert headers["x-content-type-options"] == "nosniff"  # SecurityMiddleware, inline
    assert b'"type":"complete"' in body


@pytest.mark.django_db(transaction=True)
async def test_a_logged_in_post_still_needs_its_csrf_token_on_the_lean_path(upstream) -> None:
    mock_answer(upstream)
    user = await User.objects.acreate_user("juri", password="a-long-password-123")
    browser = AsyncClient(enforce_csrf_checks=True)
    await browser.aforce_login(user)
    session = browser.cookies["sessionid"].value
    cookie = (b"cookie", f"sessionid={session}; csrftoken={'x' * 32}".encode())

    refused = await call(application, "POST", "/api/consensus/stream", QUESTION, [JSON, cookie])
    allowed = await call(
        application,
        "POST",
        "/api/consensus/stream",
        QUESTION,
        [JSON, cookie, (b"x-csrftoken", b"x" * 32)],
    )

    assert refused[0] == 403
    assert json.loads(refused[2])["error"]["code"] == "csrf_failed"
    assert allowed[0] == 200
    assert b'"type":"complete"' in allowed[2]


def plain_sync_middleware(get_response):  # type: ignore[no-untyped-def]
    def middleware(request):  # type: ignore[no-untyped-def]
        response = get_response(request)
        response["X-Sync-Only"] = "yes"
        return response

    return middleware


@pytest.mark.django_db(transaction=True)
async def test_a_sync_only_middleware_makes_the_lean_handler_use_djangos_chain() -> None:
    with override_settings(
        MIDDLEWARE=[*asgi.settings.MIDDLEWARE, "tests.test_sse.plain_sync_middleware"]
    ):
        handler = LeanASGIHandler()
        status, headers, body = await call(handler, "PUT", "/api/consensus/stream")

    assert status == 405
    assert headers["x-sync-only"] == "yes"
    assert json.loads(body)["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db(transaction=True)
async def test_request_started_is_not_awaited_but_runs_before_the_views_sync_work() -> None:
    """The lean handler does not wait for `request_started` (a round trip to a thread before
    every stream), yet its receivers (Django's `close_old_connections`) still run before the
    request's own queries, on the thread that runs them."""
    import threading

    from asgiref.sync import sync_to_async
    from django.core.signals import request_started
    from django.http import HttpResponse

    seen: list[tuple[str, str]] = []
    view_started = threading.Event()

    def receiver(**kwargs: Any) -> None:
        # Awaited, the signal would hold the view back and this wait would time out.
        seen.append(("receiver saw the view start", str(view_started.wait(timeout=5))))
        seen.append(("request_started", threading.current_thread().name))

    async def view(request: Any) -> Any:
        view_started.set()
        await sync_to_async(lambda: seen.append(("query", threading.current_thread().name)))()
        return HttpResponse(status=204)

    request_started.connect(receiver)
    try:
        handler = LeanASGIHandler()
        handler._middleware_chain = view
        status, _, _ = await call(handler, "GET", "/api/consensus/stream")
    finally:
        request_started.disconnect(receiver)

    assert status == 204
    assert seen[0] == ("receiver saw the view start", "True")
    assert [what for what, _ in seen[1:]] == ["request_started", "query"]
    assert seen[1][1] == seen[2][1]
    assert seen[1][1].startswith("stream-requests")


@pytest.mark.parametrize(
    "payloads",
    [
        [{"type": "token", "content": "Hai"}],
        [{"type": "token", "content": "a\nb"}, {"content": "Pasal 362 — penjara"}],
    ],
)
def test_the_framer_writes_the_bytes_encode_writes_for_stored_payloads(payloads) -> None:
    stored = [orjson.dumps(p) for p in payloads]

    framed = sse.framer("run")(7, stored)

    assert framed == b"".join(
        sse.encode(p, id=sse.event_id("run", n)) for n, p in enumerate(payloads, 7)
    )


def test_the_framer_sends_a_heartbeat_for_a_silent_interval() -> None:
    assert sse.framer("run")(3, []) == sse.HEARTBEAT


RUN = "6f0c1b5e-2f7e-4c3a-9d53-1c2b3a4d5e6f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"{RUN}:0", 0),
        (f" {RUN}:12 ", 12),
        (f"{RUN}:-5", None),
        (f"{RUN}:-1", None),
        (f"{RUN}:+3", None),
        (f"{RUN}:1_0", None),
        (f"{RUN}:", None),
        ("nonsense:3", None),
        (RUN, None),
    ],
)
def test_event_ids_name_a_run_and_a_non_negative_index(value: str, expected: int | None) -> None:
    parsed = sse.parse_event_id(value)
    assert (parsed[1] if parsed else None) == expected
