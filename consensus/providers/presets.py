"""Vendor presets: which request fields each OpenAI-compatible vendor needs, and nothing more."""

from __future__ import annotations

from typing import Any

import httpx

from ..conf import ProviderSettings
from .openai_compatible import OpenAICompatibleProvider

VENDOR_NAMES = {"groq": "Groq", "byteplus": "BytePlus ModelArk", "local": "llama.cpp (local)"}


def groq_extra_body(model: str) -> dict[str, Any]:
    """gpt-oss models reason by default; a chat's first token must not wait for that."""
    if model.startswith("openai/gpt-oss"):
        return {"reasoning_effort": "low", "include_reasoning": False}
    if model.startswith("qwen/qwen3"):
        return {"reasoning_effort": "none"}
    return {}


def build_provider(
    cfg: ProviderSettings, *, stall_timeout: float = 30.0, request_timeout: float = 60.0
) -> OpenAICompatibleProvider:
    """The provider for one role's settings."""
    stream_timeout = httpx.Timeout(request_timeout, connect=5.0, read=stall_timeout or None)
    complete_timeout = httpx.Timeout(request_timeout, connect=5.0)
    extra: dict[str, Any]
    if cfg.preset == "groq":
        extra, token_field = groq_extra_body(cfg.model), "max_completion_tokens"
    elif cfg.preset == "byteplus":
        # Seed models think by default (seconds of delay); `max_tokens` caps the answer only.
        extra, token_field = {"thinking": {"type": "disabled"}}, "max_tokens"
    else:  # "local" (llama.cpp server) and any plain OpenAI-compatible endpoint
        extra, token_field = {}, "max_tokens"
    return OpenAICompatibleProvider(
        name=VENDOR_NAMES.get(cfg.preset, cfg.preset),
        base_url=cfg.base_url,
        model=cfg.model,
        api_key=cfg.api_key,
        extra_body=extra,
        token_field=token_field,
        stream_timeout=stream_timeout,
        complete_timeout=complete_timeout,
    )
