"""`manage.py replay_spool`: store the runs spooled while the database was unreachable."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from consensus.conf import get_config
from consensus.spool import spool_replay


class Command(BaseCommand):
    help = (
        "Store spooled runs (CONSENSUS_SPOOL_DIR) in the database and delete their files; move "
        "files that can never be stored to its quarantine/ folder. Exit 1 only when some files "
        "failed for a passing reason (database down) and are kept for the next try."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = get_config().spool_dir
        result = spool_replay(directory)
        self.stdout.write(f"Stored {len(result.stored)} spooled run(s) from {directory}.")
        for moved, reason in result.quarantined.items():
            self.stderr.write(
                f"Quarantined {moved}: it can never be stored ({reason}). Inspect it (it holds a "
                "prompt and answers); move it back to the spool folder once repaired."
            )
        for name, reason in result.failed.items():
            self.stderr.write(f"Kept {name} for the next replay: {reason}")
        if result.failed:
            raise CommandError(f"{len(result.failed)} spooled run(s) could not be stored.")
