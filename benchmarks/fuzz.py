"""The manual fuzzing run: the property-based tests of hostile input with many examples,
round after round with a new seed each time, for a given number of minutes.

    python benchmarks/fuzz.py --minutes 12 [--examples 150]

Each round runs tests/test_hostile_input.py with HYPOTHESIS_PROFILE=fuzz. At the end it
prints the rounds, the examples run (as hypothesis counts them) and the failures; a
failing round keeps its output in benchmarks/fuzz-round-N.log and exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Hypothesis has written its statistics both as "- 150 passing, 0 failing, and 12 invalid
# test cases" and as "- 150 passing examples, 0 failing examples, 12 invalid examples".
COUNTS = re.compile(r"- (\d+) passing(?: examples)?, (\d+) failing(?: examples)?, (?:and )?(\d+) invalid")


def run_round(seed: int, examples: int) -> tuple[int, int, int, str, bool]:
    env = dict(os.environ, HYPOTHESIS_PROFILE="fuzz", FUZZ_EXAMPLES=str(examples))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_hostile_input.py",
         "--hypothesis-show-statistics", f"--hypothesis-seed={seed}"],
        cwd=ROOT, env=env, capture_output=True, text=True)
    passing = failing = invalid = 0
    for match in COUNTS.finditer(result.stdout):
        passing += int(match.group(1))
        failing += int(match.group(2))
        invalid += int(match.group(3))
    return passing, failing, invalid, result.stdout + result.stderr, result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=12.0, help="how long to go on starting rounds")
    parser.add_argument("--examples", type=int, default=150, help="examples per test and round")
    args = parser.parse_args()
    started = time.monotonic()
    totals = [0, 0, 0]
    rounds = failed = 0
    while time.monotonic() - started < args.minutes * 60:
        rounds += 1
        seed = int(time.time())
        passing, failing, invalid, output, ok = run_round(seed, args.examples)
        totals = [totals[0] + passing, totals[1] + failing, totals[2] + invalid]
        elapsed = (time.monotonic() - started) / 60
        print(f"round {rounds} (seed {seed}): {passing} passing, {failing} failing, {invalid} invalid "
              f"examples; {'ok' if ok else 'FAILED'}; {elapsed:.1f} min", flush=True)
        if not ok:
            failed += 1
            log = Path(__file__).parent / f"fuzz-round-{rounds}.log"
            log.write_text(output, encoding="utf-8")
            print(f"  output kept in {log}", flush=True)
    minutes = (time.monotonic() - started) / 60
    print(f"fuzzing: {minutes:.1f} min, {rounds} rounds, {sum(totals)} examples "
          f"({totals[0]} passing, {totals[1]} failing, {totals[2]} invalid), {failed} failed rounds")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
