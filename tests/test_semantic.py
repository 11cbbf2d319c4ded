"""`consensus.agreement.semantic`: which sentence pairs go to the encoder."""

from __future__ import annotations

from consensus.agreement import assess, semantic


def test_pairs_the_words_decide_or_that_share_no_word_are_not_embedded(monkeypatch):
    embedded: list[str] = []
    monkeypatch.setattr(semantic, "preload", lambda sentences: embedded.extend(sentences))
    monkeypatch.setattr(semantic, "cosine", lambda a, b: 0.9)
    pairs = [
        # Shares most content words: decided by the words.
        ("Perjanjian kerja itu batal demi hukum.", "Perjanjian kerja itu tetap sah."),
        # Shares one content word out of several: the encoder decides.
        ("Pesangon dibayar penuh oleh perusahaan.", "Karyawan kontrak tidak mendapat pesangon."),
        # Shares none.
        ("Kumpul kebo bukan tindak pidana.", "Hidup bersama diancam penjara enam bulan."),
    ]
    assert semantic.same_points(pairs, shared_only=True) == [True, True, False]
    assert embedded == [pairs[1][0], pairs[1][1]]
    embedded.clear()
    # Without `shared_only` every undecided pair is embedded.
    assert semantic.same_points(pairs) == [True, True, True]
    assert embedded == [*pairs[1], *pairs[2]]


def test_the_encoder_is_not_asked_once_the_words_find_a_conclusion_conflict(monkeypatch):
    # "Tidak bisa." against "Bisa." conflicts on the words alone; the readers that ask the
    # encoder (the verdict's main cost) would only name more.
    def no_encoder(*args: object, **kwargs: object) -> list[bool]:
        raise AssertionError("the encoder was asked")

    monkeypatch.setattr(semantic, "same_points", no_encoder)
    monkeypatch.setattr(semantic, "aligned", no_encoder)
    fast = "Tidak bisa. Perjanjian itu batal demi hukum karena tidak ada kesepakatan."
    validator = "Bisa. Perjanjian itu tetap sah karena ada kesepakatan para pihak."
    verdict = assess(fast, validator)
    assert verdict.outcome == "conflict"
    assert all(c.kind == "conclusion" for c in verdict.conflicts)
