"""A law one answer relies on that the other says is no longer in force, or not the law of the
matter."""

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


@pytest.mark.parametrize(
    ("fast", "validator", "law"),
    [
        # Held-out 114: the law the fast answer relies on, disowned in so many words.
        (
            "Tilang ETLE-nya tetap sah kok. Dasarnya UU ITE: rekaman kamera diakui sebagai alat "
            "bukti yang sah.",
            "Surat tilang elektronik tersebut sah. Dasar hukumnya adalah Pasal 272 UU 22/2009 "
            "tentang LLAJ dan PP 80/2012. Jadi, dasarnya bukan UU ITE.",
            "UU ITE",
        ),
        # Held-out 124: "bukan dalam undang-undang merek".
        (
            "Bisa dituntut kak! Dasarnya UU Merek, wajah selebgram itu identitas komersial.",
            "Penggunaan potret untuk iklan tanpa izin diatur dalam Undang-Undang Nomor 28 Tahun "
            "2014 tentang Hak Cipta, bukan dalam undang-undang merek.",
            "UU Merek",
        ),
        # A few words between: "bukan pasal perusakan barang dalam KUHP".
        (
            "Operator kapal bisa dipidana pakai Pasal 406 KUHP soal perusakan barang.",
            "Perusakan terumbu karang dijerat UU 27/2007 jo. UU 1/2014 tentang Pengelolaan "
            "Wilayah Pesisir, bukan pasal perusakan barang dalam KUHP.",
            "KUHP",
        ),
    ],
)
def test_a_law_relied_on_that_the_other_answer_disowns_is_a_conflict(fast, validator, law):
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    assert any(c.kind == "law" and c.fast == law for c in verdict.conflicts)


def test_a_law_both_answers_keep_out_of_the_matter_is_no_conflict():
    # "bukan UU Ketenagakerjaan" / "bukan hubungan kerja menurut Undang-Undang Nomor 13 Tahun
    # 2003": both keep the law out; "belum diatur UU Ketenagakerjaan" / "tidak tunduk
    # sepenuhnya pada Undang-Undang Nomor 13 Tahun 2003" too.
    pairs = [
        (
            "Hubungan kamu sama aplikasi itu perjanjian perdata, bukan UU Ketenagakerjaan.",
            "Hubungan tersebut adalah kemitraan yang tunduk pada KUHPerdata, bukan hubungan kerja "
            "menurut Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan.",
        ),
        (
            "PRT belum diatur UU Ketenagakerjaan, aturannya ada di Permenaker No. 2 Tahun 2015.",
            "Pekerja rumah tangga tidak tunduk sepenuhnya pada Undang-Undang Nomor 13 Tahun 2003 "
            "tentang Ketenagakerjaan; perlindungannya diatur Permenaker Nomor 2 Tahun 2015.",
        ),
    ]
    for fast, validator in pairs:
        assert not any(c.kind == "law" for c in assess(fast, validator).conflicts)


def test_a_thing_denied_in_a_law_s_own_terms_does_not_disown_it():
    # "bukan ahli waris menurut KHI": KHI is the source of the denial, not disowned.
    fast = "Anak angkat bukan ahli waris menurut KHI, tapi bisa dapat wasiat wajibah."
    validator = "Menurut Kompilasi Hukum Islam, anak angkat memperoleh wasiat wajibah (Pasal 209)."
    assert not any(c.kind == "law" for c in assess(fast, validator).conflicts)


@pytest.mark.parametrize(
    "said",
    [
        # Held-out 133: the article the fast answer relies on governs another matter.
        "Perlu dicatat, Pasal 1365 KUH Perdata mengatur perbuatan melawan hukum, bukan "
        "wanprestasi.",
        # Held-out 132: "mengatur hal yang berbeda ..., sehingga kurang tepat".
        "Pasal 1365 KUH Perdata mengatur hal yang berbeda, sehingga kurang tepat untuk kasus ini.",
        "Pasal 1365 KUH Perdata tidak dapat dijadikan dasar gugatan wanprestasi.",
    ],
)
def test_an_article_relied_on_that_the_other_answer_says_governs_something_else(said):
    fast = "Itu wanprestasi kak, gugat ganti rugi pakai Pasal 1365 KUHPerdata."
    validator = (
        "Perkara Anda adalah wanprestasi; dasar ganti ruginya Pasal 1243 KUH Perdata. " + said
    )
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    assert any(c.kind == "article" and c.fast == "Pasal 1365 KUHPerdata" for c in verdict.conflicts)


def test_an_article_both_answers_say_governs_something_else_is_no_conflict():
    fast = "Pasal 1365 KUHPerdata kurang tepat, itu buat PMH; pakai Pasal 1243 ya."
    validator = (
        "Dasar ganti rugi wanprestasi adalah Pasal 1243 KUH Perdata. Pasal 1365 KUH Perdata "
        "mengatur perbuatan melawan hukum, bukan wanprestasi."
    )
    assert not any(c.kind == "article" for c in assess(fast, validator).conflicts)
