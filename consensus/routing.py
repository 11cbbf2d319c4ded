"""WebSocket routes and the WebSocket application (wired in `consensus_project/asgi.py`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import ParseResult

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/consensus/", consumers.ConsensusConsumer.as_asgi(), name="ws-consensus"),
    path("ws/runs/", consumers.RunFeedConsumer.as_asgi(), name="ws-runs"),
]


class BrowserOriginValidator(OriginValidator):  # type: ignore[misc]
    """Refuses a browser on a foreign origin at the handshake (browsers send session cookies
    with WebSockets from any site). A client without an `Origin` header is not a browser: it
    holds its own credentials (an API token, a cookie it was given), so it may connect."""

    def valid_origin(self, parsed_origin: ParseResult | None) -> bool:
        return parsed_origin is None or bool(super().valid_origin(parsed_origin))


def websocket_application() -> Any:
    """Origins of `DJANGO_ALLOWED_HOSTS` (as Channels' `AllowedHostsOriginValidator`), sessions,
    then the routes."""
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = ["localhost", "127.0.0.1", "[::1]"]
    return BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)), allowed)
