"""The OpenAI-compatible API with extra validators (`CONSENSUS_VALIDATORS`): the `consensus` object
and the deltas follow the run's decision (the majority), not `byteplus_complete` (ModelArk alone).
The official `openai` package is the client, over the in-process ASGI transport of
tests/test_openai_api.py; every upstream is faked with respx (tests/upstreams.py).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from consensus.models import ConsensusRun

from .test_openai_api import collect, http, run_id_of, sdk, text_of  # noqa: F401 (http: fixture)
from .upstreams import ARK_URL, GROQ_MODEL, GROQ_URL, ark_frames, groq_frames, slow_ark
from .upstreams import stream_response as streamed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

SECOND_URL = "https://second.test/v1/chat/completions"
THIRD_URL = "https://third.test/v1/chat/completions"
FAST = "Pencurian diatur dalam Pasal 363 KUHP dengan pidana penjara paling lama lima tahun."
SAME = "Pencurian diatur dalam Pasal 363 KUHP; pidananya penjara paling lama lima tahun."
WRONG_A = "Pencurian diatur dalam Pasal 362 KUHP dengan pidana penjara paling lama lima tahun."
WRONG_B = "Pencurian biasa diatur dalam Pasal 362 KUHP, ancamannya penjara paling lama lima tahun."
QUESTION = [{"role": "user", "content": "Pasal berapa yang mengatur pencurian?"}]


@pytest.fixture
def client(http: Any) -> Any:  # noqa: F811
    return sdk(http)


@pytest.fixture
def two_more(settings: Any) -> None:
    """ModelArk and two extra validators: three votes."""
    settings.CONSENSUS_VALIDATORS = [
        {
            "name": name,
            "preset": "openai",
            "api_key": f"sk-{model}",
            "base_url": url.removesuffix("/chat/completions"),
            "model": model,
        }
        for name, url, model in (
            ("Second opinion", SECOND_URL, "second-model-1"),
            ("Third opinion", THIRD_URL, "third-model-1"),
        )
    ]


def outvoted_modelark(upstream: Any) -> None:
    """ModelArk agrees with the fast answer; both extra validators say another article."""
    upstream.post(GROQ_URL).mock(side_effect=streamed(groq_frames([FAST])))
    upstream.post(ARK_URL).mock(side_effect=streamed(ark_frames([SAME])))
    upstream.post(SECOND_URL).mock(side_effect=streamed(ark_frames([WRONG_A], prompt_tokens=50)))
    upstream.post(THIRD_URL).mock(side_effect=streamed(ark_frames([WRONG_B], prompt_tokens=60)))


async def test_the_majority_corrects_while_modelark_agreed(client, upstream, two_more):
    outvoted_modelark(upstream)
    stream = await client.chat.completions.create(
        model="consensus", messages=QUESTION, stream=True, stream_options={"include_usage": True}
    )
    chunks = await collect(stream)

    run = await ConsensusRun.objects.aget(id=run_id_of(chunks[0].id))
    assert run.corrected
    assert run.final_answer != FAST
    # The fast answer, then the majority's correction, labelled as with one validator.
    assert text_of(chunks) == (
        FAST + "\n\n---\n**Koreksi (model validator):**\n" + run.final_answer
    )
    finish = next(c for c in chunks if c.choices and c.choices[0].finish_reason)
    consensus = finish.consensus
    assert consensus["status"] == "corrected"
    assert consensus["corrected"] is True
    # The verdict of the validator the run followed (the first of the majority), not ModelArk's.
    assert consensus["outcome"] == "conflict"
    assert consensus["similarity"] == run.similarity
    assert consensus["conflicts"] == run.conflicts
    assert {"kind": "article", "fast": "Pasal 363 KUHP", "validator": "Pasal 362 KUHP"} in (
        consensus["conflicts"]
    )
    assert consensus["confidence"] == run.confidence
    assert consensus["vote"] == {
        "asked": 3,
        "answered": 3,
        "corrects": 2,
        "stands": 1,
        "tie": False,
        "decided_by": "Second opinion",
    }
    votes = {v["name"]: v for v in consensus["validators"]}
    assert [v["name"] for v in consensus["validators"]] == [
        "BytePlus ModelArk",
        "Second opinion",
        "Third opinion",
    ]
    modelark = votes["BytePlus ModelArk"]
    assert modelark["outcome"] == "agree"
    assert (modelark["majority"], modelark["decided"]) == (False, False)
    assert modelark["usage"]["prompt_tokens"] == 40
    assert (votes["Second opinion"]["majority"], votes["Second opinion"]["decided"]) == (True, True)
    assert (votes["Third opinion"]["majority"], votes["Third opinion"]["decided"]) == (True, False)
    assert votes["Second opinion"]["model"] == "second-model-1"
    assert votes["Third opinion"]["usage"]["prompt_tokens"] == 60
    assert all(v["status"] == "answered" for v in consensus["validators"])
    assert consensus["models"]["fast"]["model"] == GROQ_MODEL
    # Every model's tokens: Groq 38+1, ModelArk 40+1, the second 50+1, the third 60+1.
    usage = chunks[-1].usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (188, 4, 192)
    assert chunks[-1].consensus == consensus


async def test_consensus_validated_returns_the_majoritys_answer(client, upstream, two_more):
    outvoted_modelark(upstream)
    completion = await client.chat.completions.create(
        model="consensus-validated", messages=QUESTION
    )

    run = await ConsensusRun.objects.aget(id=run_id_of(completion.id))
    assert completion.choices[0].message.content == run.final_answer != FAST
    assert completion.consensus["outcome"] == "conflict"
    assert completion.consensus["vote"]["decided_by"] == "Second opinion"
    assert completion.usage.total_tokens == 192


async def test_the_majority_lets_the_fast_answer_stand_when_modelark_alone_objects(
    client, upstream, two_more
):
    upstream.post(GROQ_URL).mock(side_effect=streamed(groq_frames([FAST])))
    upstream.post(ARK_URL).mock(side_effect=streamed(ark_frames([WRONG_A])))
    upstream.post(SECOND_URL).mock(side_effect=streamed(ark_frames([SAME])))
    upstream.post(THIRD_URL).mock(side_effect=streamed(ark_frames([FAST])))
    completion = await client.chat.completions.create(model="consensus", messages=QUESTION)

    assert completion.choices[0].message.content == FAST  # no correction delta
    consensus = completion.consensus
    assert consensus["status"] == "completed"
    assert consensus["corrected"] is False
    assert consensus["outcome"] == "agree"  # the second validator's, not ModelArk's conflict
    assert consensus["conflicts"] == []
    assert consensus["vote"]["decided_by"] == "Second opinion"
    first = consensus["validators"][0]
    assert (first["outcome"], first["majority"], first["decided"]) == ("conflict", False, False)


async def test_modelark_times_out_and_another_validator_decides(
    client, upstream, two_more, settings
):
    settings.CONSENSUS_VALIDATOR_TIMEOUT = 0.3
    fast = "Ancamannya penjara paling lama lima tahun atau denda."
    upstream.post(GROQ_URL).mock(side_effect=streamed(groq_frames([fast])))
    upstream.post(ARK_URL).mock(side_effect=slow_ark("late", 30))
    supplement = "Menurut Pasal 362 KUHP, pencuri diancam penjara paling lama 5 tahun atau denda."
    upstream.post(SECOND_URL).mock(side_effect=streamed(ark_frames([supplement])))
    upstream.post(THIRD_URL).mock(return_value=httpx.Response(500, json={"error": "down"}))
    stream = await client.chat.completions.create(
        model="consensus",
        messages=[{"role": "user", "content": "Apa hukuman pencurian?"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = await collect(stream)

    # The second validator's supplement is presented as with one validator.
    text = text_of(chunks)
    assert text.startswith(fast + "\n\n---\n**Tambahan dari validator:** ")
    assert "Pasal 362 KUHP" in text.removeprefix(fast)
    consensus = chunks[-1].consensus
    assert consensus["status"] == "completed"  # validated, though ModelArk timed out
    assert consensus["outcome"] == "supplement"
    assert {"kind": "article", "text": "Pasal 362 KUHP"} in consensus["added"]
    assert consensus["models"]["validator"]["usage"] is None
    assert [(v["name"], v["status"]) for v in consensus["validators"]] == [
        ("BytePlus ModelArk", "timeout"),
        ("Second opinion", "answered"),
        ("Third opinion", "error"),
    ]
    assert consensus["validators"][0]["majority"] is None
    assert consensus["validators"][1]["decided"] is True
    assert consensus["validators"][2]["usage"] is None
    assert consensus["vote"]["answered"] == 1
    assert consensus["vote"]["decided_by"] == "Second opinion"
    # Groq 38+1 and the second validator 40+1; ModelArk and the third reported none.
    usage = chunks[-1].usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (78, 2, 80)


async def test_when_no_validator_answers_the_fast_answer_stands(
    client, upstream, two_more, settings
):
    settings.CONSENSUS_VALIDATOR_TIMEOUT = 0.3
    upstream.post(GROQ_URL).mock(side_effect=streamed(groq_frames([FAST])))
    upstream.post(ARK_URL).mock(side_effect=slow_ark("late", 30))
    upstream.post(SECOND_URL).mock(return_value=httpx.Response(500, json={"error": "down"}))
    upstream.post(THIRD_URL).mock(return_value=httpx.Response(500, json={"error": "down"}))
    completion = await client.chat.completions.create(model="consensus", messages=QUESTION)

    assert completion.choices[0].message.content == FAST
    consensus = completion.consensus
    assert consensus["status"] == "validator_timeout"
    assert consensus["outcome"] is None
    assert consensus["vote"]["decided_by"] is None
    assert not any(v["decided"] for v in consensus["validators"])


async def test_without_extra_validators_there_is_no_vote(client, upstream):
    upstream.post(GROQ_URL).mock(side_effect=streamed(groq_frames([FAST])))
    upstream.post(ARK_URL).mock(side_effect=streamed(ark_frames([SAME])))
    completion = await client.chat.completions.create(model="consensus", messages=QUESTION)

    assert completion.consensus["outcome"] == "agree"
    assert "validators" not in completion.consensus
    assert "vote" not in completion.consensus


async def test_an_answer_from_the_cache_counts_no_tokens(client, upstream, two_more, settings):
    settings.CONSENSUS_CACHE_TTL = 3600
    outvoted_modelark(upstream)
    first = await client.chat.completions.create(model="consensus", messages=QUESTION)
    upstream.reset()

    again = await client.chat.completions.create(model="consensus", messages=QUESTION)

    assert not upstream.calls  # answered from the cache
    corrected = (await ConsensusRun.objects.aget(id=run_id_of(first.id))).final_answer
    assert first.choices[0].message.content.endswith("**\n" + corrected)
    assert again.choices[0].message.content == corrected  # a hit streams the final answer
    assert again.consensus["outcome"] == first.consensus["outcome"] == "conflict"
    assert again.consensus["vote"] == first.consensus["vote"]
    assert first.usage.total_tokens == 192
    # The replayed verdicts are the first run's; no model was asked this time.
    assert again.usage.total_tokens == 0
    assert [v["usage"] for v in again.consensus["validators"]] == [None, None, None]
