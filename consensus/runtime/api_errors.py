"""Every error under `/api/` is JSON: `{"error": {"code", "message"}}`, whatever DEBUG says.

The views answer their own errors in that shape; what reaches a client past them (Django's 404
for a path the URLs do not match, such as a run id that is not a UUID, the CSRF 403, the 400 for
a suspicious request, which with DEBUG on is the debug page with the request's locals) is replaced
here by a JSON body of the same status. Async-native, so the streaming endpoints' lean handler
keeps it inline (`consensus_project/asgi.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase, JsonResponse

API_PREFIX = "/api/"
# Headers of the replaced response that still apply to the JSON one.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary")
_RUN_PATH = re.compile(r"^/api/consensus/runs/[^/]+(?:/events|/stop)?/?$")

CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request is malformed."),
    401: ("unauthorized", "Authentication is required."),
    403: ("forbidden", "The request was refused (for a session: send the X-CSRFToken header)."),
    404: ("not_found", "There is no API endpoint at this path."),
    405: ("method_not_allowed", "This endpoint does not accept the method."),
    413: ("payload_too_large", "The request body is larger than the server accepts."),
    414: ("uri_too_long", "The request URI is too long."),
    415: ("unsupported_content_type", "The request's content type is not accepted."),
    429: ("rate_limited", "Too many requests."),
}


def is_json(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def json_error(request: HttpRequest, response: HttpResponseBase) -> JsonResponse:
    """The JSON twin of a non-JSON error response."""
    status = response.status_code
    code, message = CODES.get(status, ("client_error", "The request cannot be answered."))
    if status == 404 and _RUN_PATH.match(request.path):
        code, message = "run_not_found", "No run with this id (a run id is a UUID)."
    elif status == 403 and b"CSRF" in getattr(response, "content", b""):
        code = "csrf_failed"
    replacement = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    for name in KEPT_HEADERS:
        if name in response:
            replacement[name] = response[name]
    return replacement


def as_json(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """`response`, or its JSON twin when it is a non-JSON 4xx under `/api/`."""
    if (
        400 <= response.status_code < 500
        and request.path.startswith(API_PREFIX)
        and not is_json(response)
    ):
        replacement = json_error(request, response)
        response.close()
        return replacement
    return response


class ApiErrorMiddleware:
    """Replaces non-JSON 4xx responses under `/api/` by the API's JSON error shape. Async-native
    under ASGI (no thread hop), plain under the sync test client."""

    async_capable = True
    sync_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self._acall(request)
        return as_json(request, self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        return as_json(request, await self.get_response(request))
