"""The lean ASGI handler (`consensus/runtime/lean_handler.py`): pinned to the Django code it
copies, and switched by `CONSENSUS_LEAN_HANDLER`."""

from __future__ import annotations

import hashlib
import inspect
import json

import django
import pytest
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

from consensus.runtime.lean_handler import LeanASGIHandler
from consensus_project import asgi

from .test_sse import call

# sha256 of `inspect.getsource(ASGIHandler.handle)` in the Django release the copy was made from.
DJANGO_HANDLE_SHA256 = "98faeb5bef800331e6a8002fbc96b30e4122a23438ae45a047190a531ea11323"


def test_djangos_asgi_handle_is_still_the_one_the_lean_handler_copies() -> None:
    source = inspect.getsource(ASGIHandler.handle)
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert django.VERSION[:2] == (5, 2), "pyproject pins Django~=5.2.0 for the lean handler"
    assert digest == DJANGO_HANDLE_SHA256, (
        f"Django {django.get_version()} changed ASGIHandler.handle. Re-check "
        "consensus/runtime/lean_handler.py: compare LeanASGIHandler.handle with the new "
        "ASGIHandler.handle (and the private pieces it relies on: read_body, create_request, "
        "send_response, listen_for_disconnect, run_get_response, load_middleware), port the "
        "change, run this suite with CONSENSUS_LEAN_HANDLER on and off, then pin the new hash "
        f"here: {digest}"
    )


def test_the_application_serves_the_streams_as_the_setting_says() -> None:
    http = asgi.application.application_mapping["http"]
    assert http.lean is settings.CONSENSUS_LEAN_HANDLER


@pytest.mark.django_db(transaction=True)
async def test_with_the_lean_handler_off_the_streams_take_djangos_handler(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the lean handler is off")

    monkeypatch.setattr(LeanASGIHandler, "__init__", refuse)
    http = asgi.build_http_application(lean=False)

    status, _, body = await call(http, "PUT", "/api/consensus/stream")

    assert status == 405
    assert json.loads(body)["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db(transaction=True)
async def test_with_the_lean_handler_on_the_streams_take_it(monkeypatch) -> None:
    served: list[str] = []
    original = LeanASGIHandler.handle

    async def handle(self, scope, receive, send):  # type: ignore[no-untyped-def]
        served.append(scope["path"])
        await original(self, scope, receive, send)

    monkeypatch.setattr(LeanASGIHandler, "handle", handle)
    http = asgi.build_http_application(lean=True)

    status, _, _ = await call(http, "PUT", "/api/consensus/stream")
    other, _, _ = await call(http, "GET", "/api/consensus/runs/not-a-run")

    assert status == 405
    assert other == 404
    assert served == ["/api/consensus/stream"]
