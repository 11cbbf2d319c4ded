"""Nothing lost: a run the database will not take is retried, spooled, and replayed later."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import httpx
import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from django.core.management import CommandError, call_command
from django.db import OperationalError, connections
from django.utils import timezone

from consensus import services, spool
from consensus.models import ConsensusRun
from consensus.streaming.hub import get_hub

from .upstreams import ARK_URL, GROQ_URL, ark_completion, groq_frames, stream_response

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ANSWER = "Kontrak lisan sah bila memenuhi Pasal 1320 KUHPerdata."


@pytest.fixture
def answering(upstream):
    pieces = ["Kontrak lisan sah", " bila memenuhi", " Pasal 1320 KUHPerdata."]
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames(pieces)))
    upstream.post(ARK_URL).mock(return_value=httpx.Response(200, json=ark_completion(ANSWER)))
    return upstream


@pytest.fixture
def spool_dir(settings) -> Path:
    return Path(settings.CONSENSUS_SPOOL_DIR)


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "SAVE_RETRY_PAUSES", (0.01, 0.01))


class UnreachableDatabase:
    """Stands in for `ConsensusRun.objects.abulk_create` (the upsert) while the database is down."""

    def __init__(self) -> None:
        self.attempts = 0

    async def __call__(self, *args: object, **kwargs: object) -> object:
        self.attempts += 1
        raise OperationalError("could not connect to server: Connection refused")


def _in_orm_thread(fn) -> None:  # type: ignore[no-untyped-def]
    SyncToAsync.single_thread_executor.submit(fn).result(timeout=10)


@contextlib.contextmanager
def database_unreachable() -> Iterator[None]:
    """Point the default connection at a closed port, for the thread the async ORM uses."""
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"].endswith("sqlite3"):
        # An in-memory test database ignores close(), so it cannot be made unreachable.
        pytest.skip("needs a database server: runs in the PostgreSQL pass")
    saved = dict(settings_dict)
    _in_orm_thread(connections.close_all)
    settings_dict.update(
        HOST="127.0.0.1",
        PORT="9",
        OPTIONS={**settings_dict.get("OPTIONS", {}), "connect_timeout": 1},
    )
    try:
        yield
    finally:
        _in_orm_thread(connections.close_all)
        settings_dict.clear()
        settings_dict.update(saved)


async def stream_to_the_end(client, collect) -> tuple[str, list[dict]]:
    response = await client.post(
        "/api/consensus/stream",
        {"prompt": "Apakah kontrak lisan sah?"},
        content_type="application/json",
    )
    events = await collect(response)
    channel = get_hub().get(response["X-Run-Id"])
    if channel is not None and channel.task is not None:
        await channel.task
    return response["X-Run-Id"], events


async def test_database_down_at_save_time_spools_the_run_and_replay_stores_it(
    async_client, answering, collect, spool_dir, quick_retries, monkeypatch
):
    down = UnreachableDatabase()
    monkeypatch.setattr(ConsensusRun.objects, "abulk_create", down)

    run_id, events = await stream_to_the_end(async_client, collect)

    assert events[-1]["data"]["type"] == "complete"
    assert events[-1]["data"]["content"] == ANSWER
    assert down.attempts == len(services.SAVE_RETRY_PAUSES) + 1
    assert [p.name for p in spool.spool_files(spool_dir)] == [f"{run_id}.jsonl"]
    assert oct(spool_dir.joinpath(f"{run_id}.jsonl").stat().st_mode & 0o777) == "0o600"
    assert await ConsensusRun.objects.acount() == 0

    monkeypatch.undo()
    out = StringIO()
    await sync_to_async(call_command)("replay_spool", stdout=out)

    assert "Stored 1 spooled run" in out.getvalue()
    run = await ConsensusRun.objects.aget()
    assert str(run.id) == run_id
    assert run.status == "completed"
    assert run.final_answer == ANSWER
    assert run.client_id == "ip:127.0.0.1"
    assert run.finished_at is not None
    assert run.created_at <= run.finished_at <= timezone.now()
    assert spool.spool_files(spool_dir) == []


async def test_a_real_unreachable_database_still_completes_the_stream(
    async_client, answering, collect, spool_dir, quick_retries
):
    with database_unreachable():
        run_id, events = await stream_to_the_end(async_client, collect)

    assert events[-1]["data"]["type"] == "complete"
    assert [p.name for p in spool.spool_files(spool_dir)] == [f"{run_id}.jsonl"]
    await sync_to_async(call_command)("replay_spool", stdout=StringIO())
    assert (await ConsensusRun.objects.aget(id=run_id)).status == "completed"


def test_replay_is_idempotent(spool_dir):
    run_id = uuid.uuid4()
    fields = {
        "prompt": "p",
        "final_answer": "a",
        "status": "completed",
        "finished_at": timezone.now(),
    }
    spool.spool_write(directory=spool_dir, run_id=run_id, fields=fields, created_at=timezone.now())
    ConsensusRun.objects.create(id=run_id, prompt="p", status="running")  # a save that did land

    first = spool.spool_replay(spool_dir)
    second = spool.spool_replay(spool_dir)

    assert first.stored == [run_id]
    assert second.stored == []
    assert ConsensusRun.objects.get().status == "completed"


def test_a_file_that_can_never_be_stored_is_quarantined_and_the_rest_stored(spool_dir):
    spool_dir.mkdir(parents=True)
    (spool_dir / "broken.jsonl").write_text("{not json\n")
    unknown_field = uuid.uuid4()
    spool.spool_write(
        directory=spool_dir,
        run_id=unknown_field,
        fields={"prompt": "p", "no_such_column": 1},
        created_at=timezone.now(),
    )
    good = uuid.uuid4()
    spool.spool_write(
        directory=spool_dir, run_id=good, fields={"prompt": "p"}, created_at=timezone.now()
    )
    err = StringIO()

    call_command("replay_spool", stdout=StringIO(), stderr=err)  # exit 0: nothing left to retry

    assert ConsensusRun.objects.filter(id=good).exists()
    assert spool.spool_files(spool_dir) == []
    quarantine = spool_dir / spool.QUARANTINE
    assert sorted(p.name for p in quarantine.glob("*.jsonl")) == sorted(
        ["broken.jsonl", f"{unknown_field}.jsonl"]
    )
    assert "JSONDecodeError" in (quarantine / "broken.jsonl.reason").read_text()
    assert err.getvalue().count("Quarantined") == 2


def test_a_run_postgresql_refuses_nul_in_is_quarantined(spool_dir, caplog, monkeypatch):
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite stores NUL: runs in the PostgreSQL pass")
    bad, good = uuid.uuid4(), uuid.uuid4()
    for run_id, answer in ((bad, "jawab\x00an"), (good, "jawaban")):
        spool.spool_write(
            directory=spool_dir,
            run_id=run_id,
            fields={"prompt": "p", "final_answer": answer, "status": "completed"},
            created_at=timezone.now(),
        )

    logger = logging.getLogger("consensus")  # not propagated to the root, where caplog listens
    monkeypatch.setattr(logger, "handlers", [*logger.handlers, caplog.handler])
    call_command("replay_spool", stdout=StringIO(), stderr=StringIO())

    assert list(ConsensusRun.objects.values_list("id", flat=True)) == [good]
    assert (spool_dir / spool.QUARANTINE / f"{bad}.jsonl").exists()
    assert f"{bad}.jsonl can never be stored" in caplog.text


def test_a_file_that_failed_for_a_passing_reason_is_kept_and_the_command_fails(
    spool_dir, monkeypatch
):
    run_id = uuid.uuid4()
    spool.spool_write(
        directory=spool_dir, run_id=run_id, fields={"prompt": "p"}, created_at=timezone.now()
    )

    def database_down(path: Path) -> uuid.UUID:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(spool, "replay_file", database_down)
    err = StringIO()
    with pytest.raises(CommandError, match="1 spooled run"):
        call_command("replay_spool", stdout=StringIO(), stderr=err)

    assert [p.name for p in spool.spool_files(spool_dir)] == [f"{run_id}.jsonl"]
    assert "Kept" in err.getvalue()
    assert not (spool_dir / spool.QUARANTINE).exists()


def test_spool_write_leaves_no_temporary_files(spool_dir):
    spool.spool_write(
        directory=spool_dir, run_id=uuid.uuid4(), fields={"prompt": "p"}, created_at=timezone.now()
    )
    assert [p.suffix for p in spool_dir.iterdir()] == [".jsonl"]


async def test_a_save_that_recovers_on_retry_is_not_spooled(quick_retries, spool_dir, monkeypatch):
    from consensus.record import RunRecord

    real = ConsensusRun.objects.abulk_create
    calls = []

    async def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return await real(*args, **kwargs)

    monkeypatch.setattr(ConsensusRun.objects, "abulk_create", flaky)
    record = RunRecord(prompt="p", status="completed", final_answer="a")

    assert await services.run_save(record=record) is not None
    assert len(calls) == 2
    assert spool.spool_files(spool_dir) == []


async def test_saving_a_run_twice_updates_the_one_row() -> None:
    """The save is one upsert: a retried save (its first commit acknowledged or not) leaves
    one row with the latest fields."""
    from consensus.record import RunRecord

    record = RunRecord(prompt="p", status="running")
    await services.run_save(record=record)
    record.status, record.final_answer = "completed", "jawaban"
    await services.run_save(record=record)

    rows = [run async for run in ConsensusRun.objects.filter(id=record.id)]
    assert len(rows) == 1
    assert (rows[0].status, rows[0].final_answer) == ("completed", "jawaban")
