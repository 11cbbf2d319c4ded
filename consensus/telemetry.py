"""Sentry set-up: errors are reported, prompts, answers and keys never are."""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

# Keys whose values are user content or secrets, wherever they appear in an event.
SENSITIVE_KEYS = frozenset(
    {
        "prompt", "system_prompt", "messages", "history", "content", "original", "corrected",
        "fast_answer", "validator_answer", "final_answer", "answer", "text", "data",
        "api_key", "authorization", "cookie", "x-csrftoken", "password", "secret", "token",
    }
)
_SECRET_PATTERN = re.compile(r"(gsk_[A-Za-z0-9]{8,}|Bearer\s+[A-Za-z0-9._\-]+|ep-[0-9]{8,}-\w+)")
FILTERED = "[Filtered]"


def scrub(value: Any) -> Any:
    """A copy of `value` with sensitive keys blanked and key-like strings masked."""
    if isinstance(value, dict):
        return {
            k: (FILTERED if str(k).lower() in SENSITIVE_KEYS else scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return _SECRET_PATTERN.sub(FILTERED, value)
    return value


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Drop request bodies and local variables; scrub everything else."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request["query_string"] = FILTERED if request.get("query_string") else ""
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return scrub(event)  # type: ignore[no-any-return]


def before_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    return scrub(crumb)  # type: ignore[no-any-return]


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float, **extra: Any) -> None:
    """Initialise Sentry with the Django integration and no personal data."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,  # type: ignore[arg-type]
        before_breadcrumb=before_breadcrumb,  # type: ignore[arg-type]
        **extra,
    )
