"""`consensus.agreement.leads`: the conclusion each answer gives, and opposite conclusions."""

from __future__ import annotations

import pytest

from consensus.agreement import assess, semantic
from consensus.agreement.conclusions import opposed
from consensus.agreement.leads import (
    CONCLUDES,
    SENTENCE_CHARS,
    lead,
    main_clause,
    modal_signs,
    opposite,
    qualified,
    split,
    verb_root,
)


def conclusion(answer: str):
    return lead(split(answer))


def test_split_keeps_abbreviations_and_numbers_in_one_sentence():
    answer = (
        "Menurut Putusan MK No. 18/PUU-XVII/2019, eksekusi harus lewat pengadilan. "
        "Pasal 5 jo. Pasal 45 UU No. 23 Tahun 2004 berlaku. Daftar di oss.go.id sekarang.\n"
        "- Anda tidak berhak pesangon;\nApakah bisa banding?"
    )
    assert split(answer) == [
        "Menurut Putusan MK No. 18/PUU-XVII/2019, eksekusi harus lewat pengadilan.",
        "Pasal 5 jo. Pasal 45 UU No. 23 Tahun 2004 berlaku.",
        "Daftar di oss.go.id sekarang.",
        "Anda tidak berhak pesangon;",
    ]


@pytest.mark.parametrize(
    ("answer", "yes_no"),
    [
        ("Ya. Perjanjian itu sah.", 1),
        ("Silakan saja. Suami bisa menjualnya sendiri.", 1),
        ("Bisa. Ajukan permohonan ke Pengadilan Negeri.", 1),
        ("Dapat. Permenaker berlaku bagi PKWT.", 1),
        ("Tidak bisa. Rumah itu harta bersama.", -1),
        ("Sayangnya tidak. THR hanya untuk karyawan tetap.", -1),
        ("Secara umum **tidak bisa**, kalau lembur sudah diperintahkan.", 0),
        ("Tidak bisa langsung. Harus dengan AJB.", -1),
        ("Tidak otomatis. Pasal 368 KUHP bukan delik aduan.", -1),
        ("Untuk overstay 20 hari, tidak.", -1),
        ("Jangan. Gunakan P3MI berizin.", -1),
        ("In practice, no. Only operators are prosecuted.", -1),
        ("Not by itself. A bounced cheque is a civil debt.", -1),
        ("Yes, you can sue the seller.", 1),
        ("Tentu saja. Anda berhak atas THR.", 1),
        ("Menurut saya, bisa. Ajukan ke Pengadilan Agama.", 1),
        ("Sama sekali tidak. Perjanjian itu batal.", -1),
        ("Jelas tidak; itu melanggar hukum.", -1),
        ("Absolutely not. The clause is void.", -1),
        ("Not necessarily. It depends on the contract.", -1),
        # A claim, not an explicit answer: "Tidak ada larangan ..." opens with "tidak".
        ("Tidak ada larangan menyimpan ijazah.", 0),
        # An answer under a condition is a rule for one case, not a yes or a no.
        ("Tidak bisa, sepanjang laporan dibuat dengan itikad baik.", 0),
    ],
)
def test_explicit_answers(answer, yes_no):
    assert conclusion(answer).yes_no == yes_no


@pytest.mark.parametrize(
    ("sentence", "main"),
    [
        ("kalau ayah menolak, wali beralih ke hakim.", "wali beralih ke hakim."),
        (
            "pemilik tidak boleh mengusir anda, kecuali anda menunggak sewa.",
            "pemilik tidak boleh mengusir anda,",
        ),
        ("if you stay past your permitted stay, you pay a fee.", "you pay a fee."),
        ("perjanjian itu sah.", "perjanjian itu sah."),
        # Held-out 102: left to goodwill names no case; "tergantung perda" does.
        (
            "jadi thr itu tergantung kebaikan hati majikan aja sih",
            "jadi thr itu tergantung kebaikan hati majikan aja sih",
        ),
        ("izinnya tergantung perda setempat.", "izinnya"),
    ],
)
def test_main_clause_drops_conditions(sentence, main):
    assert main_clause(sentence) == main


@pytest.mark.parametrize(
    ("words", "root"),
    [
        ("menariknya", "tarik"),
        ("ditarik", "tarik"),
        ("menggugat", "gugat"),
        ("digugat", "gugat"),
        ("memukul", "pukul"),
        ("revoked", "revok"),
        ("revoke", "revok"),
    ],
)
def test_verb_root_is_the_same_for_active_and_passive(words, root):
    assert verb_root(words) == root


def test_modal_signs_read_the_verb_a_modal_governs():
    assert modal_signs("orang tua tidak dapat menariknya kembali") == {"modal:tarik": {-1}}
    assert modal_signs("hibah tersebut dapat ditarik kembali") == {"modal:tarik": {1}}
    assert modal_signs("the gift cannot be revoked") == {"modal:revok": {-1}}
    assert modal_signs("bisa saja dikenai sanksi") == {"modal:kena": {1}}


# Opposite conclusions in other words: each pair is caught, and by which rule.
OPPOSITE = [
    (
        "Ya. Dalam KUHP baru (UU No. 1 Tahun 2023), kohabitasi diancam pidana penjara paling lama "
        "6 bulan.",
        "Kumpul kebo sampai sekarang **bukan tindak pidana** di Indonesia.",
        "conclusion",
        "pidana",
    ),
    (
        "Silakan saja. Suami bisa menjualnya sendiri.",
        "Tidak bisa. Itu harta bersama.",
        "answer",
        "answer",
    ),
    (
        "Tidak bisa. Hibah yang sudah diterima bersifat final, orang tua tidak dapat menariknya "
        "kembali.",
        "Pasal 212 KHI mengecualikan hibah orang tua. Karena rumah itu dihibahkan ayah kepada "
        "anaknya, hibah tersebut dapat ditarik kembali lewat Pengadilan Agama.",
        "conclusion",
        "modal:tarik",
    ),
    (
        "Once the lease has expired, the landlord is allowed to cut off the electricity.",
        "Even after the lease ends, the landlord may not evict you by self-help.",
        "conclusion",
        "boleh",
    ),
    (
        "No, management is not right. A strike without notice is still lawful.",
        "Management is essentially right. A strike without notice is unlawful.",
        "conclusion",
        "benar",
    ),
    (
        "Jual beli tanah dengan kwitansi tanpa akta PPAT batal demi hukum.",
        "Menurut yurisprudensi, jika harga sudah dibayar lunas dan dilakukan terbuka, jual beli "
        "itu sah.",
        "condition",
        "sah",
    ),
    (
        "Jadi, tindakan debt collector merampas motor Anda di jalan melanggar hukum.",
        "Pihak leasing berhak menarik kendaraan kapan saja. Penarikan di jalan itu sah.",
        "conclusion",
        "sah",
    ),
    (
        "Tidak. Girik adalah bukti pembayaran pajak, bukan bukti hak milik.",
        "Girik tetap diakui sebagai bukti kepemilikan yang sah atas tanah adat.",
        "implied",
        "answer",
    ),
]


OPPOSITE += [
    # One party's entitlement is the other's obligation.
    (
        "Setelah bercerai, Anda tidak wajib membayar utang pribadi mantan suami.",
        "Anda tetap ikut menanggungnya. Kreditur berhak menagih kepada Anda sampai lunas.",
        "conclusion",
        "wajib",
    ),
    (
        "Suami berhak atas cuti 2 hari dengan upah penuh ketika istrinya melahirkan.",
        "Sayangnya, UU Ketenagakerjaan tidak memberi cuti khusus bagi suami.",
        "conclusion",
        "wajib",
    ),
    # A rule that does not exist; a clause after a semicolon limited on its own.
    (
        "Merokok di dalam gedung kantor dilarang karena tempat kerja kawasan tanpa rokok.",
        "Tidak ada aturan nasional yang melarang merokok di ruang kerja; yang dilarang hanya "
        "di fasilitas kesehatan dan sekolah.",
        "conclusion",
        "boleh",
    ),
    (
        "Installing a CCTV camera on your own house is your right. There is no law against it.",
        "Under the Personal Data Protection Law, recording your neighbour's yard is unlawful.",
        "conclusion",
        "boleh",
    ),
    # Exempted; "tidak usah".
    (
        "Freelancer dengan NPWP tetap wajib menyampaikan SPT Tahunan, walaupun nihil.",
        "Anda dikecualikan dari kewajiban menyampaikan SPT Tahunan. Jadi tidak usah lapor.",
        "conclusion",
        "wajib",
    ),
    # Only an administrative offence is no crime.
    (
        "Menjual obat keras online tanpa izin apotek termasuk tindak pidana.",
        "Menjualnya lewat marketplace hanyalah pelanggaran administratif.",
        "conclusion",
        "pidana",
    ),
    # "Wajib" against "tidak diperlukan"; forcing is obliging.
    (
        "Kepemilikan airsoft gun harus disertai izin dari Polri.",
        "Airsoft gun bukan senjata api, jadi tidak diperlukan izin kepolisian.",
        "conclusion",
        "wajib",
    ),
    (
        "Perusahaan tidak bisa memaksa karyawan divaksin.",
        "Perusahaan berwenang mewajibkan vaksin sebagai bagian dari K3.",
        "conclusion",
        "wajib",
    ),
    # "Baru bisa ... setelah" limits the second sentence; the flat first one stands.
    (
        "Istri dari pernikahan siri tidak mendapat warisan. Ia baru bisa mewaris setelah isbat.",
        "Istri siri tetap ahli waris, karena pernikahan siri sah menurut agama.",
        "conclusion",
        "wajib",
    ),
    # A bare "Ya." against a negated first sentence.
    (
        "Ya. Pemadaman yang melebihi batas membuat PLN wajib memberi kompensasi.",
        "PLN tidak memberi ganti rugi untuk pemadaman.",
        "conclusion",
        "wajib",
    ),
    (
        "Bisa. Bawa KTP dan akta kelahiran anak ke Dukcapil.",
        "Dukcapil tidak melayani perubahan nama anak tanpa penetapan pengadilan.",
        "implied",
        "answer",
    ),
    (
        "Yes. The café owner must pay royalties through LMKN.",
        "No royalty is due if you stream from a personal account. The café owes nothing extra.",
        "conclusion",
        "wajib",
    ),
]

OPPOSITE += [
    # Does the case go on?
    (
        "Kalau kerugian sudah dikembalikan, kasus pidananya dihentikan.",
        "Pengembalian kerugian negara tidak menghapuskan pidananya; perkara tetap diteruskan.",
        "condition",
        "lanjut",
    ),
    # "Adalah hak" is an entitlement, a liability an obligation.
    (
        "Memberi like pada unggahan capres adalah hak pribadi ASN.",
        "ASN tidak berhak menunjukkan keberpihakan di media sosial.",
        "conclusion",
        "wajib",
    ),
    (
        "Orang tua pelaku bertanggung jawab atas kerugian yang dibuat anaknya.",
        "Secara hukum, orang tua tidak menanggung akibat perbuatan anaknya yang sudah dewasa.",
        "conclusion",
        "wajib",
    ),
    (
        "Persetujuan ibu kandung adalah syarat mutlak.",
        "Ibu tidak harus hadir atau ikut menandatangani.",
        "conclusion",
        "wajib",
    ),
    # Advice against what the other answer says may be done.
    (
        "Mending jangan deh 🙅\n\nVisa kunjungan bukan visa kerja.",
        "Boleh saja berangkat dengan visa kunjungan lalu cari kerja di sana.",
        "implied",
        "answer",
    ),
]


@pytest.mark.parametrize(("fast", "validator", "rule", "concept"), OPPOSITE)
def test_opposite_conclusions_in_other_words(fast, validator, rule, concept):
    found = opposite(conclusion(fast), conclusion(validator))
    assert found is not None
    assert (found.rule, found.concept) == (rule, concept)
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    assert any(c.kind == "conclusion" for c in verdict.conflicts)


# The same conclusion in other words, or the same rule framed from both sides: no opposition.
SAME = [
    ("Tidak bisa. Perjanjian itu batal demi hukum.", "Perjanjian tersebut tidak sah."),
    ("Perjanjian itu tidak sah.", "Kontrak itu batal demi hukum."),
    ("Pada prinsipnya boleh, kecuali dilarang kontrak.", "Dilarang, kecuali diizinkan kontrak."),
    (
        "Pemilik tidak boleh mengusir Anda sebelum masa sewa berakhir, kecuali Anda menunggak.",
        "Selama Anda membayar dan tidak melanggar kontrak, hak Anda menempati rumah dilindungi.",
    ),
    (
        "If you stay past your permitted stay, you pay IDR 1,000,000 per day.",
        "Overstaying costs Rp 1 million a day; beyond 60 days you may be banned from re-entry.",
    ),
    (
        "A CV is a partnership, not a legal entity.",
        "No. A CV is a partnership without legal personality.",
    ),
    ("Anda tidak perlu izin istri.", "Izin istri tidak diwajibkan."),
    (
        "Kumpul kebo bukan tindak pidana.",
        "Tidak. Hidup bersama tanpa nikah tidak dipidana menurut KUHP lama.",
    ),
    # Both state the rule and its other side: "valid if ...; otherwise voidable or void".
    (
        "A contract is valid if it meets four conditions. Missing one of the first two makes "
        "the contract voidable; missing one of the last two makes it void by law.",
        "Article 1320 lists 4 requirements for a valid agreement. If consent is missing the "
        "contract can be annulled, while failure of an objective requirement renders it void.",
    ),
    # What comes before "tidak berlaku" is negated.
    (
        "Jika dilaporkan tepat waktu, penerima gratifikasi tidak dapat dipidana.",
        "Dengan pelaporan tepat waktu, ancaman pidana suap tidak berlaku.",
    ),
    # A fronted "tanpa" is a condition; "boleh, asalkan ..." is the same rule.
    (
        "Boleh, asalkan denda keterlambatan itu tercantum dalam perjanjian kerja.",
        "Tanpa dasar di perjanjian kerja, pemotongan upah tidak dibenarkan. Kalau aturannya ada, "
        "pemotongan itu sah.",
    ),
    # A negated noun negates its relative clause.
    (
        "Perusahaan tidak bisa memaksa, dan penolakan vaksin bukan alasan PHK.",
        "Vaksinasi adalah hak, bukan kewajiban yang bisa dipaksakan pemberi kerja.",
    ),
    # "It is fine" is a permission; "not void" is valid.
    (
        "You may install CCTV on your own house, but do not aim it at your neighbour's yard.",
        "Installing cameras on your property is fine. What is not allowed is covering a "
        "neighbour's private area.",
    ),
    (
        "No, not void just because it is in English; courts have upheld English-only contracts.",
        "Where both sides understood the English text, courts have held the contract binding.",
    ),
    # Names of a field are no conclusion: "pertanggungjawaban pidana", "secara pidana, ...".
    (
        "Orang tua tidak bisa dipenjara, karena pertanggungjawaban pidana itu pribadi.",
        "Secara pidana, yang bertanggung jawab adalah anak itu sendiri; orang tua tidak dipidana.",
    ),
    # "Hak tanggungan" is the name of a security, not a right.
    (
        "Gadai sertifikat di bawah tangan tidak memberi jaminan; jaminan atas tanah adalah hak "
        "tanggungan.",
        "Gadai sertifikat kepada perorangan tidak memberi hak jaminan atas tanah itu.",
    ),
    # "Syarat sah perjanjian" names a test; "memberikan kesaksian" grants no right.
    (
        "Kesepakatan karena paksaan tidak sah menurut Pasal 1321 KUHPerdata.",
        "Sepakat para pihak adalah syarat sah perjanjian; sepakat karena paksaan tidak sah.",
    ),
    (
        "Saksi wajib datang dan memberikan kesaksian.",
        "Menjadi saksi merupakan kewajiban hukum setiap orang.",
    ),
    (
        "Penahanan ijazah dilarang.",
        "Perusahaan tidak boleh menahan ijazah asli pekerja sebagai jaminan.",
    ),
    # Advice ("Mending jangan deh") is no denial of a fact the other answer states.
    (
        "Mending jangan deh 🙅\n\nLiquid vape itu termasuk barang kena cukai.",
        "Cairan rokok elektrik termasuk barang kena cukai, sehingga wajib dilekati pita cukai.",
    ),
    # A lead-in to a list states no conclusion.
    (
        "HGB bisa diperpanjang. Jadi mending ajukan dari sekarang, tidak usah nunggu mepet.",
        "Berdasarkan PP 18/2021, ketentuan yang wajib Anda perhatikan adalah sebagai berikut.",
    ),
]


@pytest.mark.parametrize(("fast", "validator"), SAME)
def test_same_conclusions_are_not_opposite(fast, validator):
    assert opposite(conclusion(fast), conclusion(validator)) is None
    assert opposite(conclusion(validator), conclusion(fast)) is None


def test_the_conflict_names_the_sentences_that_state_the_concept():
    verdict = assess(
        "Ya. Anda bisa dipidana. Simpan bukti Anda.",
        "Perbuatan itu bukan tindak pidana. Simpan bukti Anda.",
    )
    assert [(c.fast, c.validator) for c in verdict.conflicts if c.kind == "conclusion"] == [
        ("Anda bisa dipidana.", "Perbuatan itu bukan tindak pidana.")
    ]


@pytest.mark.parametrize(
    ("sentence", "limited"),
    [
        ("Wasiat kepada ahli waris tidak berlaku, kecuali disetujui ahli waris lain.", True),
        ("Wasiat untuk anak hanya sah apabila ahli waris lain menyetujuinya.", True),
        ("THR is only for permanent employees.", True),
        ("Criticising the president is not a crime in itself.", True),
        ("Ia baru bisa mewaris setelah ada penetapan isbat nikah.", True),
        ("Tanpa dasar di perjanjian kerja, pemotongan upah tidak dibenarkan.", True),
        ("Contracts written in English-only are binding.", False),
        ("Jual beli yang hanya memakai kwitansi batal demi hukum.", False),
        ("Wasiat itu berlaku penuh.", False),
    ],
)
def test_qualified(sentence, limited):
    assert qualified(sentence) is limited


def test_claims_that_both_carry_a_condition_state_one_rule_from_both_sides():
    fast = "Wasiat kepada ahli waris tidak berlaku, kecuali disetujui oleh semua ahli waris lain."
    validator = "Wasiat untuk anak sendiri hanya sah apabila seluruh ahli waris lain menyetujuinya."
    assert opposed(fast, validator, semantic.same_points) == []
    # One flat claim against the other side: still opposite.
    flat = "Wasiat kepada ahli waris tetap sah, walau ahli waris lain menolak."
    assert opposed(fast, flat, semantic.same_points) != []


@pytest.mark.parametrize(
    "sentence",
    [
        "Namun kesimpulannya, laporan Anda tidak dapat dicabut.",
        "Akibatnya, perbuatan suami Anda bukan tindak pidana.",
        "As a result, the transfer is void.",
        "Dengan memperhatikan hal-hal tersebut, pembongkaran kios Anda pada dasarnya sah.",
        "Berdasarkan uraian di atas, perjanjian itu batal demi hukum.",
    ],
)
def test_sentences_that_conclude(sentence):
    assert CONCLUDES.match(sentence.lower())


def test_no_power_to_compel_is_no_duty():
    from consensus.agreement.leads import concept_signs

    found = concept_signs("somasi tidak memiliki kekuatan memaksa.", one_duty=False)
    assert found == {"wajib": {-1}}


def test_a_negated_duty_carries_to_the_verb_right_after_it():
    from consensus.agreement.leads import concept_signs

    found = concept_signs("anda tidak berkewajiban menanggung utang tersebut.", one_duty=False)
    assert found == {"wajib": {-1}}
    # Not past a word between: who does not report is still liable.
    found = concept_signs("pengemudi yang tidak melapor ke polisi dapat dipidana.", one_duty=False)
    assert 1 in found["pidana"]


def test_a_run_of_text_without_a_stop_is_read_by_its_start():
    # A model looping without punctuation ("kata0 kata1 ... kata3999", the benchmark's fake
    # answer): each reader would scan all 35,000 characters again and again.
    run = "".join(f" kata{n}" for n in range(4000))
    (sentence,) = split(run)
    assert len(sentence) == SENTENCE_CHARS
    assert sentence == run.strip()[:SENTENCE_CHARS]
    # Real sentences are far shorter and kept whole.
    text = "Perjanjian itu sah. " + "Syaratnya " * 50 + "terpenuhi."
    assert split(text) == ["Perjanjian itu sah.", ("Syaratnya " * 50 + "terpenuhi.").strip()]


def test_perlu_diketahui_is_a_note_not_a_duty():
    # Held-out 99: both say the bank does not automatically pay; "Perlu diketahui" (it should be
    # known) opened one of them and was read as a duty against the other's "tidak wajib".
    fast = (
        "Karena OTP diberikan sendiri oleh nasabah, bank umumnya tidak otomatis wajib mengganti, "
        "tetapi Anda tetap dapat mengajukan pengaduan resmi ke bank."
    )
    validator = (
        "Perlu diketahui, karena kode OTP diserahkan oleh ibu Anda sendiri, bank biasanya tidak "
        "otomatis menanggung kerugian."
    )
    assert opposed(fast, validator, lambda pairs: [True] * len(pairs)) == []


def test_what_a_relative_clause_excludes_limits_a_conclusion_as_only_does():
    # Held-out 99: "not bound to pay for work you did not approve" and "bound to pay only for
    # the work you agreed to" say the same; a "yang tidak" in a reason limits nothing.
    question = "bengkel ganti shock & oli tanpa nanya sy dulu, tagihan 4,5jt. wajib bayar semua gk?"
    fast = "Kamu gk wajib bayar pekerjaan yang gk kamu setujui."
    validator = (
        "Anda pada prinsipnya hanya berkewajiban membayar pekerjaan yang telah Anda sepakati."
    )
    assert assess(fast, validator, question=question).outcome != "conflict"
    assert lead(["Kamu tidak wajib bayar pekerjaan yang tidak kamu setujui."]).qualified == {
        "wajib": {-1}
    }
    reason = lead(["Pembukaan rekening tidak sah karena dilakukan pihak yang tidak berwenang."])
    assert reason.signs == {"sah": {-1}}
