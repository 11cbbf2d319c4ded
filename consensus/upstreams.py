"""The configured upstream models: a provider built from one role's settings.

The seam between the app's config and `providers/`, which never imports it."""

from __future__ import annotations

from functools import partial
from typing import cast

import httpx

from .conf import ProviderSettings
from .providers.http import NetworkBackend, get_client
from .providers.openai_compatible import OpenAICompatibleProvider
from .providers.presets import preset


def build_provider(
    cfg: ProviderSettings, *, stall_timeout: float = 30.0, request_timeout: float = 60.0
) -> OpenAICompatibleProvider:
    """The provider for one role's settings (an extra validator is named by its configured name)."""
    vendor = preset(cfg.preset, cfg.model)
    return OpenAICompatibleProvider(
        name=cfg.name or vendor.name,
        base_url=cfg.base_url,
        model=cfg.model,
        api_key=cfg.api_key,
        extra_body=vendor.extra_body,
        token_field=vendor.token_field,
        stream_usage=vendor.stream_usage,
        stream_timeout=httpx.Timeout(request_timeout, connect=5.0, read=stall_timeout or None),
        complete_timeout=httpx.Timeout(request_timeout, connect=5.0),
        client=partial(get_client, cast(NetworkBackend, cfg.network_backend)),
    )
