"""Sentry set-up: errors are reported, prompts, answers and keys never are.

Every event (errors, transactions, breadcrumbs) passes through `scrub`, which
- drops request bodies, cookies, query strings and stack-frame locals;
- blanks values under sensitive keys (headers such as Authorization and Cookie, `prompt`,
  `messages`, `*key*`, `*token*`, …) in every mapping: extra, contexts, tags, breadcrumbs;
- masks, in every remaining string (exception messages, log lines), the configured provider keys,
  the Django secret key, bearer tokens and key-like strings, and the texts of the run being
  handled (registered with `watch_run`), so a prompt quoted in an exception message is dropped.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterable
from typing import Any, Protocol

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

FILTERED = "[Filtered]"
# Keys whose values are user content, wherever they appear in an event.
CONTENT_KEYS = frozenset(
    {
        "prompt",
        "system_prompt",
        "messages",
        "history",
        "content",
        "original",
        "corrected",
        "fast_answer",
        "validator_answer",
        "final_answer",
        "answer",
        "text",
        "data",
        "body",
        "query_string",
        "cookies",
        "vars",
        "params",
    }
)
# Key names containing one of these are credentials (authorization, x-api-key, csrftoken, …).
SECRET_KEY_PARTS = (
    "auth",
    "cookie",
    "csrf",
    "session",
    "password",
    "passwd",
    "secret",
    "token",
    "key",
    "signature",
    "dsn",
)
_SECRET_PATTERN = re.compile(
    r"(Bearer\s+[A-Za-z0-9._~+/=\-]+"
    r"|\b(?:gsk|csk|sk|sk-proj|xai|pk)[_-][A-Za-z0-9_\-]{12,}"
    r"|\bep-[0-9]{8,}-\w+)",
    re.IGNORECASE,
)
MIN_TEXT = 8  # shorter run texts ("hi") are not masked: they would mangle every message
FRAGMENT = 32  # a string still holding an aligned 32-character piece of a run text is dropped


class WatchedRun(Protocol):
    prompt: str
    system_prompt: str
    history: list[dict[str, str]]

    @property
    def fast_answer(self) -> str: ...

    validator_answer: str
    final_answer: str


_watched: contextvars.ContextVar[WatchedRun | None] = contextvars.ContextVar(
    "consensus_watched_run", default=None
)


def watch_run(record: WatchedRun) -> None:
    """Mask this run's prompt, history and answers in any event sent from this context (and the
    tasks it starts)."""
    _watched.set(record)


def _run_texts() -> list[str]:
    record = _watched.get()
    if record is None:
        return []
    texts = [
        record.prompt,
        record.system_prompt,
        record.fast_answer,
        record.validator_answer,
        record.final_answer,
        *(m.get("content", "") for m in record.history),
    ]
    return [t for t in texts if len(t) >= MIN_TEXT]


def _configured_secrets() -> list[str]:
    try:
        from django.conf import settings

        values = [settings.SECRET_KEY]
        for name in ("CONSENSUS_FAST_PROVIDER", "CONSENSUS_VALIDATOR_PROVIDER"):
            values.append(str(getattr(settings, name, {}).get("api_key") or ""))
    except Exception:  # settings not ready: patterns still apply
        return []
    return [v for v in values if len(v) >= MIN_TEXT]


def _is_sensitive_key(key: object) -> bool:
    name = str(key).lower()
    return name in CONTENT_KEYS or any(part in name for part in SECRET_KEY_PARTS)


class Scrubber:
    """Masks one event; built per event (reads the watched run and the configured keys once)."""

    def __init__(self, secrets: Iterable[str], texts: Iterable[str]) -> None:
        # Longest first, so a key that contains another is masked whole.
        self.literals = sorted({*secrets, *texts}, key=len, reverse=True)
        self.fragments = {
            t[i : i + FRAGMENT] for t in texts for i in range(0, len(t) - FRAGMENT + 1, FRAGMENT)
        }

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: FILTERED if _is_sensitive_key(k) else self(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def text(self, value: str) -> str:
        for literal in self.literals:
            value = value.replace(literal, FILTERED)
        if any(fragment in value for fragment in self.fragments):
            return FILTERED  # a part of a run text (a truncated prompt): drop the whole string
        return _SECRET_PATTERN.sub(FILTERED, value)


def scrub(value: Any) -> Any:
    """A copy of `value` with sensitive keys blanked and secrets and run texts masked."""
    return Scrubber(_configured_secrets(), _run_texts())(value)


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Drop request bodies, cookies, query strings and local variables; scrub everything else."""
    request = event.get("request")
    if isinstance(request, dict):
        for name in ("data", "cookies", "query_string"):
            request.pop(name, None)
        url = request.get("url")
        if isinstance(url, str):
            request["url"] = url.split("?", 1)[0]
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return scrub(event)  # type: ignore[no-any-return]


def before_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    return scrub(crumb)  # type: ignore[no-any-return]


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float, **extra: Any) -> None:
    """Initialise Sentry with the Django integration and no personal data."""
    # No `send_default_pii`: unset means no personal data (and the option is deprecated in newer
    # SDKs, whose `data_collection` dict collects more than this by default).
    options: dict[str, Any] = {
        "include_local_variables": False,
        "max_request_body_size": "never",
        "before_send": before_send,
        "before_send_transaction": before_send,
        "before_breadcrumb": before_breadcrumb,
        **extra,
    }
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        **options,
    )
