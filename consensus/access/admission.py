"""Who may start a stream: authentication (bearer token or session), then the per-client limits.

The client a limit counts against is the API token when one is sent, else the session user, else
the connecting IP address (`REMOTE_ADDR`). `X-Forwarded-For` is never read here: behind a proxy,
let the ASGI server rewrite the client address (daphne `--proxy-headers`, uvicorn
`--proxy-headers --forwarded-allow-ips`) so that only a trusted proxy can set it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, JsonResponse

from ..conf import ConsensusConfig
from ..models import ApiToken
from . import ratelimit
from . import tokens as auth


class AccessDenied(Exception):
    """The caller may not start a stream now: carries the JSON error response's parts."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        """The `{"error": {code, message}}` response, with its headers."""
        response = JsonResponse(
            {"error": {"code": self.code, "message": self.message}}, status=self.status
        )
        for name, value in self.headers.items():
            response[name] = value
        return response


@dataclass(slots=True)
class Admission:
    """An admitted caller: who it is, and the concurrency slot its stream holds."""

    client_key: str
    token: ApiToken | None = None
    lease: ratelimit.Lease = field(default_factory=ratelimit.Lease)

    async def release(self) -> None:
        """Free the stream's slot; safe to call more than once."""
        await self.lease.release()


async def admit(request: HttpRequest, cfg: ConsensusConfig) -> Admission:
    """Authenticate the caller and take a stream slot for it, or raise `AccessDenied`."""
    token, client_key = await identify(request, cfg)
    try:
        lease = await ratelimit.acquire(client_key, cfg)
    except ratelimit.RateLimited as exc:
        raise AccessDenied(
            429, exc.code, exc.message, {"Retry-After": str(exc.retry_after)}
        ) from exc
    return Admission(client_key=client_key, token=token, lease=lease)


async def identify(request: HttpRequest, cfg: ConsensusConfig) -> tuple[ApiToken | None, str]:
    """The caller's token (if any) and client key; 401 for a bad token or a required login."""
    secret = auth.bearer_secret(request)
    if secret is not None:
        try:
            token = await auth.token_authenticate(secret)
        except auth.InvalidToken as exc:
            raise AccessDenied(
                401,
                "invalid_token",
                "The API token is unknown or revoked.",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from exc
        return token, f"token:{token.pk}"
    user = await request.auser()
    if user.is_authenticated:
        return None, f"user:{user.pk}"
    if cfg.require_auth:
        raise AccessDenied(
            401,
            "unauthorized",
            "Send an API token (Authorization: Bearer …) or log in.",
            {"WWW-Authenticate": "Bearer"},
        )
    return None, f"ip:{request.META.get('REMOTE_ADDR') or 'unknown'}"
