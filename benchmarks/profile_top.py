"""Summarize a py-spy `--format raw` profile (folded stacks): top frames by own and total time.

.venv/bin/python benchmarks/profile_top.py bench-results/profile-<stamp>.txt [--top 30]
"""

from __future__ import annotations

import argparse
from collections import Counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--grep", default="", help="only stacks containing this text")
    args = parser.parse_args()
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    with open(args.profile) as folded:
        for line in folded:
            stack, _, count = line.rstrip().rpartition(" ")
            if args.grep and args.grep not in stack:
                continue
            n = int(count)
            samples += n
            frames = stack.split(";")
            own[frames[-1]] += n
            for frame in set(frames):
                total[frame] += n
    print(f"{samples} samples")
    for title, counter in (("own time", own), ("total time (frame on the stack)", total)):
        print(f"\n--- {title}")
        for frame, n in counter.most_common(args.top):
            print(f"{n / samples:6.1%}  {frame[:140]}")


if __name__ == "__main__":
    main()
