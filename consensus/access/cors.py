"""CORS for `/api/` paths, for origins on `CONSENSUS_CORS_ALLOWED_ORIGINS` only.

Preflights are answered here, before any view. No credentials are allowed cross-origin: other
frontends authenticate with a bearer token, so session cookies (and CSRF) stay same-origin.
Sync and async capable; on the async path it adds no thread hop to a streaming response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers

from ..conf import get_config

API_PREFIX = "/api/"
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID, X-CSRFToken"
EXPOSE_HEADERS = "X-Run-Id, Retry-After"
MAX_AGE = "600"

GetResponse = Callable[[HttpRequest], HttpResponseBase | Awaitable[HttpResponseBase]]


class CorsMiddleware:
    """Allowlisted cross-origin access to the JSON/SSE API."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        if (preflight := self.preflight(request)) is not None:
            return preflight
        response = cast(HttpResponseBase, self.get_response(request))
        return self.decorate(request, response)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        if (preflight := self.preflight(request)) is not None:
            return preflight
        response = await cast(Awaitable[HttpResponseBase], self.get_response(request))
        return self.decorate(request, response)

    @staticmethod
    def preflight(request: HttpRequest) -> HttpResponse | None:
        """A 204 for an API preflight (with CORS headers only for an allowed origin)."""
        if not (
            request.method == "OPTIONS"
            and request.path.startswith(API_PREFIX)
            and "Origin" in request.headers
            and "Access-Control-Request-Method" in request.headers
        ):
            return None
        response = HttpResponse(status=204)
        patch_vary_headers(response, ("Origin",))
        if (origin := allowed_origin(request)) is not None:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response["Access-Control-Max-Age"] = MAX_AGE
        return response

    @staticmethod
    def decorate(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """Add the CORS headers to an API response for an allowed origin."""
        if not request.path.startswith(API_PREFIX):
            return response
        patch_vary_headers(response, ("Origin",))
        if (origin := allowed_origin(request)) is not None:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        return response


def allowed_origin(request: HttpRequest) -> str | None:
    """The request's `Origin` if it is on the allowlist (exact scheme://host[:port] match)."""
    origin = request.headers.get("Origin", "").rstrip("/")
    if not origin:
        return None
    allowed = {o.strip().rstrip("/").lower() for o in get_config().cors_allowed_origins}
    return origin if origin.lower() in allowed else None
