"""The OpenAI-compatible API's streamed bytes, pinned: the facade's framing (pre-rendered chunk
prefixes, token text spliced from the hub's payloads) must send exactly what it sent when every
chunk was built from a dict. A fake run hands the view the real payloads of `consensus.events`;
no database, no upstream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable, Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest

from consensus import events as ev
from consensus.inputs import Question
from consensus.openai_api import chunks, views
from consensus.openai_api.request import ChatParams

RUN_ID = "0b7c3f1e-2a4d-4e5f-8a9b-1c2d3e4f5a6b"
CREATED = 1767225600
ROLES = {
    "groq": {"provider": "Groq", "model": "openai/gpt-oss-20b"},
    "byteplus": {"provider": "BytePlus ModelArk", "model": "seed-1-6-250915"},
}
FAST_USAGE = {"prompt_tokens": 38, "completion_tokens": 3, "total_tokens": 41}
ARK_USAGE = {"prompt_tokens": 40, "completion_tokens": 60, "total_tokens": 100}
PIECES = ["Ya, ", "boleh \u201cdi\u201d ", 'menurut "undang-undang".\n']
FAST = "".join(PIECES)
RIGHT = "Pencurian diatur dalam Pasal 362 KUHP."


class FakeRun:
    """A run whose events are already there, in the given batches (an empty one is a heartbeat
    interval of silence)."""

    client = "test"

    def __init__(self, batches: Sequence[Sequence[ev.Event]]) -> None:
        self.run_id = RUN_ID
        self.batches = [[orjson.dumps(e.payload()) for e in batch] for batch in batches]

    def terminal_seen(self, after: int) -> bool:
        return False

    async def follow(
        self, after: int, frame: Callable[[int, Sequence[bytes]], Any]
    ) -> AsyncGenerator[Any, None]:
        index = after + 1
        for batch in self.batches:
            yield frame(index, batch)
            index += len(batch)

    async def request_stop(self, why: str) -> bool:
        return False


def start() -> ev.Start:
    return ev.Start(run_id=RUN_ID, models=["openai/gpt-oss-20b", "seed-1-6-250915"], roles=ROLES)


def tokens(model: str = "groq") -> list[ev.Token]:
    return [ev.Token(content=piece, model=model) for piece in PIECES]


def verdict(outcome: str = "agree", **extra: Any) -> ev.ByteplusComplete:
    return ev.ByteplusComplete(
        similarity=0.97 if outcome != "conflict" else 0.41,
        byteplus_confidence=0.9,
        band="high" if outcome != "conflict" else "low",
        model="seed-1-6-250915",
        conflicts=extra.get("conflicts", []),
        outcome=outcome,
        added=extra.get("added", []),
        decided_by="rules",
        merged=[],
    )


def complete(content: str = FAST, status: str = "completed", **extra: Any) -> ev.Complete:
    return ev.Complete(
        run_id=RUN_ID,
        content=content,
        confidence=extra.get("confidence", 0.95),
        elapsed_time=1.2,
        status=status,
        corrected=status == "corrected",
        similarity=extra.get("similarity", 0.97),
        usage={"groq": FAST_USAGE, "byteplus": extra.get("ark_usage", ARK_USAGE)},
        timestamp="2026-12-03T10:00:00.000Z",
    )


def groq_complete() -> ev.GroqComplete:
    return ev.GroqComplete(content=FAST, length=len(FAST), model="openai/gpt-oss-20b")


# Recorded from the facade before its framing was reworked (dict per chunk, `orjson.loads` of
# every event), at commit ea31e75.
PINNED = json.loads((Path(__file__).parent / "data" / "openai_wire.json").read_text())
CONFLICT = {"kind": "article", "fast": "Pasal 363 KUHP", "validator": "Pasal 362 KUHP"}

SCENARIOS: dict[str, tuple[str, str, bool, list[list[ev.Event]]]] = {
    # name: (model, prompt, include_usage, batches)
    "agree_with_usage": (
        "consensus",
        "Apakah saya boleh?",
        True,
        [[start()], *([t] for t in tokens()), [], [groq_complete(), verdict()], [complete()]],
    ),
    "correction": (
        "consensus",
        "Which article is theft?",
        False,
        [
            [start(), *tokens()],
            [groq_complete()],
            [
                verdict("conflict", conflicts=[CONFLICT]),
                ev.Correction(
                    reason="fact_conflict",
                    original=FAST,
                    corrected=RIGHT,
                    similarity=0.41,
                    conflicts=[CONFLICT],
                ),
                complete(RIGHT, "corrected", similarity=0.41, confidence=0.7),
            ],
        ],
    ),
    "supplement": (
        "consensus",
        "Apa hukuman pencurian?",
        False,
        [
            [start()],
            *([t] for t in tokens()),
            [groq_complete()],
            [
                verdict("supplement", added=[{"kind": "article", "text": "Pasal 362 KUHP"}]),
                complete(),
            ],
        ],
    ),
    "validated_with_usage": (
        "consensus-validated",
        "Apakah saya boleh?",
        True,
        [[start()], *([t] for t in tokens()), [groq_complete(), verdict()], [complete()]],
    ),
    "validator_timeout": (
        "consensus",
        "Apakah saya boleh?",
        True,
        [
            [start(), tokens()[0]],
            *([t] for t in tokens()[1:]),
            [groq_complete()],
            [
                ev.ByteplusTimeout(message="Using Groq response only", timeout=10.0),
                complete(status="validator_timeout", similarity=None, ark_usage=None),
            ],
        ],
    ),
    "error_after_text": (
        "consensus",
        "Apakah saya boleh?",
        False,
        [
            [start()],
            [tokens()[0]],
            [
                ev.Error(
                    message="Both models failed. Cut. Down.",
                    run_id=RUN_ID,
                    code="models_unavailable",
                    timestamp="2026-12-03T10:00:00.000Z",
                )
            ],
        ],
    ),
    "failed_before_text": (
        "consensus",
        "Apakah saya boleh?",
        False,
        [
            [start()],
            [
                ev.Fallback(from_="groq", to="byteplus", reason="auth", message="Groq refused."),
                ev.Error(
                    message="Both models failed. Refused. Down.",
                    run_id=RUN_ID,
                    code="models_unavailable",
                    timestamp="2026-12-03T10:00:00.000Z",
                ),
            ],
        ],
    ),
}


async def streamed(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, bytes]:
    model, prompt, include_usage, batches = SCENARIOS[name]
    monkeypatch.setattr(chunks.time, "time", lambda: CREATED + 0.25)
    params = ChatParams(model, Question(prompt=prompt), True, include_usage)  # type: ignore[arg-type]
    run: Any = FakeRun(batches)
    response = await views._streamed(run, params)
    if not response.streaming:
        return response.status_code, response.content
    body = b"".join([part async for part in aiter(response)])
    return response.status_code, body


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_the_streamed_bytes_are_as_pinned(name, monkeypatch):
    status, body = await streamed(name, monkeypatch)
    assert (status, body.decode()) == (PINNED[name]["status"], PINNED[name]["body"])
