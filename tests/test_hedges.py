"""A fast answer that hedges instead of answering, against a validator that answers plainly."""

from consensus.agreement import assess
from consensus.agreement.hedges import (
    EVASIVE_HEDGES,
    MISREAD_HEDGES,
    PLAIN_HEDGES,
    evasive,
    hedges,
)
from consensus.agreement.stance import answers
from tests.test_facts import labelled

QUESTION = (
    "ayah sy meninggal, klaim asuransi jiwanya ditolak krn katanya dulu gk ngisi riwayat "
    "hipertensi. padahal udh bayar premi 3 thn. asuransi boleh nolak gt?"
)
HEDGED = (
    "Turut berduka ya 🙏 Hmm, soal gini emang biasanya udah jadi aturan main asuransi sih 😅 "
    "Mending kamu sabar dulu, coba nego baik-baik sama agennya, siapa tau dikasih sebagian."
)
PLAIN = (
    "Tidak. Perusahaan asuransi tidak dapat menolak klaim hanya dengan alasan riwayat penyakit "
    "yang tidak diisi apabila polis telah berjalan lebih dari dua tahun (Pasal 31 POJK 69/2016)."
)


def test_hedges_are_counted_in_the_opening():
    assert hedges(HEDGED) >= 3
    assert hedges("Tidak boleh. Penolakan itu melanggar ketentuan polis.") == 0
    # Past the opening, hedges say nothing of the answer.
    assert hedges("Tidak boleh. " + "x" * 500 + " sih sih sih emang") == 0


def test_the_sentence_that_hedges_most_is_quoted():
    text = "Turut berduka ya. Hmm, itu emang biasanya aturan main asuransi sih. Coba telepon agen."
    assert evasive(text) == "Hmm, itu emang biasanya aturan main asuransi sih."
    assert evasive("Boleh kok, itu hak kamu.") is None


def test_an_evasive_fast_answer_against_a_plain_answer_is_a_correction_the_judge_may_clear():
    """Held-out 109: "Kalau kerja harian lewat mandor, sistemnya memang biasanya gitu sih ...
    500rb dari mandor itu udah bentuk niat baik" never answers "emg bener kuli harian gk dpt
    apa2?", which the validator answers "Tidak benar"."""
    pair = labelled(
        "agreement_real_holdout109a.jsonl", "h109a-kuli-bangunan-jatuh/opposite_conclusion/1"
    )
    fast, validator, question = pair["fast"], pair["validator"], pair["question"]
    verdict = assess(fast, validator, question=question)
    # As written, the fast answer also sends the injured worker to BPJS Kesehatan where the
    # validator names BPJS Ketenagakerjaan (a work accident is the second's): a conflict of
    # bodies, no longer uncertain.
    assert [c.kind for c in verdict.conflicts] == ["institution"]
    assert not verdict.uncertain
    # Without that line, the evasion alone is the correction, and the judge may clear it.
    fast = fast.replace("Pakai BPJS Kesehatan/KIS adikmu", "Pakai KIS adikmu")
    mine, theirs = answers(question, fast, validator)  # type: ignore[misc]
    assert (mine.sign, theirs.sign) == (0, -1)
    verdict = assess(fast, validator, question=question)
    assert verdict.outcome == "conflict"
    assert [(c.kind, c.fast) for c in verdict.conflicts] == [("conclusion", evasive(fast))]
    assert verdict.uncertain
    assert verdict.cleared is not None


def test_a_hedged_answer_the_rules_read_is_judged_on_its_reading():
    """ "Wah, itu gk boleh sih" answers the question: a few hedges around it change nothing."""
    fast = "Wah, itu gk boleh sih 😅 Coba minta penjelasan tertulis ke asuransinya, ya."
    assert 0 < hedges(fast) < MISREAD_HEDGES
    verdict = assess(fast, PLAIN, question=QUESTION)
    assert verdict.outcome != "conflict"


def test_a_reading_taken_from_a_heavily_hedged_answer_is_not_trusted():
    """Held-out 112: the rules read "klausul 'tidak dapat dikembalikan' itu emang kebijakan
    standar ... agak susah kalau mau maksa uangnya balik" as the validator's "Tidak." (no, that
    is not the rule), but the answer tells the asker to bargain for part of the deposit; five
    hedges in its opening against a validator with none."""
    pair = labelled(
        "agreement_real_holdout112a.jsonl", "h112a-wedding-organizer/opposite_conclusion/1"
    )
    fast, validator, question = pair["fast"], pair["validator"], pair["question"]
    mine, theirs = answers(question, fast, validator)  # type: ignore[misc]
    assert mine.sign == theirs.sign != 0
    assert hedges(fast) >= MISREAD_HEDGES
    assert hedges(validator) <= PLAIN_HEDGES
    verdict = assess(fast, validator, question=question)
    # The validator's bare "Tidak." is quoted with the sentence that says what it denies.
    assert theirs.text == "Tidak."
    assert [(c.kind, c.fast, c.validator) for c in verdict.conflicts] == [
        (
            "conclusion",
            evasive(fast, MISREAD_HEDGES),
            'Tidak. Karena pembatalan datang dari pihak WO, klausul "DP tidak dapat '
            'dikembalikan" tidak dapat dijadikan dasar untuk menahan uang Anda.',
        )
    ]
    assert verdict.uncertain
    assert verdict.cleared is not None
    # A validator that hedges as well is no plain answer to hold the fast one against.
    hedging = "Hmm, biasanya sih tergantung, agak susah. " + validator
    assert hedges(hedging) > PLAIN_HEDGES
    assert assess(fast, hedging, question=question).outcome != "conflict"


def test_without_the_question_only_a_heavily_hedged_answer_is_evasive():
    """`assess(fast, validator)` alone: the question could have asked a yes or no, and an answer
    that piles up hedges against a plain one evades it; a few hedges do not make an answer
    evasive there, with or without a leading answer (held-out 114: softened answers that agree
    open on sympathy, "Tenang, ...", and answer two sentences later)."""
    assert hedges(HEDGED) >= MISREAD_HEDGES
    verdict = assess(HEDGED, PLAIN)
    [conflict] = verdict.conflicts
    assert (conflict.kind, conflict.fast) == ("conclusion", evasive(HEDGED))
    assert conflict.validator.startswith("Tidak. Perusahaan asuransi tidak dapat menolak klaim")
    assert verdict.uncertain
    for softened in (
        "Gak boleh kok. Hmm, biasanya emang gitu sih, coba minta alasannya tertulis.",
        "Turut berduka ya 🙏 Tenang, biasanya soal gini ada jalannya kok, cek lagi polisnya ya.",
    ):
        assert EVASIVE_HEDGES <= hedges(softened) < MISREAD_HEDGES
        assert assess(softened, PLAIN).outcome != "conflict"
    # Nor is an answer evasive against a validator that hedges as well.
    hedging = "Biasanya sih tergantung polisnya, agak susah dipastikan. " + PLAIN[len("Tidak. ") :]
    assert assess(HEDGED, hedging).outcome != "conflict"


def test_a_question_that_asks_no_yes_or_no_calls_no_answer_evasive():
    """ "gmn dong?": advice to be patient is an answer to it, however hedged."""
    question = "klaim asuransi ayah sy ditolak krn gk ngisi riwayat hipertensi. gmn dong?"
    assert answers(question, HEDGED, PLAIN) is None
    quoted = evasive(HEDGED)
    assert all(c.fast != quoted for c in assess(HEDGED, PLAIN, question=question).conflicts)
