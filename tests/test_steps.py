"""Whether a procedural step is a duty: mediation, bipartite talks, a summons, writing."""

import pytest

from consensus.agreement import assess
from consensus.agreement.steps import duties, duty_clashes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The step as the object of its modal, however many words between.
        (
            "Setiap perkara perdata wajib terlebih dahulu diupayakan penyelesaian melalui mediasi.",
            [("mediasi", "obliged")],
        ),
        ("Kamu harus lewat bipartit dulu sebelum ke Disnaker.", [("bipartit", "obliged")]),
        ("PKWT itu wajib dibuat secara tertulis.", [("tertulis", "obliged")]),
        ("Hukum gak mewajibkan harus tertulis kok.", [("tertulis", "not_obliged")]),
        (
            "Anda boleh menolak mediasi dan meminta pemeriksaan dilanjutkan.",
            [("mediasi", "not_obliged")],
        ),
        ("Kamu bisa langsung gugat tanpa somasi.", [("somasi", "not_obliged")]),
        # The step as the subject of what is said of it.
        ("Tapi mediasi ini **opsional**, kamu bisa minta lanjut.", [("mediasi", "not_obliged")]),
        ("Soal somasi: sebenernya nggak wajib.", [("somasi", "not_obliged")]),
        (
            "Perundingan bipartit dengan perusahaan bersifat pilihan dan tidak menjadi syarat.",
            [("bipartit", "not_obliged")],
        ),
        (
            "Somasi dalam kasus ini tidak mutlak diperlukan sebagai syarat gugatan.",
            [("somasi", "not_obliged")],
        ),
        # Said in the clause after the one naming the step.
        ("Bipartit sama perusahaan. Ini wajib, gak bisa dilompatin.", [("bipartit", "obliged")]),
        ("Kirim somasi dulu. Ini wajib sebelum gugat.", [("somasi", "obliged")]),
        # Writing, through what is said of an oral agreement.
        ("Izin lisan atau lewat chat pun tetap sah.", [("tertulis", "not_obliged")]),
        ("Kalau cuma lisan itu gk sah.", [("tertulis", "obliged")]),
        ("Perjanjiannya boleh dibuat lisan.", [("tertulis", "not_obliged")]),
        # A stamp duty and a police report are steps too.
        ("Surat itu wajib dibubuhi meterai Rp10.000 agar sah.", [("meterai", "obliged")]),
        ("Soal materai: gak wajib.", [("meterai", "not_obliged")]),
        ("Tanpa korban luka sebenernya gak wajib lapor polisi.", [("lapor polisi", "not_obliged")]),
        # Held-out 111: "tapi sifatnya **opsional** aja" after the clause naming mediation.
        (
            "Hakim biasanya nawarin mediasi, tapi sifatnya **opsional** aja.",
            [("mediasi", "not_obliged")],
        ),
        ("Soal mediasi, itu **opsional aja**, gk harus.", [("mediasi", "not_obliged")]),
        # A clause with its own object says nothing of the step before ("dan gak wajib pakai
        # pengacara"); BPSK made to decide is no step.
        ("Ajukan ke BPSK, dan gak wajib pakai pengacara.", []),
        ("Pasal 55 UUPK mewajibkan BPSK menjatuhkan putusan dalam 21 hari kerja.", []),
        # No reading: a duty on something else, a summons in writing, no rule on the step.
        ("Sebelum mediasi, kamu wajib siapin bukti.", []),
        ("Kirim somasi tertulis ke travelnya.", []),
        ("Gugatan wanprestasi gak bisa diajukan tanpa somasi.", []),
        ("Pemagangan tanpa perjanjian tertulis dianggap tidak sah.", []),
        ("Tidak ada kewajiban bentuk tertulis.", [("tertulis", "not_obliged")]),
    ],
)
def test_what_an_answer_says_of_a_step(text, expected):
    assert [(s.step, s.duty) for s in duties(text)] == expected


def test_the_clause_is_quoted_in_the_answer_s_own_words():
    (said,) = duties(
        "Soal mediasi: itu sebenernya **cuma formalitas dan sifatnya opsional**, jadi santai."
    )
    assert said.text == "Soal mediasi: itu sebenernya **cuma formalitas dan sifatnya opsional**"


def test_an_answer_that_says_both_is_no_rival():
    """Mediation at the neighbourhood head is optional, in court a duty: against "mediasi wajib"
    the answer says both, and the step alone cannot tell which one the other answer meant."""
    fast = "Kamu wajib mediasi dulu sebelum sidang."
    validator = (
        "Musyawarah di RT bersifat opsional. Namun, setelah gugatan didaftarkan, para pihak "
        "wajib menempuh mediasi di pengadilan. Mediasi di tingkat RT sifatnya opsional."
    )
    assert [s.duty for s in duties(validator) if s.step == "mediasi"] == ["obliged", "not_obliged"]
    assert duty_clashes(fast, validator) == []


def test_a_duty_against_an_option_on_the_same_step_is_a_correction():
    fast = (
        "Bisa, gugat aja ke Pengadilan Negeri pakai Pasal 1365 KUHPerdata. Di sidang pertama "
        "hakim biasanya nawarin mediasi, tapi mediasi ini **opsional**, kalau kamu udah yakin "
        "gk bakal damai bisa langsung minta lanjut ke pemeriksaan perkara."
    )
    validator = (
        "Anda dapat mengajukan gugatan perbuatan melawan hukum berdasarkan Pasal 1365 KUHPerdata "
        "ke Pengadilan Negeri. Berdasarkan Perma Nomor 1 Tahun 2016, setiap perkara perdata "
        "wajib terlebih dahulu diupayakan penyelesaian melalui mediasi, dan para pihak wajib "
        "menghadirinya dengan iktikad baik."
    )
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    (conflict,) = [c for c in verdict.conflicts if c.kind == "modality"]
    assert "opsional" in conflict.fast
    assert "mediasi" in conflict.validator


def test_the_same_duty_said_two_ways_agrees():
    fast = "Bipartit sama perusahaan dulu. Ini wajib, gak bisa dilompatin ya."
    validator = (
        "Sebelum mencatatkan perselisihan ke dinas ketenagakerjaan, Anda wajib menempuh "
        "perundingan bipartit dengan perusahaan paling lama 30 hari."
    )
    assert duty_clashes(fast, validator) == []
    assert assess(fast, validator).outcome != "conflict"
