"""Trigram indexes for the admin's search on PostgreSQL (other databases: nothing to do).

The admin searches the prompt and the three answers with `icontains`, which PostgreSQL runs as
`UPPER(col) LIKE UPPER('%term%')`: a sequential scan of every text column (about 4.6 s at 100,000
runs). GIN trigram indexes on `UPPER(col)` serve those LIKEs. Creating the pg_trgm extension
needs a privileged role; without it the migration skips the indexes and says so.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("prompt", "fast_answer", "validator_answer", "final_answer")


def _index(column: str) -> str:
    return f"run_{column}_trgm"


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        print(f"\n  pg_trgm unavailable ({exc}); admin search stays unindexed")
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_index(column)}" ON "consensus_consensusrun" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_index(column)}"')


class Migration(migrations.Migration):
    dependencies = [("consensus", "0003_run_status_fallback")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
