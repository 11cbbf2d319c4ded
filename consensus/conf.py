"""The one reader of the consensus settings: a frozen, typed view of `settings.CONSENSUS_*`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .agreement.confidence import Policy
from .events import FAST_ROLE, VALIDATOR_ROLE


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    """Where one role's model lives and how to talk to it. The key is left out of `repr()`: a
    config object shows up in debug pages, tracebacks and logs."""

    preset: str
    api_key: str = field(repr=False)
    base_url: str
    model: str
    network_backend: str = "lean"  # CONSENSUS_NETWORK_BACKEND: the sockets under the client
    # An extra validator's name (`CONSENSUS_VALIDATORS`): its label in events, the record and
    # the admin, instead of the vendor's name. Empty for the two roles.
    name: str = ""

    @property
    def configured(self) -> bool:
        # A local OpenAI-compatible server (llama.cpp) needs no key.
        return bool(self.api_key) or self.preset == "local"


@dataclass(frozen=True, slots=True)
class ConsensusConfig:
    """Every number the engine and the endpoint use, read once per request."""

    fast: ProviderSettings
    validator: ProviderSettings
    validator_timeout: float
    validator_max: float
    judge: bool
    judge_timeout: float
    high_similarity: float
    moderate_similarity: float
    fast_weight: float
    validator_weight: float
    fast_prior: float
    validator_prior: float
    confidence_cap: float
    unvalidated_confidence: float
    max_prompt_chars: int
    max_history_messages: int
    max_history_chars: int
    first_token_timeout: float
    stall_timeout: float
    run_timeout: float
    retry_budget: float
    resume_grace: float
    event_retention: float
    heartbeat_interval: float
    rate_limit_per_minute: int
    max_concurrent_per_client: int
    require_auth: bool
    cors_allowed_origins: tuple[str, ...]
    circuit_failures: int
    circuit_cooldown: float
    spool_dir: str
    cache_ttl: int  # seconds a validated answer is reused (consensus/cache.py); 0: off
    # The extra validators next to the first (`CONSENSUS_VALIDATORS`), in their configured order.
    validators: tuple[ProviderSettings, ...] = ()

    def missing_keys(self) -> list[str]:
        """Environment variables that must be set before questions can be answered."""
        missing = []
        if not self.fast.configured:
            missing.append("GROQ_API_KEY")
        if not self.validator.configured:
            missing.append("ARK_API_KEY")
        return missing

    def policy(self) -> Policy:
        """The confidence policy (thresholds, weights, priors) these settings define."""
        return Policy(
            high_similarity=self.high_similarity,
            moderate_similarity=self.moderate_similarity,
            fast_weight=self.fast_weight,
            validator_weight=self.validator_weight,
            fast_prior=self.fast_prior,
            validator_prior=self.validator_prior,
            cap=self.confidence_cap,
            unvalidated=self.unvalidated_confidence,
        )


def _provider(raw: dict[str, Any]) -> ProviderSettings:
    return ProviderSettings(
        preset=str(raw.get("preset", "openai")),
        api_key=str(raw.get("api_key") or ""),
        base_url=str(raw["base_url"]).rstrip("/"),
        model=str(raw["model"]),
        network_backend=str(settings.CONSENSUS_NETWORK_BACKEND),
        name=str(raw.get("name") or ""),
    )


# --- CONSENSUS_VALIDATORS: the extra validators -----------------------------------------------

VALIDATOR_KEYS = ("name", "base_url", "model", "api_key_env", "preset")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Names the events and attempt records already use for the two roles.
_RESERVED_NAMES = frozenset({FAST_ROLE, VALIDATOR_ROLE})


def validators_setting(raw: str | list[Any], environ: Mapping[str, str]) -> list[dict[str, str]]:
    """`CONSENSUS_VALIDATORS` checked and resolved, for `settings.py` at start-up.

    `raw` is a JSON list of objects `{"name", "base_url", "model", "api_key_env", "preset"}`
    (`api_key_env`: the environment variable holding the key, omitted for a server without one;
    `preset`: default "openai", a plain OpenAI-compatible endpoint). Empty: no extra validator.
    Returns the provider dicts (`name`, `preset`, `api_key`, `base_url`, `model`), the key read
    from `environ`; anything wrong raises `ImproperlyConfigured` naming the entry and the field.
    """
    if isinstance(raw, str):
        if not raw.strip():
            return []
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise _invalid(f"not valid JSON ({exc})") from None
    if not isinstance(raw, list):
        raise _invalid("must be a JSON list of objects")
    resolved: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        item = _validator_entry(index, entry, environ)
        if item["name"].lower() in seen:
            raise _invalid(f"entry {index}: the name {item['name']!r} is used twice")
        seen.add(item["name"].lower())
        resolved.append(item)
    return resolved


def _validator_entry(index: int, entry: object, environ: Mapping[str, str]) -> dict[str, str]:
    where = f"entry {index}"
    if not isinstance(entry, dict):
        raise _invalid(f"{where} must be an object with {', '.join(VALIDATOR_KEYS[:3])}")
    unknown = sorted(set(entry) - set(VALIDATOR_KEYS))
    if unknown:
        hint = " (put the key in its own variable and name it in api_key_env)" * (
            "api_key" in unknown
        )
        raise _invalid(f"{where}: unknown field(s) {', '.join(unknown)}{hint}")
    values: dict[str, str] = {}
    for key in VALIDATOR_KEYS:
        value = entry.get(key, "")
        if not isinstance(value, str):
            raise _invalid(f"{where}: {key} must be a string")
        values[key] = value.strip()
    for key in ("name", "base_url", "model"):
        if not values[key]:
            raise _invalid(f"{where}: {key} is required")
    name = values["name"]
    where = f"entry {index} ({name!r})"
    if name.lower() in _RESERVED_NAMES:
        raise _invalid(f"{where}: the name is taken by one of the two roles; choose another")
    if not values["base_url"].startswith(("http://", "https://")):
        raise _invalid(f"{where}: base_url must start with http:// or https://")
    api_key = ""
    if variable := values["api_key_env"]:
        if not _ENV_NAME.match(variable):
            raise _invalid(f"{where}: api_key_env must name an environment variable")
        api_key = environ.get(variable, "").strip()
        if not api_key:
            raise _invalid(f"{where}: the environment variable {variable} is not set")
    return {
        "name": name,
        "preset": values["preset"] or "openai",
        "api_key": api_key,
        "base_url": values["base_url"].rstrip("/"),
        "model": values["model"],
    }


def _invalid(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"CONSENSUS_VALIDATORS: {message}. Expected a JSON list such as "
        '[{"name": "second", "base_url": "https://host/v1", "model": "model-id", '
        '"api_key_env": "SECOND_API_KEY"}] (docs/configuration.md).'
    )


def get_config() -> ConsensusConfig:
    """Build the config from the current settings (cheap; honours `override_settings`)."""
    s = settings
    return ConsensusConfig(
        fast=_provider(s.CONSENSUS_FAST_PROVIDER),
        validator=_provider(s.CONSENSUS_VALIDATOR_PROVIDER),
        validator_timeout=float(s.CONSENSUS_VALIDATOR_TIMEOUT),
        validator_max=float(s.CONSENSUS_VALIDATOR_MAX),
        judge=bool(s.CONSENSUS_JUDGE),
        judge_timeout=float(s.CONSENSUS_JUDGE_TIMEOUT),
        high_similarity=float(s.CONSENSUS_HIGH_SIMILARITY),
        moderate_similarity=float(s.CONSENSUS_MODERATE_SIMILARITY),
        fast_weight=float(s.CONSENSUS_FAST_WEIGHT),
        validator_weight=float(s.CONSENSUS_VALIDATOR_WEIGHT),
        fast_prior=float(s.CONSENSUS_FAST_PRIOR),
        validator_prior=float(s.CONSENSUS_VALIDATOR_PRIOR),
        confidence_cap=float(s.CONSENSUS_CONFIDENCE_CAP),
        unvalidated_confidence=float(s.CONSENSUS_UNVALIDATED_CONFIDENCE),
        max_prompt_chars=int(s.CONSENSUS_MAX_PROMPT_CHARS),
        max_history_messages=int(s.CONSENSUS_MAX_HISTORY_MESSAGES),
        max_history_chars=int(s.CONSENSUS_MAX_HISTORY_CHARS),
        first_token_timeout=float(s.CONSENSUS_FIRST_TOKEN_TIMEOUT),
        stall_timeout=float(s.CONSENSUS_STALL_TIMEOUT),
        run_timeout=float(s.CONSENSUS_RUN_TIMEOUT),
        retry_budget=float(s.CONSENSUS_RETRY_BUDGET),
        resume_grace=float(s.CONSENSUS_RESUME_GRACE),
        event_retention=float(s.CONSENSUS_EVENT_RETENTION),
        heartbeat_interval=float(s.CONSENSUS_HEARTBEAT_INTERVAL),
        rate_limit_per_minute=int(s.CONSENSUS_RATE_LIMIT_PER_MINUTE),
        max_concurrent_per_client=int(s.CONSENSUS_MAX_CONCURRENT_PER_CLIENT),
        require_auth=bool(s.CONSENSUS_REQUIRE_AUTH),
        cors_allowed_origins=tuple(s.CONSENSUS_CORS_ALLOWED_ORIGINS),
        circuit_failures=int(s.CONSENSUS_CIRCUIT_FAILURES),
        circuit_cooldown=float(s.CONSENSUS_CIRCUIT_COOLDOWN),
        spool_dir=str(s.CONSENSUS_SPOOL_DIR),
        cache_ttl=max(0, int(s.CONSENSUS_CACHE_TTL)),
        validators=tuple(_provider(v) for v in s.CONSENSUS_VALIDATORS),
    )
