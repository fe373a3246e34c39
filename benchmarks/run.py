"""site-gen's build benchmark, measured against the bare Python floor in the same run.

    python benchmarks/run.py [--sizes 1000,5000,20000] [--repeat 1] [--smoke]

For each corpus size N (benchmarks/generate.py), runs as fresh processes:

- floor.py with one process and with two: the yardstick (benchmarks/floor.py);
- a cold build: no output/, no .site-gen-cache/;
- a warm build with nothing changed: a new process, with the cache of the cold build;
- one edited file: a new process, after changing one protokoll.

Each time is the best of --repeat runs, and each is also shown as a ratio to both
floor figures. Peak memory is the largest total memory of the build's process tree
(the build and its helper processes, sampled every 20 ms or less often for large
processes, as proportional set size,
so pages that forked helpers share with the build count once; a child started with
vfork and not yet running its own program is the build's memory, not counted again),
and, in brackets,
the largest resident size of any single process as the kernel reports it.
After the table, each of issue 6's targets with the figures it is judged by and
whether it is met. --smoke runs a tiny corpus once, for CI.
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

EDIT_FROM = "Ordförande förklarade mötet öppnat."


@dataclass
class Measure:
    seconds: float
    tree_mib: float  # peak of the summed proportional memory of the process tree
    process_mib: float  # peak of the largest single process


def measure(command: list[str], cwd: Path) -> Measure:
    """Run `command` to the end; its wall time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _TreeSampler(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error[-2000:]}")
    largest = usage.ru_maxrss / 1024  # KiB on Linux
    return Measure(seconds, sampler.peak_kib / 1024 or largest, largest)


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.running = True

    def stop(self) -> None:
        self.running = False
        self.join()

    def run(self) -> None:
        while self.running:
            started = time.perf_counter()
            self.peak_kib = max(self.peak_kib, sum(_memory_kib(p) for p in _tree(self.pid)))
            # Reading a large process's memory map takes the kernel a while: sample
            # less often then, so the sampler never takes much from the build it measures.
            time.sleep(max(0.02, 10 * (time.perf_counter() - started)))


def _tree(pid: int) -> list[int]:
    """The process and its descendants, each memory counted once: a child started
    with vfork shares its parent's memory until it runs its program (Python starts
    Pagefind that way), and its memory map, read then, is the parent's."""
    found, queue = [], [(pid, 0)]
    while queue:
        current, parent = queue.pop()
        if parent and _same_memory(parent, current):
            continue
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    queue.extend((int(child), current) for child in handle.read().split())
        except OSError:
            continue
    return found


# kcmp(2)'s system call number, for a 64-bit Python (a 32-bit one numbers them otherwise)
_KCMP = {"x86_64": 312, "aarch64": 272}.get(platform.machine()) if sys.maxsize > 2**32 else None
_KCMP_VM = 1


@functools.cache
def _system_calls():
    return ctypes.CDLL(None)


def _same_memory(first: int, second: int) -> bool:
    """Whether two processes share one address space (kcmp(2); False where it is missing
    or not allowed, as in containers that filter it)."""
    if _KCMP is None or not sys.platform.startswith("linux"):
        return False
    return _system_calls().syscall(_KCMP, first, second, _KCMP_VM, 0, 0) == 0


def can_compare_memory() -> bool:
    return _same_memory(os.getpid(), os.getpid())


def _memory_kib(pid: int) -> int:
    """Proportional set size: resident memory, with each shared page split between
    the processes sharing it (resident size where the kernel does not tell)."""
    for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as handle:
                for line in handle:
                    if line.startswith(field):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def best(command: list[str], cwd: Path, repeat: int, before=None) -> Measure:
    results = []
    for _ in range(repeat):
        if before:
            before()
        results.append(measure(command, cwd))
    return Measure(min(r.seconds for r in results), max(r.tree_mib for r in results),
                   max(r.process_mib for r in results))


def benchmark(size: int, work: Path, repeat: int) -> list[tuple[str, Measure]]:
    site = work / f"corpus-{size}"
    if not (site / "site.yml").exists():
        generate(size, site)
    python = sys.executable
    floor = [python, str(HERE / "floor.py"), str(site), "--output", str(work / "floor-output")]
    build = [python, "-m", "site_gen.cli", "build", "--quiet"]

    def clean() -> None:
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".site-gen-cache", ignore_errors=True)

    def clean_floor() -> None:
        shutil.rmtree(work / "floor-output", ignore_errors=True)

    rows = [("floor, 1 process", best(floor + ["--processes", "1"], site, repeat, before=clean_floor)),
            ("floor, 2 processes", best(floor + ["--processes", "2"], site, repeat, before=clean_floor))]
    clean_floor()
    rows.append(("cold build", best(build, site, repeat, before=clean)))
    rows.append(("warm, nothing changed", best(build, site, repeat)))
    edited = sorted((site / "content").rglob("*-protokoll.md"))[len(rows) * 7 % size]
    counter = iter(range(1_000_000))

    def edit() -> None:
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace(EDIT_FROM, f"{EDIT_FROM} Ändring {next(counter)}.", 1),
                          encoding="utf-8")

    rows.append(("one file edited", best(build, site, repeat, before=edit)))
    _check_edit_published(site, edited)
    return rows


def _check_edit_published(site: Path, edited: Path) -> None:
    """The benchmark measures real builds: the last edit must be on its page."""
    organ = edited.relative_to(site / "content").parts[0]
    page = site / "output" / organ / edited.name[:10] / "index.html"
    if "Ändring" not in page.read_text(encoding="utf-8"):
        raise SystemExit(f"the edit of {edited} did not reach {page}")


# Issue 6's targets: (what, the step, the size it is judged at (None: every size), the limit).
# Times are judged against the one-process floor; memory is the process tree's peak over
# the build steps.
TARGETS = [
    ("cold build ≤ 1.2× floor", "cold build", None, 1.2),
    ("warm, nothing changed ≤ 0.2× floor", "warm, nothing changed", None, 0.2),
    ("one file edited ≤ 0.1× floor at 1,000", "one file edited", 1000, 0.1),
    ("peak memory ≤ 400 MiB at 20,000", "memory", 20000, 400),
]
BUILD_STEPS = ("cold build", "warm, nothing changed", "one file edited")


def verdicts(results: dict[int, list[tuple[str, Measure]]]) -> str:
    """One line per target: the figures it is judged by, and whether it is met."""
    lines = ["targets:"]
    for label, step, size, limit in TARGETS:
        sizes = [n for n in results if size is None or n == size]
        if not sizes:
            lines.append(f"  {label:<40} not measured (needs --sizes {size})")
            continue
        figures = {n: _figure(results[n], step) for n in sizes}
        unit = " MiB" if step == "memory" else "×"
        shown = ", ".join(f"{value:.{0 if step == 'memory' else 2}f}{unit} at {n:,}"
                          for n, value in figures.items())
        met = all(value <= limit for value in figures.values())
        lines.append(f"  {label:<40} {shown}: {'met' if met else 'not met'}")
    return "\n".join(lines)


def _figure(rows: list[tuple[str, Measure]], step: str) -> float:
    measures = dict(rows)
    if step == "memory":
        return max(measures[name].tree_mib for name in BUILD_STEPS)
    return measures[step].seconds / measures["floor, 1 process"].seconds


def table(results: dict[int, list[tuple[str, Measure]]]) -> str:
    header = (f"{'meetings':>8}  {'step':<22} {'seconds':>8} {'× floor 1p':>10} {'× floor 2p':>10} "
              f"{'peak MiB (largest process)':>27}")
    lines = [header, "-" * len(header)]
    for size, rows in results.items():
        floor1, floor2 = rows[0][1].seconds, rows[1][1].seconds
        for name, m in rows:
            lines.append(f"{size:>8}  {name:<22} {m.seconds:>8.2f} {m.seconds / floor1:>10.2f} "
                         f"{m.seconds / floor2:>10.2f} {m.tree_mib:>12.0f} ({m.process_mib:.0f})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000",
                        help="comma-separated numbers of meetings (default: 1000,5000,20000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; the best is shown")
    parser.add_argument("--smoke", action="store_true", help="one quick run at 50 meetings, for CI")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for corpora and output (default: a temporary folder)")
    args = parser.parse_args()
    sizes = [50] if args.smoke else [int(n) for n in args.sizes.split(",")]
    repeat = 1 if args.smoke else args.repeat
    work = args.work or Path(tempfile.mkdtemp(prefix="site-gen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"best of {repeat}", flush=True)
    if not can_compare_memory():
        print("note: kcmp(2) is not available here; a helper caught between vfork and exec "
              "would count the build's memory twice", file=sys.stderr)
    results = {}
    try:
        for size in sizes:
            results[size] = benchmark(size, work, repeat)
            print(table({size: results[size]}).split("\n", 2)[2], file=sys.stderr, flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    print(verdicts(results))


if __name__ == "__main__":
    main()
