"""Benchmark of `consensus.agreement.assess` on labelled answer pairs.

    .venv/bin/python benchmarks/agreement.py                       # the held-out pairs
    .venv/bin/python benchmarks/agreement.py --pairs tests/data/agreement_real_tune.jsonl
    .venv/bin/python benchmarks/agreement.py --pairs FILE ... --show-misses

Prints, per kind of pair, how often the verdict is right at the configured moderate threshold
(a correction exactly when the score is below it) and how often the outcome (agree / supplement /
conflict) matches the label, ROC AUC, with the old wording score (`similarity`) as the baseline;
then the steady-state time per pair (model loaded, one warm-up pass, per-pair caches emptied)
for pairs of answers up to 2,000 characters, and the semantic layer's size and memory. A row's
`question` (the user's prompt) is passed to `assess` as the engine passes it (`--no-question`:
without it).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consensus.agreement import assess, semantic  # noqa: E402
from consensus.agreement.confidence import Policy  # noqa: E402
from consensus.agreement.facts import stem  # noqa: E402
from consensus.agreement.similarity import similarity  # noqa: E402

DEFAULT_PAIRS = [ROOT / "tests" / "data" / "agreement_real_holdout.jsonl"]
Row = dict[str, object]


def load(paths: list[Path]) -> list[Row]:
    rows: list[Row] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def kind_of(row: Row) -> str:
    """The reporting group: the issue's kinds, fact conflicts also by the fact that differs."""
    category = str(row["category"])
    return "paraphrase (incl. terse)" if category in ("paraphrase", "terse") else category


def roc_auc(scores: list[float], agree: list[bool]) -> float:
    """Probability that an agreeing pair outscores a disagreeing one (ties count half)."""
    pos = [s for s, a in zip(scores, agree, strict=True) if a]
    neg = [s for s, a in zip(scores, agree, strict=True) if not a]
    if not pos or not neg:
        return float("nan")
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def asked(row: Row, use: bool) -> str | None:
    """The row's question (the user's prompt the engine passes to `assess`), if it has one."""
    question = row.get("question")
    return str(question) if use and question else None


def accuracy_table(rows: list[Row], show_misses: bool, questions: bool) -> None:
    threshold = Policy().moderate_similarity
    verdicts = [
        assess(str(r["fast"]), str(r["validator"]), question=asked(r, questions)) for r in rows
    ]
    baseline = [similarity(str(r["fast"]), str(r["validator"])) for r in rows]
    agree = [bool(r["agree"]) for r in rows]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[kind_of(row)].append(i)
        if row.get("kind"):
            groups[f"  fact_conflict:{row['kind']}"].append(i)
    print(f"{len(rows)} pairs, threshold {threshold} (a correction when the score is below it)\n")
    print(f"{'kind':30}{'n':>4}{'verdict right':>15}{'outcome right':>15}{'baseline':>10}")
    for label in sorted(groups, key=lambda g: (g.strip().split(":")[0], g)):
        idx = groups[label]
        right = sum((verdicts[i].score >= threshold) == agree[i] for i in idx)
        labelled = [i for i in idx if rows[i].get("outcome")]
        outcome = sum(verdicts[i].outcome == rows[i]["outcome"] for i in labelled)
        base = sum((baseline[i] >= threshold) == agree[i] for i in idx)
        outcome_cell = f"{100 * outcome / len(labelled):14.1f}%" if labelled else f"{'-':>15}"
        print(
            f"{label:30}{len(idx):>4}{100 * right / len(idx):14.1f}%{outcome_cell}"
            f"{100 * base / len(idx):9.1f}%"
        )
    scores = [v.score for v in verdicts]
    auc, base_auc = roc_auc(scores, agree), roc_auc(baseline, agree)
    print(f"\nROC AUC: verdict {auc:.3f}, baseline {base_auc:.3f}")
    # Where `CONSENSUS_JUDGE` would be asked (the verdicts the rules leave uncertain), and which
    # of the rules' misses it would see; what it answers needs the real validator model.
    judged = [i for i, v in enumerate(verdicts) if v.uncertain]
    missed = [i for i in range(len(rows)) if (scores[i] >= threshold) != agree[i]]
    opposite = [i for i in missed if kind_of(rows[i]) == "opposite_conclusion"]
    share = 100 * len(judged) / len(rows)
    print(
        f"judge (if on) asked on {len(judged)} of {len(rows)} ({share:.1f}%),"
        f" holding {sum(verdicts[i].uncertain for i in missed)} of the {len(missed)} misses"
        f" ({sum(verdicts[i].uncertain for i in opposite)} of {len(opposite)} opposite"
        " conclusions)"
    )
    if show_misses:
        print("\nmisses:")
        for i, row in enumerate(rows):
            if (scores[i] >= threshold) != agree[i]:
                found = [(c.kind, c.fast[:50], c.validator[:50]) for c in verdicts[i].conflicts]
                print(f"  {scores[i]:.3f} {verdicts[i].outcome:10} {row['id']}  {found}")


def long_pairs(rows: list[Row], size: int = 2000) -> list[tuple[str, str, str | None]]:
    """Pairs of answers of about `size` characters: each answer followed by others of its file
    until it is that long (real sentences, real facts, the worst case the budget is for)."""
    texts = [str(r[side]) for r in rows for side in ("fast", "validator")]
    pairs = []
    for i in range(0, len(texts) - 1, 2):
        grown = []
        for start in (i, i + 1):
            text, k = texts[start], start + 2
            while len(text) < size and k < len(texts):
                text += "\n\n" + texts[k]
                k += 2
            grown.append(text[:size])
        pairs.append((grown[0], grown[1], asked(rows[i // 2], True)))
    return pairs


def load_model() -> None:
    """Load the semantic layer first, to report its load time and memory."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    loaded = semantic.warm_up()
    load_s = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    state = "loaded" if loaded else "NOT available (words only)"
    print(f"semantic layer: {state} in {load_s:.2f} s, max RSS +{(after - before) / 1024:.0f} MB\n")


def timing(rows: list[Row], repeat: int, questions: bool) -> None:
    written = [(str(r["fast"]), str(r["validator"]), asked(r, questions)) for r in rows]
    grown = [(f, v, q if questions else None) for f, v, q in long_pairs(rows)]
    for label, pairs in (
        ("answers as written", written),
        ("answers grown to ~2,000 characters", grown),
    ):
        for fast, validator, question in pairs:  # warm-up pass: steady state
            assess(fast, validator, question=question)
        times = []
        for fast, validator, question in pairs:
            best = float("inf")
            for _ in range(repeat):
                stem.cache_clear()
                semantic.clear_cache()
                start = time.perf_counter()
                assess(fast, validator, question=question)
                best = min(best, time.perf_counter() - start)
            times.append(best * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        longest = max(max(len(a), len(b)) for a, b, _ in pairs)
        print(
            f"ms per pair, {label} (n={len(pairs)}, up to {longest} chars): "
            f"p50 {statistics.median(times):.1f}, p95 {p95:.1f}, max {times[-1]:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=Path, nargs="+", default=DEFAULT_PAIRS)
    parser.add_argument("--repeat", type=int, default=3, help="runs per pair for timing (best)")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument(
        "--no-question",
        action="store_true",
        help="judge without the rows' questions (as `assess(fast, validator)` alone)",
    )
    args = parser.parse_args()
    rows = load(args.pairs)
    if not args.no_timing:
        load_model()
    accuracy_table(rows, args.show_misses, not args.no_question)
    if not args.no_timing:
        timing(rows, args.repeat, not args.no_question)


if __name__ == "__main__":
    main()
