"""The cost of saving a run: `services.run_save` on the embedded SQLite database, on disk.

    .venv/bin/python benchmarks/db_save.py [--runs 300] [--dir DIR]

Saves `--runs` finished runs one after another (as the save thread does, a connection closed
after each save as `hub.save_record` closes it) into a fresh SQLite file in `--dir` (default: a
temporary directory under the repository, on the disk the service would use, not /dev/shm),
once with SQLite's defaults (rollback journal, `synchronous=FULL`) and once with the project's
settings (WAL, `synchronous=NORMAL`), and prints the wall time and CPU time per save for each.
`DB_SAVE_KEEP=1`: the connection kept between saves, as while other runs of the worker are live.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db_path: Path, pragmas: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensus_project.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["OPTIONS"]["init_command"] = pragmas
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


async def save_many(runs: int) -> tuple[list[float], float]:
    from asgiref.sync import sync_to_async
    from django.db import close_old_connections

    from consensus import services
    from consensus.record import RunRecord
    from consensus.status import RunStatus

    walls = []
    cpu_start = time.process_time()
    for i in range(runs):
        record = RunRecord(prompt=f"apa hukuman pencurian {i}?", final_answer="Maksimal 5 tahun.")
        record.fast_pieces.extend(["Maksimal", " 5", " tahun."])
        record.validator_answer = "Pasal 362 KUHP: maksimal 5 tahun penjara."
        record.status = RunStatus.COMPLETED
        started = time.perf_counter()
        await services.run_save(record=record)
        if not os.environ.get("DB_SAVE_KEEP"):
            await sync_to_async(close_old_connections)()
        walls.append((time.perf_counter() - started) * 1000)
    return walls, (time.process_time() - cpu_start) * 1000 / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--dir", default=str(ROOT))
    parser.add_argument("--pragmas", default="", help="internal: one configuration per process")
    args = parser.parse_args()
    if args.pragmas or os.environ.get("DB_SAVE_CHILD"):
        with tempfile.TemporaryDirectory(dir=args.dir, prefix="db-save-") as tmp:
            setup(Path(tmp) / "bench.sqlite3", "" if args.pragmas == "default" else args.pragmas)
            walls, cpu = asyncio.run(save_many(args.runs))
            walls.sort()
            print(
                f"{args.pragmas or 'default':<48} p50 {statistics.median(walls):6.2f} ms"
                f"  p95 {walls[int(len(walls) * 0.95)]:6.2f} ms  CPU {cpu:5.2f} ms per save"
            )
        return
    import subprocess

    os.environ.setdefault("DJANGO_DEBUG", "true")
    from consensus_project.settings import SQLITE_PRAGMAS

    for pragmas in ("default", SQLITE_PRAGMAS):
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--runs",
                str(args.runs),
                "--dir",
                args.dir,
                "--pragmas",
                pragmas,
            ],
            check=True,
            env={**os.environ, "DB_SAVE_CHILD": "1"},
        )


if __name__ == "__main__":
    main()
