"""When the worker runs full garbage collections: when idle after work, or every FULL_EVERY."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from consensus.runtime import gcpolicy


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(gcpolicy.gc, "collect", lambda *a: calls.append(1) or 0)
    return calls


def test_no_full_collection_while_runs_are_open(collections: list[int]) -> None:
    clock, busy = Clock(), [True]
    policy = gcpolicy.FullCollections(busy=lambda: busy[0], clock=clock)
    for _ in range(200):  # 50 s of open runs, checked every 0.25 s
        clock.now += gcpolicy.CHECK_EVERY
        assert policy.tick() is False
    assert collections == []


def test_one_full_collection_once_the_worker_is_idle_after_work(collections: list[int]) -> None:
    clock, busy = Clock(), [True]
    policy = gcpolicy.FullCollections(busy=lambda: busy[0], clock=clock)
    policy.tick()
    busy[0] = False
    clock.now += 0.1
    assert policy.tick() is False  # idle, but not for long enough yet
    clock.now += gcpolicy.IDLE_FOR
    assert policy.tick() is True
    for _ in range(20):  # still idle, nothing new to collect
        clock.now += gcpolicy.CHECK_EVERY
        assert policy.tick() is False
    assert collections == [1]


def test_a_busy_worker_still_collects_every_full_every_seconds(collections: list[int]) -> None:
    clock = Clock()
    policy = gcpolicy.FullCollections(busy=lambda: True, clock=clock)
    clock.now += gcpolicy.FULL_EVERY - 1
    assert policy.tick() is False
    clock.now += 1
    assert policy.tick() is True
    clock.now += gcpolicy.FULL_EVERY / 2
    assert policy.tick() is False
    assert collections == [1]


@pytest.fixture
def gc_state() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_install_freezes_start_up_objects_and_turns_automatic_full_collections_off(
    gc_state: None,
) -> None:
    young, middle, _ = gc.get_threshold()
    gcpolicy.install()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (young, middle, gcpolicy.NO_AUTOMATIC_FULL)
