"""More than one validator (`CONSENSUS_VALIDATORS`): the configuration, the majority verdict, the
events, the confidence, and what is stored. The engine with scripted fake providers; the stream
endpoint, the stored run and the admin page with the recorded-shape upstreams (tests/upstreams.py).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from consensus import events as ev
from consensus.agreement import Policy
from consensus.agreement.confidence import consensus_confidence
from consensus.conf import get_config, validators_setting
from consensus.deadline import Limits
from consensus.engine import ConsensusEngine
from consensus.providers.errors import ProviderHTTPError
from consensus.providers.fake import FakeProvider
from consensus.record import RunRecord
from consensus.upstreams import build_provider
from consensus.validator_task import panel_confidence

from .conftest import eventually
from .fakes import upstream_server as fake_server
from .fakes.upstream_server import FakeUpstream, Reply
from .upstreams import ARK_URL, GROQ_URL, ark_frames, groq_frames, stream_response

FAST = "Pencurian diatur dalam Pasal 363 KUHP dengan pidana penjara paling lama lima tahun."
SAME = "Pencurian diatur dalam Pasal 363 KUHP; pidananya penjara paling lama lima tahun."
WRONG_A = "Pencurian diatur dalam Pasal 362 KUHP dengan pidana penjara paling lama lima tahun."
WRONG_B = "Pencurian biasa diatur dalam Pasal 362 KUHP, ancamannya penjara paling lama lima tahun."
POLICY = Policy()


def make(
    *extra_names: str, limits: Limits | None = None
) -> tuple[ConsensusEngine, FakeProvider, FakeProvider, list[FakeProvider]]:
    fast = FakeProvider(name="FastFake", model="fast-1")
    first = FakeProvider(name="SlowFake", model="slow-1")
    extras = [FakeProvider(name=name, model=f"{name}-model") for name in extra_names]
    engine = ConsensusEngine(fast=fast, validator=first, extras=extras, limits=limits or Limits())
    return engine, fast, first, extras


async def collect(engine: ConsensusEngine, record: RunRecord) -> list[ev.Event]:
    return [event async for event in engine.run(record)]


def done(events: list[ev.Event]) -> ev.PanelComplete:
    """The run's `complete`, which carries the vote when there are extra validators."""
    assert isinstance(events[-1], ev.PanelComplete)
    return events[-1]


def of(events: list[ev.Event], kind: type) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


# --- configuration ------------------------------------------------------------------------------


def test_an_empty_setting_means_no_extra_validator() -> None:
    assert validators_setting("", {}) == []
    assert validators_setting("  ", {}) == []
    assert validators_setting("[]", {}) == []


def test_entries_are_resolved_with_their_key_from_the_environment() -> None:
    raw = json.dumps(
        [
            {
                "name": "Gemini",
                "base_url": "https://gen.test/v1/",
                "model": "g-2",
                "api_key_env": "GEMINI_KEY",
            },
            {
                "name": "local",
                "base_url": "http://127.0.0.1:8081/v1",
                "model": "m",
                "preset": "local",
            },
        ]
    )

    resolved = validators_setting(raw, {"GEMINI_KEY": "sk-gem"})

    assert resolved == [
        {
            "name": "Gemini",
            "preset": "openai",
            "api_key": "sk-gem",
            "base_url": "https://gen.test/v1",
            "model": "g-2",
        },
        {
            "name": "local",
            "preset": "local",
            "api_key": "",
            "base_url": "http://127.0.0.1:8081/v1",
            "model": "m",
        },
    ]


@pytest.mark.parametrize(
    ("raw", "environ", "says"),
    [
        ("{not json", {}, "not valid JSON"),
        ('{"name": "x"}', {}, "must be a JSON list"),
        ('["x"]', {}, "entry 0 must be an object"),
        ('[{"name": "x", "model": "m"}]', {}, "entry 0: base_url is required"),
        ('[{"name": "x", "base_url": "ftp://h", "model": "m"}]', {}, "must start with http"),
        (
            '[{"name": "x", "base_url": "https://h", "model": "m", "api_key": "sk"}]',
            {},
            "unknown field(s) api_key (put the key in its own variable",
        ),
        (
            '[{"name": "x", "base_url": "https://h", "model": "m", "api_key_env": "NOPE"}]',
            {},
            "the environment variable NOPE is not set",
        ),
        (
            '[{"name": "x", "base_url": "https://h", "model": "m", "api_key_env": "A B"}]',
            {},
            "api_key_env must name an environment variable",
        ),
        ('[{"name": "byteplus", "base_url": "https://h", "model": "m"}]', {}, "taken by one"),
        (
            '[{"name": "x", "base_url": "https://h", "model": "m"},'
            ' {"name": "X", "base_url": "https://i", "model": "n"}]',
            {},
            "the name 'X' is used twice",
        ),
        ('[{"name": "x", "base_url": "https://h", "model": 3}]', {}, "model must be a string"),
    ],
)
def test_a_wrong_setting_is_refused_at_start_up_naming_the_problem(
    raw: str, environ: dict[str, str], says: str
) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        validators_setting(raw, environ)

    assert str(caught.value).startswith("CONSENSUS_VALIDATORS: ")
    assert says in str(caught.value)
    assert "docs/configuration.md" in str(caught.value)


def test_the_config_and_the_engine_carry_the_extra_validators(settings: Any) -> None:
    settings.CONSENSUS_VALIDATORS = validators_setting(
        '[{"name": "Second", "base_url": "https://second.test/v1", "model": "second-1",'
        ' "api_key_env": "SECOND_KEY"}]',
        {"SECOND_KEY": "sk-second"},
    )

    cfg = get_config()
    engine = ConsensusEngine.from_config(cfg)

    assert [(v.name, v.model, v.api_key) for v in cfg.validators] == [
        ("Second", "second-1", "sk-second")
    ]
    assert "sk-second" not in repr(cfg.validators)
    assert [(p.name, p.model) for p in engine.extras] == [("Second", "second-1")]
    assert build_provider(cfg.validator).name == "BytePlus ModelArk"  # the roles keep theirs


def test_without_extra_validators_the_config_has_none() -> None:
    assert get_config().validators == ()
    assert ConsensusEngine.from_config(get_config()).extras == ()


# --- the confidence formula -----------------------------------------------------------------------


@pytest.mark.parametrize("score", [1.0, 0.9, 0.7, 0.6, 0.45, 0.2])
def test_with_one_answer_the_confidence_is_the_design_formula(score: float) -> None:
    assert panel_confidence([score], POLICY) == consensus_confidence(score, POLICY)


def test_the_confidence_averages_the_band_boosts_of_every_answer() -> None:
    base = 0.7 * 0.4 + 0.85 * 0.6  # 0.79
    assert panel_confidence([0.95, 0.9, 0.88], POLICY) == round(base + 0.10, 4)
    assert panel_confidence([0.95, 0.45], POLICY) == round(base + (0.10 - 0.10) / 2, 4)
    assert panel_confidence([0.95, 0.95, 0.45], POLICY) == round(base + 0.10 / 3, 4)
    assert panel_confidence([0.7, 0.45, 0.45], POLICY) == round(base + (0.05 - 0.2) / 3, 4)


# --- the majority ---------------------------------------------------------------------------------


async def test_two_validators_that_agree_confirm_the_fast_answer() -> None:
    engine, fast, first, (second,) = make("second")
    fast.enqueue([FAST])
    first.enqueue([FAST])
    second.enqueue([SAME])
    record = RunRecord(prompt="Pasal pencurian?")

    events = await collect(engine, record)

    assert [e.type for e in events] == [
        "start",
        "token",
        "groq_complete",
        "byteplus_complete",
        "validator_complete",
        "complete",
    ]
    extra = of(events, ev.ValidatorComplete)[0]
    assert (extra.name, extra.model, extra.status, extra.answer) == (
        "second",
        "second-model",
        "answered",
        SAME,
    )
    assert extra.outcome == "agree"
    assert extra.majority is True
    assert extra.latency_ms is not None
    assert extra.latency_ms >= 0
    complete = events[-1]
    assert isinstance(complete, ev.PanelComplete)
    assert complete.validators == {
        "asked": 2,
        "answered": 2,
        "corrects": 0,
        "stands": 2,
        "tie": False,
        "decided_by": "SlowFake",
    }
    assert complete.content == FAST
    assert complete.confidence == 0.89
    assert record.status == "completed"
    assert second.history[0] == fast.history[0]  # the same question


async def test_a_tie_goes_to_the_first_validator_when_it_confirms() -> None:
    engine, fast, first, (second,) = make("second")
    fast.enqueue([FAST])
    first.enqueue([SAME])
    second.enqueue([WRONG_A])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert not of(events, ev.Correction)
    assert done(events).content == FAST
    extra = of(events, ev.ValidatorComplete)[0]
    assert extra.outcome == "conflict"
    assert extra.conflicts == [
        {"kind": "article", "fast": "Pasal 363 KUHP", "validator": "Pasal 362 KUHP"}
    ]
    assert extra.majority is False
    assert done(events).validators["tie"] is True
    assert done(events).confidence == panel_confidence(
        [record.validators[0]["similarity"], extra.similarity], POLICY
    )
    assert record.outcome == "agree"
    assert not record.corrected


async def test_a_tie_goes_to_the_first_validator_when_it_corrects() -> None:
    engine, fast, first, (second,) = make("second")
    fast.enqueue([FAST])
    first.enqueue([WRONG_A])
    second.enqueue([SAME])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert [e.type for e in events][-4:] == [
        "byteplus_complete",
        "validator_complete",
        "correction",
        "complete",
    ]
    correction = of(events, ev.Correction)[0]
    assert correction.corrected == WRONG_A
    assert record.final_answer == WRONG_A
    assert record.status == "corrected"


async def test_three_validators_two_against_the_first_correct_with_the_first_of_the_majority() -> (
    None
):
    engine, fast, first, (second, third) = make("second", "third")
    fast.enqueue([FAST])
    first.enqueue([SAME])
    second.enqueue([WRONG_B])
    third.enqueue([WRONG_A])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert [e.type for e in events][-6:] == [
        "groq_complete",
        "byteplus_complete",
        "validator_complete",
        "validator_complete",
        "correction",
        "complete",
    ]
    # byteplus_complete still describes the first validator, which confirmed the fast answer.
    verdict = of(events, ev.ByteplusComplete)[0]
    assert verdict.outcome == "agree"
    assert verdict.model == "slow-1"
    extras = of(events, ev.ValidatorComplete)
    assert [(e.name, e.outcome, e.majority) for e in extras] == [
        ("second", "conflict", True),
        ("third", "conflict", True),
    ]
    correction = of(events, ev.Correction)[0]
    assert correction.corrected == WRONG_B  # the first validator on the majority side
    assert correction.similarity == extras[0].similarity
    assert correction.conflicts == extras[0].conflicts
    complete = done(events)
    assert complete.validators == {
        "asked": 3,
        "answered": 3,
        "corrects": 2,
        "stands": 1,
        "tie": False,
        "decided_by": "second",
    }
    assert complete.confidence == panel_confidence(
        [verdict.similarity, extras[0].similarity, extras[1].similarity], POLICY
    )
    assert record.similarity == extras[0].similarity
    assert record.outcome == "conflict"
    assert record.corrected
    assert record.correction_reason == "fact_conflict"
    assert record.validator_answer == SAME  # the first validator's own answer, as before
    assert [(v["name"], v["decided"], v["majority"]) for v in record.validators] == [
        ("SlowFake", False, False),
        ("second", True, True),
        ("third", False, True),
    ]


async def test_three_validators_two_for_the_fast_answer_outvote_the_first() -> None:
    engine, fast, first, (second, third) = make("second", "third")
    fast.enqueue([FAST])
    first.enqueue([WRONG_A])
    second.enqueue([SAME])
    third.enqueue([FAST])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert of(events, ev.ByteplusComplete)[0].outcome == "conflict"
    assert not of(events, ev.Correction)
    assert done(events).content == FAST
    assert done(events).validators["decided_by"] == "second"
    assert record.status == "completed"
    assert record.outcome == "agree"
    assert not record.corrected


# --- validators that time out or fail -------------------------------------------------------------


async def test_a_validator_that_times_out_is_left_out_of_the_vote() -> None:
    limits = Limits(validator_timeout=0.3, validator_max=0)
    engine, fast, first, (second, third) = make("second", "third", limits=limits)
    fast.enqueue([FAST])
    first.enqueue([SAME])
    second.enqueue(["terlambat"], delay=30)
    third.enqueue([WRONG_A])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    second_event, third_event = of(events, ev.ValidatorComplete)
    assert third_event.status == "answered"
    assert second_event.status == "timeout"
    assert second_event.answer == ""
    assert (second_event.similarity, second_event.outcome, second_event.majority) == (
        None,
        None,
        None,
    )
    assert second_event.reason == "timeout"
    assert second_event.message == "second sent nothing for 0.3 s"
    assert second_event.latency_ms is not None
    assert second_event.latency_ms >= 250
    # One for, one against: a tie among those that answered, the first validator decides.
    assert not of(events, ev.Correction)
    assert done(events).validators == {
        "asked": 3,
        "answered": 2,
        "corrects": 1,
        "stands": 1,
        "tie": True,
        "decided_by": "SlowFake",
    }
    assert record.status == "completed"
    assert [a["status"] for a in record.attempts if a["provider"] == "second"] == ["cancelled"]
    assert record.validators[1]["status"] == "timeout"


async def test_when_the_first_validator_times_out_the_others_decide() -> None:
    limits = Limits(validator_timeout=0.3, validator_max=0)
    engine, fast, first, (second, third) = make("second", "third", limits=limits)
    fast.enqueue([FAST])
    first.enqueue(["terlambat"], delay=30)
    second.enqueue([WRONG_A])
    third.enqueue([WRONG_B])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert [e.type for e in events][-5:] == [
        "byteplus_timeout",
        "validator_complete",
        "validator_complete",
        "correction",
        "complete",
    ]
    assert of(events, ev.Correction)[0].corrected == WRONG_A
    assert record.status == "corrected"
    assert record.validators[0]["status"] == "timeout"
    assert record.validators[0]["message"] == "SlowFake sent nothing for 0.3 s"
    complete = events[-1]
    assert isinstance(complete, ev.PanelComplete)
    scores = [v["similarity"] for v in record.validators[1:]]
    assert complete.confidence == panel_confidence(scores, POLICY)


async def test_a_failing_validator_is_reported_and_left_out() -> None:
    engine, fast, first, (second, third) = make("second", "third")
    fast.enqueue([FAST])
    first.enqueue([WRONG_A])
    second.enqueue([], error=ProviderHTTPError("boom", provider="second", status=502))
    third.enqueue([""])  # an empty answer cannot vote either
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    second_event, third_event = of(events, ev.ValidatorComplete)
    assert (second_event.status, second_event.reason) == ("error", "server_error")
    assert (third_event.status, third_event.reason) == ("error", "empty")
    assert third_event.message == "third sent an empty answer"
    # Only the first validator answered: its verdict, with the design's confidence.
    assert of(events, ev.Correction)[0].corrected == WRONG_A
    assert done(events).confidence == consensus_confidence(
        of(events, ev.ByteplusComplete)[0].similarity, POLICY
    )
    assert done(events).validators["answered"] == 1
    statuses = {a["provider"]: a["status"] for a in record.attempts if a["role"] == "validator"}
    assert statuses == {"second": "http_error", "third": "empty"}


async def test_when_no_validator_answers_the_fast_answer_stands_unvalidated() -> None:
    engine, fast, first, (second,) = make("second")
    fast.enqueue([FAST])
    first.enqueue([], error=ProviderHTTPError("boom", provider="SlowFake", status=500))
    second.enqueue([], error=ProviderHTTPError("down", provider="second", status=503))
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert [e.type for e in events][-3:] == ["byteplus_error", "validator_complete", "complete"]
    assert done(events).confidence == 0.7
    assert done(events).content == FAST
    assert done(events).validators["decided_by"] is None
    assert record.status == "validator_error"
    assert record.similarity is None


async def test_extra_validators_are_cancelled_with_the_run() -> None:
    engine, fast, first, (second,) = make("second")
    fast.enqueue([FAST] * 50, delay=0.01)
    first.enqueue(["late"], delay=30)
    second.enqueue(["late"], delay=30)
    record = RunRecord(prompt="q")

    stream = engine.run(record)
    async for event in stream:
        if isinstance(event, ev.Token):
            break
    await stream.aclose()  # type: ignore[attr-defined]

    assert sorted((a["provider"], a["status"]) for a in record.attempts) == [
        ("SlowFake", "cancelled"),
        ("second", "cancelled"),
    ]


async def test_cancelling_the_consumer_cancels_every_validator() -> None:
    engine, fast, first, (second, third) = make("second", "third")
    fast.enqueue([FAST] * 50, delay=0.02)
    for validator in (first, second, third):
        validator.enqueue(["late"], delay=30)
    record = RunRecord(prompt="q")
    seen: list[str] = []

    async def consume() -> None:
        async for event in engine.run(record):
            seen.append(event.type)

    task = asyncio.create_task(consume())
    await eventually(lambda: "token" in seen, what="a token")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # All three were waited for before the cancellation went on: none is left running.
    assert sorted((a["provider"], a["status"]) for a in record.attempts) == [
        ("SlowFake", "cancelled"),
        ("second", "cancelled"),
        ("third", "cancelled"),
    ]


# --- the events without and with extra validators -------------------------------------------------


async def test_without_extra_validators_start_and_complete_are_as_before() -> None:
    engine, fast, first, _ = make()
    fast.enqueue([FAST])
    first.enqueue([FAST])
    record = RunRecord(prompt="q")

    events = await collect(engine, record)

    assert type(events[0]) is ev.Start
    assert type(events[-1]) is ev.Complete
    assert "validators" not in events[0].payload()
    assert "validators" not in events[-1].payload()
    assert not of(events, ev.ValidatorComplete)
    assert record.validators == []


async def test_start_names_the_extra_validators() -> None:
    engine, fast, first, (second,) = make("second")
    fast.enqueue([FAST])
    first.enqueue([FAST])
    second.enqueue([FAST])

    events = await collect(engine, RunRecord(prompt="q"))

    payload = events[0].payload()
    assert payload["models"] == ["fast-1", "slow-1"]
    assert payload["validators"] == [
        {"name": "second", "provider": "second", "model": "second-model"}
    ]


async def test_over_http_with_the_threaded_fake_upstreams(settings: Any) -> None:
    """Real sockets: the providers built from the settings, three validators behind the threaded
    fake upstream; the first corrects, the second confirms, the third never answers."""
    with (
        FakeUpstream(scenario="disagree") as main,
        FakeUpstream() as second,
        FakeUpstream() as third,
    ):
        settings.CONSENSUS_FAST_PROVIDER = {
            "preset": "groq",
            "api_key": "gsk-test",
            "base_url": main.base_url,
            "model": fake_server.FAST_MODEL,
        }
        settings.CONSENSUS_VALIDATOR_PROVIDER = {
            "preset": "byteplus",
            "api_key": "ark-test",
            "base_url": main.base_url,
            "model": fake_server.VALIDATOR_MODEL,
        }
        settings.CONSENSUS_VALIDATORS = [
            {
                "name": name,
                "preset": "openai",
                "api_key": "",
                "base_url": f"http://127.0.0.1:{fake.port}/validator/v1",
                "model": f"{name}-model",
            }
            for name, fake in (("second", second), ("third", third))
        ]
        settings.CONSENSUS_VALIDATOR_TIMEOUT = 1.0
        second.enqueue("validator", Reply(fake_server.DISAGREE_FAST, first_delay=0.1))
        third.enqueue("validator", Reply("terlambat", first_delay=fake_server.HANG))
        engine = ConsensusEngine.from_config(get_config())
        record = RunRecord(prompt="Berapa hukuman mencuri motor?")

        events = await collect(engine, record)

        assert [e.type for e in events if e.type != "token"] == [
            "start",
            "groq_complete",
            "byteplus_complete",
            "validator_complete",
            "validator_complete",
            "correction",
            "complete",
        ]
        verdict = of(events, ev.ByteplusComplete)[0]
        assert verdict.outcome == "conflict"
        second_event, third_event = of(events, ev.ValidatorComplete)
        assert (second_event.status, second_event.outcome, second_event.majority) == (
            "answered",
            "agree",
            False,
        )
        assert second_event.answer == fake_server.DISAGREE_FAST
        assert (third_event.status, third_event.message) == (
            "timeout",
            "third sent nothing for 1 s",
        )
        # A tie between the two that answered: the first validator's correction stands.
        assert of(events, ev.Correction)[0].corrected == fake_server.DISAGREE_VALIDATOR
        assert done(events).validators["tie"] is True
        body = second.requests[0].body
        assert (body["model"], body["stream"], "thinking" in body) == ("second-model", True, False)
        # The timed-out request was closed, not left running at the upstream.
        third.wait_for(lambda requests: bool(requests) and requests[0].disconnected)


# --- through the stream endpoint: events, the stored run, the admin -------------------------------

SECOND_URL = "https://second.test/v1/chat/completions"


@pytest.fixture
def second_validator(settings: Any) -> None:
    settings.CONSENSUS_VALIDATORS = [
        {
            "name": "Second opinion",
            "preset": "openai",
            "api_key": "sk-second",
            "base_url": SECOND_URL.removesuffix("/chat/completions"),
            "model": "second-model-1",
        }
    ]


@pytest.mark.django_db(transaction=True)
async def test_the_stream_sends_validator_complete_and_stores_each_validator(
    second_validator: None, upstream: Any, async_client: Any, collect: Any
) -> None:
    from consensus.models import ConsensusRun

    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames([FAST])))
    upstream.post(ARK_URL).mock(side_effect=stream_response(ark_frames([SAME])))
    second = upstream.post(SECOND_URL).mock(side_effect=stream_response(ark_frames([WRONG_A])))

    response = await async_client.post(
        "/api/consensus/stream", {"prompt": "Pasal pencurian?"}, content_type="application/json"
    )
    frames = await collect(response)

    types = [f["data"]["type"] for f in frames]
    assert types == [
        "start",
        "token",
        "groq_complete",
        "byteplus_complete",
        "validator_complete",
        "complete",
    ]
    extra = frames[4]["data"]
    assert extra["name"] == "Second opinion"
    assert extra["model"] == "second-model-1"
    assert extra["status"] == "answered"
    assert extra["answer"] == WRONG_A
    assert extra["outcome"] == "conflict"
    assert isinstance(extra["latency_ms"], int)
    assert frames[-1]["data"]["validators"]["tie"] is True
    sent = json.loads(second.calls[0].request.content)
    assert sent["model"] == "second-model-1"
    assert sent["stream"] is True
    assert second.calls[0].request.headers["authorization"] == "Bearer sk-second"

    run = await ConsensusRun.objects.aget(pk=frames[0]["data"]["run_id"])
    assert [v["name"] for v in run.validators] == ["BytePlus ModelArk", "Second opinion"]
    stored = run.validators[1]
    assert stored["answer"] == WRONG_A
    assert stored["similarity"] == extra["similarity"]
    assert stored["conflicts"] == extra["conflicts"]
    assert stored["latency_ms"] == extra["latency_ms"]
    assert stored["majority"] is False
    assert run.validators[0]["decided"] is True
    assert run.final_answer == FAST

    read = await async_client.get(f"/api/consensus/runs/{run.pk}")
    assert read.json()["validators"] == run.validators


@pytest.mark.django_db(transaction=True)
async def test_the_stream_reports_an_extra_validator_that_fails(
    second_validator: None, upstream: Any, async_client: Any, collect: Any
) -> None:
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames([FAST])))
    upstream.post(ARK_URL).mock(side_effect=stream_response(ark_frames([FAST])))
    upstream.post(SECOND_URL).mock(return_value=httpx.Response(500, json={"error": "down"}))

    response = await async_client.post(
        "/api/consensus/stream", {"prompt": "q"}, content_type="application/json"
    )
    frames = await collect(response)

    extra = next(f["data"] for f in frames if f["data"]["type"] == "validator_complete")
    assert extra["status"] == "error"
    assert extra["reason"] == "server_error"
    assert extra["answer"] == ""
    assert frames[-1]["data"]["status"] == "completed"
    assert frames[-1]["data"]["validators"]["answered"] == 1


@pytest.mark.django_db
def test_the_admin_run_page_shows_every_validator(admin_client: Any) -> None:
    from consensus.models import ConsensusRun

    run = ConsensusRun.objects.create(
        prompt="Pasal pencurian?",
        fast_answer=FAST,
        validator_answer=SAME,
        final_answer=WRONG_B,
        status="corrected",
        corrected=True,
        similarity=0.51,
        confidence=0.7567,
        outcome="conflict",
        validators=[
            {
                "name": "BytePlus ModelArk",
                "model": "seed-1-6",
                "role": "byteplus",
                "status": "answered",
                "answer": SAME,
                "similarity": 0.99,
                "band": "high",
                "outcome": "agree",
                "conflicts": [],
                "added": [],
                "decided_by": "rules",
                "latency_ms": 812,
                "vote": "stands",
                "majority": False,
                "decided": False,
                "message": "",
                "reason": "",
            },
            {
                "name": "Second opinion",
                "model": "second-model-1",
                "role": "validator",
                "status": "answered",
                "answer": WRONG_B,
                "similarity": 0.51,
                "band": "low",
                "outcome": "conflict",
                "conflicts": [
                    {"kind": "article", "fast": "Pasal 363 KUHP", "validator": "Pasal 362 KUHP"}
                ],
                "added": [],
                "decided_by": "rules",
                "latency_ms": 1450,
                "vote": "corrects",
                "majority": True,
                "decided": True,
                "message": "",
                "reason": "",
            },
            {
                "name": "Qwen",
                "model": "qwen3-32b",
                "role": "validator",
                "status": "answered",
                "answer": WRONG_A,
                "similarity": 0.5478,
                "band": "low",
                "outcome": "conflict",
                "conflicts": [
                    {"kind": "article", "fast": "Pasal 363 KUHP", "validator": "Pasal 362 KUHP"}
                ],
                "added": [],
                "decided_by": "rules",
                "latency_ms": 2210,
                "vote": "corrects",
                "majority": True,
                "decided": False,
                "message": "",
                "reason": "",
            },
            {
                "name": "Third <b>view</b>",
                "model": "third-1",
                "role": "validator",
                "status": "timeout",
                "answer": "",
                "similarity": None,
                "band": None,
                "outcome": None,
                "conflicts": [],
                "added": [],
                "decided_by": None,
                "latency_ms": 10020,
                "vote": None,
                "majority": None,
                "decided": False,
                "message": "Third sent nothing for 10 s",
                "reason": "timeout",
            },
        ],
    )

    response = admin_client.get(
        f"/admin/consensus/consensusrun/{run.pk}/change/", headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Every validator" in html
    assert "Second opinion" in html
    assert "second-model-1" in html
    assert "1.45 s" in html
    assert "decided the verdict" in html
    assert "Pasal 362 KUHP" in html
    assert "Third sent nothing for 10 s" in html
    assert "Third &lt;b&gt;view&lt;/b&gt;" in html  # escaped
    assert "4 validators asked, 3 answered: 2 correct the fast answer, 1 confirm it" in html
    assert "tied" not in html
    indonesian = admin_client.get(
        f"/admin/consensus/consensusrun/{run.pk}/change/", headers={"accept-language": "id"}
    ).content.decode()
    assert "Semua validator" in indonesian
    assert "4 validator ditanya, 3 menjawab: 2 mengoreksi jawaban cepat, 1 membenarkannya" in (
        indonesian
    )
    assert "menentukan keputusan" in indonesian


@pytest.mark.django_db
def test_the_admin_run_page_without_extra_validators_has_no_panel(admin_client: Any) -> None:
    from consensus.models import ConsensusRun

    run = ConsensusRun.objects.create(prompt="q", fast_answer=FAST, status="completed")

    response = admin_client.get(
        f"/admin/consensus/consensusrun/{run.pk}/change/", headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    assert "Every validator" not in response.content.decode()
