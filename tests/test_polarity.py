"""`consensus.agreement.polarity`: the sign each sentence gives a concept, and aligned flips."""

from __future__ import annotations

import pytest

from consensus.agreement import assess
from consensus.agreement.leads import concept_signs
from consensus.agreement.polarity import flips, stance


@pytest.mark.parametrize(
    ("sentence", "signs"),
    [
        ("Perjanjian itu tidak sah.", {"sah": {-1}}),
        ("Perjanjian itu batal demi hukum.", {"sah": {-1}}),
        ("Perbuatan itu tidak dapat dipidana.", {"pidana": {-1}}),
        ("Pelaku dapat dipidana.", {"pidana": {1}}),
        ("Hal itu dilarang.", {"boleh": {-1}}),
        ("Hal itu tidak dilarang.", {"boleh": {1}}),
        ("Anda tidak perlu izin suami.", {"wajib": {-1}}),
        ("The claim cannot be prosecuted.", {"pidana": {-1}}),
        ("It isn't a crime.", {"pidana": {-1}}),
        ("Utang itu persoalan perdata, bukan persoalan pidana.", {"pidana": {-1}}),
        ("Anak itu tidak dapat dijatuhi pidana penjara.", {"pidana": {-1}}),
        # "not entirely valid" is no "valid".
        ("Perjanjian itu tidak sepenuhnya sah.", {"sah": {-1}}),
        ("Rencana itu tidak dapat dilaksanakan secara sah.", {"sah": {-1}}),
        ("Gugatan itu ditolak.", {"diterima": {-1}}),
        ("Kreditur tidak bisa menggugat.", {"gugat": {-1}}),
        ("Sah secara agama, tetapi tidak sah menurut negara.", {"sah": {1, -1}}),
        ("Silakan datang ke kantor notaris.", {"boleh": {1}}),
        ("Datang ke kantor notaris terdekat.", {}),
        # Multi-word phrases: a "legal entity" states no validity; "melanggar hukum" and
        # "tindak pidana" are read as one polar word each.
        ("A CV is a partnership, not a legal entity.", {}),
        ("A CV has no legal personality.", {}),
        ("Perbuatan itu bukan tindak pidana.", {"pidana": {-1}}),
        ("Girik tetap diakui sebagai bukti kepemilikan.", {"sah": {1}}),
        ("Perjanjian itu tidak memiliki kekuatan hukum.", {"sah": {-1}}),
        # Kept out of a prosecution; "salah satu" is "one of", not "wrong".
        ("Melapor melindungi anak Anda dari tuntutan pidana.", {"pidana": {-1}}),
        ("Wasiat untuk salah satu anak.", {}),
        # "Not straight to prison" is no prison, as "not automatically" is.
        ("Tidak langsung dipenjara.", {"pidana": {-1}}),
        # "not of itself void", as "not automatically void".
        ("Perjanjian tersebut tidak dengan sendirinya batal.", {"sah": {1}}),
        # What something does not mean is its clause's next polar word, a few words on; a
        # negation inside it cancels it.
        ("Hal itu bukan berarti perjanjian tersebut sah.", {"sah": {-1}}),
        ("Tidak ada surat bukan berarti perjanjian itu tidak sah.", {"sah": {1}}),
        # No fear, not no duty.
        ("Kakakmu tidak perlu takut lapor kok.", {}),
        # What something does not cause: "tidak bikin kamu dipenjara", "tidak menimbulkan
        # kewajiban".
        ("Tidak punya izin itu tidak bikin kamu langsung dipenjara kok.", {"pidana": {-1}}),
        (
            "Pembongkaran tidak menimbulkan kewajiban pemda untuk membayar ganti rugi.",
            {"wajib": {-1}},
        ),
    ],
)
def test_stance(sentence, signs):
    assert stance(sentence).signs == signs


def everything_aligned(pairs):
    return [True] * len(pairs)


def nothing_aligned(pairs):
    return [False] * len(pairs)


def test_aligned_sentences_with_opposite_signs_flip():
    found = flips(
        ["Utang judi tidak bisa ditagih."], ["Utang judi bisa ditagih."], everything_aligned
    )
    assert found == [("gugat", "Utang judi tidak bisa ditagih.", "Utang judi bisa ditagih.")]


def test_no_flip_without_alignment_or_with_both_signs_in_one_sentence():
    assert flips(["Itu sah."], ["Itu batal."], nothing_aligned) == []
    weighed = ["Sah secara agama, tetapi tidak sah menurut negara."]
    assert flips(weighed, ["Nikah itu sah."], everything_aligned) == []
    assert flips(["Itu dilarang."], ["Itu tidak boleh."], everything_aligned) == []


def test_the_answers_conclusions_oppose_without_alignment():
    from consensus.agreement.polarity import lead_flips

    fast = ["Karyawan yang resign tidak mendapat uang pesangon.", "Dasarnya PP 35/2021."]
    validator = ["Ya, Anda tetap mendapat pesangon setelah lima tahun bekerja."]
    assert [concept for concept, _, _ in lead_flips(fast, validator)] == ["hak"]
    # A conclusion under a condition is a rule for one case, not the answer.
    conditional = ["Kalau Anda resign, Anda tetap mendapat pesangon."]
    assert lead_flips(fast, conditional) == []


@pytest.mark.parametrize(
    ("sentence", "signs"),
    [
        ("Tidak ada pajak penghasilan yang harus dibayar.", {"wajib": {-1}}),
        ("Generally no separate permission is needed.", {"wajib": {-1}}),
        ("Nelayan kecil memperoleh pengecualian dari kewajiban izin.", {"wajib": {-1}}),
        ("Perjanjian lisan tidak memenuhi syarat untuk sah.", {"sah": {-1}, "boleh": {-1}}),
        # The rules it fails are "the rules in force", not "in force" said of it.
        (
            "Pemutusan hubungan kerja tersebut tidak memenuhi ketentuan yang berlaku.",
            {"sah": {-1}, "boleh": {-1}},
        ),
        # A procedure that goes on against one that lapses (held-out 7's polisi/opposite/2).
        ("Tetap jalan.", {"lanjut": {1}}),
        ("Permintaan praperadilan tersebut gugur.", {"sah": {-1}, "lanjut": {-1}}),
        ("Itu tidak sesuai aturan.", {"sah": {-1}, "boleh": {-1}}),
        # Not a reason that justifies it: what it would be the reason for may not be done.
        ("Penolakan itu bukan alasan yang dibenarkan untuk PHK.", {"boleh": {-1}}),
        # Not as far as that; not freed from it, however it is put.
        ("Kayaknya sih emang tidak sampe pidana ya.", {"pidana": {-1}}),
        (
            "Alasan itu tidak otomatis membebaskan pengelola dari pertanggungjawaban pidana.",
            {"pidana": {1}},
        ),
    ],
)
def test_phrases_read_in_conclusions(sentence, signs):
    assert concept_signs(sentence) == signs


def test_a_cleft_that_denies_the_asker_bears_it_is_no_duty():
    assert concept_signs("ini kecelakaan kerja, jadi bukan kamu yg nanggung 😊")["wajib"] == {-1}
    # A cleft naming who bears it is no denial.
    assert concept_signs("jadi yang menanggung itu perusahaan").get("wajib") != {-1}


def test_left_to_the_other_sides_goodwill_is_no_duty():
    # Held-out 102: "tergantung kebaikan hati majikan", as "sukarela".
    assert concept_signs("THR itu tergantung kebaikan hati majikan aja sih")["wajib"] == {-1}


def test_force_majeure_names_a_defence_not_a_duty():
    assert "wajib" not in concept_signs("itu masuk force majeure (keadaan memaksa).")


def test_a_note_to_bear_in_mind_is_no_duty_and_there_is_no_duty_is_none():
    assert "wajib" not in concept_signs("Terdapat dua hal yang perlu Anda perhatikan.")
    assert concept_signs("Secara hukum tidak terdapat kewajiban untuk meminta izin.")["wajib"] == {
        -1
    }


def test_a_negation_reaches_the_concept_past_what_is_made_so():
    sentence = "Klausul tersebut tidak serta-merta membuat pemutusan listrik unit Anda sah."
    assert concept_signs(sentence)["sah"] == {-1}
    assert concept_signs("Izin orang tua tidak membuatnya menjadi boleh.")["boleh"] == {-1}


def test_kena_passes_the_negation_on_as_dikenai_does():
    # "kena" is the chat form of "dikenai": "tidak otomatis kena pidana" is no punishment.
    fast = "Orang tua tidak otomatis kena pidana."
    validator = "Orang tua tidak secara otomatis dikenai pidana."
    assert assess(fast, validator).outcome != "conflict"
    assert assess(fast, "Orang tua otomatis dikenai pidana.").outcome == "conflict"


@pytest.mark.parametrize(
    ("fast", "validator"),
    [
        # A thing denied its quality: "bukan alasan yang dibenarkan" is "tidak dapat
        # dibenarkan".
        (
            "Termin dari owner belum cair bukan alasan yang dibenarkan buat telat bayar upah.",
            "Alasan termin dari owner belum cair tidak dapat dibenarkan untuk menunda upah.",
        ),
        # ... and "bukan perbuatan yang dilarang" is "tidak melanggar hukum".
        (
            "Pelihara ayam di rumah sendiri gak otomatis melanggar hukum.",
            "Memelihara ayam di pekarangan sendiri pada dasarnya bukan perbuatan yang dilarang.",
        ),
    ],
)
def test_a_thing_denied_its_quality_is_a_negation(fast, validator):
    assert assess(fast, validator).outcome != "conflict"
    assert (
        assess(fast, validator.replace(" tidak dapat ", " dapat ").replace(" bukan ", " ")).outcome
        == "conflict"
    )


def test_a_person_denied_is_no_negation_of_the_act():
    # "bukan kamu yang nanggung": someone else bears it; the bearing is not denied.
    assert (
        stance("Jadi bukan kamu yang nanggung biayanya.").signs
        == stance("Jadi kamu yang nanggung biayanya.").signs
    )


def test_jangan_before_an_act_advises_against_it_as_hindari_does():
    # Held-out 100: "jangan blokade" and "hindari blokade" say the same; "jangan khawatir"
    # advises against no act.
    assert stance("jangan blokade atau merusak alat").signs == {"boleh": {-1}}
    assert concept_signs("hindari blokade atau perusakan alat") == {"boleh": {-1}}
    assert stance("jangan khawatir, itu hak kamu").signs.get("boleh") is None
    fast = "Intinya: protes boleh, tapi jgn blokade/merusak alat ya"
    validator = (
        "Protes secara damai diperbolehkan. Karena itu, hindari blokade atau perusakan alat."
    )
    assert assess(fast, validator).outcome != "conflict"


def test_a_sentence_with_a_same_sided_twin_is_not_paired_across():
    """Held-out 127: both answers state both lines ("Pungutan: ... wajib dan mengikat",
    "Sumbangan: ... tidak mengikat"); the pungutan line is not the sumbangan line's opposite."""
    fast = [
        "Pungutan: jumlah dan waktunya ditentukan sekolah, sifatnya wajib dan mengikat.",
        "Sumbangan: sukarela, tidak mengikat, jumlah dan waktunya tidak ditentukan.",
    ]
    validator = [
        "Pungutan: jumlah dan jangka waktunya ditentukan oleh sekolah, bersifat wajib dan "
        "mengikat.",
        "Sumbangan: bersifat sukarela, tidak mengikat, serta jumlah dan jangka waktunya tidak "
        "ditentukan.",
    ]
    assert flips(fast, validator, lambda pairs: [True] * len(pairs)) == []
    # Without the twin, the lines still take opposite sides.
    assert flips(fast[:1], validator[1:], lambda pairs: [True] * len(pairs))
