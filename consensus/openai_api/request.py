"""A Chat Completions request body to the service's `Question`.

System (and developer) messages become the system prompt, the last message (a user's) the prompt,
the ones in between the history; then the body goes through `inputs.parse_question`, so the
limits and checks are the SSE endpoint's. Problems are `ApiError`s naming the OpenAI parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson
from django.http import HttpRequest

from ..conf import ConsensusConfig
from ..inputs import InvalidInput, Question, parse_question, read_body
from . import MODELS, ModelName
from .errors import ApiError, model_not_found

SYSTEM_ROLES = ("system", "developer")
HISTORY_ROLES = ("user", "assistant")
# Input codes of `inputs.parse_question` -> the parameter they are about.
PARAMS = {"temperature": "temperature", "max_tokens": "max_tokens"}
_HISTORY_INDEX = re.compile(r"messages\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class ChatParams:
    """What a chat completion request asks for."""

    model: ModelName
    question: Question
    stream: bool = False
    include_usage: bool = False


def chat_params(request: HttpRequest, cfg: ConsensusConfig) -> ChatParams:
    """The validated request, or `ApiError` (400 naming the parameter, 404 for a model, 413)."""
    body = _json_body(request)
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _invalid(
            "missing_model", "'model' is required: 'consensus' or 'consensus-validated'.", "model"
        )
    if model not in MODELS:
        raise model_not_found(model)
    stream = _flag(body, "stream")
    options = body.get("stream_options")
    if options is not None and not stream:
        raise _invalid(
            "invalid_stream_options", "'stream_options' is only allowed with 'stream': true."
        )
    if options is not None and not isinstance(options, dict):
        raise _invalid("invalid_stream_options", "'stream_options' must be an object.")
    include_usage = _flag(options or {}, "include_usage", param="stream_options.include_usage")
    _unsupported(body)
    question = _question(body, cfg)
    return ChatParams(model, question, stream, include_usage)


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if (request.content_type or "") != "application/json":
        raise _invalid(
            "unsupported_content_type", "Send the request as JSON (Content-Type: application/json)."
        )
    try:
        raw = read_body(request)
    except InvalidInput as exc:  # 413
        raise ApiError(exc.status, exc.code, exc.message) from exc
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _invalid("invalid_json", f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise _invalid("invalid_json", "The request body must be a JSON object.")
    return body


def _flag(data: dict[str, Any], name: str, *, param: str | None = None) -> bool:
    value = data.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _invalid(
            f"invalid_{name}", f"'{param or name}' must be true or false.", param or name
        )
    return value


def _unsupported(body: dict[str, Any]) -> None:
    """Parameters that would change the answer in a way this service cannot honour."""
    n = body.get("n")
    if n is not None and n != 1:
        raise _invalid("unsupported_n", "Only one choice is answered: 'n' must be 1.", "n")
    if body.get("tools") or body.get("functions"):
        param = "tools" if body.get("tools") else "functions"
        raise _invalid("unsupported_tools", "Tools and function calling are not supported.", param)


def _question(body: dict[str, Any], cfg: ConsensusConfig) -> Question:
    system, history, origin = _split(body.get("messages"))
    limit = body.get("max_completion_tokens")
    limit_param = "max_completion_tokens" if limit is not None else "max_tokens"
    if limit is None:
        limit = body.get("max_tokens")
    data = {
        "prompt": history.pop()["content"],
        "system_prompt": "\n\n".join(system),
        "messages": history,
        "temperature": body.get("temperature"),
        "max_tokens": limit,
    }
    try:
        return parse_question(data, cfg, from_query=False)
    except InvalidInput as exc:
        raise _from_input(exc, origin, limit_param) from exc


def _split(messages: Any) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """System texts, the user/assistant turns (the prompt last) and each turn's index in
    `messages`."""
    if not isinstance(messages, list) or not messages:
        raise _invalid("missing_messages", "'messages' must be a non-empty list.", "messages")
    system: list[str] = []
    turns: list[dict[str, str]] = []
    origin: list[int] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise _invalid("invalid_messages", f"messages[{index}] must be an object.", "messages")
        role = message.get("role")
        text = _content(message.get("content"), index)
        if role in SYSTEM_ROLES:
            if text:
                system.append(text)
        elif role in HISTORY_ROLES:
            turns.append({"role": role, "content": text})
            origin.append(index)
        else:
            raise _invalid(
                "invalid_messages",
                f"messages[{index}].role must be 'system', 'developer', 'user' or 'assistant' "
                f"(got {role!r}): tool messages are not supported.",
                "messages",
            )
    if not turns or turns[-1]["role"] != "user":
        raise _invalid("invalid_messages", "The last message must be the user's.", "messages")
    return system, turns, origin


def _content(content: Any, index: int) -> str:
    """A message's text: a string, or a list of text parts (nothing else is understood)."""
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                break
            text = part.get("text")
            if not isinstance(text, str):
                break
            texts.append(text)
        else:
            return "".join(texts)
    raise _invalid(
        "invalid_messages",
        f"messages[{index}].content must be a string or a list of text parts.",
        "messages",
    )


def _from_input(exc: InvalidInput, origin: list[int], limit_param: str) -> ApiError:
    """An `inputs` problem in the request's own terms (its parameter, its message indices)."""
    field = exc.code.removeprefix("invalid_").removeprefix("missing_").removesuffix("_too_long")
    param = PARAMS.get(field, "messages")
    if param == "max_tokens":
        param = limit_param
    message = (
        exc.message.replace("'max_tokens'", f"'{param}'")
        .replace("'system_prompt'", "The system message")
        .replace("'prompt'", "The last user message")
        .replace("'messages' has", "The earlier messages have")
    )
    message = _HISTORY_INDEX.sub(lambda m: f"messages[{origin[int(m[1])]}]", message)
    return ApiError(exc.status, exc.code, message, param=param)


def _invalid(code: str, message: str, param: str | None = None) -> ApiError:
    return ApiError(400, code, message, param=param)
