"""Vendor presets: which request fields each OpenAI-compatible vendor needs, and nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VENDOR_NAMES = {"groq": "Groq", "byteplus": "BytePlus ModelArk", "local": "llama.cpp (local)"}


@dataclass(frozen=True, slots=True)
class Preset:
    """A vendor's display name, the extra request body it needs, its max-tokens field, and
    whether a stream may ask for a usage chunk (`stream_options.include_usage`)."""

    name: str
    extra_body: dict[str, Any] = field(default_factory=dict)
    token_field: str = "max_tokens"
    # Groq (since 2025; it answered 400 to the field in 2024), ModelArk, OpenAI and llama.cpp's
    # server accept it; a vendor that rejects unknown fields gets a preset with False.
    stream_usage: bool = True


def groq_extra_body(model: str) -> dict[str, Any]:
    """gpt-oss models reason by default; a chat's first token must not wait for that."""
    if model.startswith("openai/gpt-oss"):
        return {"reasoning_effort": "low", "include_reasoning": False}
    if model.startswith("qwen/qwen3"):
        return {"reasoning_effort": "none"}
    return {}


def preset(vendor: str, model: str) -> Preset:
    """The preset for a vendor ("groq", "byteplus", "local" or any other OpenAI-compatible)."""
    name = VENDOR_NAMES.get(vendor, vendor)
    if vendor == "groq":
        return Preset(name, groq_extra_body(model), "max_completion_tokens")
    if vendor == "byteplus":
        # Seed models think by default (seconds of delay); `max_tokens` caps the answer only.
        return Preset(name, {"thinking": {"type": "disabled"}})
    return Preset(name)  # "local" (llama.cpp server) and any plain OpenAI-compatible endpoint
