"""The engine with scripted fake providers: ordering, supervision, cancellation."""

from __future__ import annotations

import asyncio

import pytest

from consensus import events as ev
from consensus.deadline import Limits
from consensus.engine import ConsensusEngine
from consensus.providers.errors import ProviderHTTPError, ProviderTimeout
from consensus.providers.fake import FakeProvider
from consensus.record import RunRecord

ANSWER = ["Menurut", " hukum", " Indonesia,", " kontrak", " sah."]


def make(limits: Limits | None = None) -> tuple[ConsensusEngine, FakeProvider, FakeProvider]:
    fast = FakeProvider(name="FastFake", model="fast-1")
    validator = FakeProvider(name="SlowFake", model="slow-1")
    engine = ConsensusEngine(fast=fast, validator=validator, limits=limits or Limits())
    return engine, fast, validator


async def collect(engine: ConsensusEngine, record: RunRecord) -> list[ev.Event]:
    return [event async for event in engine.run(record)]


async def test_tokens_are_relayed_in_order_and_the_record_is_filled() -> None:
    engine, fast, validator = make()
    fast.enqueue(ANSWER)
    validator.enqueue(["".join(ANSWER)])
    record = RunRecord(
        prompt="Apa syarat kontrak?",
        system_prompt="Jawab singkat.",
        history=[{"role": "user", "content": "Halo"}, {"role": "assistant", "content": "Halo!"}],
    )

    events = await collect(engine, record)

    assert [e.type for e in events] == ["start"] + ["token"] * 5 + [
        "groq_complete",
        "byteplus_complete",
        "complete",
    ]
    assert [e.content for e in events if isinstance(e, ev.Token)] == ANSWER
    assert record.status == "completed"
    assert record.similarity == 1.0
    assert record.final_answer == "".join(ANSWER)
    sent = fast.history[0].messages
    assert [(m.role, m.content) for m in sent] == [
        ("system", "Jawab singkat."),
        ("user", "Halo"),
        ("assistant", "Halo!"),
        ("user", "Apa syarat kontrak?"),
    ]
    assert validator.history[0] == fast.history[0]  # both models get the same question
    assert record.fast_model == "fast-1"
    assert record.validator_model == "slow-1"
    assert [a["role"] for a in record.attempts] == ["byteplus", "groq"] or [
        a["role"] for a in record.attempts
    ] == ["groq", "byteplus"]


async def test_validator_runs_concurrently_with_the_fast_stream() -> None:
    engine, fast, validator = make()
    fast.enqueue(ANSWER, delay=0.1)
    validator.enqueue(["".join(ANSWER)], delay=0.3)
    record = RunRecord(prompt="q")

    started = asyncio.get_running_loop().time()
    await collect(engine, record)
    elapsed = asyncio.get_running_loop().time() - started

    # 5 x 0.1 streaming with the 0.3 validator hidden inside it; one after the other would take
    # 0.8 s at least (a 0.3 s margin for a loaded machine).
    assert elapsed < 0.5 + 0.3
    assert record.validator_duration < record.fast_duration


async def test_validator_exception_does_not_lose_the_fast_answer() -> None:
    engine, fast, validator = make()
    fast.enqueue(ANSWER)
    validator.enqueue([], error=ProviderHTTPError("boom", provider="SlowFake", status=500))
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert [e.type for e in events][-2:] == ["byteplus_error", "complete"]
    assert events[-1].content == "".join(ANSWER)  # type: ignore[attr-defined]
    assert events[-1].confidence == 0.7  # type: ignore[attr-defined]
    assert record.status == "validator_error"


async def test_closing_the_iteration_cancels_the_validator() -> None:
    engine, fast, validator = make()
    fast.enqueue(ANSWER * 20, delay=0.01)
    validator.enqueue(["late"], delay=30)
    record = RunRecord(prompt="q")

    stream = engine.run(record)
    async for event in stream:
        if isinstance(event, ev.Token):
            break
    await stream.aclose()

    assert [a["status"] for a in record.attempts if a["role"] == "byteplus"] == ["cancelled"]


async def test_cancelling_the_consumer_task_propagates_and_cleans_up() -> None:
    engine, fast, validator = make()
    fast.enqueue(ANSWER * 20, delay=0.05)
    validator.enqueue(["late"], delay=30)
    record = RunRecord(prompt="q")
    seen: list[str] = []

    async def consume() -> None:
        async for event in engine.run(record):
            seen.append(event.type)

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.12)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "token" in seen
    assert [a["status"] for a in record.attempts if a["role"] == "byteplus"] == ["cancelled"]


async def test_fallback_relays_the_validators_pieces_as_they_arrive() -> None:
    engine, fast, validator = make(Limits(retry_budget=0))
    fast.enqueue([], error=ProviderTimeout("timed out connecting", provider="FastFake"))
    validator.enqueue(["Jawaban ", "lengkap ", "dari ", "validator."], delay=0.05)
    record = RunRecord(prompt="q")
    seen: list[ev.Event] = []

    async with asyncio.timeout(5):
        async for event in engine.run(record):
            seen.append(event)
            if isinstance(event, ev.Token) and event.content == "Jawaban ":
                # the first piece is on its way while the validator is still answering
                assert record.validator_answer == ""

    tokens = [e for e in seen if isinstance(e, ev.Token)]
    assert [t.content for t in tokens] == ["Jawaban ", "lengkap ", "dari ", "validator."]
    assert {t.model for t in tokens} == {"byteplus"}
    assert seen[-1].type == "complete"
    assert record.status == "fallback"
    assert record.final_answer == "Jawaban lengkap dari validator."
    assert record.time_to_first_token is not None
    assert record.time_to_first_token < record.validator_duration - 0.1


async def test_a_stream_broken_after_tokens_is_never_presented_as_complete() -> None:
    engine, fast, validator = make()
    fast.enqueue(ANSWER, error=ProviderTimeout("timed out waiting for data"), error_after=3)
    validator.enqueue(["Jawaban validator."])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert [e.type for e in events] == [
        "start",
        "token",
        "token",
        "token",
        "correction",
        "complete",
    ]
    correction = events[-2]
    assert isinstance(correction, ev.Correction)
    assert correction.reason == "fast_model_failed"
    assert correction.original == "".join(ANSWER[:3])
    assert events[-1].content == "Jawaban validator."  # type: ignore[attr-defined]


async def test_a_conflicting_fact_corrects_even_under_a_low_configured_threshold() -> None:
    from consensus.agreement.confidence import Policy

    engine, fast, validator = make()
    engine.policy = Policy(moderate_similarity=0.2, high_similarity=0.3)
    fast.enqueue(
        ["Pencurian diatur dalam Pasal 363 KUHP dengan pidana penjara paling lama lima tahun."]
    )
    validator.enqueue(
        ["Pencurian diatur dalam Pasal 362 KUHP dengan pidana penjara paling lama lima tahun."]
    )
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    correction = next(e for e in events if isinstance(e, ev.Correction))
    assert correction.reason == "fact_conflict"
    assert correction.conflicts[0]["kind"] == "article"
    assert record.conflicts
    assert record.correction_reason == "fact_conflict"


async def test_a_supplement_keeps_the_fast_answer_and_names_the_added_facts() -> None:
    engine, fast, validator = make()
    fast.enqueue(["Ancamannya penjara paling lama lima tahun atau denda."])
    validator.enqueue(
        ["Menurut Pasal 362 KUHP, pencuri diancam penjara paling lama 5 tahun atau denda."]
    )
    record = RunRecord(prompt="Apa hukuman pencurian?")

    events = await collect(engine, record)

    verdict = next(e for e in events if isinstance(e, ev.ByteplusComplete))
    complete = events[-1]
    assert not any(isinstance(e, ev.Correction) for e in events)
    assert verdict.outcome == "supplement"
    assert {"kind": "article", "text": "Pasal 362 KUHP"} in verdict.added
    assert verdict.decided_by == "rules"
    assert verdict.band == "moderate"
    assert isinstance(complete, ev.Complete)
    assert complete.content == "Ancamannya penjara paling lama lima tahun atau denda."
    assert complete.confidence == 0.84  # the moderate band: validated, with facts to add
    assert record.outcome == "supplement"
    assert record.added_facts == verdict.added
    assert [p["source"] for p in verdict.merged] == ["fast", "validator"]
    assert record.merged_answer == verdict.merged
    assert record.status == "completed"


async def test_an_opposite_conclusion_is_a_conflict_naming_both_claims() -> None:
    engine, fast, validator = make()
    fast.enqueue(["Perjanjian lisan tetap sah dan mengikat para pihak."])
    validator.enqueue(["Perjanjian lisan tidak sah; harus dibuat tertulis."])
    record = RunRecord(prompt="Apakah perjanjian lisan sah?")

    events = await collect(engine, record)

    correction = next(e for e in events if isinstance(e, ev.Correction))
    # The conclusion, and the step it turns on (writing: "harus dibuat tertulis" against "lisan
    # tetap sah", `steps.py`).
    assert [c["kind"] for c in correction.conflicts] == ["modality", "conclusion"]
    assert record.outcome == "conflict"
    assert record.corrected is True


class Timeline:
    """Providers that note when the fast request goes on the wire and the validator starts."""

    def __init__(self, *, connect: float, signals_sent: bool = True) -> None:
        self.connect = connect  # seconds before the fast request is on the wire
        self.signals_sent = signals_sent
        self.log: list[str] = []

    def fast(self) -> FakeProvider:
        timeline = self

        class Fast(FakeProvider):
            async def stream(self, request, outcome):  # type: ignore[no-untyped-def]
                timeline.log.append("fast request started")
                await asyncio.sleep(timeline.connect)
                timeline.log.append("fast request on the wire")
                if timeline.signals_sent:
                    outcome.sent()
                await asyncio.sleep(0.05)
                timeline.log.append("fast first token")
                yield "Jawaban"
                outcome.finish_reason = "stop"

        return Fast(name="FastFake", model="fast-1")

    def validator(self) -> FakeProvider:
        timeline = self

        class Validator(FakeProvider):
            async def stream(self, request, outcome):  # type: ignore[no-untyped-def]
                timeline.log.append("validator request started")
                yield "Jawaban"
                outcome.finish_reason = "stop"

        return Validator(name="SlowFake", model="slow-1")


async def test_the_validator_request_waits_until_the_fast_one_is_on_the_wire() -> None:
    """Sent together, the two requests take turns on the event loop and the fast one (the one
    the user waits for) leaves later; the validator gets a head start of zero instead."""
    timeline = Timeline(connect=0.02)
    engine = ConsensusEngine(fast=timeline.fast(), validator=timeline.validator())

    events = await collect(engine, RunRecord(prompt="Apa syarat kontrak?"))

    assert events[-1].type == "complete"
    assert timeline.log == [
        "fast request started",
        "fast request on the wire",
        "validator request started",
        "fast first token",
    ]


async def test_a_fast_provider_that_never_says_sent_delays_the_validator_only_briefly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from consensus import engine as engine_module

    monkeypatch.setattr(engine_module, "VALIDATOR_HEAD_START", 0.01)
    timeline = Timeline(connect=0.2, signals_sent=False)
    engine = ConsensusEngine(fast=timeline.fast(), validator=timeline.validator())

    events = await collect(engine, RunRecord(prompt="Apa syarat kontrak?"))

    assert events[-1].type == "complete"
    assert timeline.log == [
        "fast request started",
        "validator request started",  # after the head start, not after the slow connect
        "fast request on the wire",
        "fast first token",
    ]


async def test_an_open_circuit_starts_the_validator_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from consensus import engine as engine_module
    from consensus.circuit import Circuit

    monkeypatch.setattr(engine_module, "VALIDATOR_HEAD_START", 5.0)
    timeline = Timeline(connect=0.0)
    circuit = Circuit("test-open", failures=1, cooldown=60)
    await circuit.record_failure()
    engine = ConsensusEngine(fast=timeline.fast(), validator=timeline.validator(), circuit=circuit)
    started = asyncio.get_running_loop().time()

    events = await collect(engine, RunRecord(prompt="Apa syarat kontrak?"))

    assert [e.type for e in events][:2] == ["start", "fallback"]
    assert timeline.log == ["validator request started"]
    assert asyncio.get_running_loop().time() - started < 1.0  # no head start to wait out


async def test_the_retry_budget_counts_from_the_first_failure() -> None:
    """A failure that took most of the budget to arrive still gets its retry."""

    class SlowToFail(FakeProvider):
        calls = 0

        async def stream(self, request, outcome):  # type: ignore[no-untyped-def]
            self.calls += 1
            if self.calls == 1:
                await asyncio.sleep(0.3)
                raise ProviderHTTPError("overloaded", provider=self.name, status=503)
            async for piece in super().stream(request, outcome):
                yield piece

    fast = SlowToFail(name="FastFake", model="fast-1")
    fast.enqueue(ANSWER)
    validator = FakeProvider(name="SlowFake", model="slow-1")
    validator.enqueue(["".join(ANSWER)])
    engine = ConsensusEngine(fast=fast, validator=validator, limits=Limits(retry_budget=0.35))

    events = await collect(engine, RunRecord(prompt="q"))

    assert [e.type for e in events][-3:] == ["groq_complete", "byteplus_complete", "complete"]
    assert fast.calls == 2


async def test_open_circuit_failing_validator_and_failing_probe_end_in_one_error() -> None:
    from consensus import circuit as circuit_module
    from consensus.circuit import Circuit

    engine, fast, validator = make(Limits(retry_budget=0))
    engine.circuit = Circuit("test-last-resort", failures=1, cooldown=60)
    circuit_module._snapshots.pop(engine.circuit.key, None)
    await engine.circuit.record_failure()
    validator.enqueue([], error=ProviderHTTPError("boom", provider="SlowFake", status=500))
    fast.enqueue([], error=ProviderTimeout("timed out connecting", provider="FastFake"))
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert [e.type for e in events] == ["start", "fallback", "byteplus_error", "error"]
    assert events[-1].message == (  # type: ignore[attr-defined]
        "Both models failed. FastFake: timed out connecting. SlowFake answered HTTP 500: boom."
    )
    assert [(a["role"], a["status"]) for a in record.attempts] == [
        ("byteplus", "http_error"),
        ("groq", "timeout"),
    ]
    assert record.status == "failed"
    await engine.circuit.record_success()


def test_an_attempt_never_stores_an_empty_error() -> None:
    from consensus.deadline import attempt_entry

    entry = attempt_entry(
        role="groq", provider="Groq", model="m", started=0.0, run_started=0.0, error=TimeoutError()
    )

    assert (entry["status"], entry["error"]) == ("timeout", "TimeoutError")
