"""ASGI entry point: Django over HTTP, Channels for WebSockets, a lifespan for start-up and a
graceful shutdown.

With `CONSENSUS_LEAN_HANDLER` on (the default) the streaming endpoints go through
`consensus.runtime.lean_handler.LeanASGIHandler` (no thread per request); every other path, and
every path with the setting off, through Django's stock handler. Static files are served by
WhiteNoise's middleware inside Django (`settings.MIDDLEWARE`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from importlib import import_module
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from consensus.providers.http import close_client, get_client  # noqa: E402
from consensus.routing import websocket_application  # noqa: E402
from consensus.runtime import gcpolicy, shutdown, verdicts  # noqa: E402
from consensus.runtime.lean_handler import (  # noqa: E402
    STREAM_PATH,
    LeanASGIHandler,
    is_stream_path,
)
from consensus.streaming.hub import get_hub  # noqa: E402

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]

__all__ = ["LeanASGIHandler", "application", "build_http_application", "is_stream_path"]


def build_http_application(*, lean: bool) -> ASGIApp:
    """The HTTP side: Django's stock handler, with the streams on the lean handler if `lean`."""
    streams: ASGIApp = LeanASGIHandler() if lean else django_application

    async def http_application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope["path"]
        if shutdown.draining.active and path == STREAM_PATH and scope["method"] != "OPTIONS":
            await shutdown.refuse(send)  # a new run would only be cut short
        elif is_stream_path(path):
            await streams(scope, receive, send)
        else:
            await django_application(scope, receive, send)

    http_application.lean = lean  # type: ignore[attr-defined]
    return http_application


def _start_up() -> asyncio.Task[None]:
    """Warm up what the first request would build, freeze it, start the deferred collector."""
    get_client(settings.CONSENSUS_NETWORK_BACKEND)  # the upstream pools (TLS context)
    import_module(settings.ROOT_URLCONF)  # the views and everything they import
    verdicts.start()  # the verdict process and its sentence encoder, not on a first verdict
    gcpolicy.install()  # ... so that all of it is frozen out of collections
    hub = get_hub()
    shutdown.watch_signals()

    def busy() -> bool:
        return bool(hub.runs)

    return asyncio.create_task(gcpolicy.FullCollections(busy=busy).run(), name="gc-full")


async def _shut_down(collector: asyncio.Task[None] | None) -> None:
    """Refuse new runs, give the open ones `CONSENSUS_SHUTDOWN_GRACE` seconds (counted from the
    signal), save the rest as aborted, then close the upstream clients and the collector."""
    shutdown.draining.start()
    hub = get_hub()
    grace = shutdown.draining.left(settings.CONSENSUS_SHUTDOWN_GRACE)
    left = await shutdown.finish_runs(
        lambda: [c.task for c in hub.runs.values() if c.task is not None], grace
    )
    if left:
        shutdown.logger.warning("%d run(s) still open after the grace: saved as aborted", left)
    await hub.shutdown()
    await close_client()
    verdicts.shutdown()
    if collector is not None:
        collector.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collector


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """ASGI lifespan (uvicorn): warm up, take the garbage collector's full collections off the
    streams' path (`consensus.runtime.gcpolicy`); shut down gracefully (`_shut_down`)."""
    collector: asyncio.Task[None] | None = None
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            collector = _start_up()
            await verdicts.ready()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await _shut_down(collector)
            await send({"type": "lifespan.shutdown.complete"})
            return


application = ProtocolTypeRouter(
    {
        "http": build_http_application(lean=settings.CONSENSUS_LEAN_HANDLER),
        # Browsers send session cookies with WebSockets from any site: only our own origins.
        "websocket": websocket_application(),
        "lifespan": lifespan,
    }
)
