"""`manage.py serve`: the README's run command. Serves the app with daphne; without vendor keys
(or with `--local`) it first starts the bundled SmolLM2 model under llama.cpp, one server per role.
"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from consensus.conf import get_config
from consensus.runtime import verdicts
from consensus.runtime.local_model import (
    MODEL_ID,
    LocalModelUnavailable,
    choose_mode,
    local_settings,
    require_local_model,
)
from consensus.runtime.local_server import LocalServer, LocalServerError, Supervisor


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the supervisor, which stops the children


class Command(BaseCommand):
    help = (
        "Serve the app with daphne on ADDRPORT. Without GROQ_API_KEY and ARK_API_KEY (or with "
        "--local) both roles use the bundled SmolLM2 model on local llama.cpp servers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--local", action="store_true", help="use the local model even when keys are set"
        )
        parser.add_argument(
            "--print-mode", action="store_true", help="print 'local' or 'remote' and exit"
        )
        parser.add_argument(
            "--threads", type=int, default=1, help="CPU threads per llama.cpp server (default 1)"
        )
        parser.add_argument(
            "--log-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "log",
            help="where the llama.cpp servers log (default var/log)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cfg = get_config()
        mode = choose_mode(
            fast_key=cfg.fast.api_key,
            validator_key=cfg.validator.api_key,
            force_local=options["local"],
        )
        if options["print_mode"]:
            self.stdout.write(mode)
            return
        if mode == "remote":
            self.stdout.write(f"Models: {cfg.fast.model} (fast), {cfg.validator.model} (validator)")
            if not (cfg.fast.configured and cfg.validator.configured):
                self.stderr.write(
                    "Only one of GROQ_API_KEY and ARK_API_KEY is set: questions answer 503 until "
                    "both are (or run with --local)."
                )
            self._runserver(options["addrport"])
            return
        try:
            self._serve_local(options)
        except (LocalModelUnavailable, LocalServerError) as exc:
            raise CommandError(f"local model: {exc}") from exc

    def _serve_local(self, options: dict[str, Any]) -> None:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)  # until daphne installs its own
        model = require_local_model()
        servers = [
            LocalServer(name=role, model=model, threads=options["threads"],
                        log_path=options["log_dir"] / f"llama-{role}.log")
            for role in ("groq", "byteplus")
        ]  # fmt: skip
        self.stdout.write(f"No API keys (or --local): starting {MODEL_ID} on llama.cpp ({model})")
        with Supervisor(servers):
            fast, validator = servers
            overrides = local_settings(get_config(), fast.base_url, validator.base_url)
            self.stdout.write(
                f"Local model ready: fast {fast.base_url}, validator {validator.base_url}; "
                f"logs in {options['log_dir']}"
            )
            # SETTINGS_MODULE: runserver's banner names it; override_settings would blank it.
            with override_settings(SETTINGS_MODULE=settings.SETTINGS_MODULE, **overrides):
                self._runserver(options["addrport"])

    def _runserver(self, addrport: str) -> None:
        # daphne has no ASGI lifespan: start the verdict process here (it warms while daphne
        # starts) instead of on the first verdict.
        verdicts.start()
        # daphne's runserver (first in INSTALLED_APPS); no reloader, so the children stay ours.
        call_command("runserver", addrport, use_reloader=False)
