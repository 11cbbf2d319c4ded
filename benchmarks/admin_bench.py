"""Benchmark of the run admin with many runs: page times and query counts.

    .venv/bin/python benchmarks/admin_bench.py [--runs 100000] [--repeat 5]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--json FILE]

Seeds `--runs` runs (bulk_create) into a throwaway database (a SQLite file in /tmp, or a
`admin_bench` database on the given server), then requests the run list (plain, deep page,
filtered, searched), a run's detail page, the dashboard and the CSV export as a superuser, and
prints the median time and the number of queries of each. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "Apa hukuman untuk pencurian motor?",
    "Bagaimana cara mengajukan gugatan cerai di Pengadilan Agama?",
    "Berapa lama masa kontrak kerja PKWT paling lama?",
    "Apa syarat sah perjanjian menurut KUHPerdata?",
    "Bagaimana pembagian warisan menurut hukum Islam di Indonesia?",
    "Apa sanksi bagi pengemudi yang mengemudi dalam keadaan mabuk?",
    "Berapa denda keterlambatan pelaporan SPT tahunan?",
    "Apakah pesangon wajib dibayar jika karyawan mengundurkan diri?",
    "Bagaimana prosedur mendirikan PT perorangan?",
    "Apa ancaman pidana untuk pencemaran nama baik di media sosial?",
]
ANSWER = (
    "Menurut {law}, {topic} diatur dalam Pasal {article}. Ancaman pidananya paling lama {years} "
    "tahun penjara atau denda paling banyak Rp{fine}.000.000. Dalam praktik, hakim "
    "mempertimbangkan keadaan yang memberatkan dan meringankan. "
)
LAWS = ["KUHP", "UU No. 1 Tahun 2023", "KUHPerdata", "UU No. 13 Tahun 2003", "UU ITE"]
FAST_MODELS = ["openai/gpt-oss-20b", "openai/gpt-oss-20b", "llama-3.3-70b-versatile"]


def _answer(rng: random.Random, topic: str, sentences: int) -> str:
    return "".join(
        ANSWER.format(
            law=rng.choice(LAWS),
            topic=topic,
            article=rng.randint(1, 600),
            years=rng.randint(1, 12),
            fine=rng.randint(1, 500),
        )
        for _ in range(sentences)
    ).strip()


def _run_fields(rng: random.Random, now: dt.datetime, days: int) -> dict[str, Any]:
    from consensus.models import ReviewState, RunStatus

    question = rng.choice(QUESTIONS)
    # More runs lately: the age is skewed towards today.
    created = now - dt.timedelta(days=days * rng.random() ** 1.6, seconds=rng.randint(0, 86399))
    roll = rng.random()
    status = (
        RunStatus.VALIDATOR_TIMEOUT
        if roll < 0.05
        else RunStatus.VALIDATOR_ERROR
        if roll < 0.07
        else RunStatus.FAILED
        if roll < 0.08
        else RunStatus.ABORTED
        if roll < 0.09
        else RunStatus.COMPLETED
    )
    fast = _answer(rng, question.lower().rstrip("?"), rng.randint(3, 9))
    validator, similarity, confidence = "", None, 0.7
    corrected = False
    conflicts: list[dict[str, str]] = []
    if status == RunStatus.COMPLETED:
        similarity = round(min(1.0, max(0.05, rng.betavariate(6, 1.6))), 4)
        if similarity < 0.6:
            status, corrected = RunStatus.CORRECTED, True
            validator = _answer(rng, question.lower().rstrip("?"), rng.randint(3, 9))
            conflicts = [{"kind": "article", "fast": "Pasal 363", "validator": "Pasal 362"}]
        else:
            validator = fast
        confidence = 0.89 if similarity >= 0.85 else 0.84 if similarity >= 0.6 else 0.69
    review = ReviewState.UNREVIEWED
    if corrected and rng.random() < 0.4:
        review = rng.choice(
            [
                ReviewState.CORRECTION_CONFIRMED,
                ReviewState.CORRECTION_CONFIRMED,
                ReviewState.CORRECTION_WRONG,
                ReviewState.FAST_WAS_FINE,
            ]
        )
    ttft = None if status == RunStatus.FAILED else round(rng.lognormvariate(-1.1, 0.45), 3)
    total = round((ttft or 0) + rng.uniform(0.8, 4.5), 3)
    return {
        "created_at": created,
        "finished_at": created + dt.timedelta(seconds=total),
        "prompt": question,
        "parameters": {"temperature": 0.7, "max_tokens": 2000},
        "fast_provider": "groq",
        "fast_model": rng.choice(FAST_MODELS),
        "validator_provider": "byteplus",
        "validator_model": "seed-1-6-250915",
        "fast_answer": fast,
        "validator_answer": validator,
        "final_answer": validator if corrected else fast,
        "similarity": similarity,
        "corrected": corrected,
        "confidence": confidence,
        "status": status,
        "correction_reason": "low_similarity" if corrected else "",
        "conflicts": conflicts,
        "error": "validator timed out after 10 s" if status == RunStatus.VALIDATOR_TIMEOUT else "",
        "time_to_first_token": ttft,
        "total_duration": total,
        "fast_duration": round(total * 0.8, 3),
        "validator_duration": None if similarity is None else round(total * 0.9, 3),
        "review_state": review,
    }


@contextmanager
def _keep_created_at() -> Iterator[None]:
    """Let bulk_create store the seeded `created_at` (the field is auto_now_add)."""
    from consensus.models import ConsensusRun

    field = ConsensusRun._meta.get_field("created_at")
    field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        field.auto_now_add = True  # type: ignore[attr-defined]


def seed_runs(n: int, *, days: int = 120, seed: int = 4, batch: int = 5000) -> None:
    """Insert `n` plausible runs spread over the last `days` days."""
    from django.utils import timezone

    from consensus.models import ConsensusRun

    rng = random.Random(seed)
    now = timezone.now()
    with _keep_created_at():
        for start in range(0, n, batch):
            ConsensusRun.objects.bulk_create(
                [ConsensusRun(**_run_fields(rng, now, days)) for _ in range(min(batch, n - start))]
            )


def _measure(client: Any, url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status, size = [], 0, 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - start)
        queries, status, size = len(ctx.captured_queries), response.status_code, len(body)
        slowest = max((float(q["time"]) for q in ctx.captured_queries), default=0.0)
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "queries": queries,
        "slowest_query_ms": round(slowest * 1000, 1),
        "bytes": size,
    }


def pages(run_id: str, year: int) -> list[tuple[str, str]]:
    base = "/admin/consensus/consensusrun/"
    return [
        ("list", base),
        ("list, page 500", f"{base}?p=500"),
        (
            "list, review queue (corrected, unreviewed)",
            f"{base}?corrected__exact=1&review_state__exact=unreviewed",
        ),
        ("list, similarity band low", f"{base}?similarity_band=low"),
        (
            "list, confidence band medium + status",
            f"{base}?confidence_band=medium&status__exact=completed",
        ),
        (
            "list, fast model + validator timeout",
            f"{base}?fast_model=llama-3.3-70b-versatile&status__exact=validator_timeout",
        ),
        ("list, year (date hierarchy)", f"{base}?created_at__year={year}"),
        ("list, sorted by similarity", f"{base}?o=5"),
        ("list, search 'warisan'", f"{base}?q=warisan"),
        ("detail", f"{base}{run_id}/change/"),
        ("dashboard, 30 days", f"{base}dashboard/"),
        ("dashboard, 365 days", f"{base}dashboard/?days=365"),
        (
            "CSV export, review queue",
            f"{base}export.csv?corrected__exact=1&review_state__exact=unreviewed",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()

    tmp = Path(tempfile.gettempdir()) / "admin_bench.sqlite3"
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["TEST"]["NAME"] = "admin_bench" if args.database_url else str(tmp)
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        _bench(args, Client, connection)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def _bench(args: argparse.Namespace, client_class: Any, connection: Any) -> None:
    from django.contrib.auth import get_user_model

    from consensus.models import ConsensusRun

    start = time.perf_counter()
    seed_runs(args.runs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE consensus_consensusrun")
    seeded = time.perf_counter() - start
    admin = get_user_model().objects.create_superuser("bench", "bench@example.com", None)
    client = client_class()
    client.force_login(admin)
    run = ConsensusRun.objects.filter(corrected=True).only("id").first()
    newest = ConsensusRun.objects.only("created_at").first()
    assert run is not None
    assert newest is not None
    print(
        f"{connection.vendor}: seeded {args.runs:,} runs in {seeded:.1f} s "
        f"({args.runs / seeded:,.0f} runs/s); median of {args.repeat} requests each\n"
    )
    rows = []
    print(f"{'page':46} {'median':>9} {'max':>9} {'queries':>8} {'slowest q':>10} {'status':>6}")
    for name, url in pages(str(run.pk), newest.created_at.year):
        result = {"page": name, **_measure(client, url, args.repeat)}
        rows.append(result)
        print(
            f"{name:46} {result['median_ms']:>7.1f}ms {result['max_ms']:>7.1f}ms "
            f"{result['queries']:>8} {result['slowest_query_ms']:>8.1f}ms {result['status']:>6}"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "runs": args.runs,
                    "seed_seconds": round(seeded, 2),
                    "pages": rows,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
