"""Content-Security-Policy on every HTML page (the chat page, the admin).

Nothing inline is allowed: the chat page and the admin load their scripts and styles from files
(`static/`), and the dashboard's charts colour with SVG attributes, not `style=`. A script
injected into a page therefore does not run. Django 5.2 has no CSP support of its own; this
middleware is async-native so the streaming endpoints' lean handler keeps it inline, and it
leaves non-HTML responses (JSON, event streams) alone.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"
POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # the chat page's empty favicon (`data:,`)
        "font-src 'self'",
        "connect-src 'self'",  # the stream, resume and stop requests; same-origin WebSockets
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def add_policy(response: HttpResponseBase) -> HttpResponseBase:
    if HEADER not in response and str(response.get("Content-Type", "")).startswith("text/html"):
        response[HEADER] = POLICY
    return response


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header to HTML responses."""

    async_capable = True
    sync_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self._acall(request)
        return add_policy(self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        return add_policy(await self.get_response(request))
