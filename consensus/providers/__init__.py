"""Model providers: one async interface, an OpenAI-compatible implementation, a scripted fake."""

from __future__ import annotations

from .base import ChatRequest, Completion, Message, Provider, StreamOutcome, Usage
from .errors import (
    ProviderConnectionError,
    ProviderError,
    ProviderHTTPError,
    ProviderProtocolError,
    ProviderStreamError,
    ProviderTimeout,
)
from .openai_compatible import OpenAICompatibleProvider
from .presets import Preset, preset

__all__ = [
    "ChatRequest",
    "Completion",
    "Message",
    "OpenAICompatibleProvider",
    "Preset",
    "Provider",
    "ProviderConnectionError",
    "ProviderError",
    "ProviderHTTPError",
    "ProviderProtocolError",
    "ProviderStreamError",
    "ProviderTimeout",
    "StreamOutcome",
    "Usage",
    "preset",
]
