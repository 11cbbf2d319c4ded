"""The optional judge: asked only when the rules are uncertain; a failing judge changes nothing."""

from __future__ import annotations

import json

import httpx
import pytest

from consensus import events as ev
from consensus.agreement import assess
from consensus.engine import ConsensusEngine
from consensus.judge import Judge, Ruling, Said, parse
from consensus.models import ConsensusRun
from consensus.providers.errors import ProviderHTTPError
from consensus.providers.fake import FakeProvider
from consensus.record import RunRecord

from .upstreams import ARK_URL, GROQ_URL, ark_completion, groq_frames, stream_response

# Neither answer states a legal fact or a conclusion: the rules have nothing to compare.
VAGUE_FAST = "Silakan datang ke kantor notaris terdekat untuk membicarakannya."
VAGUE_VALIDATOR = "Sebaiknya temui notaris di kota Anda dan bawa dokumen yang ada."
CONFLICT_JSON = '{"conflicts": [{"kind": "conclusion", "fast": "datang", "validator": "jangan"}]}'


def judged_engine() -> tuple[ConsensusEngine, FakeProvider, FakeProvider, FakeProvider]:
    """An engine with a judge: its fast, validator and judge models are scripted fakes."""
    fast, validator, judge_model = FakeProvider(), FakeProvider(), FakeProvider()
    engine = ConsensusEngine(fast=fast, validator=validator, judge=Judge(judge_model))
    return engine, fast, validator, judge_model


def test_the_rules_are_uncertain_when_there_is_nothing_to_compare():
    assert assess(VAGUE_FAST, VAGUE_VALIDATOR).uncertain
    assert not assess("Pasal 362 KUHP.", "Pasal 362 KUHP.").uncertain


async def test_conflicts_the_judge_names_make_a_conflict_decided_by_the_judge():
    provider = FakeProvider()
    provider.enqueue([CONFLICT_JSON])
    verdict = await Judge(provider).review(
        VAGUE_FAST, VAGUE_VALIDATOR, assess(VAGUE_FAST, VAGUE_VALIDATOR)
    )
    assert verdict.outcome == "conflict"
    assert verdict.decided_by == "judge"
    assert verdict.score < 0.6
    assert verdict.conflicts[0].as_dict() == {
        "kind": "conclusion",
        "fast": "datang",
        "validator": "jangan",
    }
    request = provider.history[0]
    assert request.temperature == 0.0
    assert VAGUE_FAST in request.messages[1].content


async def test_an_empty_list_confirms_the_rules_verdict():
    provider = FakeProvider()
    provider.enqueue(['```json\n{"conflicts": []}\n```'])
    rules = assess(VAGUE_FAST, VAGUE_VALIDATOR)
    verdict = await Judge(provider).review(VAGUE_FAST, VAGUE_VALIDATOR, rules)
    assert (verdict.outcome, verdict.score, verdict.decided_by) == (
        rules.outcome,
        rules.score,
        "judge",
    )


@pytest.mark.parametrize(
    ("answer", "delay", "error"),
    [
        ("this is not JSON", 0.0, None),
        ('{"verdict": "fine"}', 0.0, None),
        ("", 0.0, ProviderHTTPError("upstream error", status=500)),
        (CONFLICT_JSON, 1.0, None),  # slower than the judge's time limit
    ],
)
async def test_a_judge_that_cannot_help_changes_nothing(answer, delay, error):
    provider = FakeProvider()
    provider.enqueue([answer], delay=delay, error=error)
    rules = assess(VAGUE_FAST, VAGUE_VALIDATOR)
    verdict = await Judge(provider, timeout=0.2).review(VAGUE_FAST, VAGUE_VALIDATOR, rules)
    assert verdict == rules
    assert verdict.decided_by == "rules"


def test_parse_reads_fenced_json_and_rejects_other_shapes():
    assert parse('```json\n{"conflicts": []}\n```') == Ruling(())
    with pytest.raises(ValueError, match="conflicts"):
        parse('{"conflicts": "none"}')


async def test_a_quote_the_answer_does_not_say_is_replaced_by_its_opening():
    provider = FakeProvider()
    provider.enqueue(
        [
            '{"answers": {"A": {"says": "yes", "quote": "you can still claim it"},'
            ' "B": {"says": "no", "quote": "Anda  tidak dapat menuntut upah tersebut"}}}'
        ]
    )
    rules = assess(HEDGED, FORMAL_NO, question=HOPE)
    verdict = await Judge(provider).review(HEDGED, FORMAL_NO, rules, question=HOPE)
    (conflict,) = verdict.conflicts
    # The model's English paraphrase is not A's words: A's opening is shown; B's quote is.
    assert conflict.fast == HEDGED
    assert conflict.validator == "Anda tidak dapat menuntut upah tersebut"


def test_a_reply_with_the_sides_and_no_list_of_conflicts_names_none():
    ruling = parse('{"answers": {"A": "yes", "B": "no"}}')
    assert (ruling.conflicts, ruling.fast.sign, ruling.validator.sign) == ((), 1, -1)
    with pytest.raises(ValueError, match="conflicts"):
        parse('{"answers": "yes"}')


def test_parse_reads_how_each_answer_answers_the_question():
    ruling = parse(
        '{"answers": {"A": {"says": "Yes", "quote": "  Bisa   kok "}, "B": "no"}, "conflicts": []}'
    )
    assert (ruling.fast, ruling.validator) == (Said(1, "Bisa kok"), Said(-1, ""))
    # Missing, unclear or malformed sides read as unclear; the conflicts are still read.
    for answers in ('"unclear"', "[]", '{"A": 3, "B": {"says": "maybe"}}'):
        ruling = parse(f'{{"answers": {answers}, "conflicts": [{{"kind": "court"}}]}}')
        assert (ruling.fast, ruling.validator) == (Said(), Said())
        assert [c.kind for c in ruling.conflicts] == ["court"]


async def test_the_engine_asks_the_judge_only_when_the_rules_are_uncertain():
    engine, fast, validator, judge_model = judged_engine()
    fast.enqueue([VAGUE_FAST])
    validator.enqueue([VAGUE_VALIDATOR])
    judge_model.enqueue([CONFLICT_JSON])
    record = RunRecord(prompt="Di mana saya bisa mengurus akta?")

    events = [event async for event in engine.run(record)]

    verdict = next(e for e in events if isinstance(e, ev.ByteplusComplete))
    assert (verdict.outcome, verdict.decided_by) == ("conflict", "judge")
    assert any(isinstance(e, ev.Correction) for e in events)
    assert record.decided_by == "judge"

    # A pair the rules decide on their own never reaches the judge.
    fast.enqueue(["Dasarnya Pasal 362 KUHP."])
    validator.enqueue(["Dasarnya Pasal 362 KUHP."])
    events = [event async for event in engine.run(RunRecord(prompt="Dasar hukum?"))]
    verdict = next(e for e in events if isinstance(e, ev.ByteplusComplete))
    assert verdict.decided_by == "rules"
    assert len(judge_model.history) == 1


# The answers' conclusions, as read, are opposed; no legal fact differs.
QUESTION = "boleh gak bakar lahan 1 hektar buat nanam padi?"
YES = "Boleh, asalkan luasnya maksimal 2 hektare dan diberi sekat bakar."
NO = "Jadi, membakar lahan tetap tidak diperbolehkan, bahkan jika Anda sudah lapor ke desa."


def test_a_conflict_of_conclusions_alone_is_uncertain_and_can_be_cleared():
    rules = assess(YES, NO, question=QUESTION)
    assert rules.outcome == "conflict"
    assert {c.kind for c in rules.conflicts} == {"conclusion"}
    assert rules.uncertain
    assert rules.cleared is not None
    assert rules.cleared.outcome in ("agree", "supplement")
    assert rules.cleared.score >= 0.6
    # A conflict on a legal fact is the rules' own: no judge, nothing to clear (Test 2's pair).
    fact = assess(
        "5 tahun penjara maksimal",
        "Pasal 362 KUHP, maksimal 5 tahun penjara, atau denda maksimal sembilan ratus rupiah.",
    )
    assert fact.outcome == "conflict"
    assert (fact.uncertain, fact.cleared) == (False, None)


async def test_a_judge_that_finds_no_contradiction_clears_a_conflict_of_conclusions():
    provider = FakeProvider()
    provider.enqueue(['{"conflicts": []}'])
    rules = assess(YES, NO, question=QUESTION)
    verdict = await Judge(provider).review(YES, NO, rules)
    assert rules.cleared is not None
    assert (verdict.outcome, verdict.score, verdict.conflicts) == (
        rules.cleared.outcome,
        rules.cleared.score,
        (),
    )
    assert (verdict.decided_by, verdict.uncertain, verdict.cleared) == ("judge", False, None)
    # A judge that confirms the contradiction keeps the correction.
    provider.enqueue([CONFLICT_JSON])
    confirmed = await Judge(provider).review(YES, NO, rules)
    assert (confirmed.outcome, confirmed.decided_by) == ("conflict", "judge")


async def test_the_engine_sends_no_correction_when_the_judge_clears_the_conclusions():
    engine, fast, validator, judge_model = judged_engine()
    fast.enqueue([YES])
    validator.enqueue([NO])
    judge_model.enqueue(['{"conflicts": []}'])
    record = RunRecord(prompt=QUESTION)

    events = [event async for event in engine.run(record)]

    verdict = next(e for e in events if isinstance(e, ev.ByteplusComplete))
    assert verdict.outcome != "conflict"
    assert verdict.decided_by == "judge"
    assert not any(isinstance(e, ev.Correction) for e in events)
    assert len(judge_model.history) == 1


# Held-out 93: the fast answer's hedge is not read, the validator's formal no is.
HOPE = "sy resign, gaji tgl 1-10 gk dibayar, kata HRD hangus. sy msh bisa minta gk?"
HEDGED = "Hmm, gimana ya 😅 Coba ngobrol lagi aja sama HRD-nya, siapa tau luluh."
FORMAL_NO = "Anda tidak dapat menuntut upah tersebut. Upah tidak dibayar untuk pekerjaan itu."


def test_only_one_answer_read_as_answering_the_question_is_uncertain():
    rules = assess(HEDGED, FORMAL_NO, question=HOPE)
    assert rules.outcome != "conflict"
    assert rules.uncertain
    # Both read, the same way: the rules are sure.
    assert not assess(FORMAL_NO, FORMAL_NO, question=HOPE).uncertain


async def test_the_engine_asks_the_judge_when_only_one_answer_is_read():
    engine, fast, validator, judge_model = judged_engine()
    fast.enqueue([HEDGED])
    validator.enqueue([FORMAL_NO])
    judge_model.enqueue([CONFLICT_JSON])

    events = [event async for event in engine.run(RunRecord(prompt=HOPE))]

    verdict = next(e for e in events if isinstance(e, ev.ByteplusComplete))
    assert (verdict.outcome, verdict.decided_by) == ("conflict", "judge")
    assert len(judge_model.history) == 1


async def test_the_judge_is_given_the_question_and_a_yes_against_a_no_is_a_conflict():
    provider = FakeProvider()
    # The judge reads the hedge as a yes; it names no conflict, but yes against no is one.
    provider.enqueue(
        [
            '{"answers": {"A": {"says": "yes", "quote": "siapa tau luluh"},'
            ' "B": {"says": "no", "quote": "Anda tidak dapat menuntut upah tersebut"}},'
            ' "conflicts": []}'
        ]
    )
    rules = assess(HEDGED, FORMAL_NO, question=HOPE)
    verdict = await Judge(provider).review(HEDGED, FORMAL_NO, rules, question=HOPE)
    assert (verdict.outcome, verdict.decided_by) == ("conflict", "judge")
    assert verdict.score < 0.6
    assert [c.as_dict() for c in verdict.conflicts] == [
        {
            "kind": "conclusion",
            "fast": "siapa tau luluh",
            "validator": "Anda tidak dapat menuntut upah tersebut",
        }
    ]
    content = provider.history[0].messages[1].content
    assert content.index(HOPE) < content.index(HEDGED) < content.index(FORMAL_NO)


@pytest.mark.parametrize(
    ("fast_says", "validator_says", "conflict"),
    [("yes", "yes", False), ("no", "no", False), ("unclear", "no", False), ("no", "yes", True)],
)
async def test_only_a_yes_against_a_no_makes_a_conflict(fast_says, validator_says, conflict):
    provider = FakeProvider()
    provider.enqueue(
        [f'{{"answers": {{"A": "{fast_says}", "B": "{validator_says}"}}, "conflicts": []}}']
    )
    rules = assess(HEDGED, FORMAL_NO, question=HOPE)
    verdict = await Judge(provider).review(HEDGED, FORMAL_NO, rules, question=HOPE)
    assert (verdict.outcome == "conflict") is conflict
    assert verdict.decided_by == "judge"
    if conflict:
        # Without the judge's quotes, each answer's opening names the conclusion.
        assert verdict.conflicts[0].fast == HEDGED
        assert verdict.conflicts[0].validator.startswith("Anda tidak dapat menuntut")


async def test_the_engine_gives_the_judge_the_asker_s_question():
    engine, fast, validator, judge_model = judged_engine()
    fast.enqueue([HEDGED])
    validator.enqueue([FORMAL_NO])
    judge_model.enqueue(['{"answers": {"A": "yes", "B": "no"}, "conflicts": []}'])

    events = [event async for event in engine.run(RunRecord(prompt=HOPE))]

    verdict = next(e for e in events if isinstance(e, ev.ByteplusComplete))
    assert (verdict.outcome, verdict.decided_by) == ("conflict", "judge")
    assert any(isinstance(e, ev.Correction) for e in events)
    assert HOPE in judge_model.history[0].messages[1].content


@pytest.mark.django_db(transaction=True)
async def test_with_consensus_judge_on_the_validator_model_is_asked_over_its_api(
    async_client, upstream, collect, settings
):
    # The service end to end: CONSENSUS_JUDGE on, ModelArk asked first for its answer, then,
    # since the rules read only one of the two answers, once more as the judge.
    settings.CONSENSUS_JUDGE = True
    upstream.post(GROQ_URL).mock(side_effect=stream_response(groq_frames([HEDGED])))
    judged = '{"answers": {"A": "yes", "B": "no"}, "conflicts": []}'
    ark = upstream.post(ARK_URL).mock(
        side_effect=[
            httpx.Response(200, json=ark_completion(FORMAL_NO)),
            httpx.Response(200, json=ark_completion(judged)),
        ]
    )

    events = await collect(
        await async_client.post(
            "/api/consensus/stream", {"prompt": HOPE}, content_type="application/json"
        )
    )

    verdict = next(e["data"] for e in events if e["data"]["type"] == "byteplus_complete")
    assert (verdict["outcome"], verdict["decided_by"]) == ("conflict", "judge")
    assert verdict["conflicts"][0]["kind"] == "conclusion"
    assert events[-2]["data"]["type"] == "correction"
    assert ark.call_count == 2
    asked = json.loads(ark.calls[1].request.content)
    assert asked["temperature"] == 0.0
    assert HOPE in asked["messages"][-1]["content"]
    run = await ConsensusRun.objects.aget(id=events[-1]["data"]["run_id"])
    assert (run.decided_by, run.corrected) == ("judge", True)
