"""HTTP edges of the OpenAI-compatible API: `GET /v1/models`, `POST /v1/chat/completions`.

Admission is the SSE endpoint's (API tokens as `Authorization: Bearer`, `CONSENSUS_REQUIRE_AUTH`,
the per-client limits), except that browser sessions are not read: this API is for programs. The
run is started on the hub like any other, with no resume grace: an OpenAI client cannot resume,
so when it leaves the run is cancelled at once (both upstream calls with it) and saved aborted.
A streamed response's headers wait for the first text, so that a run that fails before it (both
models down) still gets its HTTP status.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Sequence

import orjson
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from ..access import admission as access
from ..access.tokens import SECRET_PREFIX, bearer_secret
from ..conf import ConsensusConfig, get_config
from ..models import ApiToken
from ..runtime import shutdown
from ..streaming import sse
from ..streaming.hub import start_run
from ..streaming.run import Run
from . import MODELS, chunks
from .errors import ApiError, from_access, model_not_found
from .relay import ChunkStream, run_error
from .request import ChatParams, chat_params
from .translate import Translation


async def _anonymous() -> AnonymousUser:
    return AnonymousUser()


async def _identify(request: HttpRequest, cfg: ConsensusConfig) -> tuple[ApiToken | None, str]:
    """The caller's token and client key; 401 for a bad token, or for none when
    `CONSENSUS_REQUIRE_AUTH` is on.

    OpenAI clients must send some key. Without `CONSENSUS_REQUIRE_AUTH`, a key that is not one of
    ours (no `csk_` prefix: "EMPTY", "sk-no-key-required") counts as none, as on other
    OpenAI-compatible servers that need no key; one of ours that is unknown or revoked is a 401.
    """
    address = request.META.get("REMOTE_ADDR") or ""
    secret = bearer_secret(request) or None
    if secret is not None and not cfg.require_auth and not secret.startswith(SECRET_PREFIX):
        secret = None
    return await access.identify_client(secret, _anonymous, address, cfg)


def _method_not_allowed(allowed: str) -> JsonResponse:
    response = ApiError(405, "method_not_allowed", f"Use {allowed}.").response()
    response["Allow"] = allowed
    return response


async def models(request: HttpRequest, model: str | None = None) -> HttpResponseBase:
    """`GET /v1/models` (and `/v1/models/<id>`): the two models, in OpenAI's shapes."""
    if request.method != "GET":
        return _method_not_allowed("GET")
    try:
        await _identify(request, get_config())
    except access.AccessDenied as denied:
        return from_access(denied).response()
    if model is None:
        return JsonResponse(chunks.model_list())
    if model not in MODELS:
        return model_not_found(model).response()
    return JsonResponse(chunks.model_object(model))


@csrf_exempt  # no session is read here: token or anonymous callers only
async def chat_completions(request: HttpRequest) -> HttpResponseBase:
    """`POST /v1/chat/completions`: a question answered by the consensus, streamed or whole."""
    if request.method != "POST":
        return _method_not_allowed("POST")
    cfg = get_config()
    try:
        params, run = await _start(request, cfg)
    except ApiError as error:
        return error.response()
    if params.stream:
        return await _streamed(run, params)
    return await _whole(run, params)


async def _start(request: HttpRequest, cfg: ConsensusConfig) -> tuple[ChatParams, Run]:
    """Admit, validate and start the run, or raise `ApiError`."""
    if shutdown.draining.active:
        raise ApiError(
            503,
            "shutting_down",
            "This server is shutting down; ask again in a few seconds.",
            headers={"Retry-After": str(shutdown.RETRY_AFTER)},
        )
    try:
        token, client_key = await _identify(request, cfg)  # 401 before anything else is said
        params = chat_params(request, cfg)  # 400, 404, 413
        if missing := cfg.missing_keys():
            raise ApiError(
                503, "not_configured", f"No model is configured: set {' and '.join(missing)}."
            )
        admission = await access.admit_client(token, client_key, cfg)  # 429
    except access.AccessDenied as denied:
        raise from_access(denied) from denied
    record = params.question.record(client_id=admission.client_key, source="openai")
    run = start_run(record, cfg, on_finish=[admission.release], resume_grace=0.0)
    return params, run


def _run_error(translation: Translation) -> ApiError:
    return ApiError(*run_error(translation))


async def _whole(run: Run, params: ChatParams) -> HttpResponseBase:
    """The non-streamed answer, once the run has ended. Leaving (the client went away) detaches
    from the run, which cancels it."""
    translation = Translation(params.model, params.question.prompt)
    pieces: list[str] = []

    def collect(start: int, payloads: Sequence[bytes]) -> None:
        for payload in payloads:
            if text := translation.feed(orjson.loads(payload)):
                pieces.append(text)

    async with contextlib.aclosing(run.follow(-1, collect)) as batches:
        async for _ in batches:
            pass
    if translation.complete is None:
        return _run_error(translation).response()
    body = chunks.completion(
        run.run_id, params.model, "".join(pieces), translation.usage(), translation.consensus()
    )
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["X-Run-Id"] = run.run_id
    return response


async def _streamed(run: Run, params: ChatParams) -> HttpResponseBase:
    """The SSE response; its headers wait for the first text (or the run's end), so that a run
    that fails before any text is answered with its HTTP status. The response is built before
    the wait: only the first text is left on the first token's path."""
    translation = Translation(params.model, params.question.prompt)
    framer = chunks.ChunkFramer(run.run_id, params.model, include_usage=params.include_usage)
    stream = ChunkStream(translation, framer)
    frames = run.follow(-1, stream)
    response = StreamingHttpResponse(_body(frames, stream), content_type=sse.CONTENT_TYPE)
    for name, value in sse.HEADERS.items():
        response[name] = value
    response["X-Run-Id"] = run.run_id
    try:
        async for sent in frames:
            if stream.began:
                stream.first = sent
                break
    except BaseException:
        await frames.aclose()  # the client left while we waited: the run is cancelled
        raise
    if not stream.began:
        await frames.aclose()
        return _run_error(translation).response()
    return response


async def _body(frames: AsyncGenerator[bytes, None], stream: ChunkStream) -> AsyncIterator[bytes]:
    """The first bytes (taken by the view), then the run's framed batches (those without
    anything to send left out); a run that ended without its terminal event still ends the
    stream with an error."""
    async with contextlib.aclosing(frames):
        yield stream.first
        async for sent in frames:
            if sent:
                yield sent
    if not stream.translation.finished:
        status, code, message = run_error(stream.translation)
        yield chunks.error_frame(status, code, message)
