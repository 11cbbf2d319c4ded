"""Static files (the chat page's CSS and JS, the admin's) from WhiteNoise, under any ASGI server.

WhiteNoise's middleware is sync-only: in Django's async chain it would put every request, the
streams too, behind a thread hop, and the lean handler would fall back to Django's chain. This
subclass is async-only: a request outside `STATIC_URL` passes straight through on the event loop;
a static file is looked up and opened in a thread (WhiteNoise's own code, unchanged).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponseBase
from whitenoise.middleware import WhiteNoiseMiddleware


class AsyncWhiteNoiseMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    """`whitenoise.middleware.WhiteNoiseMiddleware` for an async middleware chain."""

    sync_capable = False
    async_capable = True

    def __init__(
        self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]], **kwargs: Any
    ) -> None:
        super().__init__(get_response, **kwargs)
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(self.static_prefix):
            response = await sync_to_async(self._static, thread_sensitive=False)(request)
            if response is not None:
                return response
        return await self.get_response(request)  # type: ignore[no-any-return]

    def _static(self, request: HttpRequest) -> HttpResponseBase | None:
        path = request.path_info
        found = self.find_file(path) if self.autorefresh else self.files.get(path)
        return None if found is None else self.serve(found, request)
