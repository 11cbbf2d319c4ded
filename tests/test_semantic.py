"""`consensus.agreement.semantic`: which sentence pairs go to the encoder."""

from __future__ import annotations

from consensus.agreement import semantic


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
