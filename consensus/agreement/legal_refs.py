"""Laws ("UU No. 1 Tahun 1974", "KUHP"), articles ("Pasal 27 ayat (3) huruf a"), courts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .facts import Fact, Phrasebook, Prepared, Value, fact, overlaps
from .law_titles import LAW_TITLES, TITLE, TITLED

# Codes and compilations, by every name an answer may give them.
CODES = Phrasebook(
    (
        (
            "KUHPerdata",
            (
                "KUHPerdata",
                "KUH Perdata",
                "Kitab Undang-Undang Hukum Perdata",
                "Civil Code",
                "Indonesian Civil Code",
                "BW",
            ),
        ),
        (
            "KUHAP",
            (
                "KUHAP",
                "Kitab Undang-Undang Hukum Acara Pidana",
                "Criminal Procedure Code",
                "Code of Criminal Procedure",
            ),
        ),
        (
            "KUHP",
            (
                "KUHP",
                "Kitab Undang-Undang Hukum Pidana",
                "Criminal Code",
                "Penal Code",
                "Indonesian Criminal Code",
                "Indonesian Penal Code",
            ),
        ),
        ("KUHD", ("KUHD", "Kitab Undang-Undang Hukum Dagang", "Commercial Code")),
        ("KHI", ("KHI", "Kompilasi Hukum Islam", "Compilation of Islamic Law")),
        ("UUD 1945", ("UUD 1945", "UUD NRI 1945", "Undang-Undang Dasar 1945", "1945 Constitution")),
    )
)
# Kinds of numbered regulation, each with its names in both languages.
LAW_TYPES: tuple[tuple[str, str], ...] = (
    ("Perppu", r"Perppu|Peraturan Pemerintah Pengganti Undang-Undang"),
    ("PP", r"PP|Peraturan Pemerintah|Government Regulation|GR"),
    ("Perpres", r"Perpres|Peraturan Presiden|Presidential Regulation"),
    ("Perma", r"Perma|Peraturan Mahkamah Agung|Supreme Court Regulation"),
    # The Supreme Court's circulars guide the courts as its regulations do ("SEMA 2/2023").
    ("SEMA", r"SEMA|Surat Edaran Mahkamah Agung|Supreme Court Circular"),
    ("Perda", r"Perda|Peraturan Daerah|Regional Regulation"),
    ("POJK", r"POJK|Peraturan Otoritas Jasa Keuangan|OJK Regulation"),
    # A minister's regulation: "Permen ATR/BPN 18/2019", "Permenaker", "Permen LHK", "Peraturan
    # Menteri Agraria dan Tata Ruang/Kepala Badan Pertanahan Nasional Nomor 10 Tahun 2016".
    (
        "Permen",
        r"Permen[a-z]*|Peraturan Menteri|Ministerial Regulation|Minister of [A-Z]\w+ Regulation",
    ),
    ("UU", r"UU|Undang-Undang|Law"),
)


def _names(pattern: str) -> str:
    """Full names match in any case; abbreviations ("PP", "UU") only in capitals."""
    return "|".join(alt if alt.isupper() else f"(?i:{alt})" for alt in pattern.split("|"))


# The start of another regulation's name, which a short title does not run into.
_ANOTHER_LAW = r"(?:PP|UU|Perpres|Perppu|Perda|Perma|SEMA|Permen\w*|POJK|Peraturan|Undang-Undang)"
_NUMBERED = re.compile(
    r"\b(?P<type>"
    + "|".join(rf"(?P<t{i}>{_names(p)})" for i, (_, p) in enumerate(LAW_TYPES))
    + r")"
    # Its abbreviation in brackets: "Peraturan Mahkamah Agung (PERMA) Nomor 2 Tahun 2023".
    r"(?:\s*\([A-Z][A-Za-z]{1,9}\))?"
    # A short title may stand between the kind and the number: "UU Bea Meterai 10/2020".
    # ... or a ministry's name: "Permen ATR/BPN", "Peraturan Menteri Agraria dan Tata Ruang/Kepala
    # Badan Pertanahan Nasional" (not another regulation: "UU Cipta Kerja dan PP 35/2021").
    rf"\s+(?:(?!{_ANOTHER_LAW}\b)"
    # ... nor one joined to the next by a slash ("UU Cipta Kerja/PP 35/2021": two laws).
    rf"(?!\S*/{_ANOTHER_LAW}\b)"
    # ... its words listed with commas: "Peraturan Menteri Pendidikan, Kebudayaan, Riset, dan
    # Teknologi Nomor 46 Tahun 2023".
    r"(?:[A-Z][\w/-]*,?|dan|and)\s+){0,8}?"
    r"(?:(?:No\.?|Nomor|Number|Nr\.?)\s*)?(?P<num>\d+)"
    # "POJK 10/POJK.05/2022": OJK numbers its regulations with the issuing department.
    r"(?:\s*/\s*POJK\.\d+)?"
    # ("PP 80 tahun 2019", "UU 8 thn 1999": chat answers write the year in lower case.)
    r"\s*(?:[Tt]ahun|[Tt]hn|of|/)\s*(?P<year>(?:18|19|20)\d\d)\b"
)
_ARTICLE = re.compile(
    r"\b(?:Pasal(?:nya)?|Article|Art\.)\s+(?P<num>\d+[A-Z]?)\b"
    r"(?P<ayat>(?:\s*(?:ayat|paragraph|par\.)?\s*\(\d+\))*)"
    # "Pasal 1 angka 15": a definitions article numbers its points (kept where a letter is).
    r"(?:\s*(?:huruf|letter|point)\s+(?P<huruf>[a-z])\b|\s*angka\s+(?P<angka>\d+)\b)?",
    re.IGNORECASE,
)
# What stands between an article and its law ("Pasal 362 KUHP", "Article 1320 of the Civil Code").
_ARTICLE_LAW_GAP = re.compile(r"[\s,]*(?:(?:of|dari|dalam)\s+)?(?:the\s+)?", re.IGNORECASE)

INSTITUTIONS = Phrasebook(
    (
        ("Pengadilan Tinggi Agama", ("Pengadilan Tinggi Agama", "High Religious Court")),
        ("Pengadilan Tinggi Tata Usaha Negara", ("Pengadilan Tinggi Tata Usaha Negara", "PTTUN")),
        (
            "Pengadilan Tata Usaha Negara",
            (
                "Pengadilan Tata Usaha Negara",
                "PTUN",
                "State Administrative Court",
                "Administrative Court",
            ),
        ),
        (
            "Pengadilan Tindak Pidana Korupsi",
            (
                "Pengadilan Tindak Pidana Korupsi",
                "Pengadilan Tipikor",
                "Anti-Corruption Court",
                "Corruption Court",
            ),
        ),
        (
            "Pengadilan Hubungan Industrial",
            ("Pengadilan Hubungan Industrial", "PHI", "Industrial Relations Court"),
        ),
        ("Pengadilan Niaga", ("Pengadilan Niaga", "Commercial Court")),
        (
            "Pengadilan Agama",
            # Aceh's religious court is the Mahkamah Syar'iyah.
            (
                "Pengadilan Agama",
                "Mahkamah Syar'iyah",
                "Mahkamah Syariah",
                "Mahkamah Syar\u2019iyah",
                "Religious Court",
                "Islamic Court",
            ),
        ),
        ("Pengadilan Militer", ("Pengadilan Militer", "Military Court")),
        ("Pengadilan Pajak", ("Pengadilan Pajak", "Tax Court")),
        ("Pengadilan Tinggi", ("Pengadilan Tinggi", "High Court")),
        ("Pengadilan Negeri", ("Pengadilan Negeri", "PN", "District Court")),
        ("Mahkamah Agung", ("Mahkamah Agung", "MA", "Supreme Court")),
        ("Mahkamah Konstitusi", ("Mahkamah Konstitusi", "MK", "Constitutional Court")),
        ("Komisi Yudisial", ("Komisi Yudisial", "Judicial Commission")),
        ("KPK", ("KPK", "Komisi Pemberantasan Korupsi", "Corruption Eradication Commission")),
        (
            "BPSK",
            ("BPSK", "Badan Penyelesaian Sengketa Konsumen", "Consumer Dispute Settlement Body"),
        ),
        ("OJK", ("OJK", "Otoritas Jasa Keuangan", "Financial Services Authority")),
        (
            "BANI",
            (
                "BANI",
                "Badan Arbitrase Nasional Indonesia",
                "Indonesian National Board of Arbitration",
            ),
        ),
        ("KUA", ("KUA", "Kantor Urusan Agama", "Office of Religious Affairs")),
        (
            "Kantor Pertanahan",
            ("Kantor Pertanahan", "BPN", "Badan Pertanahan Nasional", "Land Office"),
        ),
        (
            "Kantor Desa",
            (
                "Kantor Desa",
                "Kantor Kelurahan",
                "Balai Desa",
                "Kantor Lurah",
                "Kantor Kepala Desa",
                "Kepala Desa",
                "Kades",
                "Lurah",
            ),
        ),
        (
            "Kantor Kecamatan",
            ("Kantor Kecamatan", "Kantor Camat", "Kantor Distrik", "Camat", "Kepala Distrik"),
        ),
        # The regional heads: who issues, appoints or dismisses is often the whole answer.
        (
            "Bupati/Wali Kota",
            (
                "Bupati",
                "Wali Kota",
                "Walikota",
            ),
        ),
        ("Gubernur", ("Gubernur",)),
        ("Ombudsman", ("Ombudsman",)),
        (
            "Bappebti",
            ("Bappebti", "Badan Pengawas Perdagangan Berjangka Komoditi", "CoFTRA"),
        ),
        ("Bank Indonesia", ("Bank Indonesia",)),
        ("BPOM", ("BPOM", "Badan Pengawas Obat dan Makanan", "Balai POM")),
        (
            "Kementerian Agama",
            (
                "Kementerian Agama",
                "Kemenag",
                "Kanwil Kemenag",
                "Menteri Agama",
                "Ministry of Religious Affairs",
            ),
        ),
        (
            "Bea Cukai",
            (
                "Direktorat Jenderal Bea dan Cukai",
                "Ditjen Bea dan Cukai",
                "Bea dan Cukai",
                "Bea Cukai",
                "DJBC",
                "Customs",
            ),
        ),
        (
            "Kementerian Perhubungan",
            (
                "Kementerian Perhubungan",
                "Kemenhub",
                "Otoritas Bandar Udara",
                "Otoritas Bandara",
                "Ministry of Transportation",
            ),
        ),
        (
            "Kementerian Koperasi",
            (
                "Kementerian Koperasi",
                "Kemenkop",
                "Kemenkop UKM",
                "Dinas Koperasi",
                "dinas yang membidangi koperasi",
                "Diskop",
                "Diskopukm",
                "Dinas Koperasi dan UKM",
                "Dinas Koperasi, Usaha Kecil dan Menengah",
                "Ministry of Cooperatives",
            ),
        ),
        (
            "Komdigi",
            (
                "Komdigi",
                "Kementerian Komunikasi dan Digital",
                "Kominfo",
                "Kementerian Komunikasi dan Informatika",
            ),
        ),
        # Bodies an answer sends someone to, or names as the one that issues or decides.
        (
            "LPSK",
            (
                "LPSK",
                "Lembaga Perlindungan Saksi dan Korban",
                "Witness and Victim Protection Agency",
            ),
        ),
        (
            "Komnas HAM",
            ("Komnas HAM", "Komisi Nasional Hak Asasi Manusia", "National Human Rights Commission"),
        ),
        (
            "Komnas Perempuan",
            ("Komnas Perempuan", "Komisi Nasional Anti Kekerasan terhadap Perempuan"),
        ),
        ("KPAI", ("KPAI", "Komisi Perlindungan Anak Indonesia")),
        (
            "Disdukcapil",
            (
                "Disdukcapil",
                "Dukcapil",
                "Dispendukcapil",
                "Dinas Kependudukan dan Pencatatan Sipil",
                "Dinas Dukcapil",
                "Civil Registry",
            ),
        ),
        ("BPJPH", ("BPJPH", "Badan Penyelenggara Jaminan Produk Halal")),
        ("MUI", ("MUI", "Majelis Ulama Indonesia")),
        ("YLKI", ("YLKI", "Yayasan Lembaga Konsumen Indonesia")),
        ("DJKI", ("DJKI", "Direktorat Jenderal Kekayaan Intelektual", "Ditjen KI", "Ditjen HKI")),
        ("LMKN", ("LMKN", "Lembaga Manajemen Kolektif Nasional")),
        ("Satpol PP", ("Satpol PP", "Satuan Polisi Pamong Praja")),
        ("Dinas Lingkungan Hidup", ("Dinas Lingkungan Hidup", "DLH", "DLHK")),
        (
            "DJP",
            (
                "DJP",
                "Direktorat Jenderal Pajak",
                "Ditjen Pajak",
                "KPP",
                "KPP Pratama",
                "Kantor Pelayanan Pajak",
                "Kantor Pajak",
            ),
        ),
        ("Bapenda", ("Bapenda", "Badan Pendapatan Daerah", "BPKAD", "BPPRD", "Dispenda")),
        ("BWI", ("BWI", "Badan Wakaf Indonesia")),
        (
            "Lembaga OSS",
            ("Lembaga OSS", "BKPM", "Kementerian Investasi", "Badan Koordinasi Penanaman Modal"),
        ),
        ("DPMPTSP", ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")),
        ("Dinas Perdagangan", ("Dinas Perdagangan", "Disperindag", "Disdag")),
        ("Dinas Sosial", ("Dinas Sosial", "Dinsos")),
        ("Kementerian Kesehatan", ("Kementerian Kesehatan", "Kemenkes", "Ministry of Health")),
        ("MKEK", ("MKEK", "Majelis Kehormatan Etik Kedokteran")),
        (
            "Majelis Disiplin Profesi",
            (
                "Majelis Disiplin Profesi",
                "MKDKI",
                "Majelis Kehormatan Disiplin Kedokteran Indonesia",
            ),
        ),
        ("PDHI", ("PDHI", "Perhimpunan Dokter Hewan Indonesia")),
        ("Imigrasi", ("Kantor Imigrasi", "Ditjen Imigrasi", "Direktorat Jenderal Imigrasi")),
        ("Propam", ("Propam", "Divpropam")),
        ("Kompolnas", ("Kompolnas", "Komisi Kepolisian Nasional")),
        ("Dinas Pariwisata", ("Dinas Pariwisata", "Dispar", "Dinas Kebudayaan dan Pariwisata")),
        ("PPAT", ("PPAT", "Pejabat Pembuat Akta Tanah")),
        (
            "Dinas PUPR",
            (
                "Dinas PUPR",
                "Dinas Pekerjaan Umum dan Penataan Ruang",
                "Dinas Pekerjaan Umum",
                "Dinas Tata Ruang",
                "Dinas PU",
            ),
        ),
        ("Dinas Perhubungan", ("Dinas Perhubungan", "Dishub")),
        ("Dinas ESDM", ("Dinas ESDM", "Dinas Energi dan Sumber Daya Mineral")),
        (
            "Kementerian ESDM",
            (
                "Kementerian ESDM",
                "Kementerian Energi dan Sumber Daya Mineral",
                "Ditjen Minerba",
                "Direktorat Jenderal Mineral dan Batubara",
                "inspektur tambang",
            ),
        ),
        # Social security: health, work and civil servants' pensions are three bodies.
        ("BPJS Kesehatan", ("BPJS Kesehatan", "Badan Penyelenggara Jaminan Sosial Kesehatan")),
        (
            "BPJS Ketenagakerjaan",
            (
                "BPJS Ketenagakerjaan",
                "BPJamsostek",
                "BP Jamsostek",
                "BPJS TK",
                "Badan Penyelenggara Jaminan Sosial Ketenagakerjaan",
            ),
        ),
        ("Taspen", ("Taspen", "PT Taspen", "PT Taspen (Persero)")),
        # Elections: the commission that runs them and the body that hears violations.
        ("KPU", ("KPU", "Komisi Pemilihan Umum", "KPUD")),
        ("Bawaslu", ("Bawaslu", "Badan Pengawas Pemilihan Umum", "Panwaslu", "Panwascam")),
        # The press and broadcasting.
        ("Dewan Pers", ("Dewan Pers", "Press Council")),
        ("KPI", ("KPI", "KPID", "Komisi Penyiaran Indonesia")),
        ("BAN-PT", ("BAN-PT", "BAN PT", "Badan Akreditasi Nasional Perguruan Tinggi")),
        ("BPKH", ("BPKH", "Badan Pengelola Keuangan Haji")),
        # Civil servants: the agency, the commission and the appeals board.
        ("BKN", ("BKN", "Badan Kepegawaian Negara")),
        ("KASN", ("KASN", "Komisi Aparatur Sipil Negara")),
        ("BPASN", ("BPASN", "Badan Pertimbangan ASN", "Badan Pertimbangan Aparatur Sipil Negara")),
        ("KPPU", ("KPPU", "Komisi Pengawas Persaingan Usaha")),
        ("Komisi Informasi", ("Komisi Informasi", "KIP", "Komisi Informasi Pusat")),
        ("BNPB", ("BNPB", "Badan Nasional Penanggulangan Bencana")),
        ("BPBD", ("BPBD", "Badan Penanggulangan Bencana Daerah")),
        ("Inspektorat", ("Inspektorat", "APIP")),
        ("BPD", ("BPD", "Badan Permusyawaratan Desa")),
        (
            "Kantor Pendaftaran Fidusia",
            (
                "Kantor Pendaftaran Fidusia",
                "Ditjen AHU",
                "Direktorat Jenderal Administrasi Hukum Umum",
            ),
        ),
        ("Dinas Perikanan", ("Dinas Perikanan", "Dinas Kelautan dan Perikanan", "DKP")),
        (
            "Kementerian Kehutanan",
            (
                "Kementerian Kehutanan",
                "Menteri Kehutanan",
                "KLHK",
                "Kementerian Lingkungan Hidup dan Kehutanan",
                "Menteri LHK",
                "Menteri Lingkungan Hidup dan Kehutanan",
            ),
        ),
    )
)
# A court the answer rules out: "bukan Pengadilan Agama", "tidak ke PN", "tidak termasuk
# kewenangan Pengadilan Niaga".
_RULING_OUT = (
    r"\b(?:tidak|bukan)\s+(?:lagi\s+)?(?:(?:diajukan|dibawa|diadukan)\s+)?(?:ke|di)"
    r"|\bbukan\s+(?:lagi\s+)?(?:pada\s+|oleh\s+)?"
    r"|\b(?:tidak\s+termasuk|bukan(?:\s+merupakan)?)\s+(?:dalam\s+)?(?:kewenangan|wewenang)"
)
_RULED_OUT = re.compile(rf"(?:{_RULING_OUT})\s*\W*$", re.IGNORECASE)
# ... or, after its name, says it has no power over the case.
_NOT_COMPETENT = re.compile(
    r"\b(?:tidak|bukan)\s+(?:berwenang|kewenangan(?:nya)?)\b"
    # ... or that it does not do what the case needs ("Bank Indonesia tidak menangani pengaduan
    # pinjaman daring", "DJKI tidak menarik royalti", "YLKI bukan lembaga yang memutus"), or only
    # something else ("MUI hanya menetapkan fatwa", "KUA hanya mencatat setelah penetapan").
    r"|\btidak\s+(?:lagi\s+)?(?:memiliki|punya|mempunyai)\s+(?:kewenangan|wewenang)\b"
    r"|\btidak\s+(?:lagi\s+)?(?:menangani|menarik|menerbitkan|mengeluarkan|memutus|mengadili"
    r"|memeriksa|menyelidiki|menyidik|mengawasi)\b"
    # "YLKI bukan lembaga yang memutus", "Komnas HAM tidak menjadi lembaga pemberi perlindungan
    # saksi", "MUI ... bukan penerbit sertifikat": named as not the body that does it.
    r"|\b(?:bukan|tidak\s+(?:menjadi|merupakan))\s+(?:lembaga|instansi|pejabat|badan|pengawas"
    r"|pihak|penerbit|pemberi|pengelola|pemutus|penyidik|penyelidik|penyelenggara|pelaksana|pembina"
    r"|yang\s+(?:berwenang|menerbitkan|memberikan|mengeluarkan|memutus|menangani|mengelola))\b"
    r"|\bhanya\s+(?:(?:sebagai|berperan\s+sebagai)\s+)?(?:lembaga\s+)?(?:pengawas|pendamping)\b"
    r"|\bhanya\s+(?:menangani|menetapkan|mencatat|mendampingi|mengawasi|memberi(?:kan)?\s+fatwa)\b"
    # "PTUN hanya berwenang apabila yang digugat adalah keputusan tata usaha negara", "KPI hanya
    # berwenang atas lembaga penyiaran": its power named for other cases.
    r"|\bhanya\s+berwenang\s+(?:apabila|jika|bila|kalau|manakala|atas|terhadap|untuk|mengadili)\b",
    re.I,
)
_NOT_WITHIN = re.compile(
    r"\btidak\s+termasuk\s+(?:[\w-]+\s+){0,6}?(?:kewenangan|wewenang)\s*$", re.IGNORECASE
)
_OTHER_THAN = re.compile(r"\b(?:selain|kecuali|other\s+than|except)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
# A court named as the subject of a regulation or a law's title is not a forum the answer picks.
# ("diajukan kepada Ketua Pengadilan Negeri": filed with its head, the court is the forum.)
_NOT_A_FORUM = re.compile(
    # ("riwayat kredit kamu (SLIK OJK)": the authority's credit register, named by it.)
    r"(?:Peraturan|tentang|Putusan|(?<!kepada\s)(?<!\bke\s)Ketua|on the|concerning the"
    r"|SLIK|iDeb"
    # "kartu BPJS Kesehatan Anda", "peserta BPJS Ketenagakerjaan": the scheme, not a forum.
    r"|kartu|peserta|kepesertaan)\s+$",
    re.IGNORECASE,
)
# Not named as the forum at all: the court a special court sits in ("Pengadilan Niaga (ada di PN
# Jakarta Pusat)"), or one the answer rules out ("gugatan tidak ke PN biasa", "kewenangan PTUN,
# bukan lagi Pengadilan Negeri", "bukan pada Pengadilan Agama", "tidak termasuk kewenangan
# Pengadilan Niaga").
_NOT_NAMED_AS_FORUM = re.compile(
    # ("kewenangan mengadili berada pada Pengadilan Negeri": the forum, where the power lies.)
    r"(?:(?:ada|berada|bertempat|berkedudukan)\s+di|berkedudukan\s+pada|sits?\s+(?:at|in)"
    # "PHI dibentuk pada setiap Pengadilan Negeri": where a special court is set up.
    r"|dibentuk\s+(?:pada|di)(?:\s+(?:setiap|tiap|masing-masing))?"
    r"|located\s+(?:at|in)"
    rf"|{_RULING_OUT}"
    # "Pengadilan Niaga pada Pengadilan Negeri ...", "PHI pada PN ...": the special court is named.
    r"|\b(?:Niaga|Industrial|Korupsi|Tipikor|PHI|Perikanan|Anak|HAM)\)?\s+pada)\s*\W*$",
    re.IGNORECASE,
)


def _law_at(text: str, pos: int) -> tuple[int, int, Value] | None:
    """The law named right at `pos` (after "of the" and the like), if any."""
    gap = _ARTICLE_LAW_GAP.match(text, pos)
    start = gap.end() if gap else pos
    numbered = _NUMBERED.match(text, start)
    if numbered is not None:
        return (*numbered.span(), _numbered_value(numbered))
    code = CODES.match_at(text, start)
    return None if code is None else (code[0], code[1], (code[2],))


def _numbered_value(match: re.Match[str]) -> Value:
    index = next(
        int(k[1:]) for k, v in match.groupdict().items() if v and k[0] == "t" and k[1:].isdigit()
    )
    return (LAW_TYPES[index][0], int(match["num"]), int(match["year"]))


IN_TITLE = "in title"
# (not an amendment and the law it amends, cited together: "UU 3/2024 tentang Perubahan Kedua
# atas UU 6/2014", "UU 6/2014 tentang Desa sebagaimana telah diubah dengan UU 3/2024").
_IN_TITLE = re.compile(
    r"\s+tentang\b(?:(?!perubahan|pencabutan|penetapan|diubah|sebagaimana|\bjo\b)[^.;\n]){0,120}?"
    r"\s+",
    re.I,
)


# A title's words are capitalised but for its small words ("tentang Syarat dan Tata Cara
# Pemberian Bantuan Hukum"); "tentang Bantuan Hukum dan peraturan pelaksananya, yaitu PP ..." has
# left the title before the next law.
_TITLE_WORDS = re.compile(
    r"\s+(?i:tentang)(?:\s+(?:[A-Z0-9][\w/.-]*|dan|atas|di|yang|serta|untuk|dalam|terhadap|bagi|sebagai|pada"
    r"|ke|dari|oleh|tentang|Nomor|No\.))*\s+"
)


def laws(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Numbered laws and regulations, and the codes (KUHP, KUHPerdata, KUHAP, KHI, UUD 1945)."""
    text = prepared.text
    found: list[Fact] = []
    for m in _NUMBERED.finditer(text):
        # A law named in another's title ("Permen Agraria No. 3 Tahun 1997 tentang Ketentuan
        # Pelaksanaan PP No. 24 Tahun 1997") is not one the answer cites.
        named_in = (
            found
            and _IN_TITLE.fullmatch(text, found[-1].end, m.start())
            and _TITLE_WORDS.fullmatch(text, found[-1].end, m.start())
        )
        key = IN_TITLE if named_in else ""
        found.append(fact(prepared, "law", _numbered_value(m), m.span(), key=key))
    for start, end, name in CODES.find(prepared):
        if not overlaps((start, end), found):
            found.append(fact(prepared, "law", (name,), (start, end)))
    for start, end, name in LAW_TITLES.find(prepared):
        if not overlaps((start, end), found):
            found.append(fact(prepared, "law", TITLED[name], (start, end), key=TITLE))
    return found


def articles(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Article references with their ayat and huruf, shown with the law that follows them."""
    found = []
    for m in _ARTICLE.finditer(prepared.text):
        ayat = tuple(int(n) for n in re.findall(r"\d+", m["ayat"] or ""))
        value = (m["num"].upper(), ayat, (m["huruf"] or m["angka"] or "").lower())
        item = fact(prepared, "article", value, m.span())
        law = _law_at(prepared.text, m.end())
        if law is not None:
            shown = " ".join(prepared.text[m.start() : law[1]].split())
            item = replace(item, text=shown, law=law[2])
        found.append(item)
    return found


# The city after a court's name, on the same line: "Pengadilan Negeri Jakarta Selatan", "PN
# Bandung" (not "PN Anda", "PN Kelas IA", "PN Niaga", nor the next paragraph's "Semoga ...").
_SEAT = re.compile(
    r"[^\S\n]+((?!(?:Anda|Kamu|Kelas|Niaga|Tipikor|Hubungan|Tata|Agama|Negeri|Tinggi|Jika|Dengan|Untuk"
    r"|Sesuai|Atau|Dan|Yang|Setempat|Terdekat|Tersebut|Itu|Ini|The|In|At|Of)\b)[A-Z][a-z]{2,}"
    r"(?:[^\S\n]+(?:Selatan|Utara|Barat|Timur|Pusat|Tengah|Raya|Baru))?)\b"
)

# Cities by the names people use for them: a court "PN Solo" is the Pengadilan Negeri
# Surakarta.
_CITIES = {
    "solo": "surakarta",
    "jogja": "yogyakarta",
    "jogjakarta": "yogyakarta",
    "yogya": "yogyakarta",
    "djogja": "yogyakarta",
    "makasar": "makassar",
}

_SITS_IN = re.compile(r"\W*\s+pada\s+(?:Pengadilan\s+Negeri|PN)" + _SEAT.pattern)


# A regional office named with its level of government: "Dinas Pendidikan Provinsi", "Disnaker
# kabupaten/kota", "Cabang Dinas Pendidikan" (the province's). Which level a matter goes to is a
# fact ("SMA negeri: provinsi; SMP: kabupaten/kota").
_SERVICES = {
    "pendidikan": "Dinas Pendidikan",
    "disdik": "Dinas Pendidikan",
    "tenaga kerja": "Dinas Tenaga Kerja",
    "ketenagakerjaan": "Dinas Tenaga Kerja",
    "disnaker": "Dinas Tenaga Kerja",
    "disnakertrans": "Dinas Tenaga Kerja",
    "kesehatan": "Dinas Kesehatan",
    "dinkes": "Dinas Kesehatan",
}
_OFFICE = re.compile(
    r"\b(?P<branch>Cabang\s+)?(?:Dinas\s+(?P<service>Pendidikan|Tenaga\s+Kerja|Ketenagakerjaan"
    r"|Kesehatan)(?:\s+dan\s+[A-Z]\w+)?|(?P<short>Disdik|Disnaker(?:trans)?|Dinkes))"
    r"(?:\s+(?P<level>Provinsi|Prov\.?|Kabupaten\s*/\s*Kota|Kab(?:upaten)?\.?\s*/\s*Kota"
    r"|Kabupaten|Kota))?\b",
    re.IGNORECASE,
)

# An office named as the one that inspects ("pengawas ketenagakerjaan pada dinas ...").
_INSPECTS = re.compile(r"\bpengawas(?:an)?\b", re.IGNORECASE)


def _offices(prepared: Prepared, taken: list[Fact]) -> Iterator[Fact]:
    """Regional offices named with their level ("Disnaker provinsi"), keyed by the service."""
    for m in _OFFICE.finditer(prepared.text):
        name = (m["service"] or m["short"]).lower()
        service = _SERVICES[" ".join(name.split())]
        level = m["level"]
        if m["branch"]:
            level = "provinsi"  # a Cabang Dinas is the province's branch office
        elif not level:
            continue
        level = "provinsi" if level.lower().startswith("prov") else "kabupaten/kota"
        if overlaps((m.start(), m.end()), taken):
            continue
        # "bukan ke Dinas Kesehatan Provinsi", "Disnaker kabupaten tidak lagi memiliki
        # kewenangan pengawasan": a level the answer rules out is not the one it names.
        if _denied(prepared.text, m.start(), m.end(), len(prepared.text)):
            continue
        # Inspection is one office's task, disputes or complaints another's ("pengawas
        # ketenagakerjaan pada dinas tenaga kerja provinsi" / "catatkan ke Disnaker
        # kabupaten/kota"): two subjects, not rivals.
        near = prepared.text[max(0, m.start() - 50) : m.end() + 60]
        role = ":pengawas" if _INSPECTS.search(near) else ""
        yield fact(
            prepared, "institution", (service, level), (m.start(), m.end()), key=service + role
        )


def institutions(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Courts and the few public bodies an answer may send someone to, with the city a court
    sits in when the answer names one; regional offices with their level (`_offices`)."""
    found = list(_offices(prepared, taken))
    for start, end, name in _named(prepared):
        before = prepared.text[max(0, start - 25) : start]
        if not _NOT_A_FORUM.search(before) and not overlaps((start, end), taken):
            item = fact(prepared, "institution", (name,), (start, end))
            # "PHI pada PN Bandung": a special court sits in the district court's city.
            court = name.startswith("Pengadilan")
            if court and (
                seat := _SEAT.match(prepared.text, end) or _SITS_IN.match(prepared.text, end)
            ):
                city = " ".join(seat[1].lower().split())
                item = replace(item, seat=_CITIES.get(city, city), text=f"{item.text} {seat[1]}")
            found.append(item)
    return _with_alternatives(found, prepared.text)


# What joins two bodies named as a choice: "BPSK atau YLKI", "Satpol PP/DLH", "ke BPSK, YLKI,
# atau ke pengadilan".
_OR = re.compile(
    r"\s*(?:/|,|\batau\b|\bmaupun\b|,\s*atau\b)\s*(?:(?:ke|di|melalui|lewat|kepada)\s+)?"
    r"(?:(?:the|a)\s+)?",
    re.IGNORECASE,
)


def _with_alternatives(found: list[Fact], text: str) -> list[Fact]:
    """Each body named in a choice of bodies, with the others of that choice."""
    bodies = sorted((f for f in found if f.kind == "institution"), key=lambda f: f.start)
    groups: list[list[Fact]] = []
    for item in bodies:
        if groups and _OR.fullmatch(text, groups[-1][-1].end, item.start):
            groups[-1].append(item)
        else:
            groups.append([item])
    chosen = {
        id(item): frozenset(other.value for other in group) - {item.value}
        for group in groups
        if len(group) > 1
        for item in group
    }
    return [replace(f, alternatives=chosen[id(f)]) if id(f) in chosen else f for f in found]


def _named(prepared: Prepared) -> list[tuple[int, int, str]]:
    """The courts and bodies an answer names, leaving out a special court's seat and a court
    it rules out (`_NOT_NAMED_AS_FORUM`)."""
    text = prepared.text
    found = list(INSTITUTIONS.find(prepared))
    return _forums(text, found, _ruled_out(text, found))


def _forums(
    text: str, found: list[tuple[int, int, str]], ruled_out: set[str]
) -> list[tuple[int, int, str]]:
    return [
        (start, end, name)
        for start, end, name in found
        if name not in ruled_out
        and not _NOT_NAMED_AS_FORUM.search(text[max(0, start - 40) : start])
    ]


def _ruled_out(text: str, found: list[tuple[int, int, str]]) -> set[str]:
    """The courts and bodies an answer says have no power over the case."""
    # A court ruled out once ("PHI ..., bukan Pengadilan Agama") is not the forum where the answer
    # names it again to say what it does hear ("Pengadilan Agama berwenang atas perkara ...").
    return {
        name
        for k, (start, end, name) in enumerate(found)
        if _denied(text, start, end, found[k + 1][0] if k + 1 < len(found) else len(text))
    }


def _denied(text: str, start: int, end: int, following: int) -> bool:
    """Does the answer say the court or body named at `start`-`end` has no power over the case,
    before it or after it up to the next one named (`following`)?"""
    return bool(
        _RULED_OUT.search(text[max(0, start - 40) : start])
        # "tidak termasuk sengketa perkawinan yang menjadi kewenangan Pengadilan Agama".
        or _NOT_WITHIN.search(text[max(0, start - 90) : start])
        or (
            _not_competent(text, end, following)
            # "Pengadilan lain selain Pengadilan Niaga tidak berwenang": all others have none.
            and not _OTHER_THAN.search(text[max(0, start - 20) : start])
        )
    )


def _not_competent(text: str, end: int, following: int) -> bool:
    """Does the sentence after a court, before the next one named, say it has no power here
    ("Pengadilan Agama hanya berwenang atas perkara ..., sehingga tidak berwenang mengadili
    sengketa ini")?"""
    stop = _SENTENCE_END.search(text, end)
    return bool(
        _NOT_COMPETENT.search(text, end, min(following, stop.start() if stop else len(text)))
    )


def named_institutions(prepared: Prepared) -> tuple[frozenset[object], frozenset[object]]:
    """Every court or body an answer names, as a forum or not ("Putusan MK"), and those it says
    have no power over the case ("KUA tidak berwenang mengisbatkan nikah", "bukan ke Pengadilan
    Agama"), each as fact values."""
    text = prepared.text
    found = list(INSTITUTIONS.find(prepared))
    ruled_out = _ruled_out(text, found)
    named = frozenset((name,) for _, _, name in _forums(text, found, ruled_out))
    return named, frozenset((name,) for name in ruled_out)
