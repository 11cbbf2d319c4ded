"""`consensus.agreement.assess`: conflicts per fact kind, paraphrases, the seed's pair."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consensus.agreement import Agreement, Conflict, assess
from consensus.agreement.confidence import Policy

MODERATE = Policy().moderate_similarity
DATA = Path(__file__).parent / "data"

THEFT = (
    "Pencurian sepeda motor dijerat Pasal 362 KUHP dengan pidana penjara paling lama 5 tahun atau "
    "denda paling banyak Rp 900 ribu; jika dilakukan dengan pemberatan berlaku Pasal 363 KUHP "
    "dengan ancaman paling lama 7 tahun."
)


def conflict_kinds(agreement: Agreement) -> list[str]:
    return [c.kind for c in agreement.conflicts]


@pytest.mark.parametrize(
    ("fast", "validator", "kind", "fast_fact", "validator_fact"),
    [
        (
            THEFT.replace("Pasal 362 KUHP", "Pasal 363 KUHP", 1),
            THEFT,
            "article",
            "Pasal 363 KUHP",
            "Pasal 362 KUHP",
        ),
        (
            "Syarat sah perjanjian diatur Pasal 1320 KUHP.",
            "Syarat sah perjanjian diatur Pasal 1320 KUHPerdata.",
            "law",
            "KUHP",
            "KUHPerdata",
        ),
        (
            "Perkawinan diatur UU No. 1 Tahun 1979 tentang Perkawinan.",
            "Perkawinan diatur UU No. 1 Tahun 1974 tentang Perkawinan.",
            "law",
            "UU No. 1 Tahun 1979",
            "UU No. 1 Tahun 1974",
        ),
        (
            "Banding diajukan paling lama 14 hari setelah putusan diberitahukan.",
            "Banding diajukan paling lama 30 hari setelah putusan diberitahukan.",
            "duration",
            "14 hari",
            "30 hari",
        ),
        (
            THEFT.replace("Rp 900 ribu", "Rp 9 juta"),
            THEFT,
            "money",
            "Rp 9 juta",
            "Rp 900 ribu",
        ),
        (
            "Tarif PPN yang berlaku sejak April 2022 adalah 10%.",
            "Tarif PPN yang berlaku sejak April 2022 adalah 11%.",
            "percentage",
            "10%",
            "11%",
        ),
        (
            "Batas usia perkawinan adalah 18 tahun bagi pria dan wanita.",
            "Batas usia perkawinan adalah 19 tahun bagi pria dan wanita.",
            "age",
            "18 tahun",
            "19 tahun",
        ),
        (
            "Perjanjian sah bila memenuhi tiga syarat Pasal 1320 KUHPerdata.",
            "Perjanjian sah bila memenuhi empat syarat Pasal 1320 KUHPerdata.",
            "count",
            "3 syarat",
            "4 syarat",
        ),
        (
            "Pemberi kerja tidak wajib mendaftarkan pekerjanya ke BPJS Kesehatan.",
            "Pemberi kerja wajib mendaftarkan pekerjanya ke BPJS Kesehatan.",
            "modality",
            "tidak wajib mendaftarkan pekerjanya ke BPJS",
            "wajib mendaftarkan pekerjanya ke BPJS",
        ),
        (
            "Orang asing boleh memiliki tanah dengan hak milik.",
            "Orang asing dilarang memiliki tanah dengan hak milik.",
            "modality",
            "boleh memiliki tanah dengan hak",
            "dilarang memiliki tanah dengan hak",
        ),
        (
            "Gugatan cerai bagi pasangan Muslim diajukan ke Pengadilan Negeri.",
            "Gugatan cerai bagi pasangan Muslim diajukan ke Pengadilan Agama.",
            "institution",
            "Pengadilan Negeri",
            "Pengadilan Agama",
        ),
        (
            "Employers must register their employees with BPJS Kesehatan.",
            "Employers may not register their employees with BPJS Kesehatan.",
            "modality",
            "must register their employees with",
            "may not register their employees with",
        ),
        (
            "Motorcycle theft falls under Article 362 KUHP with up to seven years in prison.",
            "Motorcycle theft falls under Article 362 KUHP with up to five years in prison.",
            "duration",
            "7 years",
            "5 years",
        ),
    ],
)
def test_a_fact_stated_differently_is_a_conflict_below_the_threshold(
    fast, validator, kind, fast_fact, validator_fact
):
    agreement = assess(fast, validator)
    assert Conflict(kind, fast_fact, validator_fact) in agreement.conflicts
    assert agreement.score < MODERATE
    assert agreement.reason == "fact_conflict"


@pytest.mark.parametrize(
    ("fast", "validator"),
    [
        ("Ancamannya penjara paling lama lima tahun.", "Ancamannya penjara paling lama 5 tahun."),
        ("Dendanya paling banyak Rp 9 juta.", "Dendanya paling banyak Rp 9.000.000."),
        ("Dendanya paling banyak Rp 9 juta.", "Dendanya paling banyak sembilan juta rupiah."),
        ("Masa iddahnya 2 minggu.", "Masa iddahnya 14 hari."),
        ("Kontrak sah bila memenuhi empat syarat.", "Kontrak sah bila memenuhi 4 syarat."),
        ("Tarifnya sebelas persen.", "Tarifnya 11%."),
        ("Pasal 27 ayat (3) UU ITE", "Pasal 27 UU ITE"),
        ("The fine is up to IDR 750 million.", "The fine is up to Rp 750,000,000."),
        ("Gugatan diajukan ke Pengadilan Agama.", "The claim goes to the Religious Court."),
    ],
)
def test_the_same_fact_written_differently_is_no_conflict(fast, validator):
    assert assess(fast, validator).conflicts == ()


@pytest.mark.parametrize(
    ("fast", "validator"),
    [
        # The validator adds articles the fast answer leaves out.
        ("Ancamannya penjara paling lama 5 tahun atau denda paling banyak Rp 900 ribu.", THEFT),
        # Each answer names a court the other does not, about different steps.
        (
            "Gugatan diajukan ke Pengadilan Negeri.",
            "Gugatan diajukan ke Pengadilan Negeri; kasasi diajukan ke Mahkamah Agung.",
        ),
        (
            "Pasal 362 KUHP mengatur pencurian.",
            "Pasal 362 KUHP dan Pasal 363 KUHP mengatur pencurian.",
        ),
    ],
)
def test_a_fact_only_one_answer_states_is_no_conflict(fast, validator):
    assert assess(fast, validator).conflicts == ()


def test_paraphrases_stating_the_same_facts_agree():
    fast = (
        "Pencurian motor biasa diancam pidana penjara paling lama 5 tahun atau denda menurut "
        "Pasal 362 KUHP. "
        "Jika ada unsur pemberatan, berlaku Pasal 363 KUHP dengan ancaman paling lama 7 tahun."
    )
    validator = (
        "Untuk pencurian motor, dasar hukumnya Pasal 362 KUHP dengan ancaman penjara paling lama "
        "lima tahun atau denda paling banyak Rp 900.000. Pencurian dengan pemberatan, misalnya di "
        "malam hari atau dengan merusak kunci, diatur Pasal 363 KUHP dengan ancaman paling lama "
        "tujuh tahun penjara."
    )
    agreement = assess(fast, validator)
    assert agreement.conflicts == ()
    assert agreement.score >= MODERATE


def test_the_design_documents_pair_is_corrected_because_its_penalty_is_incomplete():
    # The fast answer states the prison term but not the fine the law gives as the alternative.
    agreement = assess(
        "5 tahun penjara maksimal",
        "Pasal 362 KUHP, maksimal 5 tahun penjara, atau denda maksimal...",
    )
    assert agreement.score < MODERATE
    assert agreement.outcome == "conflict"
    assert agreement.reason == "fact_conflict"
    assert [c.kind for c in agreement.conflicts] == ["penalty_incomplete"]
    assert agreement.conflicts[0].fast == "5 tahun"


def test_a_term_the_validator_also_states_alone_is_no_incomplete_penalty():
    # The validator gives Pasal 263's six years alone, and the new code's six years "atau
    # denda" a paragraph later: the fast answer states the first penalty as completely.
    fast = "Kemungkinan kena Pasal 263 KUHP tentang pemalsuan surat, ancamannya 6 tahun penjara."
    validator = (
        "Memalsukan tanda tangan pada slip memenuhi Pasal 263 ayat (1) KUHP dengan ancaman "
        "penjara paling lama enam tahun. Pemalsuan surat adalah delik biasa, bukan delik aduan, "
        "sehingga perkara tetap dapat diproses apabila bank melaporkannya kepada kepolisian, dan "
        "laporan yang sudah masuk tidak dapat dihentikan hanya karena dicabut oleh korban.\n\n"
        "Perlu dicatat, UU No. 1 Tahun 2023 tentang KUHP mengatur pemalsuan surat dalam Pasal "
        "391 dengan ancaman penjara paling lama enam tahun atau denda kategori VI."
    )
    assert "penalty_incomplete" not in [c.kind for c in assess(fast, validator).conflicts]


def test_a_terse_answer_complete_on_what_it_states_is_a_supplement():
    agreement = assess(
        "Ancamannya 5 tahun penjara atau denda.",
        "Pasal 362 KUHP: pidana penjara paling lama lima tahun atau denda paling banyak Rp900.000.",
    )
    assert agreement.outcome == "supplement"
    assert MODERATE <= agreement.score < 0.85
    assert {a.text for a in agreement.added} >= {"Pasal 362 KUHP"}


@pytest.mark.parametrize(
    ("fast", "validator", "expected"),
    [
        ("", "", 1.0),
        ("Pasal 362 KUHP", "Pasal 362 KUHP", 1.0),
        ("", "Pasal 362 KUHP", 0.0),
    ],
)
def test_edge_scores(fast, validator, expected):
    assert assess(fast, validator).score == expected


def test_scores_stay_in_the_unit_interval_and_conflicts_serialise():
    agreement = assess(THEFT.replace("7 tahun", "9 tahun"), THEFT)
    assert 0.0 <= agreement.score <= 1.0
    assert agreement.conflicts[0].as_dict() == {
        "kind": "duration",
        "fast": "9 tahun",
        "validator": "7 tahun",
    }


@pytest.mark.parametrize("name", ["agreement_pairs.jsonl", "agreement_holdout.jsonl"])
def test_labelled_pairs_meet_the_accuracy_targets(name):
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    right = {"fact_conflict": [], "paraphrase": []}
    for row in rows:
        group = (
            "paraphrase" if row["category"] in ("paraphrase", "near_identical") else row["category"]
        )
        if group in right:
            right[group].append(
                (assess(row["fast"], row["validator"]).score >= MODERATE) == row["agree"]
            )
    assert sum(right["fact_conflict"]) / len(right["fact_conflict"]) >= 0.95
    assert sum(right["paraphrase"]) / len(right["paraphrase"]) >= 0.95


def test_the_encoder_is_not_asked_once_a_fact_conflicts(monkeypatch):
    """A fact conflict already makes the correction: the readers that ask the encoder (its main
    cost) are skipped; without a conflict the words find they still run."""
    from consensus.agreement import semantic

    calls: list[str] = []

    def counting(name, real):
        def wrapped(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return wrapped

    for name in ("same_points", "shared_points", "aligned"):
        monkeypatch.setattr(semantic, name, counting(name, getattr(semantic, name)))
    verdict = assess(
        "Perjanjian itu sah. Gugatan diajukan paling lama 14 hari ke Pengadilan Negeri.",
        "Perjanjian itu batal demi hukum. Gugatan diajukan paling lama 30 hari ke Pengadilan"
        " Negeri.",
    )
    assert verdict.outcome == "conflict"
    assert "duration" in [c.kind for c in verdict.conflicts]
    assert calls == []
    # Neither conclusion (first, concluding and last sentences) says it: the encoder is asked.
    verdict = assess(
        "Gugatan diajukan ke Pengadilan Negeri. Perjanjian itu sah menurut hukum. Simpan bukti.",
        "Gugatan diajukan ke Pengadilan Negeri. Perjanjian itu batal demi hukum menurut Pasal"
        " 1320. Simpan bukti.",
    )
    assert verdict.outcome == "conflict"
    assert calls


def test_a_step_to_take_first_is_a_condition_not_an_opposite_answer():
    # "Lunasi dulu ..., baru ... bisa dipakai" and "Selama nonaktif, ... belum dapat digunakan"
    # state one rule from both sides.
    fast = (
        "Lunasi dulu tunggakan 3 bulan plus iuran bulan berjalan, baru status kepesertaanmu "
        "aktif lagi dan bisa dipakai berobat."
    )
    validator = (
        "Selama status kepesertaan nonaktif, kartu BPJS Kesehatan Anda belum dapat digunakan "
        "untuk memperoleh pelayanan. Setelah tunggakan dan iuran bulan berjalan dilunasi, "
        "status kepesertaan aktif kembali."
    )
    question = "bpjs sy nunggak 3 bln, kalo sakit skrg bisa lgsg dipake berobat gak?"
    assert assess(fast, validator, question=question).outcome == "agree"


def test_without_having_to_is_no_duty():
    fast = "Bisa kok, gak wajib punya kartu bansos dulu. Penghasilan ortu maks Rp4 jt/bln."
    validator = (
        "Batas pendapatan orang tua paling banyak Rp4 juta per bulan. Dengan demikian, Saudara "
        "dapat mendaftar KIP Kuliah tanpa harus memiliki kartu bansos terlebih dahulu."
    )
    assert assess(fast, validator).outcome != "conflict"
