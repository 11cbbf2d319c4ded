"""A law one answer relies on that the other says is no longer in force."""

from __future__ import annotations

import pytest

from consensus.agreement import assess
from consensus.agreement.extract import extract
from consensus.agreement.facts import Prepared
from consensus.agreement.repeals import repealed

FAST = "Kamu bisa nuntut kok. Dasarnya UU Kesehatan No. 36 Tahun 2009 dan Pasal 1365 KUHPerdata."


@pytest.mark.parametrize(
    "validator",
    [
        # The old law cited too, said to be repealed: both answers state it as a fact.
        "Anda dapat menuntut ganti rugi berdasarkan UU Nomor 17 Tahun 2023 tentang Kesehatan. "
        "UU Nomor 36 Tahun 2009 tentang Kesehatan telah dicabut dan dinyatakan tidak berlaku, "
        "sehingga tidak lagi tepat dijadikan dasar. Gugatan juga dapat didasarkan pada Pasal "
        "1365 KUHPerdata.",
        # The new law as the subject of "mencabut".
        "Anda dapat menuntut ganti rugi. Dasarnya kini UU Nomor 17 Tahun 2023 yang mencabut "
        "UU Nomor 36 Tahun 2009, serta Pasal 1365 KUHPerdata.",
        # A short relative clause before "sudah".
        "Anda dapat menuntut ganti rugi (Pasal 1365 KUHPerdata). UU 36/2009 yang sering dikutip "
        "sudah tidak berlaku lagi sejak UU 17/2023.",
        # Said not to be a basis any more.
        "Anda dapat menuntut ganti rugi (Pasal 1365 KUHPerdata). UU Nomor 36 Tahun 2009 tidak "
        "dapat dijadikan dasar, karena telah digantikan oleh UU Nomor 17 Tahun 2023.",
    ],
)
def test_a_law_relied_on_that_the_other_answer_says_is_repealed_is_a_conflict(validator):
    verdict = assess(FAST, validator)
    assert verdict.outcome == "conflict"
    assert verdict.score < 0.6
    old = "UU Kesehatan No. 36 Tahun 2009"
    assert any(c.kind == "law" and c.fast == old for c in verdict.conflicts)
    # The other way round: the validator relies on the law the fast answer says is repealed.
    reverse = assess(validator, FAST)
    assert reverse.outcome == "conflict"
    assert any(c.kind == "law" and c.validator == old for c in reverse.conflicts)


@pytest.mark.parametrize(
    "validator",
    [
        # Not a law repealed: an article, a law amended or repealed in part, a rule's scope,
        # something else replaced.
        "Anda dapat menuntut ganti rugi. Pasal 58 UU Nomor 36 Tahun 2009 telah dicabut, tetapi "
        "Pasal 1365 KUHPerdata tetap dapat dipakai.",
        "Anda dapat menuntut ganti rugi berdasarkan UU Nomor 36 Tahun 2009, yang sebagian telah "
        "dicabut, dan Pasal 1365 KUHPerdata.",
        "Anda dapat menuntut ganti rugi berdasarkan UU Nomor 36 Tahun 2009 yang telah diubah, "
        "dan Pasal 1365 KUHPerdata.",
        "Anda dapat menuntut ganti rugi: UU Nomor 36 Tahun 2009 tidak berlaku bagi klinik "
        "kecantikan, tetapi Pasal 1365 KUHPerdata berlaku, dan kerugian Anda wajib diganti.",
    ],
)
def test_only_a_whole_law_said_to_be_repealed_is_read(validator):
    verdict = assess(FAST, validator)
    assert all(c.kind != "law" or "36" not in c.fast for c in verdict.conflicts)
    assert not repealed(*_text_and_facts(validator))


def test_an_answer_that_says_so_itself_does_not_rely_on_the_repealed_law():
    fast = (
        "Bisa. UU Kesehatan No. 36 Tahun 2009 udah dicabut, sekarang pakainya UU 17/2023, "
        "plus Pasal 1365 KUHPerdata."
    )
    validator = (
        "Anda dapat menuntut ganti rugi berdasarkan UU Nomor 17 Tahun 2023 (yang mencabut UU "
        "Nomor 36 Tahun 2009) dan Pasal 1365 KUHPerdata."
    )
    assert assess(fast, validator).outcome != "conflict"


def _text_and_facts(answer: str) -> tuple[str, tuple]:
    prepared = Prepared.of(answer)
    return prepared.text, extract(prepared)
