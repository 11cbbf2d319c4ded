"""Which heir an answer gives each share, and one heir given two shares."""

from consensus.agreement import assess
from consensus.agreement.extract import extract
from consensus.agreement.facts import Prepared
from consensus.agreement.heirs import heir_clashes, heir_shares
from tests.test_facts import labelled


def shares(text: str) -> dict[str, set[float]]:
    prepared = Prepared.of(text)
    return {h: set(v) for h, v in heir_shares(prepared.text, extract(prepared)).items()}


FAST = (
    "Turut berduka ya 🙏 Pembagiannya kira-kira gini:\n"
    "- **2 anak perempuan**: bersama-sama dapat **1/2**, lalu dibagi rata berdua\n"
    "- **kamu (istri)**: **1/8**, karena almarhum punya anak\n"
    "- **ibu mertua**: **1/6**, juga karena almarhum punya anak\n"
    "Sisanya ke saudara laki-laki almarhum sebagai ashabah."
)
VALIDATOR = (
    "Menurut Kompilasi Hukum Islam, pembagiannya sebagai berikut.\n"
    "1. Dua anak perempuan: bersama-sama memperoleh 2/3 bagian (Pasal 176 KHI).\n"
    "2. Anda sebagai janda: 1/8 bagian, karena pewaris meninggalkan anak (Pasal 180 KHI).\n"
    "3. Ibu mertua Anda: 1/6 bagian (Pasal 178 ayat (1) KHI).\n"
    "Sebelum dibagi, istri berhak separuh dari harta bersama sebagai bagiannya sendiri."
)


def test_each_share_goes_to_the_heir_named_before_it():
    assert shares(FAST) == {"daughter": {0.5}, "widow": {0.125}, "mother": {0.1667}}
    # Half of the joint property is the widow's own, no share of the estate.
    assert shares(VALIDATOR) == {"daughter": {0.6667}, "widow": {0.125}, "mother": {0.1667}}


def test_one_heir_given_two_shares_is_a_conflict():
    mine, theirs = Prepared.of(FAST), Prepared.of(VALIDATOR)
    (pair,) = heir_clashes(mine.text, theirs.text, extract(mine), extract(theirs))
    assert (pair[0].value, pair[1].value) == ((0.5,), (0.6667,))
    verdict = assess(FAST, VALIDATOR)
    assert verdict.outcome == "conflict"
    assert [c.kind for c in verdict.conflicts] == ["share"]


def test_a_share_for_each_case_is_no_rival():
    """The widow's quarter without children and eighth with them: two shares for one heir in
    one answer, each for its case, against the eighth alone."""
    fast = "Istri dapat 1/8 karena ada anak."
    validator = (
        "Janda mendapat 1/4 bila pewaris tidak meninggalkan anak, dan janda 1/8 bila ada anak."
    )
    mine, theirs = Prepared.of(fast), Prepared.of(validator)
    assert heir_clashes(mine.text, theirs.text, extract(mine), extract(theirs)) == []
    assert assess(fast, validator).outcome != "conflict"


def test_the_rest_of_the_whole_is_no_rival_to_its_part():
    """Held-out 108: a will's limit of a third, and "Sisanya, 2/3, tetap jadi hak ahli waris",
    against the same limit the validator states three times."""
    pair = labelled("agreement_real_holdout108a.jsonl", "h108a-wasiat-panti-asuhan/supplement/1")
    assert (
        assess(pair["fast"], pair["validator"], question=pair["question"]).outcome == "supplement"
    )


def test_two_shares_given_the_other_way_round_still_conflict():
    fast = "Harta itu dibagi: istri dapat 1/3 dan suami dapat 2/3."
    validator = "Pembagiannya: istri memperoleh 2/3 bagian, sedangkan suami memperoleh 1/3 bagian."
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    assert "share" in [c.kind for c in verdict.conflicts]
