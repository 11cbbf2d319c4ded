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
