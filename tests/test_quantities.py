"""`consensus.agreement.quantities`: amounts of money written as ranges and abbreviations."""

from __future__ import annotations

import pytest

from consensus.agreement import assess
from consensus.agreement.facts import Prepared
from consensus.agreement.quantities import quantities


def money(text: str) -> list[int]:
    return [f.value[0] for f in quantities(Prepared.of(text), []) if f.kind == "money"]


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        # The scale written once applies to both ends of a range.
        ("denda Rp100\u2013500 juta", [100_000_000, 500_000_000]),
        ("denda Rp3-10 miliar", [3_000_000_000, 10_000_000_000]),
        ("denda seratus juta sampai lima ratus juta rupiah", [100_000_000, 500_000_000]),
        ("denda tiga sampai sepuluh miliar rupiah", [3_000_000_000, 10_000_000_000]),
        # Two full amounts stay as written.
        ("denda Rp100.000-Rp500.000", [100_000, 500_000]),
        # Abbreviated scales: English "m" and "bn", Indonesian "M" (miliar), "jt", "rb".
        ("a fine of Rp200m\u2013Rp1bn", [200_000_000, 1_000_000_000]),
        ("Rp50 million\u2013Rp1 billion", [50_000_000, 1_000_000_000]),
        ("Rp 1 M", [1_000_000_000]),
        ("Rp5jt", [5_000_000]),
        ("Rp50rb", [50_000]),
        # Not money: a range of years, then one amount.
        ("penjara 5 sampai 10 tahun dan denda Rp 5 juta", [5_000_000]),
    ],
)
def test_money_ranges_and_abbreviations(text, amounts):
    assert money(text) == amounts


def test_the_same_fine_range_written_two_ways_is_no_conflict():
    fast = "Pelanggarannya pidana: penjara 1\u20135 tahun dan/atau denda Rp100\u2013500 juta."
    validator = (
        "Ancaman pidananya penjara paling singkat satu tahun dan paling lama lima tahun dan/atau "
        "denda seratus juta sampai lima ratus juta rupiah."
    )
    assert not [c for c in assess(fast, validator).conflicts if c.kind == "money"]


def test_a_different_fine_range_is_a_conflict():
    fast = "Denda Rp100\u2013500 juta."
    validator = "Denda Rp200\u2013500 juta."
    assert [c.kind for c in assess(fast, validator).conflicts] == ["money"]
