"""Who may start a stream: authentication (bearer token or session), then the per-client limits.

The client a limit counts against is the API token when one is sent, else the session user, else
the connecting IP address (`REMOTE_ADDR`). `X-Forwarded-For` is never read here: behind a proxy,
let the ASGI server rewrite the client address (daphne `--proxy-headers`, uvicorn
`--proxy-headers --forwarded-allow-ips`) so that only a trusted proxy can set it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

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
    return await admit_client(token, client_key, cfg)


async def admit_client(token: ApiToken | None, client_key: str, cfg: ConsensusConfig) -> Admission:
    """Take a stream slot for an identified caller (any edge), or raise `AccessDenied` (429)."""
    try:
        lease = await ratelimit.acquire(client_key, cfg)
    except ratelimit.RateLimited as exc:
        raise AccessDenied(
            429, exc.code, exc.message, {"Retry-After": str(exc.retry_after)}
        ) from exc
    return Admission(client_key=client_key, token=token, lease=lease)


async def identify(request: HttpRequest, cfg: ConsensusConfig) -> tuple[ApiToken | None, str]:
    """The caller's token (if any) and client key; 401 for a bad token or a required login."""
    return await identify_client(
        auth.bearer_secret(request), request.auser, request.META.get("REMOTE_ADDR") or "", cfg
    )


async def identify_client(
    secret: str | None,
    user: Callable[[], Awaitable[Any]],
    address: str,
    cfg: ConsensusConfig,
) -> tuple[ApiToken | None, str]:
    """`identify` for any edge: a token secret (if sent), the session user (looked up only
    without a token) and the connecting address."""
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
    account = await user()
    if account.is_authenticated:
        return None, f"user:{account.pk}"
    if cfg.require_auth:
        raise AccessDenied(
            401,
            "unauthorized",
            "Send an API token (Authorization: Bearer …) or log in.",
            {"WWW-Authenticate": "Bearer"},
        )
    return None, f"ip:{address or 'unknown'}"


class Caller:
    """Who asks about an existing run (read, resume, stop). Without `CONSENSUS_REQUIRE_AUTH`
    the key is None (anyone): then a run's UUID is the capability to read it."""

    def __init__(self, key: str | None, is_staff: bool = False) -> None:
        self.key = key
        self.is_staff = is_staff

    def may_see(self, owner: str) -> bool:
        return self.key is None or self.is_staff or self.key == owner
