"""Laws named by their title ("UU Perkawinan", "UU ITE", "Marriage Law"), with their numbers.

Answers cite a statute by its number or by its short title, and the two are the same law: a
validator that writes "UU No. 1 Tahun 1974" where the fast answer wrote "UU Perkawinan" adds no
legal fact. Each title gives the law it was enacted as; a later amendment cited by its own
number ("UU 16/2019") stays a law of its own.
"""

from __future__ import annotations

from .facts import Phrasebook

# (type, number, year) of a law, and its titles; "UU" and "Undang-Undang" are prefixed below.
TITLES: tuple[tuple[tuple[str, int, int], tuple[str, ...], tuple[str, ...]], ...] = (
    (("UU", 1, 1974), ("Perkawinan",), ("Marriage Law",)),
    (("UU", 13, 2003), ("Ketenagakerjaan",), ("Manpower Law", "Labour Law", "Labor Law")),
    (("UU", 6, 2023), ("Cipta Kerja",), ("Job Creation Law",)),
    (("UU", 11, 2008), ("ITE", "Informasi dan Transaksi Elektronik"), ("EIT Law",)),
    (("UU", 22, 2009), ("LLAJ", "Lalu Lintas dan Angkutan Jalan", "Lalu Lintas"), ("Traffic Law",)),
    (("UU", 6, 1983), ("KUP", "Ketentuan Umum dan Tata Cara Perpajakan"), ()),
    (("UU", 7, 1983), ("PPh", "Pajak Penghasilan"), ("Income Tax Law",)),
    (
        ("UU", 1, 2022),
        ("HKPD", "Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah"),
        (),
    ),
    (("UU", 10, 2020), ("Bea Meterai",), ("Stamp Duty Law",)),
    (("UU", 8, 1999), ("Perlindungan Konsumen",), ("Consumer Protection Law",)),
    (
        ("UU", 31, 1999),
        ("Tipikor", "Pemberantasan Tindak Pidana Korupsi"),
        ("Anti-Corruption Law",),
    ),
    (("UU", 8, 2010), ("TPPU", "Tindak Pidana Pencucian Uang"), ("Anti-Money Laundering Law",)),
    (("UU", 23, 2006), ("Adminduk", "Administrasi Kependudukan"), ()),
    (("UU", 12, 2022), ("TPKS", "Tindak Pidana Kekerasan Seksual"), ("Sexual Violence Law",)),
    (("UU", 23, 2004), ("PKDRT", "Penghapusan Kekerasan dalam Rumah Tangga"), ()),
    (
        ("UU", 27, 2022),
        ("PDP", "Pelindungan Data Pribadi", "Perlindungan Data Pribadi"),
        ("PDP Law", "Personal Data Protection Law"),
    ),
    (("UU", 28, 2014), ("Hak Cipta",), ("Copyright Law",)),
    (("UU", 20, 2016), ("Merek", "Merek dan Indikasi Geografis"), ("Trademark Law",)),
    (("UU", 13, 2016), ("Paten",), ("Patent Law",)),
    (
        ("UU", 11, 2012),
        ("SPPA", "Sistem Peradilan Pidana Anak"),
        ("Juvenile Criminal Justice System Law",),
    ),
    (("UU", 23, 2002), ("Perlindungan Anak",), ("Child Protection Law",)),
    (("UU", 35, 2009), ("Narkotika",), ("Narcotics Law",)),
    (("UU", 7, 2017), ("Pemilu", "Pemilihan Umum"), ("Election Law",)),
    (("UU", 17, 2023), ("Kesehatan",), ("Health Law",)),
    (
        ("UU", 32, 2009),
        ("PPLH", "Perlindungan dan Pengelolaan Lingkungan Hidup", "Lingkungan Hidup"),
        ("Environmental Law", "Environmental Protection and Management Law"),
    ),
    (("UU", 5, 1960), ("Pokok Agraria", "PA"), ("Basic Agrarian Law",)),
    (("UU", 30, 2004), ("Jabatan Notaris",), ("Notary Law",)),
    (("UU", 30, 2014), ("Administrasi Pemerintahan",), ("Government Administration Law",)),
    (("UU", 5, 1986), ("PTUN", "Peradilan Tata Usaha Negara"), ()),
    (("UU", 7, 1989), ("Peradilan Agama",), ()),
    (("UU", 25, 1992), ("Perkoperasian", "Koperasi"), ("Cooperatives Law",)),
    (
        ("UU", 40, 2007),
        ("PT", "Perseroan Terbatas"),
        ("Company Law", "Limited Liability Company Law"),
    ),
    (("UU", 37, 2004), ("Kepailitan", "Kepailitan dan PKPU"), ("Bankruptcy Law",)),
    (
        ("UU", 30, 1999),
        ("Arbitrase", "Arbitrase dan Alternatif Penyelesaian Sengketa"),
        ("Arbitration Law",),
    ),
    (("UU", 4, 1996), ("Hak Tanggungan",), ()),
    (("UU", 42, 1999), ("Fidusia", "Jaminan Fidusia"), ("Fiduciary Law",)),
    (("UU", 7, 1992), ("Perbankan",), ("Banking Law",)),
    (("UU", 4, 2023), ("P2SK", "Pengembangan dan Penguatan Sektor Keuangan"), ()),
    (("UU", 24, 2004), ("LPS", "Lembaga Penjamin Simpanan"), ()),
    (("UU", 28, 2002), ("Bangunan Gedung",), ()),
    (("UU", 20, 2011), ("Rumah Susun",), ()),
    (("UU", 1, 2011), ("Perumahan dan Kawasan Permukiman", "PKP"), ()),
    (("UU", 6, 2014), ("Desa",), ("Village Law",)),
    (("UU", 23, 2014), ("Pemda", "Pemerintahan Daerah"), ("Regional Government Law",)),
    (("UU", 25, 2009), ("Pelayanan Publik",), ("Public Service Law",)),
    (("UU", 37, 2008), ("Ombudsman",), ()),
    (
        ("UU", 14, 2008),
        ("KIP", "Keterbukaan Informasi Publik"),
        ("Public Information Disclosure Law",),
    ),
    (("UU", 40, 1999), ("Pers",), ("Press Law",)),
    (("UU", 44, 2008), ("Pornografi",), ("Pornography Law",)),
    (("UU", 17, 2013), ("Ormas", "Organisasi Kemasyarakatan"), ()),
    (("UU", 39, 1999), ("HAM", "Hak Asasi Manusia"), ("Human Rights Law",)),
    (("UU", 20, 2023), ("ASN", "Aparatur Sipil Negara"), ("Civil Service Law",)),
    (("UU", 2, 2004), ("PPHI", "Penyelesaian Perselisihan Hubungan Industrial"), ()),
    (("UU", 12, 2006), ("Kewarganegaraan",), ("Citizenship Law",)),
    (("UU", 6, 2011), ("Keimigrasian",), ("Immigration Law",)),
    (("UU", 18, 2003), ("Advokat",), ("Advocates Law",)),
    (("UU", 48, 2009), ("Kekuasaan Kehakiman",), ("Judicial Power Law",)),
    (
        ("UU", 13, 2006),
        ("Perlindungan Saksi dan Korban", "PSK"),
        ("Witness and Victim Protection Law",),
    ),
)


def _names(titles: tuple[str, ...], english: tuple[str, ...]) -> tuple[str, ...]:
    """Every way an answer names a law by its title."""
    prefixed = [f"{prefix} {title}" for title in titles for prefix in ("UU", "Undang-Undang")]
    return (*prefixed, *english, *(f"UU{t}" for t in titles if t == "PA"))


LAW_TITLES = Phrasebook(
    [(f"{kind} {number}/{year}", _names(t, e)) for (kind, number, year), t, e in TITLES]
)
TITLED: dict[str, tuple[object, ...]] = {
    f"{kind} {number}/{year}": (kind, number, year) for (kind, number, year), _, _ in TITLES
}
# The key of a law named by its title: it pairs with no numbered law (an amendment may be meant),
# but it stands for that law when what each answer states is counted (`conflicts.subject`).
TITLE = "title"


# Laws and the laws that amend them, by (type, number, year): an answer citing the law by its
# title and one citing its amendment by number cite one statute as it stands ("UU
# Perlindungan Anak" / "UU No. 35 Tahun 2014"). Partial amendments by an omnibus law (UU 6/2023
# amends dozens) are left out: there the two numbers may well be two rules.
_AMENDED_BY: tuple[tuple[tuple[str, int, int], tuple[tuple[str, int, int], ...]], ...] = (
    (("UU", 1, 1974), (("UU", 16, 2019),)),
    (("UU", 23, 2002), (("UU", 35, 2014), ("UU", 17, 2016))),
    (("UU", 23, 2006), (("UU", 24, 2013),)),
    (("UU", 11, 2008), (("UU", 19, 2016), ("UU", 1, 2024))),
    (("UU", 31, 1999), (("UU", 20, 2001),)),
    (("UU", 13, 2006), (("UU", 31, 2014),)),
    (("UU", 6, 2014), (("UU", 3, 2024),)),
    (("UU", 5, 1986), (("UU", 9, 2004), ("UU", 51, 2009))),
    (("UU", 7, 1989), (("UU", 3, 2006), ("UU", 50, 2009))),
    (("UU", 7, 1992), (("UU", 10, 1998),)),
    (("UU", 4, 2009), (("UU", 3, 2020),)),
    (("UU", 16, 2001), (("UU", 28, 2004),)),
    (("UU", 12, 2011), (("UU", 15, 2019), ("UU", 13, 2022))),
    (("UU", 23, 2014), (("UU", 2, 2015), ("UU", 9, 2015))),
    (("UU", 7, 1983), (("UU", 36, 2008),)),
)
AMENDS: dict[tuple[object, ...], tuple[object, ...]] = {
    amendment: law for law, amendments in _AMENDED_BY for amendment in amendments
}


def one_statute(first: tuple[object, ...], second: tuple[object, ...]) -> bool:
    """Are the two laws one statute: a law and its amendment, or two amendments of one law?"""
    return first != second and AMENDS.get(first, first) == AMENDS.get(second, second)
