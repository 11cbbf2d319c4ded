"""Parsing and validating a question from a request (JSON body or query string)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.http import HttpRequest

from .conf import ConsensusConfig
from .record import RunRecord

MAX_TOKENS_LIMIT = 8192
HISTORY_ROLES = ("user", "assistant")


class InvalidInput(Exception):
    """A request that cannot be answered: becomes a 400 with `{"error": {code, message}}`."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class Question:
    prompt: str
    system_prompt: str = ""
    temperature: float = 0.7
    max_tokens: int = 2000
    history: list[dict[str, str]] = field(default_factory=list)

    def record(self, *, client_id: str = "") -> RunRecord:
        """A new run for this question."""
        return RunRecord(
            prompt=self.prompt,
            system_prompt=self.system_prompt,
            history=self.history,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            client_id=client_id,
        )


def question_from_request(request: HttpRequest, cfg: ConsensusConfig) -> Question:
    """The validated question of a GET (query string) or POST (JSON body) request."""
    if request.method == "GET":
        return parse_question(request.GET.dict(), cfg, from_query=True)
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise InvalidInput(
            "unsupported_content_type",
            f"Send the question as JSON with Content-Type: application/json (got "
            f"{content_type or 'none'}).",
        )
    try:
        body = orjson.loads(request.body or b"")
    except orjson.JSONDecodeError as exc:
        raise InvalidInput("invalid_json", f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise InvalidInput("invalid_json", "The request body must be a JSON object.")
    return parse_question(body, cfg, from_query=False)


def parse_question(data: Mapping[str, Any], cfg: ConsensusConfig, *, from_query: bool) -> Question:
    """Validate every field; the first problem found is raised as `InvalidInput`."""
    prompt = _text(data, "prompt", cfg.max_prompt_chars, required=True)
    system_prompt = _text(data, "system_prompt", cfg.max_prompt_chars, required=False)
    temperature = _number(data, "temperature", 0.7, 0.0, 2.0, from_query=from_query)
    max_tokens = int(
        _number(data, "max_tokens", 2000, 1, MAX_TOKENS_LIMIT, integer=True, from_query=from_query)
    )
    history = [] if from_query else _history(data.get("messages"), cfg)
    return Question(prompt, system_prompt, temperature, max_tokens, history)


def _text(data: Mapping[str, Any], name: str, limit: int, *, required: bool) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"missing_{name}", f"'{name}' is required and must not be empty.")
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"invalid_{name}", f"'{name}' must be a string.")
    if required and not value.strip():
        raise InvalidInput(f"missing_{name}", f"'{name}' must not be blank.")
    if len(value) > limit:
        raise InvalidInput(
            f"{name}_too_long", f"'{name}' has {len(value)} characters; the limit is {limit}."
        )
    return value


def _number(
    data: Mapping[str, Any],
    name: str,
    default: float,
    low: float,
    high: float,
    *,
    integer: bool = False,
    from_query: bool,
) -> float:
    raw = data.get(name)
    if raw is None or (from_query and raw == ""):
        return default
    kind = "an integer" if integer else "a number"
    value: Any = raw
    if from_query:
        try:
            value = int(raw) if integer else float(raw)
        except ValueError:
            raise InvalidInput(f"invalid_{name}", f"'{name}' must be {kind}.") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"invalid_{name}", f"'{name}' must be {kind}.")
    if integer and not (isinstance(value, int) or float(value).is_integer()):
        raise InvalidInput(f"invalid_{name}", f"'{name}' must be {kind}.")
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInput(
            f"invalid_{name}", f"'{name}' must be between {low:g} and {high:g} (got {value})."
        )
    return float(value)


def _history(raw: Any, cfg: ConsensusConfig) -> list[dict[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidInput("invalid_messages", "'messages' must be a list of {role, content}.")
    if len(raw) > cfg.max_history_messages:
        raise InvalidInput(
            "too_many_messages",
            f"'messages' has {len(raw)} entries; the limit is {cfg.max_history_messages}.",
        )
    history, total = [], 0
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidInput("invalid_messages", f"messages[{index}] must be an object.")
        role, content = item.get("role"), item.get("content")
        if role not in HISTORY_ROLES:
            raise InvalidInput(
                "invalid_messages", f"messages[{index}].role must be 'user' or 'assistant'."
            )
        if not isinstance(content, str):
            raise InvalidInput("invalid_messages", f"messages[{index}].content must be a string.")
        total += len(content)
        history.append({"role": role, "content": content})
    if total > cfg.max_history_chars:
        raise InvalidInput(
            "messages_too_long",
            f"'messages' has {total} characters in all; the limit is {cfg.max_history_chars}.",
        )
    return history
