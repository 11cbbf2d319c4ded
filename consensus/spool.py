"""The spool: runs that could not be saved (database unreachable) wait here as files until
`manage.py replay_spool` stores them. One JSON-lines file per run, written atomically; the files
hold prompts and answers, so they are readable by the service's user only."""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from django.db import transaction

from .models import ConsensusRun

SUFFIX = ".jsonl"
DATETIME_FIELDS = ("finished_at",)


def spool_write(
    *, directory: str | Path, run_id: uuid.UUID, fields: dict[str, Any], created_at: datetime
) -> Path:
    """Write one run's fields to `<directory>/<run_id>.jsonl` (write a temporary file, then
    rename, so a reader never sees half a file)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = orjson.dumps({"id": str(run_id), "created_at": created_at, "fields": fields})
    target = folder / f"{run_id}{SUFFIX}"
    tmp = folder / f".{run_id}.{uuid.uuid4().hex}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(line + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return target


def spool_files(directory: str | Path) -> list[Path]:
    """The spooled runs waiting to be stored, oldest first."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime)


@dataclass(slots=True)
class ReplayResult:
    stored: list[uuid.UUID] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file name -> reason


def spool_replay(directory: str | Path) -> ReplayResult:
    """Store every spooled run (update or create by id, so replaying twice is harmless) and
    delete each file once its run is stored; files that fail stay for the next replay."""
    result = ReplayResult()
    for path in spool_files(directory):
        try:
            run_id = replay_file(path)
        except Exception as exc:  # one bad file must not stop the others
            result.failed[path.name] = f"{type(exc).__name__}: {exc}"
            continue
        path.unlink()
        result.stored.append(run_id)
    return result


def replay_file(path: Path) -> uuid.UUID:
    """Store the run in one spool file; returns its id."""
    for line in path.read_bytes().splitlines():
        if line.strip():
            entry = orjson.loads(line)
            break
    else:
        raise ValueError("empty spool file")
    run_id = uuid.UUID(entry["id"])
    fields = dict(entry["fields"])
    for name in DATETIME_FIELDS:
        if fields.get(name):
            fields[name] = datetime.fromisoformat(fields[name])
    created_at = datetime.fromisoformat(entry["created_at"])
    with transaction.atomic():
        ConsensusRun.objects.update_or_create(id=run_id, defaults=fields)
        # `created_at` is set on insert; put back when the question was really asked.
        ConsensusRun.objects.filter(id=run_id).update(created_at=created_at)
    return run_id
