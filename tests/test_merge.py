"""`consensus.agreement.merge`: the merged answer for a supplement, each piece with its source."""

from __future__ import annotations

from consensus.agreement import assess
from consensus.agreement.merge import merged, sentences

FAST = "Ancamannya penjara paling lama lima tahun atau denda."
VALIDATOR = (
    "Pencurian diatur Pasal 362 KUHP. Ancamannya penjara paling lama 5 tahun atau denda paling "
    "banyak Rp900.000. Segera lapor ke polisi dengan membawa bukti."
)


def test_the_fast_answer_then_the_validator_sentences_that_add_facts():
    pieces = [p.as_dict() for p in merged(FAST, VALIDATOR)]
    assert pieces == [
        {"text": FAST, "source": "fast"},
        {"text": "Pencurian diatur Pasal 362 KUHP.", "source": "validator"},
        {
            "text": "Ancamannya penjara paling lama 5 tahun atau denda paling banyak Rp900.000.",
            "source": "validator",
        },
    ]


def test_a_fact_already_taken_is_not_taken_twice():
    validator = "Dasarnya Pasal 362 KUHP. Sekali lagi, Pasal 362 KUHP berlaku di sini."
    assert [p.text for p in merged("Itu pencurian.", validator)] == [
        "Itu pencurian.",
        "Dasarnya Pasal 362 KUHP.",
    ]


def test_sentences_are_never_cut_inside_numbers_or_abbreviations():
    text = "Diatur UU No. 1 Tahun 1974. Dendanya Rp900.000.\nLangkah kedua: lapor."
    assert sentences(text) == [
        "Diatur UU No. 1 Tahun 1974.",
        "Dendanya Rp900.000.",
        "Langkah kedua: lapor.",
    ]


def test_only_a_supplement_carries_a_merged_answer():
    assert assess(FAST, VALIDATOR).merged[0].source == "fast"
    assert assess(FAST, FAST).merged == ()


def test_the_facts_assess_read_give_the_same_pieces_without_reading_again(monkeypatch):
    from consensus.agreement import merge
    from consensus.agreement.extract import extract
    from consensus.agreement.facts import Prepared

    prepared = Prepared.of(VALIDATOR)
    fast_facts, validator_facts = extract(FAST), extract(prepared)
    expected = merged(FAST, VALIDATOR)
    calls: list[object] = []
    monkeypatch.setattr(merge, "extract", lambda text: calls.append(text) or extract(text))
    given = merged(
        FAST, VALIDATOR, fast_facts=fast_facts, prepared=prepared, validator_facts=validator_facts
    )
    assert given == expected
    assert calls == []  # nothing read twice


def test_a_sentence_break_moved_by_number_words_falls_back_to_reading_each_sentence():
    # "Lima tahun" after a full stop reads "5 tahun": no break before a digit in the prepared
    # text, so its sentences no longer line up with the answer's; each sentence is read alone.
    from consensus.agreement.extract import extract
    from consensus.agreement.facts import Prepared

    validator = "Dasarnya Pasal 362 KUHP. Lima tahun penjara paling lama."
    prepared = Prepared.of(validator)
    given = merged(
        "Itu pencurian.",
        validator,
        fast_facts=extract("Itu pencurian."),
        prepared=prepared,
        validator_facts=extract(prepared),
    )
    assert [p.text for p in given] == [
        "Itu pencurian.",
        "Dasarnya Pasal 362 KUHP.",
        "Lima tahun penjara paling lama.",
    ]
