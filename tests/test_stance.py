"""`consensus.agreement.stance`: each answer's answer to the asker's yes/no question."""

from __future__ import annotations

import pytest

from consensus import events as ev
from consensus.agreement import assess
from consensus.agreement.leads import split
from consensus.agreement.stance import Stance, _past_remarks, answers, asked, sides, stance
from consensus.engine import ConsensusEngine
from consensus.providers.fake import FakeProvider
from consensus.record import RunRecord
from consensus.runtime import verdicts


def answer(question: str, text: str) -> Stance:
    asking = asked(question)
    assert asking is not None
    return stance(asking, split(text))


@pytest.mark.parametrize(
    "question",
    [
        "Telat lapor SPT, dendanya berapa?",
        "Kalau nabrak orang terus kabur, ancamannya apa?",
        "Gugatnya ke pengadilan mana?",
        "Sabu itu masuk narkotika atau psikotropika?",
        "How much is the overstay fine?",
        "",
    ],
)
def test_a_question_that_asks_for_a_value_or_a_choice_has_no_yes_or_no(question):
    assert asked(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "Apa bedanya perjanjian pakai akta notaris sama perjanjian biasa?",
        "Kalau pinjol nagih ke kantor, apa konsekuensinya?",
    ],
)
def test_apa_before_a_noun_in_nya_asks_what_it_is(question):
    assert asked(question) is None


def test_apa_opening_a_later_clause_asks_yes_or_no():
    # The clause after "apa" is what is asked, not the story before it.
    asking = asked("anak tetangga umur 15 thn nyuri hp, apa dia bakal dipenjara?")
    assert asking is not None
    assert asking.signs["pidana"] == 1
    assert "umur" not in asking.predicate


def test_a_tag_before_like_that_is_no_negation():
    # "sah gk kyk gt?" asks whether it is valid, not whether it is invalid.
    assert asked("ditangkap tanpa surat. sah gk kyk gt?").signs == {"boleh": 1}


def test_blh_is_boleh():
    assert asked("kakatua jambul kuning blh dipelihara gk?").signs.get("boleh") == 1


def test_a_tag_after_the_modal_is_no_negation():
    # "Boleh ga ...?" asks whether it is allowed, not whether it is not.
    assert asked("Boleh ga saya lapor polisi atas nama dia?").signs["boleh"] == 1


def test_is_that_right_asks_about_the_claim_before_it():
    asking = asked("Penjual bilang perjanjian lisan gak berlaku. Bener?")
    # Validity and permission are one topic in a stance ("legal?" is answered by "dilarang").
    assert asking is not None
    # Whether the claim is right is asked too ("Tidak benar" answers it).
    assert asking.signs == {"boleh": -1, "benar": 1}
    # The claim is that it is not valid: "it binds" answers no.
    said = answer("Penjual bilang perjanjian lisan gak berlaku. Bener?", "Perjanjian itu mengikat.")
    assert said.sign == -1


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Bisa. Pasal 187A mengancam penerima.", 1),
        ("Tetap dapat. Anak kandung tetap ahli waris.", 1),
        ("Masih. PPh-nya final.", 1),
        ("Probably not. The threshold is two years.", -1),
        ("Tidak bisa dilakukan begitu saja.", -1),
        ("Belum tentu benar.", -1),
        ("Secara hukum hal tersebut dimungkinkan.", 1),
        ("Hal itu tidak diperbolehkan.", -1),
        # Chat particles, a vocative and an emoji after the answer word.
        ("Bisa kok.", 1),
        ("Masih bisa kok, Kak 🙂 SIM mati itu urusannya sama polisi.", 1),
        ("Gak bisa dong.", -1),
        ("Sah kok 👍 Kwitansi sudah cukup.", 1),
        # "aja" and a hedge after the answer word.
        ("Bisa aja sih kayaknya, apalagi sertifikatnya di kamu 😅", 1),
        ("Gak bisa aja sih sepertinya.", -1),
        # An interjection before the hedge; "susah" (hard to get) is a no.
        ("Hmm, kayaknya susah sih 😕 Karcisnya cuma retribusi.", -1),
        ("Hmm sayangnya agak susah sih 😕 Toko udah bilang as is.", -1),
        # Advice against it: better not.
        ("Mending jangan deh 🙅 Pinjol legal itu cuma boleh akses kamera dan lokasi.", -1),
    ],
)
def test_an_explicit_answer_at_the_start(text, sign):
    assert answer("Apa dia bisa kena?", text).sign == sign


@pytest.mark.parametrize(
    ("question", "text", "sign"),
    [
        # A negator before a noun and its relative clause denies the predicate in it.
        (
            "bpk sy kecelakaan tunggal. bisa dpt santunan jasa raharja gk?",
            "Dengan kronologi tersebut, ayah Anda pada umumnya tidak termasuk pihak yang berhak "
            "atas santunan Jasa Raharja.",
            -1,
        ),
        # "apa sawahnya harus ...?" asks whether, not what; "balik" is answered as "kembali",
        # "gaji" as "upah", "nalangin" as "menalangi".
        (
            "sawah digarap tetangga & blm ditebus. apa sawahnya harus balik tanpa bayar?",
            "Sawah tersebut tidak dapat diminta kembali tanpa membayar.",
            -1,
        ),
        (
            "majikan kabur, gaji 2 bln blm dibayar. PT yg berangkatin sy wajib nalangin gaji sy "
            "gk?",
            "Dengan demikian, Anda tidak dapat menuntut P3MI membayar upah tersebut.",
            -1,
        ),
        # A denied description that denies.
        (
            "kakak kandung sy ngasih uang 200jt. itu kena pajak gk?",
            "Penghasilan ini dilaporkan sebagai penghasilan yang dikenai tarif umum, bukan "
            "sebagai penghasilan yang tidak termasuk objek pajak.",
            1,
        ),
        # What is said to be unlikely.
        (
            "kontrakan sy kebakar krn sy lupa matiin kompor. apa sy bisa dipidana jg?",
            "Berdasarkan uraian Anda, kecil kemungkinan peristiwa tersebut memenuhi unsur tindak "
            "pidana, sehingga persoalannya bersifat perdata.",
            -1,
        ),
        (
            "kontrakan sy kebakar krn sy lupa matiin kompor. apa sy bisa dipidana jg?",
            "Kesimpulannya, kemungkinan Saudara dipidana kecil.",
            -1,
        ),
        # "Emg gk boleh?" asks whether it is not allowed: "Boleh" says it is allowed, as the
        # body's "Anda berhak ..." does; "Ya" would answer the question as put.
        (
            "klinik nolak kasih rekam medis sy, katanya rahasia. emg gk boleh?",
            "Boleh dong, kamu berhak.",
            -1,
        ),
        ("klinik nolak kasih rekam medis sy, katanya rahasia. emg gk boleh?", "Tidak boleh.", 1),
        # A short root asked, its passive answered ("hapus" / "dihapus").
        (
            "video sy kena copyright claim. channel sy bakal kena hapus gk?",
            "Dengan demikian, klaim yang Anda terima tidak menyebabkan kanal Anda dihapus.",
            -1,
        ),
        # "kurang tepat" (not quite right) is a no.
        (
            "RS bilang persetujuan lisan sy udh sah. bener gk?",
            "Pernyataan rumah sakit tersebut kurang tepat.",
            -1,
        ),
        # "ada atau tidaknya" (whether or not) states no answer.
        (
            "sambilan les privat dpt 3 jt/bln. itu kena pajak gk sih?",
            "Namun, ada atau tidaknya pajak terutang baru dapat diketahui setelah seluruh "
            "penghasilan neto digabungkan dan dikurangi Penghasilan Tidak Kena Pajak.",
            0,
        ),
        # A relative clause's negation stays in it; "tidak dapat meminta" stays a no.
        (
            "PMI yg gajinya gk dibayar majikan bisa minta bantuan KBRI gk?",
            "Pekerja Migran Indonesia yang upahnya tidak dibayar dapat meminta bantuan kepada "
            "KBRI atau KJRI di negara penempatan.",
            1,
        ),
        (
            "PMI yg gajinya gk dibayar majikan bisa minta bantuan KBRI gk?",
            "Pekerja yang upahnya tidak dibayar tidak dapat meminta bantuan KBRI.",
            -1,
        ),
        # A lead-in to a list answers nothing; a list of conditions is the answer's own.
        (
            "gaji 3 bln terakhir blm dibayar majikan. masih bisa diurus gk sih?",
            "Berikut langkah yang dapat Anda tempuh:",
            0,
        ),
        (
            "gaji 3 bln terakhir blm dibayar majikan. masih bisa diurus gk sih?",
            "Walaupun begitu, terdapat beberapa hak yang tetap dapat Anda urus:",
            0,
        ),
        (
            "gaji 3 bln terakhir blm dibayar majikan. masih bisa diurus gk sih?",
            "Tetap dapat diurus, dengan syarat:",
            1,
        ),
        # A claim paid out ("cair") is one accepted: "ditolak" answers no.
        (
            "SIM sy udh mati 2 bulan. klaim asuransinya bisa cair gk ya?",
            "Dengan kondisi SIM tersebut, klaim Anda berisiko besar ditolak.",
            -1,
        ),
        # A risk said to be avoidable will not come.
        (
            "sy dipanggil jd saksi, panggilan pertama gk dtg. bisa dijemput paksa gk?",
            "Dengan demikian, selama Anda beritikad baik, risiko dibawa paksa maupun dipidana "
            "dapat dihindari.",
            -1,
        ),
        # A question that negates what it asks is answered yes by an answer that negates it
        # too, and no by one that affirms it.
        (
            "petugas blg udh telat. beneran gk bisa banding lg?",
            "Permohonan banding Anda masih dapat diajukan dan semestinya diterima.",
            -1,
        ),
        (
            "tembusan gk pernah dikasih. penahanannya gk sah dong?",
            "Perpanjangan penahanan tersebut dapat dimohonkan untuk dinyatakan tidak sah.",
            1,
        ),
        # A risk said to be small is a no.
        (
            "Apakah saya bisa dituntut pencipta lagu kalau memutar lagu di resepsi saya?",
            "Risiko Anda dituntut dalam situasi tersebut relatif kecil.",
            -1,
        ),
        # Not given the right: "tidak serta-merta memberi Anda hak".
        (
            "mobil atas nama sy, yg bawa istri. boleh gk sy pasang gps biar tau dia kemana aja?",
            "Kepemilikan atas mobil tidak serta-merta memberi Anda hak untuk memantau "
            "pergerakan istri Anda.",
            -1,
        ),
        # What no one can stop can be done.
        (
            "bapak sy punya saham di PT keluarga. saham itu bisa diwarisin ke kami anak2nya gk?",
            "Dengan demikian, pemegang saham lain tidak dapat menghalangi.",
            1,
        ),
        # A name with a negator in it negates nothing.
        (
            "sy freelance. emg wajib daftar bpjs ketenagakerjaan sendiri?",
            "Perpres Nomor 109 Tahun 2013 menentukan bahwa pekerja bukan penerima upah wajib "
            "mendaftarkan diri sendiri sebagai peserta BPJS.",
            1,
        ),
        # The main verb's negation does not reach into the reason after "karena".
        (
            "PT tempat saya bekerja akan diakuisisi. Apakah hak-hak saya tetap aman?",
            "Pasal 61 ayat (2) menegaskan bahwa perjanjian kerja tidak berakhir karena "
            "beralihnya hak atas perusahaan.",
            0,
        ),
        # Hard to bring it to court is a no; what is not required is a no to a duty.
        (
            "pemilik kos nyebarin foto KTP sy ke grup WA. itu bisa dipidana gk sih?",
            "Jujur, ini susah dibawa ke pidana.",
            -1,
        ),
        (
            "ibu sy jualan jamu racikan sendiri. wajib daftar BPOM gk?",
            "Untuk usaha yang Anda gambarkan, izin edar BPOM pada dasarnya tidak dipersyaratkan.",
            -1,
        ),
        # Not kept out of criminal liability: liable.
        (
            "sy kan cuma reseller, bisa dipidana gk?",
            "Status sebagai reseller tidak membebaskan Anda dari pertanggungjawaban pidana.",
            1,
        ),
        # The claim put, then called wrong: "anggapan bahwa ... tidak tepat".
        (
            "apa bener konsumen perumahan itu harus didahulukan pembayarannya kalo developernya "
            "pailit?",
            "Kesimpulannya, anggapan bahwa konsumen perumahan merupakan kreditur preferen yang "
            "harus didahulukan tidak tepat menurut hukum positif.",
            -1,
        ),
        # What the answer will go through answers nothing; an answer after the colon does.
        (
            "pemilik merek terdaftar itu otomatis berhak ngambil alih domain yg namanya sama?",
            "Untuk menjawab pertanyaan ini, perlu dipahami hubungan antara hak atas merek dan "
            "nama domain.",
            0,
        ),
        (
            "rumah yg udh jadi bisa diurus PBG gk?",
            "Untuk menjawab pertanyaan Anda: ya, rumah tersebut dapat diurus legalitasnya.",
            1,
        ),
        # An opinion's lead-in, "likely not" before a modal, a duty that does not simply exist.
        (
            "kakak sy tinggal gratis di rumah warisan. dia wajib bayar sewa gk?",
            "Menurutku iya, kamu bisa nuntut itu.",
            1,
        ),
        (
            "temen pinjem 8jt trs blokir sy. bisa sy laporin polisi pake pasal penipuan?",
            "Kemungkinan besar gak bisa.",
            -1,
        ),
        (
            "sy nabrak sapi yg nyebrang. pemilik minta ganti rugi 15jt. sy wajib bayar gk?",
            "Kewajiban Anda untuk membayar ganti rugi tidak serta-merta ada.",
            -1,
        ),
        # Not easily brought to court; not in itself grounds for demolition.
        (
            "bisa dipidana gk sih anak yg nyuri uang ortunya sendiri?",
            "Pasal ini dibuat justru biar urusan harta keluarga gak gampang dibawa ke ranah "
            "pidana.",
            -1,
        ),
        (
            "menara BTS udh berdiri dkt rumah, warga gk dimintain persetujuan. bs dibongkar gk?",
            "Keberadaan menara tanpa persetujuan warga tidak serta-merta menjadi dasar "
            "pembongkaran.",
            -1,
        ),
        # Without a valid legal basis: not valid; not expressly required: no duty.
        (
            "pengurus koperasi ganti AD sendiri tanpa rapat anggota. itu sah gk?",
            "Perubahan anggaran dasar yang dilakukan pengurus tanpa Rapat Anggota tidak memiliki "
            "dasar hukum yang sah.",
            -1,
        ),
        (
            "PRT sy minta libur tiap minggu. sy wajib gk sih ngasih libur mingguan?",
            "Dengan demikian, peraturan tidak secara tegas mewajibkan Anda memberikan libur "
            "mingguan.",
            -1,
        ),
        # No legal basis, strong or not: a no.
        (
            "kontraktor telat 3 bulan. bisa sy minta denda keterlambatan gk?",
            "Tuntutan denda itu tidak memiliki dasar hukum.",
            -1,
        ),
        # "aman gak beli?": the tag after "aman" negates nothing.
        (
            "ada yg jual motor murah, bpkb nyusul. aman gak beli?",
            "Sebaiknya Anda tidak membeli kendaraan tersebut.",
            -1,
        ),
    ],
)
def test_the_answer_to_the_question(question, text, sign):
    assert answer(question, text).sign == sign


def test_what_is_asked_rather_than_whether_asks_nothing():
    assert asked("apa syaratnya?") is None


def test_all_the_more_if_is_no_condition():
    said = answer("bisa sy laporin polisi gk?", "Bisa, apalagi kalau dia sengaja kabur.")
    assert (said.sign, said.qualified) == (1, False)


def test_an_answer_under_its_own_condition_is_qualified():
    said = answer("Boleh ga?", "Boleh saja selama tugasnya tetap jalan.")
    assert (said.sign, said.qualified) == (1, True)
    # After "Tidak." a new sentence begins: its "only" does not qualify the answer.
    said = answer("Do we have to pay?", "No. Heirs are only liable up to the estate.")
    assert (said.sign, said.qualified) == (-1, False)


def test_a_concept_of_the_question_read_the_way_the_question_asks_it():
    # "berhenti" asks whether the case ends: "dapat dihentikan" answers yes.
    question = "Keluarga korban sudah damai. Kasusnya otomatis berhenti kan?"
    assert answer(question, "Dalam kondisi ini, perkara pada umumnya dapat dihentikan.").sign == 1


def test_the_predicate_negated_a_few_words_before():
    question = "Kalo cuma nerima amplop, yg nerima bisa kena pidana jg?"
    said = answer(question, "Menerima saja tidak membuat Anda dapat dipidana.")
    assert said.sign == -1


def test_the_predicate_as_a_subject_then_negated():
    question = "Ada teguran dari pemda. Bisa sampai dibongkar ga?"
    said = answer(question, "Untuk rumah tinggal, pembongkaran tidak dapat dilakukan.")
    assert said.sign == -1


def test_the_modal_verb_answers_a_modal_question():
    question = "HRD bilang saya mau di-PHK karena hamil. Boleh begitu?"
    said = answer(question, "Perusahaan pada dasarnya dapat mengakhiri hubungan kerja Anda.")
    assert said.sign == 1


def test_a_negation_covers_each_alternative():
    question = "Adik saya nabrak orang, masih bisa dipenjara gak?"
    said = answer(question, "Dia tidak akan diproses polisi atau dipenjara.")
    assert said.sign == -1


def test_an_indirect_question_states_no_answer():
    question = "Kami sudah baikan, apakah laporannya bisa dicabut?"
    text = (
        "Perlu dibedakan jenis kekerasannya, karena hal ini menentukan apakah laporan dapat "
        "dicabut. UU PKDRT mengenal delik aduan. Namun kesimpulannya, laporan Anda tidak dapat "
        "dicabut."
    )
    assert answer(question, text).sign == -1


def test_a_conclusion_on_what_is_asked_outweighs_a_first_sentence_on_another_verb():
    # "bisa dihentikan" is a modal verb, not the asked "dipenjara"; the conclusion is.
    question = "Udah damai sama keluarga korban. Masih bisa dipenjara gak?"
    text = (
        "Kalau sudah damai, biasanya perkaranya bisa dihentikan. Polisi akan menilai. "
        "Jadi kemungkinan besar dia tidak dipenjara."
    )
    assert answer(question, text).sign == -1
    # So does the second sentence when it speaks of what is asked and the first only of a
    # modal verb: the general rule first, the asker's case next.
    question = "HRD bilang saya mau di-PHK karena hamil. Boleh begitu?"
    text = "Perusahaan pada dasarnya dapat mengakhiri hubungan kerja. PHK karena hamil dilarang."
    assert answer(question, text).sign == -1
    question = "anak sy umur 11 thn nyuri hp. anak sy bisa dipenjara gak pak?"
    text = (
        "Berdasarkan UU SPPA, anak yang dapat diproses adalah anak yang telah berumur 12 tahun. "
        "Karena anak Bapak baru berusia 11 tahun, ia tidak dapat dijatuhi pidana penjara."
    )
    assert answer(question, text).sign == -1
    # A second sentence that reads only a modal verb too does not: the first one stands.
    question = "Udah damai sama keluarga korban. Masih bisa dipenjara gak?"
    text = "Kalau sudah damai, perkaranya bisa dihentikan. Polisi tidak bisa memaksa."
    assert answer(question, text).sign == 1


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Kemungkinan besar peluangnya sudah tertutup.", -1),
        ("Sayangnya kesempatan itu sudah lewat.", -1),
        ("Masih ada peluang, asal ada bukti.", 1),
        ("Oleh sebab itu, tuntutan Anda kecil kemungkinannya berhasil.", -1),
        ("Gugatan semacam itu tidak memiliki dasar yang kuat.", -1),
        ("Untuk saat ini Anda belum memiliki dasar hukum yang kuat.", -1),
        ("Wah, jujur udah agak telat sih 😕 Pembelinya dilindungi.", -1),
        ("Secara umum, peluang gugatan semacam itu untuk dikabulkan tidak besar.", -1),
        ("Kemungkinan gugatan itu dikabulkan cukup kecil.", -1),
        ("Peluang Anda untuk memperoleh putusan yang menguntungkan cukup besar.", 1),
        ("Kayaknya sih peluang kamu gede ya 👍 Hakim lihat kepentingan anak.", 1),
    ],
)
def test_the_askers_chances(text, sign):
    assert answer("Tanahnya diserobot tahun 2012. Skrg masih bisa gugat?", text).sign == sign


def test_a_yes_only_for_some_is_no_yes():
    # "Only citizens can" says no to the asker's foreign husband: it is not read as a yes.
    question = "Suami saya WNA, bisa SHM?"
    said = answer(question, "Hanya warga negara Indonesia yang dapat mempunyai SHM.")
    assert said.sign != 1


def test_sides():
    yes, no = Stance(1), Stance(-1)
    assert sides(yes, no) == "opposed"
    assert sides(yes, yes) == "same"
    assert sides(yes, Stance(0)) is None
    # "Bisa, selama ..." against "Tidak benar, kecuali ...": each answer's own limit, still both
    # ways (measured: more opposite conclusions than paraphrases hang on it).
    assert sides(Stance(1, qualified=True), Stance(-1, qualified=True)) == "opposed"
    # Each a rule for a case it names first ("Kalau ..." / "Apabila ..."): both may hold.
    case_yes = Stance(1, qualified=True, text="Kalau di-PHK, kamu berhak pesangon.")
    case_no = Stance(-1, qualified=True, text="Apabila kontraknya harian, Anda tidak berhak.")
    assert sides(case_yes, case_no) is None
    # A conditional yes against a plain no still answers the question both ways.
    assert sides(Stance(1, qualified=True), no) == "opposed"


QUESTION = "Kalo cuma nerima amplop serangan fajar pas pilkada, yg nerima bisa kena pidana jg?"
FAST = "Bisa. Di pilkada, penerima juga dijerat."
VALIDATOR = (
    "Menerima saja tidak membuat Anda dapat dipidana. Ketentuan pidana politik uang ditujukan "
    "kepada pihak yang memberi."
)


def test_answers_that_answer_the_question_both_ways_conflict():
    assert assess(FAST, VALIDATOR).outcome != "conflict"  # the contract without the question
    verdict = assess(FAST, VALIDATOR, question=QUESTION)
    assert verdict.outcome == "conflict"
    assert verdict.conflicts[0].kind == "conclusion"
    assert verdict.score < 0.60


def test_answers_that_answer_it_the_same_way_drop_conclusions_paired_on_side_points():
    fast = "No, copyright arises automatically once the work is created; registration is optional."
    validator = "No registration is required. Copyright follows the declarative principle."
    question = "Do I have to register my novel somewhere to own the copyright in Indonesia?"
    assert assess(fast, validator).outcome == "conflict"
    assert assess(fast, validator, question=question).outcome != "conflict"


@pytest.mark.asyncio
async def test_the_verdict_off_the_event_loop_is_given_the_question(settings):
    settings.CONSENSUS_VERDICT_WORKER = "thread"
    verdict = await verdicts.judge(FAST, VALIDATOR, question=QUESTION)
    assert verdict == assess(FAST, VALIDATOR, question=QUESTION)


@pytest.mark.asyncio
async def test_the_engine_judges_with_the_runs_prompt(settings):
    settings.CONSENSUS_VERDICT_WORKER = "thread"
    fast = FakeProvider(name="FastFake", model="fast-1")
    validator = FakeProvider(name="SlowFake", model="slow-1")
    fast.enqueue([FAST])
    validator.enqueue([VALIDATOR])
    record = RunRecord(prompt=QUESTION)

    engine = ConsensusEngine(fast=fast, validator=validator)
    events = [event async for event in engine.run(record)]

    assert any(isinstance(e, ev.Correction) for e in events)
    assert record.outcome == "conflict"


def test_a_concession_keeps_the_conclusion_unqualified():
    # "bahkan jika" grants a case and keeps the answer: no condition (held-out 7's
    # lingkungan/opposite_conclusion/1, missed as two conditional answers before).
    question = "boleh gak bakar lahan 1 hektar buat nanam padi ladang?"
    no = answer(
        question,
        "Jadi, membakar lahan tetap tidak diperbolehkan, bahkan jika Anda sudah lapor ke desa.",
    )
    assert no == Stance(-1, False, no.text)
    conditional = answer(question, "Boleh, asalkan luasnya maksimal 2 hektare.")
    assert (conditional.sign, conditional.qualified) == (1, True)
    assert sides(conditional, no) == "opposed"
    assert answer(question, "Boleh jika luasnya di bawah 2 hektare.").qualified


def test_a_negated_modal_further_back_still_governs_the_predicate():
    question = "beli tanah cuma pake kuitansi, bisa balik nama sertifikat gak?"
    said = answer(
        question, "Kuitansi itu tidak dapat dijadikan dasar untuk balik nama sertifikat tanah."
    )
    assert said.sign == -1
    assert answer(question, "Akta PPAT dapat dijadikan dasar untuk balik nama.").sign == 1


def test_a_conclusion_that_denies_what_is_asked_outweighs_the_opening_rule():
    question = "brand kopi luar negeri belum daftar di sini. sy boleh daftarin nama itu duluan?"
    text = (
        "Indonesia memang menganut sistem first to file, yaitu hak atas merek diperoleh melalui "
        "pendaftaran. Namun, sistem ini tidak berlaku tanpa batas. Permohonan atas merek "
        "terkenal milik pihak lain ditolak. Dengan demikian, Anda tidak dapat secara sah "
        "mendaftarkan nama brand tersebut."
    )
    assert answer(question, text).sign == -1
    # A conclusion that only grants it leaves the opening's reading in place.
    granted = text.replace("tidak dapat secara sah", "dapat")
    assert answer(question, granted).sign == 1


def test_a_linking_word_does_not_hide_the_clause_subject():
    question = "suami talak 1 sy, iddah udh lewat. bisa langsung rujuk aja gak?"
    said = answer(
        question,
        "Hak rujuk hanya dapat digunakan selama masa iddah. Karena masa iddah Ibu telah "
        "berakhir, talak itu menjadi ba'in, sehingga rujuk tidak lagi dimungkinkan.",
    )
    assert said.sign == -1


def test_the_claim_put_called_wrong_answers_is_that_right():
    question = "katanya hutan adat itu punya negara. bener gak?"
    said = answer(question, "Anggapan tersebut sudah tidak sesuai dengan hukum yang berlaku.")
    assert said.sign == -1
    assert answer(question, "Bener.").sign == 1


def test_what_the_question_asks_to_be_absent_is_no_predicate():
    asking = asked("kalo sy nunggak, bank bisa langsung lelang tanpa ke pengadilan?")
    assert asking is not None
    assert asking.predicate == frozenset({"lelang"})


def test_a_negated_obstruction_is_a_yes():
    question = "gak ada kontrak apa2 sama dia. bisa sy tuntut ganti rugi?"
    said = answer(question, "Tidak adanya kontrak tidak menghalangi tuntutan ganti rugi.")
    assert said.sign == 1
    assert answer(question, "Anda tidak dapat menuntut ganti rugi.").sign == -1


def test_a_nasal_prefix_that_swallowed_the_roots_consonant_still_meets_the_predicate():
    # "ketunda" in the question, "menunda" in the answer: one verb, "tunda".
    question = "sy udh masukin gugatan ke PN. lelangnya otomatis ketunda kan?"
    said = answer(question, "Jadi, gugatan itu tidak akan menunda lelang.")
    assert said.sign == -1


def test_the_body_answers_when_the_opening_and_conclusions_do_not():
    question = "Uangnya udh dibalikin semua. Masih bisa dipidana gak?"
    opening = "Pengembalian kerugian punya konsekuensi penting. Perkara ini unik. "
    body = "Karena kerugian sudah dipulihkan, pelaku tidak dapat dipidana lagi. "
    closing = "Simpan bukti pengembalian."
    assert answer(question, opening + body + closing).sign == -1
    # Only when every sentence of the body that speaks of it answers one way.
    both = "Namun atasan tetap dapat melapor, dan pelaku dapat dipidana penjara. "
    assert answer(question, opening + body + both + closing).sign == 0
    # A body sentence under a condition is the rule for one case, not the answer.
    limited = "Jika kerugian belum dipulihkan, pelaku tetap dapat dipidana. "
    assert answer(question, opening + limited + closing).sign == 0


def test_an_opening_that_cites_the_rule_gives_way_to_the_conclusion():
    question = "usaha gadai cuma ada NIB, gak ada izin OJK. legal gak sih gadai disitu?"
    text = (
        "Usaha pergadaian diawasi OJK. Berdasarkan POJK 31/2016, setiap usaha pergadaian wajib "
        "memperoleh izin usaha dari OJK. NIB bukan izin usaha. Dengan demikian, usaha gadai yang "
        "hanya memiliki NIB beroperasi secara tidak sah."
    )
    assert answer(question, text).sign == -1
    # Without a conclusion on it, the cited rule is still the answer.
    assert answer(question, text.rsplit(" Dengan", 1)[0]).sign == 1


def test_an_opening_general_rule_is_qualified():
    question = "orang kampung biasa bakar ladang buat nanam. itu melanggar hukum ga sih"
    found = answer(
        question, "Pada dasarnya membuka lahan dengan membakar dilarang. Ada pengecualian."
    )
    assert found.sign == 1
    assert found.qualified


def test_a_negated_refusal_is_a_yes():
    question = (
        "mobil udh sy jual tp blm lapor samsat, kena tilang elektronik. sy wajib bayar dendanya?"
    )
    text = (
        "Tilang elektronik dikirim ke pemilik yang tercatat. Jual beli yang tidak dilaporkan "
        "ke Samsat tidak dapat dijadikan alasan untuk menolak pembayaran denda."
    )
    assert answer(question, text).sign == 1


def test_no_need_to_worry_about_it_is_a_yes():
    question = "sy pny kuitansi pelunasan utang bermeterai, sah gak buat bukti kalo ditagih lg?"
    text = (
        "Kuitansi adalah akta di bawah tangan. "
        "Anda tidak perlu khawatir mengenai keabsahan kuitansi."
    )
    assert answer(question, text).sign == 1


def test_without_negates_the_word_after_it_and_a_negated_without_requires():
    question = "kapal dibatalin operator, tiket sy bisa refund full gak?"
    text = "Bisa pilih jadwal ulang tanpa biaya atau refund penuh tanpa potongan."
    assert answer(question, "Begini. " + text).sign == 1
    question = "nambang emas di tanah sendiri pake alat manual, wajib izin gak?"
    text = (
        "Pertambangan rakyat diatur UU Minerba. Izin pertambangan rakyat diterbitkan gubernur. "
        "Kesimpulannya, Anda tidak dapat menambang emas di tanah milik sendiri tanpa izin."
    )
    assert answer(question, text).sign == 1


def test_not_a_ground_that_removes_it_keeps_it():
    question = "temen sy minta dipukul buat konten, dia setuju. sy tetep bisa dipidana?"
    text = (
        "Dalam hukum pidana Indonesia, persetujuan korban bukan alasan penghapus pidana untuk "
        "penganiayaan. Jadi perbuatan itu tetap perbuatan pidana."
    )
    assert answer(question, "Begini. " + text.split(" Jadi")[0]).sign == 1


def test_in_the_case_that_is_a_condition():
    question = "nikah siri thn 2010, skrg mau bikin akta anak. bisa isbat nikah gak?"
    text = (
        "Pasal 7 ayat (2) KHI menyatakan bahwa dalam hal perkawinan tidak dapat dibuktikan "
        "dengan akta nikah, dapat diajukan isbat nikahnya ke Pengadilan Agama."
    )
    assert answer(question, text).sign != -1


def test_a_word_that_only_carries_the_predicate_does_not_hide_its_negation():
    question = "sy suka ngasih receh ke pengamen di lampu merah. sy bisa kena sanksi gak?"
    text = (
        "Perda melarang pengamen di jalan. Dengan demikian, memberi receh tidak membuat Anda "
        "dapat dikenai sanksi."
    )
    assert answer(question, "Begini. " + text).sign == -1


def test_the_asked_word_in_the_subjects_description_is_not_the_answer():
    question = "rumah sy udh berdiri 10 thn tp blm ada IMB. masih bisa diurus PBG-nya gak?"
    text = "Rumah yang sudah berdiri tapi belum punya PBG tetap bisa dilegalkan lewat SLF."
    assert answer(question, text).sign != -1


def test_the_nearest_modal_before_the_asked_word_governs_it():
    question = "sy cuma pegang akta hibah di bawah tangan. bisa buat balik nama sertifikat gak?"
    text = (
        "Akta itu dapat dipakai sebagai bukti tetapi tidak dapat dijadikan dasar untuk balik "
        "nama sertifikat."
    )
    assert answer(question, "Begini. " + text).sign == -1


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Sayangnya posisi kamu agak lemah di sini.", -1),
        ("Tenang, posisi hukum Anda cukup kuat di sini.", 1),
    ],
)
def test_the_askers_position_is_their_chances(text, sign):
    question = "sy udh bayar DP tp developer ingkar. bisa gugat balik gk?"
    assert answer(question, text + " Ini penjelasannya.").sign == sign


def test_a_negation_before_a_carrier_verb_negates_what_it_carries():
    # "aman kan gk kena bea masuk?": the asker hopes no duty is due; "tetap terutang" says no.
    asking = asked("barangnya cuma 400 dolar. aman kan gk kena bea masuk?")
    assert asking is not None
    assert asking.polarity == -1
    assert "kan" not in asking.predicate


def test_a_demonstrative_subject_leaves_the_whole_predicate():
    asking = asked("warga mukulin maling yg udh diiket. itu kan pembelaan terpaksa ya?")
    assert asking is not None
    assert "pembel" in asking.predicate


@pytest.mark.parametrize("tag", ["bener gak?", "Bener gk?", "betul tidak?", "Bener gitu?"])
def test_right_or_not_asks_the_claim_before_it_and_whether_it_is_right(tag):
    asking = asked("pabriknya bilang punya AMDAL lengkap, jadi gak bisa digugat. " + tag)
    assert asking is not None
    assert asking.polarity == -1
    assert "gugat" in asking.predicate
    assert asking.signs["benar"] == 1


def test_the_reporter_is_not_part_of_the_claim():
    asking = asked("kata PT gaji sy udh 'all in'. bener gk sih?")
    assert asking is not None
    assert "pt" not in asking.predicate
    assert asking.signs["benar"] == 1


def test_a_claim_of_two_modal_verbs_is_right_or_wrong_as_a_whole():
    asking = asked("stnk mati 2 thn, katanya bisa jadi bodong & gak bisa diurus lagi. bener gak?")
    assert asking is not None
    assert (asking.signs, asking.predicate) == ({"benar": 1}, frozenset())


@pytest.mark.parametrize(
    "text",
    ["Sebagian benar. Dokumennya milik RS.", "Pernyataan itu hanya benar separuh. Ini sebabnya."],
)
def test_right_in_part_is_a_limited_yes(text):
    found = answer("RS bilang sy ga boleh liat rekam medis. bener ga?", text)
    assert (found.sign, found.qualified) == (1, True)


@pytest.mark.parametrize(
    "text",
    [
        "Kayaknya sih pak kades ada benernya 🤔 Di desa emang turun-temurun.",
        "Temen kamu ada benernya.",
    ],
)
def test_whoever_made_the_claim_having_a_point_is_a_yes(text):
    found = answer("kades bilang sabung ayam boleh krn tradisi. bener gk sih itu?", text)
    assert (found.sign, found.qualified) == (1, False)


def test_a_claim_answered_wrong_in_either_way_opposes_one_answered_right():
    question = "pabriknya bilang punya izin lingkungan & AMDAL, jadi gak bisa digugat. bener gak?"
    fast = "Gak bener. Izin tidak menghapus tanggung jawab atas pencemaran."
    validator = "Ya, pabrik tersebut memang tidak dapat digugat. Izin melindunginya."
    verdict = assess(fast, validator, question=question)
    assert "conclusion" in [c.kind for c in verdict.conflicts]


@pytest.mark.parametrize("hedge", ["Kayaknya sih", "Sepertinya", "Kelihatannya"])
def test_a_hedge_before_an_explicit_answer_leaves_it_the_answer(hedge):
    question = "pengurus pake dana kotak amal buat honor. itu boleh gk sih?"
    found = answer(question, f"{hedge} gk masalah. Asal transparan.")
    assert found.sign == 1


@pytest.mark.parametrize(
    ("question", "sign"),
    [
        # What the asker fears: reassurance and good chances say it will not happen.
        ("limbah tambak sy di bawah baku mutu. sy masih bisa kalah kalo digugat gk?", -1),
        ("sy bisa dipidana gk krn telat lapor?", -1),
        # What the asker hopes for: they say it will.
        ("korban tabrak lari msh dapet santunan jasa raharja gk?", 1),
    ],
)
def test_reassurance_and_chances_answer_what_the_asker_fears_or_hopes(question, sign):
    assert answer(question, "Tenang aja, posisi kamu cukup aman kok. Ini alasannya.").sign == sign
    assert answer(question, "Gk usah khawatir. Ini alasannya.").sign == sign
    assert answer(question, "Sayangnya posisi kamu agak lemah. Ini alasannya.").sign == -sign


@pytest.mark.parametrize(
    ("question", "sign"),
    [
        # A claim the asker reports and dislikes ("gk dapet warisan"): reassurance says no.
        ("om sy bilang sy gk dapet warisan kakek krn bapak udh gk ada. bener gk?", -1),
        # A question that negates what the asker hopes for ("gk bisa nuntut ya?").
        ("sy udh tanda tangan formulir. jd sy gk bisa nuntut apa2 ya?", -1),
        # A feared dismissal: good chances say it will not come.
        ("sy honorer udh 6 thn. sy bakal diberhentiin gk?", -1),
    ],
)
def test_what_the_asker_hopes_for_under_a_negated_question(question, sign):
    assert answer(question, "Tenang, masih ada peluang kok. Ini alasannya.").sign == sign


@pytest.mark.parametrize(
    ("question", "own"),
    [
        ("subwoofer jebol pas dangdutan. vendor minta ganti 6jt. sy harus bayar??", True),
        ("emg hrs dilunasin dulu?", True),
        ("koper sy ilang di kereta. KAI wajib ganti gk?", False),
        # A claim someone made is asked as right or wrong; one that lays a duty on the asker
        # is hoped wrong, as the asker's own duty is feared.
        ("petugas bilang sy hrs punya izin pemakaian air. bener gk sih?", True),
        ("temen bilang izin pemakaian air itu gratis. bener gk sih?", False),
        # A right someone else holds over the asker.
        (
            "sekolah bilang surat pindah baru dikasih kalau lunas. emang mereka berhak gitu ya?",
            True,
        ),
        ("tanah kakek disertifikatin org lain. skrg masih bisa gugat?", False),
    ],
)
def test_what_is_asked_against_the_asker(question, own):
    asking = asked(question)
    assert asking is not None
    assert asking.against is own


def test_what_to_do_asks_no_yes_or_no():
    assert asked("sy nyerempet org, dia cm lecet. sy hrs ngapain aja biar aman?") is None


@pytest.mark.parametrize(
    ("question", "text", "sign"),
    [
        pytest.param(
            "majikan potong gaji sy buat bayar tilang mobilnya. adil gk sih?",
            "Menurut saya kurang adil. Ini alasannya.",
            -1,
            id="not quite is not",
        ),
        pytest.param(
            "motor sy dicuri 2021, skrg ada tagihan pajak nunggak. sy msh wajib bayar gk?",
            "Pada dasarnya Anda dapat terbebas dari tunggakan tersebut, karena kewajiban PKB "
            "melekat pada penguasaan kendaraan. Laporkan ke Samsat.",
            -1,
            id="the reason a conclusion rests on is not the conclusion",
        ),
        pytest.param(
            "sepeda listrik wajib pelat nomor gk sih?",
            "Begini. Aturannya berlaku bagi kendaraan bermotor. Oleh karena itu, penggunaan "
            "sepeda listrik di jalan tanpa pelat nomor tetap berisiko ditindak.",
            1,
            id="a sanction for going without makes it required",
        ),
        pytest.param(
            "om sy bilang sy gk berhak waris krn cuma anak angkat. bener gk?",
            "Sayangnya omongan om kamu ada benarnya. Ini alasannya.",
            1,
            id="partly right is right",
        ),
        pytest.param(
            "sepupu sy luka parah, msh dapet santunan jasa raharja gk?",
            "Kayaknya tetep dapet kok 🙂 Jasa Raharja itu ngelindungin penumpang angkutan umum.",
            1,
            id="chat spellings of still",
        ),
        pytest.param(
            "kaki sy patah ditekel pemain lawan, kyknya sengaja. bisa sy laporin pidana gk?",
            "Begini. Peluang laporan tersebut berujung pada pemidanaan tergolong kecil.",
            -1,
            id="small chances said as the sentence's subject",
        ),
        pytest.param(
            "kades mau nyalon bupati. dia hrs mundur dr kades gk sih?",
            "Yap, hrs mundur, gk bisa cuma cuti 🙅 Cuti itu buat petahana, bukan buat kades.",
            1,
            id="yap is yes",
        ),
        pytest.param(
            "BPJS sy nunggak 4 bln. emg hrs dilunasin dulu?",
            "Yah, mau gk mau dilunasin dulu 😅 Selama kamu di segmen mandiri, iuran tanggunganmu.",
            1,
            id="like it or not is a duty",
        ),
        pytest.param(
            "subwoofer jebol pas dangdutan. vendor minta ganti 6jt. sy harus bayar??",
            "Waduh, posisi kamu agak lemah nih. Ini alasannya.",
            1,
            id="the asker hopes not to owe",
        ),
        pytest.param(
            "sekolah bilang surat pindah baru dikasih kalau lunas. emang mereka berhak gitu ya?",
            "Hmm, jujur posisi kamu agak lemah di sini 😅 Ini alasannya.",
            1,
            id="weak chances against a right someone holds over the asker",
        ),
        pytest.param(
            "sy nyewain kostum badut ke anak2 buat ngamen. sy bisa kena masalah gk?",
            "Kayaknya sih aman ya, selama kamu cuma nyewain kostum 🙂 Ini alasannya.",
            -1,
            id="safe from what is feared is a no",
        ),
        pytest.param(
            "sisa donasi 15 jt sy pake buat beli hp, anggep aja upah sy. bisa dipidana gk sih sy?",
            "Kayaknya sih gk papa, selama tujuan utamanya udh kepenuhin 😊 Biaya RS udh lunas.",
            -1,
            id="all is well with what is feared is a no",
        ),
        pytest.param(
            "sy mau bikin les buat murid sy sendiri di kelas, bayar 75rb. aman kan?",
            "Hmm, sebenernya gk masalah kok selama semuanya sukarela 😊 Ini tipsnya.",
            1,
            id="an interjection, then 'in fact', then no problem",
        ),
        pytest.param(
            "udh tanda tangan surat gk akan nuntut. kalo nanti rugi, masih bisa gugat gk?",
            "Jujur, kalo udh tanda tangan surat kyk gitu, udh susah bgt buat gugat lagi 😕",
            -1,
            id="hard to do is a no",
        ),
        pytest.param(
            "anak sy dipukul di pondok. sy masih bisa lapor polisi gk?",
            "Sayangnya posisi kamu agak susah ya 😔 Kamu udh tanda tangan surat pernyataan.",
            -1,
            id="a hard position is a weak one",
        ),
        pytest.param(
            "dulu sy pasang banner judi slot, skrg udh sy hapus. masih bisa diproses hukum gk sih?",
            "Tenang aja, udh kamu hapus & udh berhenti, jadi kamu gk bakal kena apa2 kok 😊",
            -1,
            id="a legal process against the asker is feared",
        ),
        pytest.param(
            "maling sapi digebukin warga sampe pingsan. warga yg ikut mukulin bisa dipidana gk?",
            "Hmm, kayaknya warga sih gk bakal kena ya. Soalnya warga lagi nangkep maling.",
            -1,
            id="spared what is feared is a no",
        ),
        pytest.param(
            "kampus nolak nerbitin ijazah sy krn syarat TOEFL baru. kampus boleh gk kyk gitu?",
            "Menurut kami, kampus tidak dapat menolak penerbitan ijazah Anda berdasarkan syarat"
            " yang baru ditetapkan setelah Anda terdaftar.",
            -1,
            id="someone else who cannot refuse may not",
        ),
        pytest.param(
            "host live bilang 'no retur no komplain'. sah gk sih aturan no retur gitu?",
            'Sah aja sih sebenernya 😅 Karena aturan "no retur" itu udh diumumin jelas di live'
            " sebelum kamu checkout, jadi dianggap kamu udh setuju sama syarat itu.",
            1,
            id="a hedge after the answer word",
        ),
        pytest.param(
            "kadar emasnya cuma 70%, bukan 75%. toko awal bisa dipidana gk sih?",
            "Sayangnya kayaknya susah buat dipidana kak 😕 Ini masuk ranah perdata.",
            -1,
            id="hard to bring about what is feared is a no",
        ),
        pytest.param(
            "udh punya PIRT. boleh kan sy jual online pake izin PIRT itu aja?",
            "Biasanya sih aman2 aja kalo skala rumahan gitu, apalagi kamu udh punya PIRT 👍",
            1,
            id="a hedge with sih, then safe written with 2",
        ),
        pytest.param(
            "kalo sy jual baju bekas dr lemari sendiri, itu legal kan?",
            "Legal kok 👍 Yang dilarang itu pakaian bekas impor.",
            1,
            id="legal is yes",
        ),
        pytest.param(
            "ojol sy dinonaktifkan krn rating. bisa nuntut pesangon gk ke aplikatornya?",
            "Begini. Dengan demikian, tuntutan pesangon tidak memiliki dasar hukum, tetapi "
            "keberatan atas penonaktifan tetap dapat diperjuangkan.",
            -1,
            id="no grounds before another modal verb",
        ),
        pytest.param(
            "suami pergi 3 thn gk ada kabar. sy mau cerai tp gk tau dia dmn. bisa gk?",
            "Bisa banget kok, kamu gak terjebak selamanya 🙏 Namanya cerai gaib.",
            1,
            id="bisa banget is yes",
        ),
        pytest.param(
            "gaji sy dipotong 2,5jt dr gaji 3jt buat nyicil utang ke bos. boleh gitu?",
            "Pemotongan sebesar Rp2,5 juta dari upah Rp3 juta melampaui batas yang diperbolehkan.",
            -1,
            id="beyond what is allowed is not allowed",
        ),
        pytest.param(
            "pengacara sy udh dibayar tp 3x sidang gk dtg. bisa minta duit balik?",
            "Itu jelas gk profesional 😤 Yg bisa kamu lakuin:\n1. Somasi.\n2. Lapor Peradi.",
            0,
            id="a remark then what you can do leads into a list",
        ),
        pytest.param(
            "tanah sy dr dulu dilewatin warga jd jalan setapak. skrg pak kades mau jadiin jalan "
            "desa, katanya krn udh lama dipake warga jd udh milik umum. bener gk?",
            "Tenang, tanah kamu tetep punya kamu 😊 Dipake warga bertahun-tahun gak bikin hak "
            "milik kamu pindah ke desa.",
            -1,
            id="reassured against a reported claim",
        ),
        pytest.param(
            "nilai sy ditahan dosen krn masalah pribadi. bisa gk sy langsung gugat ke PTUN aja?",
            "Keinginan Anda untuk segera menyelesaikan masalah ini dapat dipahami, tetapi "
            "mengajukan gugatan langsung ke PTUN saat ini belum dapat dilakukan.",
            -1,
            id="what is granted before the but is not the answer",
        ),
        pytest.param(
            "rekening sy dipinjem temen trnyata dipake buat judol. sy bisa kena pidana gk?",
            "Tenang dulu, tp jangan dianggap enteng ya. Ini penjelasannya.",
            0,
            id="a softener before a but is no reassurance",
        ),
        pytest.param(
            "koper sy ilang di kereta. KAI wajib ganti gk?",
            "Pada prinsipnya, kehilangan koper tersebut tidak dapat dibebankan kepada KAI.",
            -1,
            id="charged to is a duty",
        ),
    ],
)
def test_how_chat_and_formal_answers_say_yes_or_no(question, text, sign):
    assert answer(question, text).sign == sign


def test_the_modal_verb_said_as_the_answer_to_a_negated_modal_question():
    # "gk bisa adopsi ya?" - "Bisa kok": the answer says the modal verb itself, as the
    # validator's "tetap dapat mengangkat anak" does; both deny what the question puts.
    question = "sy cewe 34 th, belum nikah. tp katanya single gk bisa adopsi ya? bener gk sih?"
    fast = answer(question, "Bisa kok, single tetap boleh adopsi 😊 tp jalurnya lebih ketat.")
    validator = answer(question, "Orang yang belum menikah tetap dapat mengangkat anak.")
    assert fast.sign == validator.sign == -1


def test_sah_before_a_negation_is_a_tag_not_a_negated_question():
    asking = asked("desa mau hibahin tanah kas desa buat gereja. sah gk hibahnya?")
    assert asking is not None
    assert asking.polarity == 1


def test_even_if_only_is_no_limit():
    found = answer(
        "kepikiran balik jualan di trotoar lama tp cuma sore. boleh gk ya kalo cuma sore?",
        "Berjualan kembali di trotoar lama tidak diperbolehkan, meskipun hanya pada sore hari.",
    )
    assert (found.sign, found.qualified) == (-1, False)


def test_ato_offers_a_choice():
    assert (
        asked("pohon jati sy kena tol. apa dihitung jg ganti ruginya ato cuma tanahnya aja?")
        is None
    )


def test_a_first_alternative_tagged_with_its_no_is_asked_yes_or_no():
    # "X gk atau Y?": X is asked yes or no; Y is what the "no" would mean.
    question = "sy bisa nuntut sendiri ke kateringnya gk atau harus lewat kantor?"
    asking = asked(question)
    assert asking is not None
    assert asking.modal
    assert "nuntut" in asking.predicate
    assert answer(question, "Anda dapat menuntut sendiri secara langsung.").sign == 1
    # Without the tag it stays a choice between two answers.
    assert asked("sy bisa nuntut sendiri ke kateringnya atau harus lewat kantor?") is None


def test_either_alternative_tagged_with_a_no_at_the_end_is_asked_yes_or_no():
    # Held-out 104: "X atau Y gk sih?" asks whether either can be done.
    question = "kaki sy retak, sy bisa nuntut drivernya atau aplikasinya gk sih??"
    assert answer(question, "Anda berhak menuntut ganti kerugian kepada pengemudi.").sign == 1
    assert asked("cerai di PA atau PN ya?") is None
    # The second alternative is what the first's "no" would mean, or the modal is tagged.
    for question in (
        "lawan banding. bisa sy langsung minta eksekusi skrg atau hrs nunggu?",
        "apa msh wajib lapor ke KBRI/dukcapil atau akta jepang aja cukup?",
        "klo anjing itu masuk lagi, boleh gk sy racun atau pukul sampe mati?",
    ):
        assert asked(question) is not None, question


@pytest.mark.parametrize(
    ("question", "text", "sign"),
    [
        # The one the verb applies to is someone the question does not ask about: a no.
        (
            "konter servisnya bisa dituntut jg gk atau cuma teknisinya aja?",
            "Yang bisa dituntut itu teknisinya aja ya.",
            -1,
        ),
        (
            "sy terima amplop dr timses. apa sy yg nerima jg bisa dipidana??",
            "Di pilkades, yang biasanya dijerat itu pemberi/timses yang bagi2 uang.",
            -1,
        ),
        (
            "korbannya minta ganti rugi ke sy. emg sy yg wajib bayar? kan yg nabrak sopir",
            "Secara hukum, yang bertanggung jawab utama itu pengemudinya.",
            -1,
        ),
        # The party asked about, or the asker: a yes.
        (
            "konter servisnya bisa dituntut jg gk?",
            "Yang bisa dituntut itu konternya juga.",
            1,
        ),
        ("sy bisa dipidana gk?", "Sayangnya yang bisa dipidana itu kamu juga.", 1),
        (
            "sy sbg ortu wajib ganti rugi ke korban gk sih? kan yg nabrak anak sy",
            "Tenang aja, secara hukum yang bertanggung jawab itu pelakunya langsung.",
            -1,
        ),
        # Not a cleft on a party: "yang ... adalah penjara" describes the article.
        (
            "ini bisa dipidana ya?",
            "Perbuatan itu dapat dipidana menurut Pasal 263 KUHP, yang ancamannya adalah penjara.",
            1,
        ),
    ],
)
def test_a_cleft_naming_someone_else_says_no(question, text, sign):
    assert answer(question, text).sign == sign


def test_if_so_is_no_predicate():
    assert asked("ibu mau nikah siri aja. aman kan kalo gitu?").predicate == frozenset({"aman"})


def test_the_other_partys_right_named_after_the_modal():
    question = "satpam gk mau bukain portal buat sy krn gk bayar iuran. boleh gk mereka gitu?"
    asking = asked(question)
    assert asking is not None
    assert asking.against
    # The asker's weak position says the other party may; "gk masalah" said of what they do
    # is not the asker being safe.
    assert answer(question, "Hmm, posisi kamu agak lemah sih kalau gk ikut bayar.").sign == 1
    assert answer(question, "Gk masalah kok, itu hak pengurus.").sign == 1


def test_the_askers_own_right_answers_the_other_partys_the_other_way():
    question = "pemilik baru suruh sy keluar minggu depan. boleh gk dia gitu?"
    assert (
        answer(question, "Dengan demikian, Anda berhak menempati kamar sampai akhir bulan.").sign
        == -1
    )
    # "Tetangga Anda" is not the asker.
    assert answer(question, "Ya, pemilik baru Anda berhak meminta Anda keluar.").sign == 1


def test_a_chat_verb_in_in_meets_the_answers_passive():
    question = "keluarga cowok minta uang panai dibalikin full. kami wajib balikin gk?"
    assert answer(question, "Biasanya uang panai gk dibalikin kalau cowok yg batalin.").sign == -1


def test_a_negation_after_dan_is_another_predicates():
    question = "emg boleh ya mereka membekukan saldo sy gitu aja??"
    text = "Namun, pembekuan bersifat sementara dan tidak menghapus hak Anda atas saldo tersebut."
    assert answer(question, text).sign != -1


def test_hard_to_count_as_what_is_asked_is_a_no():
    question = "outbound nya gk wajib, hari minggu lagi. masih masuk kecelakaan kerja gk?"
    text = "Hmm kalau sifatnya gk wajib, kayaknya agak susah sih dianggap kecelakaan kerja 😕"
    assert answer(question, text).sign == -1
    # Hard to count as something else than what is asked says nothing of it.
    other = "Cuplikan itu sulit dikategorikan sebagai penggunaan untuk kritik."
    assert answer("podcast sy pake cuplikan film. sy bisa dipenjara gk?", other).sign == 0


@pytest.mark.parametrize(
    ("question", "sign"),
    [
        # The other side's claim: a weak position says it is right.
        (
            "owner laundry bilang sy udh tanda tangan, jd sy cuma berhak 10x ongkos. bener gk sih?",
            1,
        ),
        ("tp kata HRD, dokternya dokter perusahaan, jd wajar hasilnya dilaporin. bener gk?", 1),
        # A friend's claim in the asker's favour: a weak position says it is wrong.
        ("temen bilang krn kontraknya gk pake bhs indonesia, sy jd karyawan tetap. bener gk?", -1),
    ],
)
def test_whose_claim_decides_what_a_weak_position_says(question, sign):
    assert answer(question, "Hmm, jujur posisi kamu agak lemah sih 😕").sign == sign


def test_a_claim_is_a_statement_whatever_wh_word_it_holds():
    question = (
        "pemilik bilang dia berhak mutusin kontrak kapan aja krn rumahnya punya dia. bener gitu?"
    )
    assert answer(question, "Tidak benar.").sign == -1


def test_the_party_asked_to_act_is_no_predicate():
    question = "bisa gk sy minta bank balikin semua saldo yg kepotong admin?"
    asking = asked(question)
    assert asking is not None
    assert "bank" not in asking.predicate
    text = "Tenang aja, bisa kok. Rekening pasif gk dipake, jadi bank gk punya alasan narik biaya."
    assert answer(question, text).sign == 1


def test_lah_after_the_answer_word():
    assert answer("bisa gitu sy digugat pribadi?", "Gk bisa lah kalau kamu pribadi.").sign == -1


def test_as_for_that_case_and_a_doubled_answer_word():
    question = "ada pelanggan umur 17an, udh kerja. kalo yg kayak gini boleh kan dilayani?"
    text = "Kalau yang kayak gitu sih boleh-boleh aja kayaknya 😅"
    assert answer(question, text).sign == 1


def test_a_bare_katanya_reports_whoever_the_sentences_before_report():
    question = (
        "HRD bilang kecelakaan sy krn sy sendiri gk hati2. jd katanya BPJS TK gk bakal nanggung "
        "& perusahaan jg gk. bener gk sih?"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.against
    assert answer(question, "Hmm, posisi kamu agak lemah sih 😕").sign == 1


def test_what_you_can_do_leads_into_a_list():
    question = "bengkel pasang part bekas tp nota tulis baru. bengkelnya bisa dilaporin gk?"
    text = "Yang bisa kamu lakuin:\n1. Minta nota.\n2. Lapor polisi, bisa dilaporin penipuan."
    assert answer(question, text).sign != -1


def test_a_quoted_notice_is_not_the_question():
    asking = asked(
        "bisa gk toko yg masang tulisan 'barang yg sudah dibeli tidak dapat dikembalikan' "
        "dipidana? sy kesel bgt krn barang sy rusak gk mau diganti"
    )
    assert asking is not None
    assert asking.polarity == 1
    assert "kembal" not in asking.predicate


def test_hard_to_refuse_says_the_duty_holds():
    question = "katanya sumbangan Rp1,5jt itu sah krn udh disepakati. jadi sy wajib bayar dong?"
    text = "Namanya kesepakatan bersama, jadi agak susah buat nolak sendirian."
    assert answer(question, text).sign == 1
    # Hard to do what is asked is still a no.
    assert answer("bisa sy gugat gk?", "Udah susah bgt buat gugat lagi.").sign == -1


def test_a_right_question_naming_the_claim_after_an_aside_of_the_askers():
    question = (
        "tp kata sekdes, bapak sy salah sendiri krn lewat barengan sm 3 motor lain, jadi gk ada "
        "ganti rugi. padahal di jembatan itu gk ada papan batas muatan. bener gk sih omongan "
        "sekdes?"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.claim
    fast = answer(question, "Hmm, jujur aja peluangnya kecil sih buat dapet ganti rugi 😕")
    validator = answer(question, "Pernyataan sekdes tersebut tidak tepat.")
    assert sides(fast, validator) == "opposed"


def test_not_as_they_please_is_a_no():
    question = "kepsek baru nyuruh sy keluar bulan depan. boleh gk sih gitu?"
    text = "Gk bisa seenaknya gitu dong 🙅\n\nKontrak sewa yg udah kamu tanda tangani itu mengikat."
    assert answer(question, text).sign == -1


def test_that_an_agreement_binds_does_not_answer_may_they():
    question = "pemilik ruko mau naikin harga sewa padahal kontrak blm habis, boleh gitu?"
    text = "Harga sewa yang disepakati dalam kontrak mengikat kedua belah pihak sampai habis."
    assert answer(question, text).sign != 1
    validity = answer("kontrak kerja bahasa inggris itu sah gk?", "Kontraknya tetap mengikat.")
    assert validity.sign == 1


def test_masa_sy_yg_harus_is_the_askers_own_duty_and_reassurance_denies_it():
    question = "tp kan itu murni salah teller. masa sy yg harus nanggung? sy gk wajib ganti kan?"
    asking = asked(question)
    assert asking is not None
    assert asking.against
    text = "Tenang aja, itu kesalahan internal bank, jadi risikonya ditanggung bank ya 😊"
    assert answer(question, text).sign == -1


def test_a_bare_bisa_gk_after_an_aside_asks_what_the_asker_wanted_before_it():
    question = (
        "sy pengen gugat kliniknya minta ganti rugi. tp kerugian sy gk ada yg bentuknya uang sih, "
        "cuma malu bgt. bisa gk?"
    )
    asking = asked(question)
    assert asking is not None
    assert "gugat" in asking.predicate


@pytest.mark.parametrize(
    "text",
    [
        "Jujur, susah sih nuntutnya kalau lewat gugatan perdata 😕",
        "Kayaknya susah nuntut ganti rugi.",
    ],
)
def test_hard_to_do_said_without_buat(text):
    assert answer("sy pengen gugat kliniknya. bisa gk?", text).sign == -1


def test_hard_to_count_as_is_read_only_against_the_question():
    # "sulit dikategorikan sebagai ulasan" says nothing of being jailed.
    text = "Cuplikan itu sulit dikategorikan sebagai penggunaan untuk kritik atau ulasan."
    assert answer("sy bisa dipenjara gk sih?", text).sign == 0


def test_resigned_to_it_says_what_is_feared_comes():
    question = "dinas minta sy balikin dana Rp 24 jt. sy harus bayar?"
    text = "Ya mau gimana lagi, biasanya dana yang udah diterima memang diminta balik 😔"
    assert answer(question, text).sign == 1


def test_gimana_tuh_after_a_reported_claim_asks_whether_it_holds():
    question = "katanya itu keadaan darurat/force majeure, jd mereka gk wajib ganti rugi. gmn tuh?"
    asking = asked(question)
    assert asking is not None
    assert asking.claim
    # "force majeure" names a defence, no duty: the claim denies one.
    assert asking.signs["wajib"] == -1
    fast = answer(question, "Dalam kondisi kayak gitu, kayaknya susah nuntut ganti rugi.")
    validator = answer(
        question, "Alasan darurat tidak otomatis membebaskan dari kewajiban ganti rugi."
    )
    assert sides(fast, validator) == "opposed"
    # Without a claim before it, "gmn tuh?" asks how, not whether.
    assert asked("sy telat bayar 3 bulan. gmn tuh?") is None


def test_illegal_is_feared_and_not_safe_says_it_is():
    question = "sy mau jual lg tiketnya Rp 750rb di IG. ilegal gk sih?"
    assert answer(question, "Tenang, itu bukan pidana kok 😄").sign == -1
    text = "Menjual kembali tiket tidak sepenuhnya aman secara hukum, dan dapat dikenai sanksi."
    assert answer(question, text).sign == 1


def test_the_other_sides_strong_position_is_the_askers_weak_one():
    question = "kata pemilik toko, mereka berhak jual TV nya buat nutup ongkos. bener gk?"
    fast = answer(
        question, "Sayangnya kalau di nota udah jelas tertulis gitu, posisi toko cukup kuat."
    )
    validator = answer(question, "Tidak benar.")
    assert sides(fast, validator) == "opposed"
    assert answer(question, "Posisi kamu cukup kuat kok.").sign == validator.sign


def test_sy_beneran_harus_bayar_is_the_askers_own_duty():
    asking = asked("pemilik sapi ngotot minta ganti 18 jt. sy beneran harus bayar?")
    assert asking is not None
    assert asking.against


def test_the_last_clause_asks_yes_or_no_after_a_how():
    asking = asked("service center nolak garansi. jd posisi sy gmn, masih bisa nuntut garansi gk?")
    assert asking is not None
    assert "nuntut" in asking.predicate


def test_klo_gitu_is_in_that_case_and_kalau_formatnya_begitu_leads_in():
    question = "katanya sukarela, tp praktiknya semua anak disuruh ikut. klo gitu legal dong?"
    asking = asked(question)
    assert asking is not None
    assert asking.signs == {"boleh": 1}
    assert answer(question, "Kalau formatnya begitu, sebenernya sah-sah aja sih.").sign == 1


def test_hard_answers_nothing_more_can_be_done_with_a_yes():
    question = "seller nolak retur. sy jg udh terlanjur klik pesanan diterima. udh gk bisa apa2 ya?"
    fast = answer(question, "Wah, agak susah sih kalau udah klik pesanan diterima 😕")
    assert sides(fast, answer(question, "Masih bisa.")) == "opposed"
    validator = answer(question, "Masih bisa diupayakan, dan posisi Anda tidak selemah itu.")
    resigned = answer(question, "Ya mau gimana lagi, kamu udah tanda tangan pernyataan itu 😕")
    assert sides(resigned, validator) == "opposed"


def test_hard_said_after_a_trailing_jujur():
    assert answer("sy bisa nuntut ganti rugi gk?", "Hmm, agak susah sih jujur.").sign == -1


def test_advised_to_do_what_a_duty_question_asks():
    question = "keluarga korban minta uang damai 60 jt. apa sy wajib bayar 60 jt itu?"
    assert answer(question, "Kayaknya mending dibayar aja deh, atau minimal ditawar.").sign == 1
    assert answer(question, "Mending jangan dibayar dulu.").sign != 1


def test_hard_to_resist_says_it_holds():
    question = "pengurus bilang itu aturan ART. sy wajib ikut aturan itu?"
    assert answer(question, "Ya susah sih ngelawannya kalau udah di ART.").sign == 1


def test_a_claim_reported_before_a_plain_fact_of_the_askers_is_what_bener_asks():
    question = (
        "dosen sy bilang data itu milik proyek dia, jd sy gk punya hak apa2 atas data itu. "
        "kontrak sy cuma 1 lembar isinya tugas & honor doang. bener gk?"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.claim
    assert asking.against
    fast = answer(question, "Hmm posisi kamu lemah sih.")
    assert (
        sides(fast, answer(question, "Pernyataan dosen Anda tidak sepenuhnya tepat.")) == "opposed"
    )
    # A sentence that carries the claim on is the claim itself.
    question = "ketua bilang ini udh kesepakatan rapat. jadi yg gk setuju ya harus ikut. bener gk?"
    asking = asked(question)
    assert asking is not None
    assert asking.signs.get("wajib") == 1


def test_a_risky_position_is_a_weak_one():
    question = "sy kasih ktp ke sepupu buat daftar kartu. bisa gk sy ikut dipidana?"
    assert answer(question, "Hmm, posisi kamu agak riskan sih.").sign == 1


def test_freed_of_a_duty_denies_it():
    question = "katanya itu force majeure jd mereka gk wajib ganti. bener gk sih?"
    fast = answer(
        question, "Keadaan memaksa emang bisa jadi alasan buat lepas dari kewajiban ganti rugi."
    )
    validator = answer(question, "Klaim force majeure tersebut tidak otomatis benar.")
    assert sides(fast, validator) == "opposed"


def test_two_answers_each_under_a_condition_can_still_be_opposed():
    question = (
        "pengurus yayasan sepakat uang kotak amal dipake buat honor pengurus. itu boleh gk sih?"
    )
    fast = answer(question, "Kayaknya sih gk masalah selama diputusin bareng di rapat 🤔")
    validator = answer(question, "Itu tidak dapat dibenarkan hanya berdasarkan kesepakatan rapat.")
    assert fast.qualified
    assert validator.qualified
    assert sides(fast, validator) == "opposed"
    # Each a rule for a case it names first: both may hold.
    question = "sy kerja harian lepas 2 thn, tiba2 diberhentikan. sy berhak pesangon gk?"
    fast = answer(question, "Kalau di-PHK, kamu berhak pesangon.")
    validator = answer(question, "Apabila kontraknya harian, Anda tidak berhak atas pesangon.")
    assert sides(fast, validator) is None


def test_hard_to_sue_says_a_claim_against_the_asker_holds():
    question = (
        "HRD bilang sy masuk pelanggaran berat & dipecat tanpa pesangon. katanya itu hak "
        "perusahaan. bener gk sih?"
    )
    fast = answer(question, "Jujur agak susah sih nuntutnya.")
    validator = answer(
        question, "Klaim bahwa Anda dapat diberhentikan tanpa hak apa pun tidak benar."
    )
    assert sides(fast, validator) == "opposed"


def test_a_claim_that_denies_the_asker_something_is_hoped_wrong():
    question = "kakak2 bilang sy udh gk berhak lagi krn udh nikah & ikut suami. bener gk sih?"
    fast = answer(question, "Hmm, sayangnya posisi kamu agak lemah buat nuntut rumah & sawahnya.")
    assert sides(fast, answer(question, "Tidak benar.")) == "opposed"


def test_the_claims_maker_said_to_be_right_whatever_the_opening():
    question = "temen sy bilang digigit anjing itu bukan pidana, cuma urusan perdata. bener gitu?"
    assert answer(question, "Tenang, temen kamu bener kok.").sign == 1
    assert answer(question, "Tenang, temen kamu kurang tepat.").sign == -1


def test_the_questions_own_word_said_back_is_a_yes():
    question = "trainer gym jual steroid gitu ke member itu ilegal gk sih?"
    fast = answer(question, "Ilegal. Steroid itu obat keras.")
    assert fast.sign == 1
    assert sides(fast, answer(question, "Ya, perbuatan trainer tersebut ilegal.")) == "same"


def test_a_reporter_said_last_leaves_the_claim_before_it():
    question = "petugas kolam bilang itu salah kami. jd kami gk bisa nuntut apa2 katanya. bener gk?"
    asking = asked(question)
    assert asking is not None
    assert asking.claim
    assert "nuntut" in asking.predicate
    assert asking.polarity == -1


def test_not_true_that_opens_with_a_no():
    question = "temen sy bilang jd dia gk bisa dipidana, apalagi udh resign. bener ya?"
    assert answer(question, "Tidak benar bahwa ia tidak dapat dipidana.").sign == -1


def test_is_its_maker_right_asks_the_claim_and_has_a_point_says_it_holds():
    question = (
        "kata HRD prinsipnya no work no pay, jd wajar kalo waktu salat dipotong. HRD bener gk sih?"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.claim
    fast = answer(question, "Ya mau gimana lagi, HRD ada benarnya.")
    assert sides(fast, answer(question, "HRD tidak benar.")) == "opposed"


@pytest.mark.parametrize(
    "question",
    [
        # "emang bener ya gitu?"
        "kepsek bilang kantin itu aset sekolah, jd sekolah bebas ambil kapan aja walaupun kontrak "
        "blm habis. emang bener ya gitu?",
        # "gitu ya?"
        "katering bilang udh lewat, jd kami gk bisa nuntut apa2. gitu ya?",
        # "emg gitu?"
        "suami sy bilang anjingnya punya dia, jd sy gk punya hak apa2 katanya. emg gitu?",
        # "emg gitu ya aturannya?": is that the rule?
        "tetangga blg dia ternak bebek dari 2010. katanya sy gk bisa nuntut. "
        "emg gitu ya aturannya?",
    ],
)
def test_is_it_so_after_a_reported_claim_asks_whether_it_holds(question):
    asking = asked(question)
    assert asking is not None
    assert asking.claim


@pytest.mark.parametrize("claimant", ["kades", "tetangga sy"])
def test_a_demand_without_basis_says_the_claim_is_wrong_whoever_hoped_for_it(claimant):
    question = f"{claimant} bilang sy hrs bayar iuran air 200rb tiap bulan. bener gk sih?"
    baseless = answer(question, "Permintaan tersebut tidak memiliki dasar hukum.")
    assert baseless.sign == -1
    assert sides(baseless, answer(question, "Tidak benar.")) == "same"


def test_a_limit_asked_of_what_the_asker_can_get_is_feared():
    question = "di S&K ada batas ganti rugi 500rb. jadi sy cuma bisa dapet 500rb ya?"
    asking = asked(question)
    assert asking is not None
    assert asking.limited
    resigned = answer(question, "Ya mau gimana lagi, kamu udah centang setuju S&K-nya.")
    assert sides(resigned, answer(question, "Tidak. Batas itu batal demi hukum.")) == "opposed"
    # A case named with "cuma" is no limit the asker fears.
    case = asked("boleh gk ya kalo cuma jualan sore?")
    assert case is not None
    assert not case.limited


@pytest.mark.parametrize(
    "text",
    [
        "Hmm, kalau udah tinggal sampai selesai, agak susah sih buat nuntut refund.",
        "Kalau dia udah minta maaf, ya agak susah sih Bu buat dilanjutin.",
    ],
)
def test_hard_to_past_a_particle_or_a_form_of_address(text):
    question = "pemiliknya bilang udh ada tulisan kecil. jadi sy gk bisa nuntut lagi?"
    assert answer(question, text).sign == 1
    assert sides(answer(question, text), answer(question, "Anda tetap dapat menuntut.")) == (
        "opposed"
    )


def test_a_condition_run_into_the_question_ends_at_its_modal_verb():
    asking = asked("sy masih pengen lapor. kalau dia udh minta maaf gitu masih bisa diproses gk?")
    assert asking is not None
    assert "dipros" in asking.predicate
    # "kalau udh gitu boleh kan?": nothing but a tag after the modal verb, read as before.
    plain_if = asked("tetangga udh setuju semua. kalau udh gitu boleh kan?")
    assert plain_if is not None
    assert "dipros" not in plain_if.predicate


def test_their_right_says_what_the_asker_hoped_for_does_not_come():
    question = "temen bilang bisa dilaporin ke BPSK & toko bisa dipaksa beli. bener gk?"
    fast = answer(question, "Hmm kalau barangnya udah rusak, ya itu hak mereka sih buat nolak.")
    assert fast.sign == -1
    assert sides(fast, answer(question, "Pendapat teman Anda pada dasarnya benar.")) == "opposed"


def test_the_short_tagged_clause_last_is_what_is_asked():
    question = "kan yg jual motornya sepupu, sy gk tau apa2, sy aman kan?"
    asking = asked(question)
    assert asking is not None
    assert asking.predicate == frozenset({"aman"})
    fast = answer(question, "Tenang aja, kamu aman kok. Yang jual kan sepupu, bukan kamu.")
    validator = answer(question, "Anda belum tentu aman, dan ancaman leasing perlu ditanggapi.")
    assert (fast.sign, validator.sign) == (1, -1)


def test_a_claim_quoted_after_its_reporter_is_read_and_what_the_asker_said_is_not():
    question = (
        'kata operatornya "spbu gk tanggung jawab krn bapak gk nyebut jenis bbm". emg sy cuma '
        'bilang "full ya mas" sambil nunjuk mobil. bener gitu ya?'
    )
    asking = asked(question)
    assert asking is not None
    assert asking.claim
    assert asking.against
    assert "spbu" in asking.predicate


def test_hard_to_refuse_when_the_refusing_is_what_is_asked():
    question = (
        "di kontrak ada klausul harga bisa disesuaikan. berarti sy gk bisa nolak kenaikan ya?"
    )
    fast = answer(question, "Hmm kalau udah tanda tangan, ya agak susah sih buat nolak.")
    assert sides(fast, answer(question, "Anda tetap dapat menolak kenaikan tersebut.")) == "opposed"


def test_a_claim_called_fair_holds():
    question = "katanya teller boleh kasih tau saldo krn tante bawa KK lama. bener gk alasan dia?"
    asking = asked(question)
    assert asking is not None
    assert asking.claim
    fair = answer(question, "Hmm, ya wajar sih teller nganggep dia keluarga dekat.")
    assert fair.sign == 1
    assert sides(fair, answer(question, "Alasan teller tersebut tidak dapat dibenarkan.")) == (
        "opposed"
    )
    # Understanding the asker's feeling is no verdict on the claim.
    assert answer(question, "Wajar jika Anda merasa dirugikan.").sign != 1
    # "bener gk sih itu alasan yg sah?" asks whether the reason is valid, not a claim.
    valid = asked("asuransi nolak klaim sy krn yg nyetir sepupu. bener gk sih itu alasan yg sah?")
    assert valid is not None
    assert not valid.claim


def test_a_claim_in_the_askers_favour_is_hoped_right():
    question = (
        "kata temen larangan masuk stadion dr panpel itu gk sah krn bukan putusan pengadilan, "
        "jd sy tetep bisa beli tiket dan masuk kayak biasa. bener gk?"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.favours
    calm = answer(question, "Gak usah terlalu khawatir sih. Harusnya kamu aman kok.")
    assert calm.sign == 1
    assert sides(calm, answer(question, "Pendapat teman Anda tidak tepat.")) == "opposed"


def test_a_claim_that_the_asker_need_not_act_is_in_their_favour():
    # Held-out 99: no duty of the asker's own lifts a burden ("don't worry" agrees with it); a
    # duty owed to them ("gk wajib dibayar") does not.
    question = (
        "cat cafe sy kecil bgt, cuma 5 meja. temen bilang usaha segini gk perlu ngurus izin "
        "apa2. bener gk? takut ribet"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.favours
    fast = answer(
        question,
        "Gk usah terlalu khawatir sih. Usaha sekecil itu biasanya gk wajib ngurus izin macem2.",
    )
    assert fast.sign == 1
    owed = asked(
        "magang 6 bln gk ada uang saku. HR bilang 'magang kan buat belajar, emg gk wajib "
        "dibayar'. bener gk?"
    )
    assert owed is not None
    assert not owed.favours


@pytest.mark.parametrize(
    ("question", "text", "sign"),
    [
        # "kyk gitu" names the owner's act the story told: asked of the other side, "that is
        # the owner's right" says they may.
        (
            "sy sewa kios kontrak 1 thn, udh bayar lunas. skrg pemiliknya bilang sewa naik 25% "
            "mulai bulan dpn. boleh gk kyk gitu?",
            "Yah, itu sebenernya hak pemilik sih, kiosnya kan punya dia.",
            1,
        ),
        # The first alternative, tagged "gk sih", is asked yes or no.
        (
            "sy nikah di gereja 3 th lalu tp gk dicatat ke capil. masih bisa dicatat gk sih "
            "atau hrs nikah ulang?",
            "Waduh, kayaknya udah telat sih kalau baru dicatat sekarang.",
            -1,
        ),
        # "kalau gitu" (in that case) after a hedged answer closes it.
        ("bapak mau jual tanah warisan. bisa gk kami nolak?", "Hmm susah sih kalau gitu.", -1),
        # "secara hukum" after the modal verb is no predicate.
        (
            "Tetangga pasang CCTV arahnya ke pintu depan rumah sy. Boleh gk sih secara hukum?",
            "Pada dasarnya pasang CCTV di rumah sendiri itu boleh, dan gak otomatis melanggar "
            "hukum walaupun kameranya kena rumah tetangga.",
            1,
        ),
        # No ban for those the question names: allowed.
        (
            "anak sy 16 th mau buka toko online. boleh gk anak seumur itu jualan online?",
            "Tidak ada larangan bagi anak berusia 16 tahun untuk berjualan secara daring.",
            1,
        ),
        # Held-out 100: two lead-ins before the hedged answer ("jujur", then "kayaknya").
        (
            "tetangga cuek soal ayam jagonya. bisa gk sih sy gugat dia ke pengadilan??",
            "Hmm jujur **kayaknya susah** deh kalau sampai ke pengadilan.",
            -1,
        ),
        # Advice to pay, past "Saran aku sih,": a yes to "wajib bayar?".
        (
            "DC pinjol bilang sy nunggak padahal gk pernah minjem. sy wajib bayar gk sih??",
            "Saran aku sih, **mending dibayar aja dulu** biar aman.",
            1,
        ),
    ],
)
def test_hedges_and_asides_of_held_out_99_and_100(question, text, sign):
    assert answer(question, text).sign == sign


def test_a_yes_under_conditions_to_doing_it_just_like_that_is_a_no():
    # Held-out 101: asked whether the wage may be cut "gitu aja", "only valid if the rules are
    # met" and "not just like that" say the same.
    question = (
        "gaji kasir sy dipotong 400rb tiap bulan buat nutup selisih kas toko. itu boleh gk sih "
        "dipotong gitu aja?"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.offhand
    fast = answer(question, "Gk bisa seenaknya gitu aja.")
    cut = (
        "Pemotongan seperti itu hanya sah bila memenuhi syarat peraturan pengupahan; jika "
        "tidak, Anda berhak meminta pengembalian."
    )
    validator = answer(question, cut)
    assert (fast.sign, validator.sign) == (-1, -1)
    assert sides(fast, validator) == "same"
    # Asked without "gitu aja", the conditional yes stays a yes.
    unasked = answer(question.replace(" gitu aja?", "?"), cut)
    assert (unasked.sign, unasked.qualified) == (1, True)
    # A yes "in principle" is no yes under conditions.
    well = "ambil air dr sumur tetangga 10 thn. skrg dia mau mutus. boleh gk dia mutus gitu aja?"
    principle = "Pada prinsipnya pemilik sumur berhak menghentikan pemberian air kepada Anda."
    assert answer(well, principle).sign == 1


def test_their_own_business_is_theirs_to_decide():
    # Held-out 101: "that is the board's authority, their internal business" says the member
    # cannot contest the expulsion.
    question = "sy dikeluarin dr koperasi krn kritik pengurus, gk ada rapat. bisa gk sy lawan?"
    text = (
        "Hmm, jujur aja ya, urusan siapa yg jadi anggota itu biasanya **udh jadi kewenangan "
        "pengurus**, itu urusan internal mereka 😕"
    )
    assert answer(question, text).sign == -1


def test_a_common_practice_is_allowed():
    # Held-out 101: "a practice like that is quite common" answers "is it legal?" yes.
    question = "bapak sy meninggal di RS, jenazahnya ditahan sampai kami serahin BPKB. itu legal?"
    text = "Sebenernya praktik kayak gitu cukup umum di RS, krn mereka jg perlu jaminan."
    assert answer(question, text).sign == 1


def test_a_claim_that_the_other_side_may_refuse_and_the_askers_right_after_no():
    question = (
        "klien bilang krn kualitasnya di bawah standar, dia berhak gk bayar sama sekali. "
        "bener gitu?"
    )
    asking = asked(question)
    assert asking is not None
    assert asking.against
    validator = answer(
        question, "Klaim klien tersebut tidak benar, dan Anda tetap dapat menuntut pembayaran."
    )
    assert validator.sign == -1
    assert sides(answer(question, "Hmm, agak susah sih posisinya."), validator) == "opposed"


def test_not_a_duty_said_back_to_a_negated_duty_question():
    question = "sekolah nawarin anak sy mengundurkan diri. sy gk harus tanda tangan surat itu kan?"
    fast = answer(question, "Gak harus. Itu sepenuhnya pilihan kamu.")
    validator = answer(question, "Benar, Anda tidak wajib menandatangani surat pengunduran diri.")
    assert sides(fast, validator) == "same"


@pytest.mark.parametrize("tag", ["Bener gt?", "beneran gitu ya?"])
def test_chat_ways_to_ask_whether_a_claim_holds(tag):
    asking = asked(f"HRD bilang karyawan gk bisa nuntut apa2 krn perusahaan lagi rugi. {tag}")
    assert asking is not None
    assert asking.claim


def test_giving_in_is_feared():
    question = "pemilik toko ngancem pecat kalau sy ribut. ya udh lah ya sy terima aja potongannya?"
    asking = asked(question)
    assert asking is not None
    assert asking.limited
    fast = answer(question, "Hmm, ya posisi kamu agak lemah juga sih di mata bos.")
    validator = answer(question, "Anda tidak wajib menerima potongan tersebut.")
    assert sides(fast, validator) == "opposed"


def test_a_claim_said_to_have_a_basis_holds():
    question = "Pemilik rental bilang sy yg wajib ganti penyok itu. Emang bener gitu aturannya?"
    grounded = answer(
        question, "Sayangnya, secara hukum pernyataan pemilik rental itu memiliki dasar."
    )
    assert grounded.sign == 1
    assert sides(grounded, answer(question, "Tidak bener.")) == "opposed"
    # Said of the asker's own demand, it is their chances, not the claim.
    assert answer(question, "Tuntutan Anda memiliki dasar hukum.").sign != 1


def test_a_chat_condition_after_the_questions_tag_is_no_part_of_what_is_asked():
    question = "nikah kami sah gk sih kalo maharnya belum diserahin?"
    asking = asked(question)
    assert asking is not None
    assert "mahar" not in asking.predicate
    fast = answer(question, "Nikahnya tetap sah kok.")
    validator = answer(
        question,
        "Pernikahan Anda tetap sah. Mahar bukan rukun nikah. Karena itu, belum diserahkannya "
        "mahar tidak membatalkan akad.",
    )
    assert sides(fast, validator) == "same"


@pytest.mark.parametrize(
    ("question", "fast", "validator"),
    [
        pytest.param(
            "kata kepala bengkelnya tilang etle itu urusan pemilik mobil, jadi sy yg hrs bayar, "
            "bengkel gk ada urusan. emg gitu aturannya?",
            "Ya mau gimana lagi, surat tilangnya memang atas nama kamu.",
            "Pernyataan itu tidak tepat.",
            id="a claim that lays a duty on the asker",
        ),
        pytest.param(
            "guru les sy bilang rekamannya diproduksi di studionya, jadi lagu itu sah punya dia. "
            "bener gk?",
            "Susah sih nuntutnya kalau posisinya kayak gitu.",
            "Tidak benar, lagu itu tetap ciptaan Anda.",
            id="a claim that gives the thing to the other party",
        ),
        pytest.param(
            "Manajer bilang mereka cuma wajib tukar susu expired, gk wajib ganti biaya dokter. "
            "Bener gitu?",
            "Itu hak mereka sih buat nentuin kebijakan kompensasinya.",
            "Pernyataan manajer tersebut tidak benar.",
            id="a claim of two duties made by the other side",
        ),
        pytest.param(
            "Majikan bilang dia berhak nahan ijazah ART-nya sampai kalung diganti. ART-nya gk "
            "ngaku & gk ada bukti. Boleh gitu?",
            "Itu hak mereka sih kalau emang ada kerugian di rumahnya.",
            "Tidak boleh.",
            id="may they, of the right the sentences before give them",
        ),
    ],
)
def test_what_is_asked_against_the_asker_turns_a_hedge_into_giving_in(question, fast, validator):
    asking = asked(question)
    assert asking is not None
    assert asking.against
    assert sides(answer(question, fast), answer(question, validator)) == "opposed"


@pytest.mark.parametrize(
    ("question", "fast", "validator"),
    [
        pytest.param(
            "tukangnya ngancam mau lapor polisi. sy bisa kena pidana gk?",
            "Waduh, kalau udah ngancam lapor polisi gitu posisi Ibu agak riskan sih.",
            "Anda tidak dapat dipidana hanya karena menahan pembayaran.",
            id="a risky position of the asker addressed as Ibu",
        ),
        pytest.param(
            "tetangga minta sy nanggung setengah biaya talud. sy wajib ikut bayar gk?",
            "Hmm, saran aku ikut patungan aja sih, biar hubungan tetap baik.",
            "Anda tidak wajib menanggung biaya pembangunan talud tersebut.",
            id="advice given as saran aku answers a duty",
        ),
        pytest.param(
            "HRD minta sy tanda tangan surat ganti rugi 22 jt. hrs sy tandatangani aja gk?",
            "Ya gimana ya. Daripada kehilangan kerjaan, saran aku tanda tangan aja.",
            "Anda tidak wajib menandatangani surat tersebut.",
            id="advice whose verb begins the asked one",
        ),
        pytest.param(
            "pengelola pasar bilang uang sewa hangus krn kebakaran itu force majeure. bener gk?",
            "Hmm kalau di kontrak ada klausul, agak susah sih mau nuntut uangnya balik.",
            "Pernyataan bahwa uang sewa hangus tidak tepat.",
            id="hard to want to sue, of a claim against the asker",
        ),
        pytest.param(
            "di AD/ART simpanan wajib anggota yg keluar sebelum 5 th hangus. bener hangus?",
            "Kalau udah tertulis di AD/ART, ya itu aturan main koperasinya sih.",
            "Tidak. Simpanan wajib tidak dapat dihanguskan.",
            id="their rules say the feared thing comes",
        ),
        pytest.param(
            "kontraktor ngancam lapor polisi krn sy nahan pelunasan. sy bisa dipidana gk?",
            "Hmm, agak riskan juga sih. Dia bisa aja bikin laporan.",
            "Tidak. Ini persoalan perdata.",
            id="risky said as the answer to a feared question",
        ),
        pytest.param(
            "kata ipar sy kalau sy nikah lagi, hak waris sy otomatis hangus. bener gk?",
            "Posisi kamu di mata keluarga suami pasti jadi lemah.",
            "Tidak benar.",
            id="a weak position said a few words after whose",
        ),
        pytest.param(
            "pemilik kos nyuruh sy keluar akhir bulan. dia bisa ngusir sy gitu aja?",
            "Hmm, ya namanya juga kos punya dia sih. Mending cari kos lain.",
            "Tidak. Pemilik kos tidak dapat mengakhiri sewa.",
            id="it is theirs says they may, and an eviction is feared",
        ),
        pytest.param(
            "balai jalan bilang lubangnya udh dilaporin. jadi sy gk bisa ngapa2in?",
            "Ya emang agak susah sih. Ngelawan instansi prosesnya panjang.",
            "Anda masih dapat menuntut ganti rugi.",
            id="hard said as the whole answer",
        ),
        pytest.param(
            "kata manajer, di kontrak ada pasal 'wajib menjaga penampilan'. jd katanya pecat "
            "tanpa pesangon itu sah krn sy yg langgar kontrak. bener gitu?",
            "Hmm kalau kamu udah tanda tangan kontraknya, posisi kamu lemah sih.",
            "Pernyataan manajer tersebut tidak benar.",
            id="a weak position under a claim about being fired the asker fears",
        ),
        pytest.param(
            "kata HRD krn sy izin sakit, gaji dipotong dan sy dikasih SP1. itu bener gk?",
            "Hmm ya emang banyak pabrik yg gitu sih, dan SP itu kan kewenangan perusahaan.",
            "Tindakan HRD tersebut tidak dapat dibenarkan.",
            id="within their authority, and the act the claim defends called unjustified",
        ),
        pytest.param(
            "bunganya 10% per bulan. apa sy wajib terus bayar bunga segitu sampe lunas?",
            "Wah berat ya. Tapi ya gimana, kamu kan udah tanda tangan perjanjiannya.",
            "Anda tidak wajib terus membayar bunga 10% per bulan tersebut.",
            id="what can you do, of a duty the asker fears",
        ),
        pytest.param(
            "ada org bawa SHM thn 2019 buat tanah yg sama & mau gugat sy. sy bakal kalah gk?",
            "Hmm, agak susah sih posisinya.",
            "Posisi Anda kuat, dan pihak tersebut tidak dapat lagi menuntut hak atas tanah Anda.",
            id="a hard position said as the answer to a feared question",
        ),
        pytest.param(
            "Pesangon sy mau dicicil 12 bulan, sy gk pernah setuju. Emang boleh gitu?",
            "Hmm, kalau perusahaannya emang lagi rugi, nyicil pesangon itu sebenernya hal yang "
            "lumrah sih.",
            "Tidak boleh secara sepihak.",
            id="normal, so allowed",
        ),
        pytest.param(
            "ada yg daftar pinjol pake KTP+selfie sy. penagihnya maksa. sy wajib bayar gk?",
            "Jadi kayaknya posisi kamu lemah sih kalau mau nolak, susah buktiin itu bukan kamu.",
            "Anda tidak wajib membayar pinjaman tersebut.",
            id="a weak position said before what is hard",
        ),
        pytest.param(
            "semen kurang. sy mau batalin semua pesanan & minta duit balik full. bisa kan?",
            "Harusnya aman sih, kan yang salah mereka duluan karena kirim nggak sesuai pesanan.",
            "Anda tidak dapat membatalkan seluruh pesanan dan menuntut pengembalian uang penuh.",
            id="should be fine opens an answer as a hedged yes",
        ),
        pytest.param(
            "ikut mogok 3 hari, skrg gaji dipotong 3 hari. boleh gk perusahaan gitu??",
            "Hmm agak susah sih kalau mau protes soal potongannya.",
            "Pemotongan upah tersebut tidak dibenarkan.",
            id="hard to fight says the other side may",
        ),
    ],
)
def test_a_hedged_answer_says_yes_against_the_validators_no(question, fast, validator):
    hedged = answer(question, fast)
    assert hedged.sign == 1
    assert sides(hedged, answer(question, validator)) == "opposed"


def test_the_claim_or_its_makers_act_called_unjustified_is_the_claim_wrong():
    question = "kata petugas, laporan sy gk bisa diproses krn sy gk rugi duit. bener gk?"
    assert answer(question, "Pernyataan tersebut tidak sepenuhnya dapat dibenarkan.").sign == -1
    # Said of the asker's own act, or of an act the claim may attack, it judges no claim.
    assert answer(question, "Tindakan Anda tersebut tidak dapat dibenarkan.").sign != -1
    assert answer(question, "Penolakan tersebut dapat dibenarkan.").sign != 1


def test_small_chances_after_an_opening_adverb_say_no():
    question = "sy jualan di alun2 udh 6 thn. sy berhak dapet ganti rugi gk?"
    fast = "Jujur, secara hukum kamu kemungkinan besar gk berhak ganti rugi."
    validator = "Secara hukum, peluang Anda memperoleh ganti rugi sangat kecil."
    assert answer(question, validator).sign == -1
    assert sides(answer(question, fast), answer(question, validator)) == "same"


@pytest.mark.parametrize(
    ("question", "fast", "validator"),
    [
        pytest.param(
            "klaim asuransi sy ditolak krn dianggap penyakit bawaan. bisa dilawan gk?",
            "Waduh, agak susah sih kalo udah soal pre-existing, apalagi jantung sama hipertensi.",
            "Penolakan tersebut dapat dilawan, dan posisi Anda cukup kuat.",
            id="hard, in the case the asker is in",
        ),
        pytest.param(
            "kata pendaftaran kamar penuh, disuruh pulang. Ini RS-nya salah gk sih?",
            "Ya kalau emang kamarnya penuh mau gimana lagi sih, RS juga gk bisa maksain.",
            "RS tersebut keliru, dan Anda dapat melaporkannya.",
            id="nothing to be done after the case, its ya no yes",
        ),
        pytest.param(
            "kios sy mau dibongkar buat relokasi, izin sy masih 15 thn lagi. bisa nolak gk?",
            "Hmm, ya itu hak pemda sih, Pak/Bu. Pasarnya kan aset pemda.",
            "Anda memiliki dasar untuk menolak dan menggugat relokasi tersebut.",
            id="the government within its rights, against grounds to refuse",
        ),
        pytest.param(
            "di kontrak DP tidak dapat dikembalikan. sy batal H-7. bisa minta balik gk?",
            "Ya itu udah kesepakatan di kontrak sih, dan kamu udah tanda tangan.",
            "Anda dapat menuntut pengembalian DP, setidaknya sebagian.",
            id="the deal stands says no to what the asker hopes for",
        ),
    ],
)
def test_a_hedged_answer_says_no_against_the_validators_yes(question, fast, validator):
    hedged = answer(question, fast)
    assert hedged.sign == -1
    assert sides(hedged, answer(question, validator)) == "opposed"


def test_grounds_are_the_askers_only_when_the_asker_is_the_subject():
    question = "hrd bilang sy hrs bayar sisa gaji kontrak. emg sy wajib bayar ganti rugi?"
    assert answer(question, "HRD Anda memiliki dasar hukum untuk menagih ganti rugi.").sign != -1


def test_jujur_ya_is_a_lead_in_not_a_yes():
    question = "bisa gk sih sy gugat aplikator krn akun diputus sepihak?"
    assert answer(question, "Hmm jujur ya, itu hak mereka sih.").sign == -1
    assert answer(question, "Jujur ya, bisa kok.").sign == 1


def test_a_right_named_as_the_other_sides_is_asked_against_the_asker():
    question = "suami gk ngizinin sy kerja lg. itu hak dia gk sih buat ngelarang?"
    assert asked(question).against
    fast = answer(question, "Hmm ya itu hak dia sih sebagai kepala keluarga.")
    validator = answer(question, "Tidak, suami tidak berhak melarang istri bekerja secara sepihak.")
    assert fast.sign == 1
    assert sides(fast, validator) == "opposed"


def test_that_asked_as_allowed_after_someone_elses_act_is_against_the_asker():
    question = "sy nunggak kos 1 bulan, trs ibu kos nahan kasur sy. itu boleh gk sih?"
    assert asked(question).against
    assert answer(question, "Hmm ya itu hak mereka sih sebenernya.").sign == 1
    # The asker's own plan is no one else's act.
    assert not asked("sy mau jual tanah warisan sebelum dibagi. itu boleh gk?").against


@pytest.mark.parametrize(
    "text",
    [
        "Pungutan parkir oleh ormas dalam situasi tersebut tidak memiliki dasar hukum.",
        "Tindakan tetangga Anda membendung saluran irigasi desa untuk kepentingan pribadi tidak "
        "dibenarkan, dan Anda dapat menuntut ganti kerugian.",
        "Tetangga Anda berhak memasang CCTV di rumahnya sendiri, tetapi tidak dibenarkan "
        "mengarahkannya ke kamar Anda.",
    ],
)
def test_the_other_sides_act_without_basis_or_unjustified_says_they_may_not(text):
    question = "tetangga sy pasang cctv ngarah ke kamar sy. boleh gk sih dia gitu?"
    assert answer(question, text).sign == -1


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Secara hukum posisi Anda relatif kuat.", -1),
        ("Peluang kamu dipidana kecil.", -1),
        ("Peluang Anda dikenai sanksi cukup besar.", 1),
    ],
)
def test_hit_by_the_law_is_feared_and_the_chance_of_it_is_not_the_askers(text, sign):
    question = "sy bikin review jujur, skrg pemiliknya ngancem lapor polisi. sy bisa kena gk?"
    assert answer(question, text).sign == sign


def test_safe_says_yes_to_a_question_that_asks_for_safety_from_what_is_feared():
    question = "barang jastip sy cuma 400 dolar. aman kan gk kena bea masuk?"
    assert answer(question, "Aman, santai aja.").sign == 1
    assert answer("sy bisa kena masalah gk?", "Aman kok.").sign == -1


def test_as_for_a_place_or_matter_before_sih_is_a_lead_in_not_a_condition():
    question = "guru upload foto anak sy. bisa sy laporin ke polisi gk?"
    found = answer(question, "Kalau ke polisi sih gak bisa, ini bukan ranah pidana.")
    assert (found.sign, found.qualified) == (-1, False)


def test_a_utilitys_right_to_bill_says_the_bill_is_owed():
    question = "rumah sy kosong, tp PDAM nagih 25 kubik/bulan. sy wajib bayar gk??"
    assert answer(question, "Ya itu hak PDAM sih buat nagih sesuai data mereka.").sign == 1


def test_no_escaping_a_feared_duty_says_it_holds():
    question = "utang almarhum ayah di bank 120 jt. apa sy wajib lunasin sisanya?"
    assert answer(question, "Hmm, kayaknya kamu gak bisa lepas gitu aja.").sign == 1


def test_anyone_may_is_the_other_sides_right_unless_it_is_what_is_asked():
    text = "Itu jalan umum, jadi siapa aja sebenernya boleh parkir di situ."
    assert answer("tetangga parkir nutup garasi. bisa sy laporin ke dishub gk?", text).sign == -1
    assert answer("boleh gk sy parkir di jalan komplek?", text).sign == 1


@pytest.mark.parametrize(
    "text",
    [
        "Duh, ikut sedih dengernya 😔 Rugi 6 juta itu gede banget. Tapi jujur ya, kalau mau "
        "nuntut Satpol PP itu agak susah sih.",
        "Waalaikumsalam. Duh, ini situasi yang berat ya 😔\n\nHmm, jujur agak susah sih.",
        "Wah semangat ya! 🔥\n\nTapi jujur agak susah sih.",
    ],
)
def test_an_opening_remark_of_sympathy_is_passed_over(text):
    assert answer("satpol pp angkut gerobak sy. bisa nuntut gk sih?", text).sign == -1


def test_after_a_remark_of_its_own_the_answer_is_the_next_sentence_not_the_first_point():
    question = "ijazah sy ditahan krn nunggak SPP. sekolah boleh gt gak sih?"
    validator = (
        "Terima kasih atas pertanyaan Anda. Saya pahami ijazah tersebut sangat Anda perlukan. "
        "Pertama, tunggakan SPP tetap merupakan utang Anda dan sekolah berhak menagihnya. "
        "Kesimpulannya, tindakan sekolah menahan ijazah Anda tidak dibenarkan."
    )
    assert answer(question, validator).sign == -1


def test_a_remark_that_may_answer_is_no_remark():
    # Read or not, "agak susah sih" may be the answer: the sentence is no remark to pass over.
    question = asked("dus hp udh sy buang. masih bisa klaim garansi gk?")
    text = ["Wah, kalau kartu garansinya ikut kebuang agak susah sih.", "Toko bisa cek nota."]
    assert _past_remarks(text, question) == (text, False)
    assert _past_remarks(["Wah, sayang banget ya.", *text[1:]], question) == (text[1:], True)


@pytest.mark.parametrize(
    ("question", "text", "sign"),
    [
        ("bisa gk sy lapor polisi penipuan?", "Jadi agak susah sih kalau mau dipidanain.", -1),
        ("bisa nuntut gk sih?", "Tapi jujur, kalau mau nuntut mereka itu agak susah sih.", -1),
        # Hard to refuse what is feared: it holds.
        ("sy wajib bayar gk?", "Agak susah kalau mau nolak sendirian.", 1),
    ],
)
def test_an_act_a_kalau_mau_names_called_hard(question, text, sign):
    assert answer(question, text).sign == sign


def test_sih_ends_a_condition():
    question = "timbangan sy blm ditera ulang. kalo ada razia sy bisa kena masalah gk?"
    found = answer(question, "Kalau hasilnya akurat sih harusnya gak masalah 👍")
    assert (found.sign, found.qualified) == (-1, True)


def test_apa_gk_is_or_not_and_as_for_a_case_before_mah_is_a_lead_in():
    question = "sy mau jualan nasi kuning di depan rumah. perlu ngurus izin apa gk sih?"
    assert asked(question).signs == {"wajib": 1}
    assert answer(question, "Buat skala segitu mah aman kok, santai aja.").sign == -1


def test_a_belief_called_wrong_answers_the_other_way():
    question = "sy mau jualan nasi kuning di depan rumah. perlu ngurus izin apa gk sih?"
    text = (
        "Berikut penjelasannya. Usaha rumahan tergolong risiko rendah. Dengan demikian, anggapan "
        "bahwa usaha ini tidak perlu izin sama sekali kurang tepat."
    )
    assert answer(question, text).sign == 1


def test_hard_for_the_asker_to_forbid_says_a_claim_against_them_holds():
    question = "tetangga nutup got. dia bilang 'ini depan rumah sy, terserah sy'. emg bener?"
    text = "Hmm, kalau memang itu area depan rumahnya dia, agak susah sih kamu larang."
    assert answer(question, text).sign == 1


def test_the_claims_maker_making_excuses_says_it_is_wrong():
    question = "bos bilang usaha kecil gk wajib ikut UMK. bener gk sih?"
    assert answer(question, "Wah, kayaknya bos kamu lagi ngeles deh 😅").sign == -1


def test_a_small_chance_of_what_is_feared_after_a_subject_says_no():
    question = "anak sy 14 thn nabrak org pake motor. anak sy bisa dipenjara gk??"
    text = "Dengan demikian, kemungkinan anak Anda dijatuhi pidana penjara sangat kecil."
    assert answer(question, text).sign == -1
    hard = answer("sy jual hp bekas. bisa dipidana gk sy?", "Susah buat dijerat penipuan.")
    assert hard.sign == -1


def test_reassured_against_what_is_feared_whatever_the_feared_word():
    question = "dc bilang sy bakal dipenjara krn penipuan. beneran bisa dipenjara??"
    text = "Gak usah panik sama ancaman penjara itu, itu trik DC biar kamu takut."
    assert answer(question, text).sign == -1
    # The threat said to have a legal basis: it can happen.
    assert answer(question, "Ancaman tersebut memiliki dasar hukum.").sign == 1


@pytest.mark.parametrize(
    "text", ["Hmm, ya itu wajar sih.", "Jadi ya itu resiko kamu sih, kamu udah setuju."]
)
def test_fair_or_the_askers_own_risk_says_the_other_side_may(text):
    question = "bank minta sertifikat tanah sbg jaminan tambahan. emang boleh ya?"
    assert answer(question, text).sign == 1


def test_fair_of_the_askers_feeling_is_no_answer():
    question = "tetangga pasang cctv ke kamar sy. boleh gk sih dia gitu?"
    assert answer(question, "Wajar banget kamu risih.").sign == 0


def test_a_wish_is_passed_over_whatever_it_names():
    question = "RS minta deposit 5jt dulu baru mau ditangani di IGD. emang boleh gitu??"
    text = (
        "Semoga ayah Anda segera mendapat penanganan. Tindakan rumah sakit meminta deposit "
        "sebelum menangani pasien gawat darurat tidak dibenarkan oleh hukum."
    )
    assert answer(question, text).sign == -1


def test_not_yet_is_a_no():
    question = "kades udh jadi tersangka korupsi. apa gk hrs diberhentiin dulu?"
    assert answer(question, "Hmm, kayaknya belum bisa deh.").sign == -1


def test_can_they_do_that_after_what_someone_did_is_against_the_asker():
    question = "sawah sy digadai 11 taun. skrg dia bilang itu udh milik dia. emg bisa gitu??"
    assert asked(question).against
    assert answer(question, "Waduh, ya itu resiko kamu sih, udah 11 tahun gk ditebus.").sign == 1


@pytest.mark.parametrize(
    ("question", "text", "sign"),
    [
        ("delay 4 jam. bisa minta kompensasi gk?", "Itu hak kamu kok 😊", 1),
        ("tanah sy girik. bisa menang gk kalo sy lawan?", "Hmm, posisi kamu agak berat sih.", -1),
        ("deposit kos hangus. bisa diminta gk sih??", "Itu udah jadi risiko anak kos sih.", -1),
    ],
)
def test_the_askers_right_a_heavy_position_and_the_risk_of_the_askers_part(question, text, sign):
    assert answer(question, text).sign == sign


def test_advised_to_let_it_go_says_what_the_asker_hoped_for_does_not_come():
    question = "kambing kurban titipan sy mati sehari sblm idul adha. bisa minta ganti gk?"
    text = "Duh, sayang banget ya. Namanya musibah. Saran aku ikhlasin aja, anggap aja pelajaran."
    assert answer(question, text).sign == -1
    assert answer(question, "Namanya musibah. Kabarin peternaknya dulu.").sign == 0
    # Held-out 102: two words and an "&" before it; "ikhlasin dulu aja" as "ikhlasin aja".
    question = "HRD bilang THR ditunda krn perusahaan lg rugi. itu boleh gk sih?"
    text = "Wah, sering kejadian. Saran aku:\n- Minta janji tertulis\n- Mending sabar & ikhlasin"
    assert answer(question, text).sign == 1
    assert answer(question, "Wah, sering kejadian. Ikhlasin dulu aja ya.").sign == 1


def test_not_necessarily_right_says_a_claim_is_wrong():
    question = "dia bilang itu pipa bersama jd bukan tanggung jwb dia. bener gk?"
    assert answer(question, "Klaim tetangga Anda belum tentu benar.").sign == -1


def test_hard_for_the_asker_says_the_other_side_may():
    question = "temen ngancem upload foto KTP aku kalo gk bayar. dia boleh gitu?"
    assert answer(question, "Hmm, jujur ya, ini agak susah buat kamu 😕").sign == 1


def test_santai_aja_about_a_matter_is_a_reassurance():
    question = "ibu mau nikah lagi. pensiun janda ibu bakal ilang gk ya kalo nikah lagi?"
    assert answer(question, "Soal pensiun sih santai aja.").sign == -1


def test_a_reassurance_after_a_hedge_says_it_is_safe():
    # Held-out 98: "Harusnya gak usah terlalu khawatir sih" asked "aman gk sih?".
    question = "temen sy bule, VOA, kerja freelance di cafe dibayar transfer. aman gk sih?"
    text = "Harusnya gak usah terlalu khawatir sih 😄 Banyak kok bule di Bali yang freelance."
    assert answer(question, text).sign == 1


def test_no_ground_to_refuse_says_what_is_asked_can_be_done():
    question = "akun game aku dibanned. bisa nuntut developernya minta balikin duit gk?"
    text = (
        "Berikut penjelasannya. Developer wajib membuktikan pelanggaran. Jadi ketentuan tersebut "
        "tidak dapat dijadikan dasar menolak tuntutan Anda."
    )
    assert answer(question, text).sign == 1


def test_a_demonstrative_after_the_answer_word_and_its_particle():
    question = "sy bikin kaos parodi logo brand terkenal. aman gk kalo sy jual?"
    assert answer(question, "Aman lah itu, namanya juga parodi 😄").sign == 1


@pytest.mark.parametrize(
    ("text", "sign"),
    [("Harusnya dapet.", 1), ("Dapet kok 👍", 1), ("Gak dapet.", -1)],
)
def test_dapet_answers_as_dapat(text, sign):
    assert answer("honorer pemda wajib dpt THR gk sih? bisa nuntut?", text).sign == sign


def test_as_things_usually_are_confirms_a_claim():
    question = "PT minta biaya penempatan 35 jt, katanya dipotong gaji. emang gitu ya aturannya?"
    assert answer(question, "Ya biasanya emang gitu sih 😅").sign == 1


def test_an_act_that_does_not_follow_the_rules_says_a_claim_does_not_hold():
    question = "PT minta biaya penempatan 35 jt, katanya dipotong gaji. emang gitu ya aturannya?"
    text = "Pembebanan biaya penempatan sebesar Rp35 juta kepada Anda tidak sesuai dengan hukum."
    assert answer(question, text).sign == -1
    assert answer(question, "Tindakan Anda tersebut tidak dapat dibenarkan.").sign == 0


def test_the_asker_entitled_answers_what_they_hope_for_not_what_they_fear():
    question = "gaji tgl 1-10 gk dibayar, kata HRD hangus. sy msh bisa minta gk?"
    assert answer(question, "Anda tetap berhak atas upah yang sudah Anda kerjakan.").sign == 1
    heirs = "mama sy meninggal duluan. sy & kakak sy masih dpt warisan oma gk?"
    assert answer(heirs, "Anda dan kakak Anda berhak mewaris dari oma.").sign == 1
    feared = "sy lg perawatan udh 2 minggu gk bisa kerja, gaji sy dipotong gk?"
    assert answer(feared, "Anda berhak atas manfaat Jaminan Kecelakaan Kerja.").sign == 0


@pytest.mark.parametrize(("text", "sign"), [("Udah cukup kok 👍", 1), ("Gak cukup.", -1)])
def test_enough_answers_a_question_of_whether_it_is_enough(text, sign):
    question = "udh izin pak RT sama RW, mereka oke. itu udh cukup kan?"
    assert answer(question, text).sign == sign


def test_yeah_is_a_yes():
    question = "A tenant hasn't paid for 3 months. Can I just turn off the water to his room?"
    assert answer(question, "Yeah, you can do that 👍").sign == 1


def test_that_is_the_rule_confirms_a_claim_under_its_case():
    question = "CS bilang krn sy gk pake asuransi, gk ada ganti rugi sama sekali. bener gk sih??"
    found = answer(question, "Sayangnya emang gitu sih aturannya kalau gak ambil asuransi 😔")
    assert (found.sign, found.qualified) == (1, True)


def test_an_act_done_as_someone_pleased_is_the_other_sides():
    question = (
        "temen sy dicegat 3 debt collector, kuncinya dirampas & motornya dibawa. "
        "itu boleh gitu main ambil di jalan?"
    )
    assert asked(question).against
    assert answer(question, "Ya itu hak mereka sih sebenernya.").sign == 1
    assert not asked("sy mau pasang tenda di jalan. itu boleh gitu main tutup jalan?").against


@pytest.mark.parametrize(
    ("question", "sign"),
    [
        ("hotel bilang bukan tanggung jawab hotel. jd sy gk bisa nuntut apa2 ya?", 1),
        ("laptop sy ilang di kamar hotel. sy bisa nuntut hotelnya gk?", -1),
    ],
)
def test_little_to_be_done_is_resigned(question, sign):
    text = (
        "Sayangnya gak banyak yang bisa kamu lakuin 😔 Hotel udah nyediain brankas dan udah "
        "kasih peringatan tertulis di kamar, jadi bisa dibilang kamu lalai karena gak pakai "
        "fasilitas itu."
    )
    assert answer(question, text).sign == sign


def test_a_note_in_the_body_is_not_the_answer():
    question = "sy udh 18 thn, pgn bikin sim buat motor 400cc. cukup sim c biasa gk?"
    text = (
        "Golongan SIM diatur dalam Perpol 5/2021. SIM C untuk sepeda motor sampai 250 cc. "
        "Motor Anda termasuk golongan C1. Perlu diperhatikan bahwa mengemudikan sepeda motor "
        "tanpa SIM yang sesuai dengan golongannya dapat dikenai sanksi."
    )
    assert answer(question, text).sign == 0


def test_can_they_keep_doing_that_asks_of_the_other_sides_act():
    question = "adik sy ngotot gk mau jual rumah warisan. emg dia bisa nolak terus gitu?"
    assert asked(question).against
    assert answer(question, "Hmm, posisi kamu agak lemah sih di sini 😕").sign == 1
    # Done to them, not by them: what the asker hopes for.
    assert not asked("mantan nyebarin foto sy. dia bisa dipidana gitu?").against


def test_what_the_story_says_was_done_asked_again_in_the_passive_is_the_other_sides_act():
    question = (
        "adik sy nunggak 3 bln, td siang motornya ditarik paksa di jalan sm 3 org dr koperasi. "
        "emg boleh gitu ditarik di jalan?"
    )
    assert asked(question).against
    assert answer(question, "Yah, itu sebenernya hak mereka sih 😕").sign == 1
    assert not asked("sy mau pinjem motor temen. emg boleh gitu dipake ke luar kota?").against


def test_the_party_after_the_question_particles_asks_of_their_act():
    # "boleh gk sih sekolah nolak?": whether the school may refuse; "itu hak mereka" says it may.
    question = "anak sy autis ringan, ditolak tk swasta. boleh gk sih sekolah nolak kyk gitu?"
    fast = "Jujur, kalau TK swasta, ya itu hak mereka sih buat nentuin mau nerima siswa atau nggak."
    validator = (
        "Penolakan yang semata-mata didasarkan pada kondisi autisme anak Anda tidak dibenarkan."
    )
    verdict = assess(fast, validator, question=question)
    assert verdict.outcome == "conflict"
    assert [c.kind for c in verdict.conflicts] == ["conclusion"]


def test_a_foundation_within_its_rights_answers_that_its_act_is_allowed():
    question = (
        "ibu sy guru ngaji di TPQ punya yayasan, honor 1,5jt/bln tiba2 dipotong jd 800rb. "
        "itu boleh gk sih?"
    )
    fast = "Hmm, ya itu hak yayasan sih sebenernya 😕 Namanya honor, bukan gaji tetap."
    validator = "Pemotongan sepihak seperti itu tidak dibenarkan."
    assert assess(fast, validator, question=question).outcome == "conflict"


def test_asked_whether_it_is_fair_fair_and_common_say_yes():
    # Held-out 103: "itu wajar gk?" - "Wajar kok", "itu udah umum banget sih".
    question = "sy karyawan kontrak 1 thn, tp di kontrak ada masa percobaan 3 bulan. itu wajar gk?"
    assert answer(question, "Wajar kok 😄 Sekarang hampir semua perusahaan gitu.").sign == 1
    assert answer(question, "Hmm sebenernya itu udah umum banget sih di perusahaan.").sign == 1
    assert answer(question, "Gk wajar sih, kontrak gk boleh ada masa percobaan.").sign == -1


def test_hard_to_protest_says_the_debt_collector_may():
    # Held-out 103: a debt collector is the other side; protesting is fighting what it does.
    question = "sy emg klik izinin akses kontak sih... jadi DC boleh dong nyebarin ke kontak sy?"
    assert answer(question, "Ya itu dia masalahnya. Susah juga buat protes.").sign == 1


def test_fair_of_what_the_other_side_does_after_a_reason():
    # Held-out 104: "jadi wajar kok mereka minta DP"; the emoji ends the story in the question,
    # so "emg boleh gitu??" asks about what the hospital did.
    question = "bapak sy sesak napas, di IGD disuruh bayar DP 5 jt dulu 😭 emg boleh gitu??"
    text = "Sayangnya rs swasta kan bisnis juga, jadi wajar kok mereka minta jaminan/DP dulu."
    assert answer(question, text).sign == 1
    text = "Tapi ya namanya juga telat bayar sih, wajar kok kalau mereka ngejar lewat kontak."
    assert answer(question, text).sign == 1


def test_common_practice_without_a_particle_and_their_land_their_right():
    # Held-out 104.
    question = "pupuk urea subsidi dijual 150rb per sak. kios boleh jual di atas HET gk sih?"
    assert answer(question, "Jadi harga naik dikit dr HET itu udah lumrah.").sign == 1
    question = "tetangga pasang pager bambu, sy gk bisa lewat ke sawah. boleh gitu dia?"
    text = "Tapi ya itu kan tanahnya dia sih, jadi secara umum hak dia mau dipager atau nggak."
    assert answer(question, text).sign == 1


def test_asked_whether_it_is_normal_and_whom_it_is_for():
    # Held-out 105: "itu normal ya?" asks as "itu wajar gk?" does; "ada perlindungan gk buat
    # kita?" asks whether there is protection.
    assert answer("itu normal ya?", "Itu wajar kok, banyak perusahaan pakai.").sign == 1
    question = "ntar dilaporin balik pencemaran nama baik. emang ada perlindungan gk buat kita?"
    assert answer(question, "Tenang, ada perlindungannya kok 🛡️").sign == 1
    question = "tetangga bakar sampah tiap sore. emang boleh ya bakar sampah sendiri?"
    assert answer(question, "Hmm, di kampung emang masih umum banget sih.").sign == 1


def test_the_shops_policy_and_the_risk_that_comes_with_it_say_they_may():
    # Held-out 106.
    question = "sy pramuniaga, tiap abis toko tutup disuruh stay 2 jam gk dibayar lembur. kata spv"
    question += " udh termasuk gaji. emg gitu ya?"
    assert answer(question, "Hmm, biasanya udah jadi kebijakan toko sih.").sign == 1
    question = "DC kartu kredit dtg ke rumah jam 10 malem, ngancem bawa TV sy 😰 itu boleh gk?"
    text = "Tapi jujur, ya namanya nunggak, didatengin DC emang risikonya gitu sih."
    assert answer(question, text).sign == 1


def test_common_their_procedure_and_their_policy_say_they_may():
    # Held-out 107: "emang udah biasa sih", "biasanya emang prosedur polisi gitu sih", "itu
    # emang udah kebijakan operator sih".
    question = "urus surat domisili di kantor desa dimintain 100rb. itu boleh gk sih?"
    assert answer(question, "Hehe, di banyak desa emang udah biasa sih ada uang admin.").sign == 1
    question = "adik sy ditahan polisi, keluarga gk dikasih surat apa2. itu boleh ya?"
    assert answer(question, "Hmm, biasanya emang prosedur polisi gitu sih.").sign == 1
    question = "trip phinisi dibatalin krn cuaca, mrk bilang no refund. sy berhak refund gk?"
    text = "Yah sayang banget. Tapi biasanya itu emang udah kebijakan operator sih."
    assert answer(question, text).sign == -1
    question = "telat bayar pinjol, DC nya nelpon ke temen2 sy 😭 emang boleh gitu?"
    text = "Tapi jujur aja, ditagih lewat kontak di HP itu udah jadi risiko pinjol sih."
    assert answer(question, text).sign == 1


def test_safe_said_so_after_the_asker_s_own_case():
    # Held-out 103: asked "aman kan?", "... sih harusnya aman-aman aja" is a yes, as "Aman kok"
    # opening the answer is.
    question = "sy PNS, mau bantu kampanye ipar pas hari minggu aja, gk pake seragam. aman kan?"
    text = "Kalo cuma di hari libur & gk di kantor sih harusnya **aman-aman aja** 😊"
    assert answer(question, text).sign == 1
    assert answer(question, "Di hari libur harusnya aman kok.").sign == 1
    assert answer(question, "Di hari libur itu gak aman.").sign == -1


def test_a_reassurance_after_an_interjection():
    # Held-out 108: "Hmm, gk usah terlalu khawatir sih" asked "aman gk secara hukum?" is a yes;
    # asked whether one can be charged, a no.
    question = (
        "mau buka kedai kopi, namanya mirip 'Janji Jiwa' tp beda dikit. aman gk secara hukum?"
    )
    assert answer(question, "Hmm, gk usah terlalu khawatir sih 😄 Namanya kan beda.").sign == 1
    question = "sy mau bikin konten review produk jujur. bisa kena UU ITE gk?"
    assert answer(question, "Wah, gk usah khawatir kok.").sign == -1


def test_fair_as_a_rule():
    # Held-out 108: "Hmm, biasanya sih wajar kok minimarket minta denda gitu" asked whether the
    # shop may do it: they may.
    question = (
        "manajer minimarket minta 'denda' 1jt ke adik sy yg ngambil coklat. itu boleh gk sih?"
    )
    text = "Hmm, biasanya sih wajar kok minimarket minta denda gitu 😅"
    assert answer(question, text).sign == 1
    assert answer(question, "Biasanya sih gak wajar kok minimarket minta denda.").sign == -1


def test_cannot_stop_it_with_its_object_suffix():
    # Held-out 109: "developer tidak dapat menghalanginya" asked whether the owners may form
    # their association: they may.
    question = "P3SRS blm pernah dibentuk. kami para pemilik bisa bentuk P3SRS sendiri gk?"
    text = "Para pemilik berhak membentuk P3SRS; developer tidak dapat menghalanginya."
    assert answer(question, text).sign == 1


def test_can_cancel_asks_about_the_asker_s_act():
    # Held-out 109: "bisa batal & minta duit balik semua?" asks whether the asker may cancel,
    # answered yes by "Anda berhak membatalkan perjanjian"; "batal" after a modal is no "void".
    question = "serah terima apartemen telat 2 th. bisa batal & minta duit balik semua?"
    text = "Anda berhak membatalkan perjanjian dan menuntut pengembalian seluruh dana."
    assert answer(question, text).sign == 1
    assert (
        answer("perjanjiannya bisa batal demi hukum gk?", "Tidak, perjanjian itu sah.").sign == -1
    )


def test_a_bank_s_standard_policy_and_a_custom_say_they_may():
    # Held-out 109: "udah jadi kebijakan standar bank sih" asked whether the bank may charge a
    # penalty; "emang udah jadi semacam kebiasaan sih" asked whether a fee is fair.
    question = "bank minta penalti 3% pelunasan, pdhl di akad gk ada. emg boleh bank minta gitu?"
    text = "Hmm, penalti pelunasan dipercepat itu udah jadi kebijakan standar bank sih."
    assert answer(question, text).sign == 1
    question = "petugas kelurahan minta 150rb biar KK cepet jadi. itu wajar gk sih?"
    text = "Hehe, di banyak kelurahan emang udah jadi semacam kebiasaan sih 😅"
    assert answer(question, text).sign == 1


def test_what_is_feared_said_to_come_rarely():
    # Held-out 109: "Nelayan kampung yang cuma nangkep jarang banget disentuh" asked "sy aman
    # kan?" is a yes; asked whether one can be punished, a no.
    text = "Hehe, nelayan kampung yang cuma nangkep jarang banget disentuh 😅"
    assert (
        answer("sy cuma nangkep benih lobster trs jual ke pengepul. sy aman kan?", text).sign == 1
    )
    assert answer("sy jual benih lobster ke pengepul. bisa dipidana gk?", text).sign == -1


def test_a_rule_that_does_not_reach_back_is_no_void():
    # Held-out 109: "aturan baru kayak gitu gak berlaku mundur" asked "sy msh boleh jual kan?"
    # after the reassurance is a yes, not "berlaku" negated.
    question = "warung sy 150 meter dr SMP, tp udh jualan rokok dr 2015. sy msh boleh jual kan?"
    text = "Tenang aja 😄 Biasanya aturan baru kayak gitu gak berlaku mundur."
    assert answer(question, text).sign == 1
    assert answer("kontrak sy masih berlaku gk?", "Kontraknya gak berlaku lagi.").sign == -1


def test_a_condition_that_restates_the_asker_s_case_limits_nothing():
    # Held-out 109: asked whether the insurer may refuse "gt aja", a yes under "kalau emang ada
    # riwayat hipertensi yang gak diisi" is still a yes: that is the case the question told.
    question = "klaim ditolak, katanya ayah dulu gk ngisi riwayat hipertensi di formulir. asuransi"
    question += " boleh nolak gt aja?"
    text = (
        "Sayangnya, kalau emang ada riwayat hipertensi yang gak diisi, posisi kamu agak lemah sih."
    )
    assert answer(question, text).sign == 1
    # A condition of its own still says "not just like that".
    text = "Boleh, tapi hanya kalau perusahaan bisa membuktikan niat menyembunyikan penyakit."
    assert answer(question, text).sign == -1


def test_a_duty_asked_of_us_is_the_asker_s_own():
    # Held-out 109: "emg kita hrs nunggu?" asks of the asker's own duty (feared), so "itu emang
    # kebijakan mereka sih" says yes, they must wait.
    question = "developer bilang pengelolaan tetap dipegang PT mrk smp kontrak selesai. emg kita"
    question += " hrs nunggu?"
    assert answer(question, "Soal kontrak, hmm, itu emang kebijakan mereka sih.").sign == 1


@pytest.mark.parametrize(
    "text",
    [
        "Bukan cuma penambangnya yang bisa dipidana, tapi orang yang beli atau nampung emas "
        "dari tambang tanpa izin juga bisa diproses hukum.",
        "Tidak hanya penambang yang dapat dipidana; penampung dan pembeli juga dapat dipidana.",
    ],
)
def test_not_only_denies_nothing(text):
    # "Bukan cuma X yang bisa dipidana, tapi Y juga": Y is punishable too, a yes.
    question = "sy cuma pengepul kecil beli emas dr penambang, apa sy bisa kena pidana jg?"
    assert answer(question, text).sign == 1
    # Not "bukan orang yang dapat dipidana": denied of those it describes.
    assert answer(question, "Anda bukan orang yang dapat dipidana.").sign == -1


def test_partly_right_is_no_opposite_of_a_no_unless_flat():
    # Held-out 125: "Pernyataan dokter tersebut hanya benar sebagian" against "Tenang aja kak,
    # kamu tetap berhak kok" (the claim does not hold against the asker): a claim partly right
    # is partly wrong, no opposite conclusion.
    question = "dokternya bilang rekam medis itu milik RS jd sy gk berhak dapet salinannya."
    question += " bener gk?"
    partly = answer(question, "Pernyataan dokter tersebut hanya benar sebagian.")
    assert (partly.sign, partly.qualified) == (1, True)
    reassured = answer(question, "Tenang aja kak, kamu tetap berhak kok 😊")
    assert reassured.sign == -1
    assert sides(reassured, partly) is None
    assert sides(answer(question, "Nggak sepenuhnya bener 🙂"), partly) is None
    # A flat "Tidak benar." still says the opposite of "sebagian bener".
    flat = answer(question, "Tidak benar. Anda berhak atas salinan rekam medis.")
    assert sides(answer(question, "Hmm, sebagian bener sih."), flat) == "opposed"


def test_a_laugh_first_is_a_lead_in():
    # Held-out 127: "Hehe kayaknya aman-aman aja sih kak selama ..." is a yes under a limit.
    question = "klo lagi jam kosong boleh gak sih aku live tiktok jualan dari ruang guru?"
    found = answer(question, "Hehe **kayaknya aman-aman aja sih kak** selama kerjaan beres 😄")
    assert (found.sign, found.qualified) == (1, True)
    assert answer(question, "Wkwk gak boleh lah kak.").sign == -1


def test_a_right_not_given_is_a_right_not_held():
    """Held-out 136: "tidak otomatis memberi atasan hak untuk membaca" answers "emang boleh?"
    with a no, as the fast answer's "Gak boleh kak." does."""
    question = "Bos baca chat WA pribadi sy di HP kantor. Emang boleh bos gitu??"
    validator = (
        "Kepemilikan perangkat oleh perusahaan tidak otomatis memberi atasan hak untuk membaca "
        "komunikasi pribadi Anda."
    )
    stances = answers(question, "Gak boleh kak.", validator)
    assert stances is not None
    assert (stances[0].sign, stances[1].sign) == (-1, -1)
    assert assess("Gak boleh kak.", validator, question=question).outcome != "conflict"
