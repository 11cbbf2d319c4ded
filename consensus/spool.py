"""The spool: runs that could not be saved (database unreachable) wait here as files until
`manage.py replay_spool` stores them. One JSON-lines file per run, written atomically; the files
hold prompts and answers, so they are readable by the service's user only."""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from django.db import InterfaceError, OperationalError, ProgrammingError, transaction

from .models import ConsensusRun

logger = logging.getLogger(__name__)

SUFFIX = ".jsonl"
DATETIME_FIELDS = ("finished_at",)
QUARANTINE = "quarantine"  # sub-folder for files that can never be stored
# Failures that may pass (the database down, a migration not applied yet): the file stays for the
# next replay. Any other failure (a NUL byte PostgreSQL refuses, a corrupt file, an unknown field)
# would fail the same way every time: the file is moved to the quarantine folder.
RETRYABLE = (InterfaceError, OperationalError, ProgrammingError, OSError)


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
    failed: dict[str, str] = field(default_factory=dict)  # file name -> reason (kept, retried)
    quarantined: dict[str, str] = field(default_factory=dict)  # quarantine path -> reason


def spool_replay(directory: str | Path) -> ReplayResult:
    """Store every spooled run (update or create by id, so replaying twice is harmless) and
    delete each file once its run is stored. A file that failed for a passing reason stays for
    the next replay; one that can never be stored goes to `<directory>/quarantine/`."""
    result = ReplayResult()
    for path in spool_files(directory):
        try:
            run_id = replay_file(path)
        except RETRYABLE as exc:
            result.failed[path.name] = _reason(exc)
            continue
        except Exception as exc:  # one bad file must not stop the others
            reason = _reason(exc)
            moved = quarantine(path, reason)
            logger.error("spool: %s can never be stored (%s); moved to %s", path, reason, moved)
            result.quarantined[str(moved)] = reason
            continue
        path.unlink()
        result.stored.append(run_id)
    return result


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def quarantine(path: Path, reason: str) -> Path:
    """Move a spool file out of the replay's way, with a `.reason` file next to it."""
    folder = path.parent / QUARANTINE
    folder.mkdir(exist_ok=True, mode=0o700)
    target = folder / path.name
    os.replace(path, target)
    reason_file = target.with_name(target.name + ".reason")
    fd = os.open(reason_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(reason + "\n")
    return target


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
