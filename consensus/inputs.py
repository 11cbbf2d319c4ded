"""Parsing and validating a question from a request (JSON body or query string)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest

from .conf import ConsensusConfig
from .record import RunRecord

MAX_TOKENS_LIMIT = 8192
HISTORY_ROLES = ("user", "assistant")
# Characters PostgreSQL cannot store in `text` or `jsonb`: NUL, and lone surrogates (not UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Characters that show nothing: a prompt made only of these is blank. Besides whitespace and the
# format (Cf: zero-width space/joiners, U+2060, BOM...) and control categories, a few letters and
# marks that render as nothing (Hangul fillers, the braille blank, the grapheme joiner).
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


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

    def record(self, *, client_id: str = "", source: str = "sse") -> RunRecord:
        """A new run for this question, asked through the edge `source`."""
        return RunRecord(
            prompt=self.prompt,
            system_prompt=self.system_prompt,
            history=self.history,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            client_id=client_id,
            source=source,
        )


def question_from_request(request: HttpRequest, cfg: ConsensusConfig) -> Question:
    """The validated question of a GET (query string) or POST (JSON body) request."""
    if request.method == "GET":
        try:
            query = request.GET.dict()
        except TooManyFieldsSent as exc:
            raise InvalidInput("invalid_query", "The query string has too many fields.") from exc
        return parse_question(query, cfg, from_query=True)
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise InvalidInput(
            "unsupported_content_type",
            f"Send the question as JSON with Content-Type: application/json (got "
            f"{content_type or 'none'}).",
        )
    raw = read_body(request)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput("invalid_json", f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise InvalidInput("invalid_json", "The request body must be a JSON object.")
    return parse_question(body, cfg, from_query=False)


def read_body(request: HttpRequest) -> bytes:
    """The raw body; over `DATA_UPLOAD_MAX_MEMORY_SIZE` it is a 413 here, not Django's 400 (whose
    debug page would show this request's locals)."""
    try:
        return request.body or b""
    except RequestDataTooBig as exc:
        raise InvalidInput(
            "payload_too_large",
            "The request body is larger than the server accepts; send a shorter question.",
            status=413,
        ) from exc


def is_blank(value: str) -> bool:
    """True when `value` shows nothing: only whitespace, zero-width and other invisible marks."""
    return all(
        ch.isspace() or ch in _INVISIBLE or unicodedata.category(ch) in _INVISIBLE_CATEGORIES
        for ch in value
    )


def _unstorable(value: str) -> str | None:
    """A description of the first character the database cannot store, or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} at position {found.start()}"


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
    if (bad := _unstorable(value)) is not None:
        raise InvalidInput(f"invalid_{name}", f"'{name}' contains a character not allowed: {bad}.")
    if required and is_blank(value):
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
        if (bad := _unstorable(content)) is not None:
            raise InvalidInput(
                "invalid_messages",
                f"messages[{index}].content contains a character not allowed: {bad}.",
            )
        total += len(content)
        history.append({"role": role, "content": content})
    if total > cfg.max_history_chars:
        raise InvalidInput(
            "messages_too_long",
            f"'messages' has {total} characters in all; the limit is {cfg.max_history_chars}.",
        )
    return history
