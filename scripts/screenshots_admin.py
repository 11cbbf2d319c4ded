"""Screenshots of the run admin (list, detail, review, dashboard) with headless Chromium.

    .venv/bin/python scripts/screenshots_admin.py [--out docs/screenshots]

Builds a throwaway SQLite database in a temporary directory (a few thousand seeded runs plus a
hand-written disagreement with its review), serves it with `manage.py runserver` on a free
loopback port, logs in as a member of the Reviewers group and saves docs/screenshots/admin-*.png.
Needs /usr/bin/chromium (`scripts/system-deps` installs it).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "screenshots-only-password"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

FAST = (
    "Pencurian sepeda motor diatur dalam Pasal 363 KUHP tentang pencurian dengan pemberatan. "
    "Ancaman hukumannya pidana penjara paling lama 7 tahun.\n\n"
    "Jika dilakukan pada malam hari di rumah, hukumannya bisa lebih berat."
)
VALIDATOR = (
    "Pencurian sepeda motor pada dasarnya diatur dalam Pasal 362 KUHP: pidana penjara paling "
    "lama 5 tahun atau denda paling banyak Rp900 ribu.\n\n"
    "Pasal 363 KUHP (pemberatan, paling lama 7 tahun) berlaku bila ada unsur tambahan, misalnya "
    "dilakukan pada malam hari di rumah atau oleh dua orang atau lebih."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(db_url: str) -> str:
    """Migrate, seed, and return the id of the hand-written run."""
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from benchmarks.admin_bench import seed_runs
    from consensus.admin.reviews import runs_review
    from consensus.models import ConsensusRun, ReviewState, RunStatus

    call_command("migrate", verbosity=0)
    seed_runs(3000, days=45, seed=7)
    _outcomes_and_feedback()
    user = get_user_model().objects.create_user("siti.lawyer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    run = ConsensusRun.objects.create(
        prompt="Apa hukuman untuk pencurian motor di depan rumah tetangga pada siang hari?",
        history=[
            {"role": "user", "content": "Saya ingin bertanya soal hukum pidana."},
            {"role": "assistant", "content": "Silakan, apa yang ingin Anda ketahui?"},
        ],
        parameters={"temperature": 0.7, "max_tokens": 2000},
        fast_provider="groq",
        fast_model="openai/gpt-oss-20b",
        validator_provider="byteplus",
        validator_model="seed-1-6-250915",
        fast_answer=FAST,
        validator_answer=VALIDATOR,
        final_answer=VALIDATOR,
        similarity=0.52,
        corrected=True,
        confidence=0.69,
        status=RunStatus.CORRECTED,
        correction_reason="fact_conflict",
        conflicts=[
            {"kind": "article", "fast": "Pasal 363 KUHP", "validator": "Pasal 362 KUHP"},
            {"kind": "duration", "fast": "7 tahun", "validator": "5 tahun"},
        ],
        attempts=[
            {"role": "groq", "model": "openai/gpt-oss-20b", "status": "ok", "elapsed": 1.84},
            {
                "role": "byteplus",
                "model": "seed-1-6-250915",
                "status": "timeout",
                "elapsed": 4.0,
                "error": "no first byte within 4 s",
            },
            {"role": "byteplus", "model": "seed-1-6-250915", "status": "ok", "elapsed": 3.12},
        ],
        time_to_first_token=0.31,
        fast_duration=1.84,
        validator_duration=7.12,
        total_duration=7.4,
        fast_usage={"prompt_tokens": 96, "completion_tokens": 71, "total_tokens": 167},
        validator_usage={"prompt_tokens": 96, "completion_tokens": 118, "total_tokens": 214},
    )
    runs_review(
        runs=ConsensusRun.objects.filter(pk=run.pk),
        user=user,
        state=ReviewState.CORRECTION_CONFIRMED,
        note="Pasal 362 benar untuk pencurian biasa; 363 hanya dengan pemberatan.",
    )
    return str(run.pk)


def _outcomes_and_feedback() -> None:
    """The seeded runs get the verdict's outcome by status, and one in six a feedback."""
    import random

    from consensus.models import ConsensusRun, RunFeedback, RunStatus

    rng = random.Random(7)
    ConsensusRun.objects.filter(status=RunStatus.CORRECTED).update(outcome="conflict")
    for pk in ConsensusRun.objects.filter(status=RunStatus.COMPLETED).values_list("pk", flat=True):
        outcome = "supplement" if rng.random() < 0.3 else "agree"
        ConsensusRun.objects.filter(pk=pk).update(outcome=outcome)
    runs = list(ConsensusRun.objects.values_list("pk", "outcome"))
    RunFeedback.objects.bulk_create(
        RunFeedback(run_id=pk, helpful=rng.random() < (0.8 if outcome else 0.55))
        for pk, outcome in rng.sample(runs, len(runs) // 6)
    )


def _serve(db_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_DEBUG": "true"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def _shoot(base: str, run_id: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(
            viewport={"width": 1280, "height": 900}, device_scale_factor=1, locale="en-US"
        )
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "siti.lawyer")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        admin = f"{base}/admin/consensus/consensusrun/"
        page.goto(admin)
        page.screenshot(path=out / "admin-list.png")
        page.goto(f"{admin}?corrected__exact=1&review_state__exact=unreviewed")
        page.locator("#result_list tbody input.action-select").nth(0).check()
        page.locator("#result_list tbody input.action-select").nth(1).check()
        page.select_option("select[name=action]", "mark_correction_wrong")
        page.click("button[name=index]")
        page.fill("textarea[name=note]", "Validator salah membaca pasal; jawaban cepat benar.")
        page.screenshot(path=out / "admin-review.png")
        page.goto(f"{admin}{run_id}/change/")
        page.screenshot(path=out / "admin-detail.png", full_page=True)
        page.goto(f"{admin}dashboard/")
        page.screenshot(path=out / "admin-dashboard.png", full_page=True)
        page.set_extra_http_headers({"Accept-Language": "id"})
        page.goto(admin)
        page.screenshot(path=out / "admin-list-id.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/screenshots.sqlite3"
        run_id = _prepare(db_url)
        port = _free_port()
        server = _serve(db_url, port)
        try:
            _shoot(f"http://127.0.0.1:{port}", run_id, out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"saved {', '.join(sorted(p.name for p in out.glob('admin-*.png')))} in {out}")


if __name__ == "__main__":
    main()
