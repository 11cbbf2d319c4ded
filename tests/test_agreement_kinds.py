"""The verdict per kind of answer pair: a decision table, and the labelled sets' per-kind rates."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from consensus.agreement import assess
from consensus.agreement.confidence import Policy

MODERATE = Policy().moderate_similarity
DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("fast", "validator", "outcome", "kind"),
    [
        # Shares, in digits and words.
        (
            "Anak perempuan tunggal mendapat separuh harta warisan (Pasal 176 KHI).",
            "Menurut Pasal 176 KHI, anak perempuan tunggal mendapat 1/3 bagian.",
            "conflict",
            "share",
        ),
        (
            "Anak perempuan tunggal mendapat setengah bagian warisan.",
            "Bagian anak perempuan seorang diri adalah 1/2 dari harta peninggalan.",
            "agree",
            None,
        ),
        # A step that one answer says may be taken and the other that it may not; a duty
        # against a step said to be optional ("bersifat pilihan").
        (
            "Kamu boleh motong sendiri dahan yang masuk ke pekaranganmu.",
            "Saudara tidak diperkenankan memotong sendiri dahan tersebut; mintalah pemiliknya.",
            "conflict",
            "modality",
        ),
        (
            "Perusahaan wajib mendaftarkan PKB ke dinas ketenagakerjaan.",
            "Pendaftaran PKB ke dinas ketenagakerjaan bersifat pilihan bagi perusahaan.",
            "conflict",
            None,
        ),
        # A duty against a discretion, no party named but the same action on the same thing.
        (
            "Laporan keuangan yayasan wajib diaudit akuntan publik.",
            "Laporan keuangan yayasan dapat diaudit oleh akuntan publik.",
            "conflict",
            "modality",
        ),
        # One action in other verbs, the asker addressed as "kamu" and as "Anda".
        (
            "Kalau tetap ditolak, kamu harus lewat BPSK dulu.",
            "Dengan demikian, Anda tidak wajib menempuh BPSK terlebih dahulu.",
            "conflict",
            "modality",
        ),
        # Four governed words not counting the fillers ("terlebih dahulu").
        (
            "Kamu gak wajib minta penetapan perwalian ke pengadilan.",
            "Anda harus terlebih dahulu memperoleh penetapan perwalian dari pengadilan.",
            "conflict",
            "modality",
        ),
        # "yang" is no shared word: "harus dilakukan dokter yang ..." / "hanya boleh dilakukan
        # oleh dokter yang ..." share two.
        (
            "Suntik botox harus dilakukan dokter yang punya STR dan SIP.",
            "Penyuntikan botox hanya boleh dilakukan oleh dokter yang memiliki STR dan SIP.",
            "agree",
            None,
        ),
        # A chat verb's root ("ngajuin" / "mengajukan"); "harus Anda tuntut" is about the
        # action, not the party.
        (
            "Kamu tidak wajib ngajuin tuntutan khusus kok, hakim bisa menetapkannya.",
            "Anda harus mengajukan gugatan tersendiri di Pengadilan Agama.",
            "conflict",
            "modality",
        ),
        # Two modals share only "dari" and "harta": not one action.
        (
            "Utang pribadi suami tidak boleh dikurangin dari harta bersama.",
            "Utang pribadi suami harus dibayar dari harta pribadinya.",
            "agree",
            None,
        ),
        # The same verb, a duty and a ban on different things: no conflict.
        (
            "Aplikasi wajib memproses permintaan itu dalam 3 x 24 jam.",
            "Data tersebut tidak boleh diproses untuk tujuan lain.",
            "agree",
            None,
        ),
        # The step said to be optional is named by its subject's first word, not its last.
        (
            "Pengemudi ojol wajib menyediakan helm SNI untuk penumpang.",
            "Penyediaan helm bagi penumpang oleh pengemudi bersifat anjuran.",
            "conflict",
            "modality",
        ),
        # The court a special court sits in, or one the answer rules out, is not its forum.
        (
            "Gugatan pembatalan merek tidak ke PN biasa, tapi ke Pengadilan Niaga (ada di PN "
            "Jakarta Pusat), dasarnya Pasal 76 UU 20/2016.",
            "Gugatan pembatalan merek diajukan ke Pengadilan Negeri di wilayah domisili tergugat "
            "berdasarkan Pasal 76 UU 20/2016.",
            "conflict",
            "institution",
        ),
        # The same court in two cities; a court in a city against the rule that names none.
        (
            "Daftarnya ke Pengadilan Negeri Bandung, sesuai domisili kamu sebagai penggugat.",
            "Karena klien Anda berkedudukan di Jakarta Selatan, gugatan diajukan ke Pengadilan "
            "Negeri Jakarta Selatan.",
            "conflict",
            "institution",
        ),
        (
            "Gugatannya didaftarkan di PN Surabaya, tempat tinggal tergugat.",
            "Gugatan diajukan ke pengadilan negeri di wilayah tempat tinggal tergugat.",
            "agree",
            None,
        ),
        # A law named in another's title is not one the answer cites; an amended law is.
        (
            "Dasarnya ada di Pasal 111 PP No. 24 Tahun 1997 tentang Pendaftaran Tanah.",
            "Ketentuan ini terdapat dalam Pasal 111 Peraturan Menteri Negara Agraria Nomor 3 "
            "Tahun 1997 tentang Ketentuan Pelaksanaan Peraturan Pemerintah Nomor 24 Tahun 1997.",
            "conflict",
            "law",
        ),
        (
            "Menurut Pasal 39 UU No. 3 Tahun 2024, masa jabatan kepala desa 8 tahun.",
            "Pasal 39 Undang-Undang Nomor 6 Tahun 2014 tentang Desa sebagaimana telah diubah "
            "dengan Undang-Undang Nomor 3 Tahun 2024 mengatur masa jabatan 8 tahun.",
            "supplement",
            None,
        ),
        # A court the answer rules out ("bukan lagi Pengadilan Negeri") is not its forum.
        (
            "Gugatannya diajukan ke Pengadilan Negeri di wilayah pemkot tersebut.",
            "Sejak Perma 2/2019, sengketa jenis ini menjadi kewenangan Pengadilan Tata Usaha "
            "Negara, bukan lagi Pengadilan Negeri.",
            "conflict",
            "institution",
        ),
        (
            "Karena urusannya pernikahan, gugatannya diajuin ke Pengadilan Agama tempat WO itu "
            "berdomisili.",
            "Sengketa dengan WO adalah wanprestasi biasa, sehingga diadili Pengadilan Negeri di "
            "wilayah domisili tergugat, bukan pada Pengadilan Agama.",
            "conflict",
            "institution",
        ),
        (
            "Karena ini sengketa bisnis waralaba, gugatannya diajukan ke Pengadilan Niaga.",
            "Sengketa ini diajukan ke Pengadilan Negeri. Wanprestasi waralaba tidak termasuk "
            "kewenangan Pengadilan Niaga.",
            "conflict",
            "institution",
        ),
        # A swapped court.
        (
            "Gugatan cerai bagi pasangan Muslim diajukan ke Pengadilan Negeri.",
            "Bagi yang beragama Islam, gugatan cerai diajukan ke Pengadilan Agama.",
            "conflict",
            "institution",
        ),
        # Opposite conclusions in different words.
        (
            "Perjanjian lisan tetap sah dan mengikat para pihak.",
            "Perjanjian yang hanya lisan tidak sah; harus tertulis.",
            "conflict",
            "conclusion",
        ),
        (
            "Ya, karyawan kontrak berhak atas pesangon.",
            "Tidak. Pekerja PKWT tidak mendapat pesangon, hanya uang kompensasi.",
            "conflict",
            "conclusion",
        ),
        (
            "Utang judi dapat ditagih melalui pengadilan.",
            "Kreditur tidak bisa menggugat pembayaran utang judi di pengadilan.",
            "conflict",
            "conclusion",
        ),
        # A prison term without the fine the law gives beside it.
        (
            "Hukumannya maksimal 5 tahun penjara.",
            "Pasal 362 KUHP: penjara paling lama lima tahun atau denda paling banyak Rp900.000.",
            "conflict",
            "penalty_incomplete",
        ),
        # Prison and a fine together against either of them.
        (
            "Hukumannya penjara paling lama 1 tahun DAN denda paling banyak 1 juta, dua-duanya "
            "dijatuhin sekaligus.",
            "Pasal 32 ayat (1) mengancam pidana penjara paling lama 1 tahun atau pidana denda "
            "paling banyak Rp1.000.000; hakim menjatuhkan salah satunya.",
            "conflict",
            "penalty_combination",
        ),
        # "dan/atau" is either or both: no conflict with "atau".
        (
            "Ancamannya penjara paling lama 1 tahun dan/atau denda paling banyak Rp1.000.000.",
            "Pelakunya dapat dipidana penjara paling lama 1 tahun atau denda paling banyak "
            "Rp1.000.000.",
            "agree",
            None,
        ),
        # Terse and complete on what it states: the validator only adds the article.
        (
            "Ancaman pidananya paling lama 5 tahun penjara atau denda.",
            "Pasal 362 KUHP mengancam pencurian dengan penjara paling lama 5 tahun atau denda.",
            "supplement",
            None,
        ),
        # A paraphrase that shares few words.
        (
            "Batas usia menikah 19 tahun untuk pria maupun wanita.",
            "UU 16/2019 menyamakan umur minimal perkawinan: laki-laki dan perempuan sama-sama "
            "sembilan belas tahun.",
            "supplement",
            None,
        ),
        # Both sides of one point in one answer are weighed, not contradicted.
        (
            "Nikah siri sah secara agama, tetapi tidak sah menurut hukum negara.",
            "Nikah siri sah menurut agama, namun tidak sah di mata negara karena tidak dicatat.",
            "agree",
            None,
        ),
    ],
)
def test_decision_table(fast, validator, outcome, kind):
    verdict = assess(fast, validator)
    assert verdict.outcome == outcome, verdict
    assert (verdict.score < MODERATE) == (outcome == "conflict")
    if kind is not None:
        assert kind in [c.kind for c in verdict.conflicts]


def test_a_court_in_another_city_is_shown_with_its_city():
    verdict = assess(
        "Daftarnya ke PN Bandung, sesuai domisili kamu.",
        "Gugatan diajukan ke Pengadilan Negeri Jakarta Selatan.",
    )
    shown = [(c.fast, c.validator) for c in verdict.conflicts if c.kind == "institution"]
    assert shown == [("PN Bandung", "Pengadilan Negeri Jakarta Selatan")]


def rates(name: str) -> dict[str, float]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    right: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        kind = "paraphrase" if row["category"] == "terse" else row["category"]
        decided = assess(row["fast"], row["validator"]).score >= MODERATE
        right[kind].append(decided == row["agree"])
    return {kind: sum(r) / len(r) for kind, r in right.items()}


def test_the_tuning_set_per_kind():
    """Regression floors a little under what the rules reach on the pairs they were tuned on
    (the held-out figures are in docs/agreement.md, measured once)."""
    measured = rates("agreement_real_tune.jsonl")
    floors = {
        "paraphrase": 0.95,
        "near_identical": 0.95,
        "supplement": 0.85,
        "fact_conflict": 0.90,
        "opposite_conclusion": 0.85,
    }
    assert {k: measured[k] >= floor for k, floor in floors.items()} == dict.fromkeys(floors, True)


def test_one_whole_divided_two_ways_is_a_conflict():
    """A third and two thirds against halves of the same joint property: no share is in both
    divisions, whichever words name the parties."""
    fast = (
        "Harta bersama tetap dibagi walau buku nikah dipegang suami kok. Biasanya istri dapat "
        "1/3 dan suami 2/3 karena suami yang cari nafkah. Ajukan gugatan ke Pengadilan Agama ya."
    )
    validator = (
        "Menurut Pasal 97 Kompilasi Hukum Islam, janda atau duda cerai hidup masing-masing "
        "berhak seperdua dari harta bersama sepanjang tidak ditentukan lain dalam perjanjian "
        "perkawinan. Gugatan pembagian diajukan ke Pengadilan Agama."
    )
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    assert [c.kind for c in verdict.conflicts] == ["share"]


def test_the_same_division_written_two_ways_agrees():
    fast = "Harta gono-gini dibagi dua, masing-masing dapet 1/2."
    validator = (
        "Pasal 97 KHI: janda atau duda cerai hidup masing-masing berhak seperdua dari harta "
        "bersama."
    )
    assert assess(fast, validator).outcome != "conflict"


def test_a_duration_inside_the_other_answer_s_bracket_is_a_case_of_it():
    """Held-out 109: the asker's 1.5 years of service against the rule's bracket "1 tahun atau
    lebih tetapi kurang dari 2 tahun"; an end of a bracket against the other's end still
    conflicts."""
    fast = "Dengan masa kerja 1,5 tahun kamu berhak pesangon 2 bulan upah."
    validator = (
        "Uang pesangon untuk masa kerja 1 tahun atau lebih tetapi kurang dari 2 tahun sebesar "
        "2 bulan upah (Pasal 40 ayat (2) PP 35/2021)."
    )
    assert assess(fast, validator).outcome != "conflict"
    fast = "Denda 5% per hari berlaku mulai hari ke-4 sampai hari ke-8 keterlambatan."
    validator = "Denda 5% per hari berlaku mulai hari ketiga sampai dengan hari kedelapan."
    assert assess(fast, validator).outcome == "conflict"


def test_an_amount_said_to_hold_only_for_another_party_is_an_aside():
    """Held-out 109: a person's late tax return costs Rp100.000; "Denda Rp1.000.000 hanya
    berlaku untuk SPT Tahunan Wajib Pajak Badan" is the other party's, no agreement with the
    fast answer's Rp1.000.000 for the person."""
    fast = "Kamu kena denda Rp1.000.000 sesuai Pasal 7 UU KUP karena telat lapor SPT Tahunan."
    validator = (
        "Atas keterlambatan SPT Tahunan PPh Orang Pribadi dikenakan denda Rp100.000 (Pasal 7 "
        "ayat (1) UU KUP). Denda Rp1.000.000 hanya berlaku untuk SPT Tahunan Wajib Pajak Badan."
    )
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    assert [c.kind for c in verdict.conflicts] == ["money"]
    # Alone, "only for" states the answer's own amount.
    validator = "Denda Rp1.000.000 hanya berlaku untuk SPT Tahunan Wajib Pajak Badan."
    assert assess("Badan usaha kena denda Rp1.000.000.", validator).outcome != "conflict"
