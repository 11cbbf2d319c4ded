"""CSV export of the run list, streamed row by row so a large export never sits in memory."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from django.core.handlers.asgi import ASGIRequest
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from ..models import ConsensusRun

COLUMNS = (
    "id",
    "created_at",
    "status",
    "corrected",
    "correction_reason",
    "similarity",
    "confidence",
    "time_to_first_token",
    "fast_duration",
    "validator_duration",
    "total_duration",
    "fast_model",
    "validator_model",
    "review_state",
    "reviewed_by__username",
    "reviewed_at",
    "review_note",
    "prompt",
    "fast_answer",
    "validator_answer",
    "final_answer",
    "error",
)
CHUNK = 2000
FORMULA_STARTS = frozenset("=+-@\t\r")


class _Echo:
    """A file-like object whose write() returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        # Spreadsheets run cells that start like a formula (also after a TAB or CR, which they
        # skip); a leading quote keeps them text (OWASP "CSV injection").
        return "'" + value
    return value


def _line(writer: Any, row: Iterable[Any]) -> str:
    return str(writer.writerow([_cell(v) for v in row]))


def csv_lines(queryset: QuerySet[ConsensusRun]) -> Iterator[str]:
    """Header, then one line per run, reading the database in chunks."""
    writer = csv.writer(_Echo())
    yield _line(writer, COLUMNS)
    for row in queryset.values(*COLUMNS).iterator(chunk_size=CHUNK):
        yield _line(writer, (row[c] for c in COLUMNS))


async def acsv_lines(queryset: QuerySet[ConsensusRun]) -> AsyncIterator[str]:
    """The same under ASGI: an async iterator, or Django would buffer a sync one whole."""
    writer = csv.writer(_Echo())
    yield _line(writer, COLUMNS)
    # values(), not values_list(): Django 5.2's values_list().aiterator() runs its query in the
    # event loop (SynchronousOnlyOperation); values() iterates lazily in a worker thread.
    async for row in queryset.values(*COLUMNS).aiterator(chunk_size=CHUNK):
        yield _line(writer, (row[c] for c in COLUMNS))


def csv_response(request: HttpRequest, queryset: QuerySet[ConsensusRun]) -> StreamingHttpResponse:
    """A streamed `text/csv` attachment of the runs in `queryset`, in its order."""
    lines = acsv_lines(queryset) if isinstance(request, ASGIRequest) else csv_lines(queryset)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="consensus-runs-{stamp}.csv"'
    return response
