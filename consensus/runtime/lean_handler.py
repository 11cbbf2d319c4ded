"""`LeanASGIHandler`: Django's `ASGIHandler` for the streaming endpoints, without a thread per
request (`consensus_project/asgi.py` routes them here while `CONSENSUS_LEAN_HANDLER` is on).

Pinned to Django 5.2 (pyproject `Django~=5.2.0`): `handle` is a copy of Django 5.2's
`ASGIHandler.handle`, checked by `tests/test_lean_handler.py`.

Stock `ASGIHandler` starts one thread per request (`ThreadSensitiveContext`) and runs every
`MiddlewareMixin` hook through `sync_to_async` (about a dozen thread hops per request with the
default stack): measured here, 4-6 ms of added time to first token and a thread per open stream
(docs/performance.md). The lean handler serves the same `settings.MIDDLEWARE`, but

- runs the hooks of Django's own middleware, which do no I/O, inline on the event loop (a session
  that was modified is still saved in a thread);
- leaves any other middleware exactly as Django adapts it (async-native ones stay native; a
  sync-only one makes it fall back to the stock chain);
- runs the requests' sync work on one long-lived thread instead of one new thread per request,
  apart from asgiref's shared thread where runs save themselves (saves are serialized there;
  SQLite then never sees concurrent writers, and a save never delays another stream's start);
- queues `request_started` on that thread instead of awaiting it (`_request_started`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from asgiref.sync import (
    SyncToAsync,
    ThreadSensitiveContext,
    iscoroutinefunction,
    markcoroutinefunction,
    sync_to_async,
)
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponseBase
from django.urls import set_script_prefix
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Django middleware whose request/view/response hooks only read headers and cookies and set
# attributes (no database, cache or file I/O with the default settings).
INLINE_SAFE = frozenset(
    {
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        # Reads Accept-Language and the language cookie; activation is per context (asgiref Local).
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    }
)
# Paths served by the lean handler: the SSE streams (the resume endpoint ends in `/events`) and
# the OpenAI-compatible chat completions.
STREAM_PATH = "/api/consensus/stream"
RUN_EVENTS = ("/api/consensus/runs/", "/events")
OPENAI_PATH = "/v1/chat/completions"

Handler = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class InlineHooks:
    """Calls one `MiddlewareMixin` instance's hooks on the event loop instead of in a thread."""

    def __init__(self, middleware: Any, get_response: Handler) -> None:
        self.get_response = get_response
        self.process_request = getattr(middleware, "process_request", None)
        self.process_response = getattr(middleware, "process_response", None)
        self.is_session = isinstance(middleware, SessionMiddleware)
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.process_request(request) if self.process_request else None
        response = response or await self.get_response(request)
        if self.process_response is None:
            return response
        if self.is_session and _session_needs_save(request):
            return await sync_to_async(self.process_response)(request, response)  # type: ignore[no-any-return]
        return self.process_response(request, response)  # type: ignore[no-any-return]


def _session_needs_save(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)


def _inline(method: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    async def call(*args: Any) -> Any:
        return method(*args)

    return call


class _NotLean(Exception):
    """A middleware cannot run in the lean chain; the stock chain is kept."""


# The sync work of every streaming request (the request_started/finished signals, token lookups)
# runs on this one long-lived thread, not one thread per request, and not on asgiref's shared
# thread either, where runs save themselves: a save must never hold up a first token.
_REQUEST_THREAD = ThreadSensitiveContext()  # used only as the key of its executor
_REQUEST_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stream-requests")
SyncToAsync.context_to_thread_executor[_REQUEST_THREAD] = _REQUEST_EXECUTOR


def _request_started(sender: type, scope: dict[str, Any]) -> None:
    """Send `request_started` on the request thread without waiting for it.

    Its receivers (`close_old_connections`, `reset_queries`) act on the database connections of
    the thread that runs the request's sync work; that thread takes jobs in order, so they still
    run before any of the request's queries. Awaiting them cost a round trip to the thread,
    0.4-0.7 ms of every stream's time to first token.
    """
    done = _REQUEST_EXECUTOR.submit(signals.request_started.send, sender=sender, scope=scope)
    done.add_done_callback(_log_failure)


def _log_failure(done: Future[Any]) -> None:
    if (exc := done.exception()) is not None:
        logger.error("request_started receiver failed", exc_info=exc)


class LeanASGIHandler(ASGIHandler):
    """`ASGIHandler` with inline middleware hooks and no thread per request."""

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=True)
        try:
            self._build_lean_chain()
        except _NotLean:
            super().load_middleware(is_async=True)

    def _build_lean_chain(self) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        get_response = self._get_response_async  # type: ignore[attr-defined]
        handler: Any = convert_exception_to_response(get_response)
        for path in reversed(settings.MIDDLEWARE):
            cls = import_string(path)
            if not getattr(cls, "async_capable", False):
                raise _NotLean(path)
            inline = path in INLINE_SAFE and not (
                path.endswith(".CsrfViewMiddleware") and settings.CSRF_USE_SESSIONS
            )
            instance = cls(handler)
            if hasattr(instance, "process_view"):
                hook = instance.process_view
                self._view_middleware.insert(
                    0, _inline(hook) if inline else self.adapt_method_mode(True, hook)
                )
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(
                    self.adapt_method_mode(True, instance.process_template_response)
                )
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(
                    self.adapt_method_mode(False, instance.process_exception)
                )
            wrapped = InlineHooks(instance, handler) if inline else instance
            if not iscoroutinefunction(wrapped):
                raise _NotLean(path)
            handler = convert_exception_to_response(wrapped)
        self._middleware_chain = handler

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        SyncToAsync.thread_sensitive_context.set(_REQUEST_THREAD)  # this request's task only
        await self.handle(scope, receive, send)

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Django 5.2's `ASGIHandler.handle`, but `request_started` is not awaited
        (`_request_started`)."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        _request_started(self.__class__, scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None
            body_file.close()
            await self.send_response(error_response, send)
            await sync_to_async(error_response.close)()
            return

        async def process_request(request: HttpRequest, send: Any) -> HttpResponseBase:
            response = await self.run_get_response(request)
            with contextlib.suppress(asyncio.CancelledError):  # the client left while we sent
                await self.send_response(response, send)
            return response

        # Listen for a disconnect while the response is made and sent (as Django does).
        processing = asyncio.create_task(process_request(request, send))
        tasks: list[asyncio.Task[Any]] = [
            asyncio.create_task(self.listen_for_disconnect(receive)),
            processing,
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done():
                try:
                    task.result()
                except RequestAborted:
                    pass
                except AssertionError:
                    body_file.close()
                    raise
            else:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        try:
            response = processing.result()
        except asyncio.CancelledError:
            await signals.request_finished.asend(sender=self.__class__)
        else:
            await sync_to_async(response.close)()
        body_file.close()


def is_stream_path(path: str) -> bool:
    """The streaming endpoints, which take the lean handler."""
    if path in (STREAM_PATH, OPENAI_PATH):
        return True
    return path.startswith(RUN_EVENTS[0]) and path.endswith(RUN_EVENTS[1])
