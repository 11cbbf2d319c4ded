"""HTTP edges: the SSE stream endpoint, one run as JSON, health. Thin: parse, wire, answer."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from . import feedback, selectors
from .access import admission as access
from .access.tokens import bearer_secret
from .conf import ConsensusConfig, get_config
from .inputs import InvalidInput, question_from_request
from .streaming import sse
from .streaming.hub import get_hub, start_run, stream_settings
from .streaming.run import Run


def error_response(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    """The one JSON error shape: `{"error": {"code", "message"}}`."""
    return JsonResponse({"error": {"code": code, "message": message, **extra}}, status=status)


def _ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


async def _csrf_failure(request: HttpRequest) -> HttpResponseBase | None:
    """Session-authenticated POSTs keep CSRF protection; token and anonymous callers need none
    (a page on another site cannot send an `Authorization` header without CORS allowing it)."""
    if request.method != "POST" or not request.COOKIES or bearer_secret(request) is not None:
        return None
    user = await request.auser()
    if not user.is_authenticated:
        return None
    middleware = CsrfViewMiddleware(_ok)
    rejected = middleware.process_view(request, _ok, (), {})  # _ok is not csrf_exempt
    if rejected is None:
        return None
    return error_response(403, "csrf_failed", "CSRF check failed: send the X-CSRFToken header.")


@csrf_exempt
async def consensus_stream(request: HttpRequest) -> HttpResponseBase:
    """`GET|POST /api/consensus/stream`: answer a question as a stream of consensus events."""
    if request.method not in ("GET", "POST"):
        response = error_response(405, "method_not_allowed", "Use GET or POST.")
        response["Allow"] = "GET, POST"
        return response
    cfg = get_config()
    last_event_id = request.headers.get("Last-Event-ID", "")
    if request.method == "GET" and last_event_id:
        # EventSource reconnecting: resume the run, never ask the question again.
        parsed = sse.parse_event_id(last_event_id)
        if parsed is None:
            return error_response(
                400, "invalid_event_id", "Last-Event-ID must look like '<run_id>:<n>'."
            )
        return await _resume(request, str(parsed[0]), parsed[1], cfg)
    try:
        question = question_from_request(request, cfg)
    except InvalidInput as exc:
        return error_response(exc.status, exc.code, exc.message)
    if (rejected := await _csrf_failure(request)) is not None:
        return rejected
    if missing := cfg.missing_keys():
        return error_response(
            503,
            "not_configured",
            f"No model is configured: set {' and '.join(missing)} (or run the local model, "
            "see README).",
            missing=missing,
        )
    try:
        admission = await access.admit(request, cfg)  # 401 bad token / login required, 429
    except access.AccessDenied as denied:
        return denied.response()
    record = question.record(client_id=admission.client_key)
    channel = start_run(record, cfg, on_finish=[admission.release])
    return _event_stream(channel, -1)


def _event_stream(run: Run, after: int) -> StreamingHttpResponse:
    """The SSE response following `run` after event index `after`."""
    run_id = run.run_id
    frames: AsyncIterator[bytes] = run.follow(after, sse.framer(run_id))
    response = StreamingHttpResponse(frames, content_type=sse.CONTENT_TYPE)
    for name, value in sse.HEADERS.items():
        response[name] = value
    response["X-Run-Id"] = run_id
    return response


async def _caller(request: HttpRequest, cfg: ConsensusConfig) -> access.Caller:
    """With `CONSENSUS_REQUIRE_AUTH`, only the run's own client (or staff) may read or stop it."""
    if not cfg.require_auth:
        return access.Caller(None)
    _, key = await access.identify(request, cfg)  # raises AccessDenied (401)
    user = await request.auser()
    return access.Caller(key, is_staff=bool(user.is_authenticated and user.is_staff))


def _not_found(run_id: str) -> JsonResponse:
    return error_response(404, "run_not_found", f"No run with id {run_id}.")


async def _resume(
    request: HttpRequest, run_id: str, after: int, cfg: ConsensusConfig, *, known: bool = False
) -> HttpResponseBase:
    """Replay the events of `run_id` after index `after`, then follow the run live.

    204 when the client has already seen the terminal event, or (for `EventSource`, `known`
    False) when the run is unknown: 204 is what stops a browser from reconnecting.
    """
    try:
        caller = await _caller(request, cfg)
    except access.AccessDenied as denied:
        return denied.response()
    run = await get_hub().locate(run_id, stream_settings(cfg))
    if run is None or not caller.may_see(run.client):
        return _not_found(run_id) if known else HttpResponse(status=204)
    if run.terminal_seen(after):
        return HttpResponse(status=204)
    return _event_stream(run, after)


async def run_events(request: HttpRequest, run_id: uuid.UUID) -> HttpResponseBase:
    """`GET /api/consensus/runs/<id>/events`: resume a run's stream (for `fetch` clients).

    The position comes from `Last-Event-ID` (`<run_id>:<n>`) or `?after=n` (n >= 0: the last
    event seen); without either the whole buffered stream is replayed. 400 otherwise.
    """
    if request.method != "GET":
        return error_response(405, "method_not_allowed", "Use GET.")
    header = request.headers.get("Last-Event-ID", "")
    after_param = request.GET.get("after", "")
    if header:
        parsed = sse.parse_event_id(header)
        if parsed is None or parsed[0] != run_id:
            return error_response(
                400, "invalid_event_id", "Last-Event-ID must be '<run_id>:<n>' of this run."
            )
        after = parsed[1]
    elif after_param:
        index = sse.parse_index(after_param)
        if index is None:
            return error_response(
                400, "invalid_after", "'after' must be an event index (an integer >= 0)."
            )
        after = index
    else:
        after = -1
    return await _resume(request, str(run_id), after, get_config(), known=True)


@csrf_exempt  # checked below as on the stream endpoint: session users only, not token clients
async def run_stop(request: HttpRequest, run_id: uuid.UUID) -> HttpResponseBase:
    """`POST /api/consensus/runs/<id>/stop`: cancel a running run at once (saved as aborted)."""
    if request.method != "POST":
        return error_response(405, "method_not_allowed", "Use POST.")
    if (rejected := await _csrf_failure(request)) is not None:
        return rejected
    cfg = get_config()
    try:
        caller = await _caller(request, cfg)
    except access.AccessDenied as denied:
        return denied.response()
    key = str(run_id)
    run = await get_hub().locate(key, stream_settings(cfg))
    if run is None or not caller.may_see(run.client):
        return _not_found(key)
    if await run.request_stop("stopped on request"):
        return JsonResponse({"run_id": key, "status": "stopping"}, status=202)
    return JsonResponse({"run_id": key, "status": "finished"}, status=200)


@csrf_exempt  # checked below as on the stream endpoint: session users only, not token clients
async def run_feedback_view(request: HttpRequest, run_id: uuid.UUID) -> HttpResponseBase:
    """`POST /api/consensus/runs/<id>/feedback`: helpful or not, with an optional comment."""
    if request.method != "POST":
        return error_response(405, "method_not_allowed", "Use POST.")
    if (rejected := await _csrf_failure(request)) is not None:
        return rejected
    try:
        given = feedback.parse_feedback(request.body)
    except feedback.InvalidFeedback as exc:
        return error_response(400, exc.code, exc.message)
    try:
        caller = await _caller(request, get_config())
    except access.AccessDenied as denied:
        return denied.response()
    run = await selectors.run_get(run_id=run_id)
    if run is None or not caller.may_see(run.client_id):
        return _not_found(str(run_id))
    if run.status == "running":
        return error_response(409, "run_not_finished", "Feedback is taken once the run ended.")
    stored = await feedback.feedback_save(run=run, feedback=given)
    return JsonResponse(
        {"run_id": str(run_id), "helpful": stored.helpful, "comment": stored.comment},
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt  # GET only: another method gets its 405, not the CSRF middleware's 403
async def run_detail(request: HttpRequest, run_id: uuid.UUID) -> HttpResponseBase:
    """`GET /api/consensus/runs/<id>`: one persisted run."""
    if request.method != "GET":
        return error_response(405, "method_not_allowed", "Use GET.")
    try:
        caller = await _caller(request, get_config())
    except access.AccessDenied as denied:
        return denied.response()
    run = await selectors.run_get(run_id=run_id)
    if run is None or not caller.may_see(run.client_id):
        return _not_found(str(run_id))
    return JsonResponse(selectors.run_to_dict(run), json_dumps_params={"ensure_ascii": False})


def _ping_database() -> None:
    # Resolve the connection in the thread that uses it: a wrapper looked up on the event loop
    # and used in the worker thread fails Django's thread-sharing check (seen on PostgreSQL).
    connection.ensure_connection()


async def healthz(request: HttpRequest) -> HttpResponse:
    """`GET /healthz`: database, cache and provider configuration."""
    checks: dict[str, str] = {}
    try:
        await sync_to_async(_ping_database)()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        await cache.aset("healthz", "ok", 5)
        checks["cache"] = "ok" if await cache.aget("healthz") == "ok" else "error: no read-back"
    except Exception as exc:
        checks["cache"] = f"error: {type(exc).__name__}"
    cfg = get_config()
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        **checks,
        "models": {
            "groq": {"model": cfg.fast.model, "configured": cfg.fast.configured},
            "byteplus": {"model": cfg.validator.model, "configured": cfg.validator.configured},
        },
    }
    return JsonResponse(body, status=200 if healthy else 503)


def index(request: HttpRequest) -> HttpResponse:
    """`GET /`: the demo chat page."""
    return render(request, "consensus/index.html", {"config": get_config()})
