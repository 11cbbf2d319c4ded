"""Production settings (DJANGO_DEBUG=false) pass `check --deploy` and refuse an insecure key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "p7#n0Xq!vL2u9$wK4e@zR8t%yB1m6&cJ3h*sF5d^gA0kN7x+Q2w-E9r_T4y(U8i)" * 2


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CONSENSUS_", "SENTRY_")) and k != "REDIS_URL"
    }
    clean.update(DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}", **env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("key", [None, "django-insecure-" + "x" * 60, "short-key"])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    env = {"DJANGO_DEBUG": "false"} | ({"DJANGO_SECRET_KEY": key} if key else {})

    result = run(["manage.py", "check"], tmp_path, **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


PROBE = """
import django
django.setup()
from django.test import Client
client = Client()
print(client.get("/healthz").status_code, client.get("/api/consensus/runs/x").status_code,
      client.get("/healthz", secure=True).status_code)
print(client.get("/api/consensus/runs/x")["Location"])
"""


def test_ssl_redirect_spares_health_checks(tmp_path):
    result = run(
        ["-c", PROBE],
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_SETTINGS_MODULE="consensus_project.settings",
    )

    assert result.returncode == 0, result.stderr
    codes, location = result.stdout.split("\n")[:2]
    health, other, secure_health = (int(c) for c in codes.split())
    assert health in (200, 503)  # answered over plain HTTP, not redirected
    assert other == 301
    assert location.startswith("https://")
    assert secure_health in (200, 503)
