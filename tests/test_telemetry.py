"""Sentry never receives prompts, answers or keys: proven on the serialized envelopes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import sentry_sdk
from django.core.handlers.asgi import ASGIHandler
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from consensus.access import tokens as auth
from consensus.engine import ConsensusEngine
from consensus.record import RunRecord
from consensus.runtime import telemetry

from .conftest import http_scope

PROMPT = "Rahasia klien: Budi Santoso menggelapkan dana PT Maju Jaya sebesar 2 miliar"
SYSTEM = "Anda adalah asisten hukum untuk firma Wijaya & Rekan, jangan bocorkan ini"
GROQ_KEY = "gsk_test_key_123456"  # the fake providers' keys, see conftest
ARK_KEY = "ark-test-key"
SESSION_COOKIE = "sessionid-value-0123456789abcdef"


class CapturingTransport(Transport):
    """Keeps every envelope, serialized exactly as it would be sent."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.sent: list[bytes] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.sent.append(envelope.serialize())

    @property
    def wire(self) -> str:
        return b"\n".join(self.sent).decode("utf-8", "replace")


@pytest.fixture
def sentry() -> Iterator[CapturingTransport]:
    transport = CapturingTransport()
    telemetry.init_sentry(
        dsn="https://public@sentry.invalid/1",
        environment="test",
        traces_sample_rate=0.0,
        transport=transport,
        include_local_variables=True,  # before_send must drop them even when turned on
        default_integrations=False,
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # a client without DSN: nothing is sent by later tests


def assert_clean(wire: str, *secrets: str) -> None:
    assert wire, "nothing was captured"
    for secret in secrets:
        assert secret not in wire
        for start in range(0, max(len(secret) - 31, 1), 16):  # no telling fragment either
            assert secret[start : start + 32] not in wire


def test_exception_with_prompt_and_key_in_locals_extra_message_and_breadcrumbs(sentry):
    record = RunRecord(prompt=PROMPT, system_prompt=SYSTEM, final_answer="Jawaban rahasia " * 3)
    telemetry.watch_run(record)
    sentry_sdk.set_extra("prompt", PROMPT)
    sentry_sdk.set_extra("question_echo", f"user asked: {PROMPT}")
    sentry_sdk.set_context("upstream", {"api_key": ARK_KEY, "headers": {"x-api-key": GROQ_KEY}})
    sentry_sdk.set_tag("model", "openai/gpt-oss-20b")
    sentry_sdk.add_breadcrumb(message=f"asking {PROMPT[:60]}", category="consensus")
    sentry_sdk.add_breadcrumb(message=f"Authorization: Bearer {GROQ_KEY}", category="httpx")

    def parse(prompt: str, api_key: str) -> None:
        raise ValueError(f"cannot parse answer to {prompt!r} (key {api_key})")

    try:
        parse(PROMPT, GROQ_KEY)
    except ValueError as exc:
        sentry_sdk.capture_exception(exc)
    sentry_sdk.flush()

    assert "ValueError" in sentry.wire
    assert "openai/gpt-oss-20b" in sentry.wire  # ordinary context survives
    assert_clean(sentry.wire, PROMPT, SYSTEM, GROQ_KEY, ARK_KEY, "Jawaban rahasia Jawaban")


def test_log_messages_quoting_a_prompt_are_masked(sentry):
    telemetry.watch_run(RunRecord(prompt=PROMPT))
    sentry_sdk.capture_message(f"upstream rejected: {PROMPT} using Bearer {GROQ_KEY}")
    sentry_sdk.flush()
    assert "upstream rejected" in sentry.wire
    assert_clean(sentry.wire, PROMPT, GROQ_KEY)


async def asgi_get(path: str, query: str, headers: dict[str, str]) -> bytes:
    """One GET through Django's real ASGI handler (which Sentry instruments), body returned."""
    scope = http_scope(
        "GET", f"{path}?{query}", [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    )
    ended = asyncio.Event()
    body: list[bytes] = []

    async def receive() -> dict[str, Any]:
        if not body and not ended.is_set() and "sent" not in scope:
            scope["sent"] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await ended.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            body.append(message.get("body", b""))
            if not message.get("more_body"):
                ended.set()

    await asyncio.wait_for(ASGIHandler()(scope, receive, send), timeout=20)
    return b"".join(body)


@pytest.mark.django_db(transaction=True)
async def test_a_failing_run_reports_no_prompt_token_cookie_or_query(sentry, monkeypatch):
    """End to end through the ASGI handler: the run breaks inside the engine; the event has the
    request attached (url, headers, query) and the exception message quotes prompt and key."""
    _, secret = await _token()

    async def broken_run(self: ConsensusEngine, record: RunRecord) -> AsyncIterator[object]:
        raise RuntimeError(f"bug while answering {record.prompt!r} with {GROQ_KEY}")
        yield  # pragma: no cover

    monkeypatch.setattr(ConsensusEngine, "run", broken_run)
    query = urlencode({"prompt": PROMPT, "system_prompt": SYSTEM})
    body = await asgi_get(
        "/api/consensus/stream",
        query,
        {
            "Authorization": f"Bearer {secret}",
            "Cookie": f"sessionid={SESSION_COOKIE}",
            "X-Api-Key": GROQ_KEY,
        },
    )
    sentry_sdk.flush()

    assert b"internal_error" in body
    assert "RuntimeError" in sentry.wire
    assert '"request"' in sentry.wire  # the request was attached, and scrubbed
    assert_clean(
        sentry.wire,
        PROMPT,
        SYSTEM,
        GROQ_KEY,
        secret,
        SESSION_COOKIE,
        query,
        "Budi+Santoso",
        "Budi%20Santoso",
    )


@pytest.mark.parametrize(
    ("event", "gone"),
    [
        (
            {
                "request": {
                    "headers": {
                        "Authorization": "Bearer abc",
                        "Cookie": "a=b",
                        "X-CSRFToken": "tok",
                        "Proxy-Authorization": "Basic x",
                    }
                }
            },
            ["Bearer abc", "a=b", "tok", "Basic x"],
        ),
        (
            {
                "request": {
                    "url": "https://x/api?prompt=rahasia",
                    "query_string": "prompt=rahasia",
                    "data": {"prompt": "rahasia"},
                }
            },
            ["rahasia"],
        ),
        ({"extra": {"messages": [{"role": "user", "content": "rahasia"}]}}, ["rahasia"]),
        (
            {"contexts": {"llm": {"fast_answer": "rahasia", "access_token": "tok-123"}}},
            ["rahasia", "tok-123"],
        ),
        ({"logentry": {"message": "run %s: %s", "params": ["id", "rahasia"]}}, ["rahasia"]),
        (
            {
                "exception": {
                    "values": [
                        {
                            "value": "key csk_abcdefghijklmnop123 leaked",
                            "stacktrace": {"frames": [{"vars": {"p": "rahasia"}}]},
                        }
                    ]
                }
            },
            ["csk_abcdefghijklmnop123", "rahasia"],
        ),
    ],
)
def test_before_send_scrubs(event, gone):
    scrubbed = repr(telemetry.before_send(event, {}))
    for text in gone:
        assert text not in scrubbed


def test_short_prompts_do_not_mangle_messages():
    telemetry.watch_run(RunRecord(prompt="hi"))
    assert telemetry.scrub("this is fine") == "this is fine"


async def _token() -> tuple[Any, str]:
    from asgiref.sync import sync_to_async

    return await sync_to_async(auth.token_create)(name="frontend")


@pytest.mark.parametrize("root_handler_first", [True, False])
def test_a_consensus_log_line_is_written_once(root_handler_first: bool) -> None:
    """daphne's command line gives the root logger a handler (logging.basicConfig) besides the
    settings' own: a propagating consensus logger wrote every line twice."""
    import subprocess
    import sys

    basic = "import logging; logging.basicConfig(format='root %(message)s')"
    setup = "import django; django.setup()"
    first, second = (basic, setup) if root_handler_first else (setup, basic)
    script = f"{first}\n{second}\nimport logging\nlogging.getLogger('consensus.x').warning('once')"
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "consensus_project.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stderr.count("once") == 1, done.stderr
