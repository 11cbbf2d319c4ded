"""Typed provider failures: what went wrong, whether a retry can help, and words a user can read."""

from __future__ import annotations


class ProviderError(Exception):
    """Base of every failure talking to a model provider."""

    kind = "provider_error"
    retryable = False

    def __init__(self, message: str, *, provider: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider

    @property
    def user_message(self) -> str:
        """A sentence safe to show to the person who asked the question."""
        who = self.provider or "The model provider"
        return f"{who}: {self.message}"


class ProviderHTTPError(ProviderError):
    """The provider answered with an HTTP error status before any token."""

    kind = "http_error"

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        status: int,
        code: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, provider=provider)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.retryable = status in (408, 409, 425, 429, 498) or status >= 500

    @property
    def user_message(self) -> str:
        who = self.provider or "The model provider"
        return f"{who} answered HTTP {self.status}: {self.message}"


class ProviderStreamError(ProviderError):
    """The provider accepted the request (HTTP 200), then reported an error inside the stream."""

    kind = "stream_error"
    retryable = True


class ProviderTimeout(ProviderError):
    """Connecting, or waiting for the next chunk, took longer than allowed."""

    kind = "timeout"
    retryable = True

    def __init__(self, message: str, *, provider: str = "", phase: str = "") -> None:
        super().__init__(message, provider=provider)
        # "connect", "read", "write" or "pool": a connect timeout is the upstream's (or the
        # network's) fault; a read timeout may be one slow prompt.
        self.phase = phase


class ProviderConnectionError(ProviderError):
    """The connection could not be made or was cut."""

    kind = "connection_error"
    retryable = True


class ProviderProtocolError(ProviderError):
    """The provider sent something that is not a valid chat-completions response."""

    kind = "protocol_error"
