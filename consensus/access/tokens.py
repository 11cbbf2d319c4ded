"""API tokens: `Authorization: Bearer <secret>`. Only the secret's SHA-256 is stored; a secret is
shown once, when it is created."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ..models import ApiToken

SECRET_PREFIX = "csk_"
PREFIX_LENGTH = 12  # "csk_" and 8 random characters: enough to tell tokens apart in the admin
# `last_used_at` is written at most this often per token (one UPDATE, not one per request).
TOUCH_INTERVAL = timedelta(minutes=1)


class InvalidToken(Exception):
    """A bearer token was sent but is unknown, malformed or revoked."""


def hash_secret(secret: str) -> str:
    """The stored form of a secret: SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def token_create(*, name: str, user: Any = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is not stored and cannot be shown again."""
    secret = new_secret()
    token = ApiToken(name=name, user=user)
    assign_secret(token, secret)
    token.save()
    return token, secret


def assign_secret(token: ApiToken, secret: str) -> None:
    """Set the stored fields (prefix and hash) of `token` for `secret`."""
    token.prefix = secret[:PREFIX_LENGTH]
    token.key_hash = hash_secret(secret)


def bearer_secret(request: HttpRequest) -> str | None:
    """The secret of an `Authorization: Bearer …` header; None without one (other schemes too)."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


async def token_authenticate(secret: str) -> ApiToken:
    """The live token for `secret`, or `InvalidToken`. Marks it used (at most once a minute)."""
    if not secret or len(secret) > 200:
        raise InvalidToken("malformed token")
    digest = hash_secret(secret)
    # The lookup is by hash, so response time reveals nothing about the secret itself.
    token = await ApiToken.objects.filter(key_hash=digest).afirst()
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        raise InvalidToken("unknown token")
    if token.revoked:
        raise InvalidToken("revoked token")
    await _touch(token)
    return token


async def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    token.last_used_at = now
    await ApiToken.objects.filter(pk=token.pk).aupdate(last_used_at=now)
