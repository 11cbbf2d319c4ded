"""The wording baseline `consensus.agreement.similarity`, kept to order scores within a verdict."""

from __future__ import annotations

import pytest

from consensus.agreement.similarity import similarity


@pytest.mark.parametrize(
    ("first", "second", "low", "high"),
    [
        ("", "", 1.0, 1.0),
        ("", "jawaban", 0.0, 0.0),
        ("Pasal 362 KUHP", "pasal 362 kuhp!", 1.0, 1.0),
        ("penjara lima tahun", "lima tahun penjara", 1.0, 1.0),
        (
            "5 tahun penjara maksimal",
            "Pasal 362 KUHP, maksimal 5 tahun penjara, atau denda maksimal...",
            0.40,
            0.50,
        ),
        ("Kontrak sah bila memenuhi empat syarat.", "Cuaca hari ini cerah sekali.", 0.0, 0.5),
    ],
)
def test_similarity_bounds(first, second, low, high):
    assert low <= similarity(first, second) <= high
