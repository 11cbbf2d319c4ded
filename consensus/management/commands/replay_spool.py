"""`manage.py replay_spool`: store the runs spooled while the database was unreachable."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from consensus.conf import get_config
from consensus.spool import spool_replay


class Command(BaseCommand):
    help = "Store spooled runs (CONSENSUS_SPOOL_DIR) in the database and delete their files."

    def handle(self, *args: Any, **options: Any) -> None:
        directory = get_config().spool_dir
        result = spool_replay(directory)
        self.stdout.write(f"Stored {len(result.stored)} spooled run(s) from {directory}.")
        for name, reason in result.failed.items():
            self.stderr.write(f"Kept {name}: {reason}")
        if result.failed:
            raise CommandError(f"{len(result.failed)} spooled run(s) could not be stored.")
