"""A live ASGI server (daphne's `runserver`, what `make run` uses) on a free loopback port, with a
fresh migrated SQLite database, its upstreams pointed at a fake; plus Chromium's location."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN_USER, ADMIN_PASSWORD = "admin", "admin-password-for-tests"

# One process: migrate the fresh database and create an admin (for the CSRF test).
_SETUP = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser({ADMIN_USER!r}, "admin@example.test", {ADMIN_PASSWORD!r})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"Debian chromium not found at {CHROMIUM} (run scripts/system-deps as root)"
    return None


class LiveServer:
    """`python manage.py runserver` in a subprocess, for one test module or one script run."""

    def __init__(self, *, upstream_url: str, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._dir = Path(tempfile.mkdtemp(prefix="consensus-live-"))
        self.log_path = self._dir / "server.log"
        self.env = self._env(upstream_url, settings)
        self._process: subprocess.Popen[bytes] | None = None

    def _env(self, upstream_url: str, settings: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SENTRY_DSN")}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "consensus_project.settings",
                "DATABASE_URL": f"sqlite:///{self._dir / 'db.sqlite3'}",
                "REDIS_URL": "",
                "SENTRY_DSN": "",
                "DJANGO_DEBUG": "true",
                "PYTHONUNBUFFERED": "1",
                "GROQ_PRESET": "groq",
                "GROQ_API_KEY": "x",
                "GROQ_BASE_URL": upstream_url,
                "GROQ_MODEL": "openai/gpt-oss-20b",
                "ARK_PRESET": "byteplus",
                "ARK_API_KEY": "x",
                "ARK_BASE_URL": upstream_url,
                "ARK_MODEL": "seed-1-6-250915",
                "CONSENSUS_VALIDATOR_TIMEOUT": "1.5",
                "CONSENSUS_RATE_LIMIT_PER_MINUTE": "0",
                "CONSENSUS_MAX_CONCURRENT_PER_CLIENT": "0",
                "CONSENSUS_CIRCUIT_FAILURES": "0",
                "CONSENSUS_RESUME_GRACE": "2",
                # Tests ask the same questions against scripted upstreams: an answer cached by
                # one test would answer another's question without its scripted failure.
                "CONSENSUS_CACHE_TTL": "0",
                "CONSENSUS_SPOOL_DIR": str(self._dir / "spool"),
            }
        )
        env.update(settings)
        return env

    def start(self, timeout: float = 30.0) -> LiveServer:
        subprocess.run(
            [sys.executable, "-c", _SETUP],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        with open(self.log_path, "wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"live server exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError(f"live server not ready after {timeout}s:\n{self.log()}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return "(no log)"

    def get_json(self, path: str) -> tuple[int, Any]:
        """GET `path` and decode its JSON body (errors too)."""
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, json.loads(exc.read() or b"null")

    def wait_for_run(self, run_id: str, status: str, timeout: float = 5.0) -> dict[str, Any]:
        """Poll `GET /api/consensus/runs/<id>` until the stored run has `status` (it is written
        when the run ends, a moment after the stream closes)."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            code, last = self.get_json(f"/api/consensus/runs/{run_id}")
            if code == 200 and last.get("status") == status:
                return dict(last)
            time.sleep(0.1)
        raise AssertionError(f"run {run_id} never reached status {status!r}; last: {last}")
