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
whether it is met; then the least time a cold build and an edit could take at all
with the search index: the floor's own work and Pagefind indexing the floor's pages
(every page, and the edited file's year), with nothing else and both cores busy.
--smoke runs a tiny corpus once, for CI.

What a step leaves behind (an output folder, a cache) is moved aside, and deleted only
when the run ends: on ext4 a file made soon after thousands were deleted is slow to
make (see `set_aside`).
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
EDITED = 28  # the protokoll the edit step changes, counted in path order
# The corpus runs past today (to 2098 at 20,000 meetings): built as of its end, as a site
# is built after its last meeting, or every justering still to come would be warned about.
BUILD_DAY = "4102401600"  # SOURCE_DATE_EPOCH of 2099-12-31


def _build_environment() -> dict[str, str]:
    """The environment every measured command runs in. Python may write its bytecode: an
    installation compiles each module once, and a machine set not to (PYTHONDONTWRITEBYTECODE)
    would have every run compile site-gen's modules again, 0.12 s of each build."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


@dataclass
class Measure:
    seconds: float
    tree_mib: float  # peak of the summed proportional memory of the process tree
    process_mib: float  # peak of the largest single process
    cpu_seconds: float = 0.0  # user and system time of the process and its threads


def measure(command: list[str], cwd: Path) -> Measure:
    """Run `command` to the end; its wall time and peak memory."""
    # What the command says goes to a file: a pipe read only at the end would stop a
    # command that says more than the pipe holds (a failing build lists every problem).
    with tempfile.TemporaryFile() as said:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=said,
                                   env=_build_environment())
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        said.seek(0)
        error = said.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error[-2000:]}")
    largest = usage.ru_maxrss / 1024  # KiB on Linux
    return Measure(seconds, sampler.peak_kib / 1024 or largest, largest, usage.ru_utime + usage.ru_stime)


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
                   max(r.process_mib for r in results), min(r.cpu_seconds for r in results))


DISCARDED = ".discarded"  # in the work folder: what set_aside moved there


def set_aside(path: Path, work: Path) -> None:
    """Move `path` out of the way, to be deleted when the run ends (`empty_discarded`).

    ext4 does not give a new file the inode of one deleted in the last one to six
    minutes (fs/ext4/ialloc.c, recently_deleted), and reads the inode table to find
    which those are. Right after thousands of files were deleted, making new ones cost
    a build several times its usual system time: four cold builds in a row, each after
    deleting the last one's output, took 1.4, 2.7, 3.9 and 5.1 system CPU-seconds,
    whatever the code. A benchmark that deleted between its steps measured its own
    deleting. What is set aside takes its room on disk until then: a few GB for a run
    of 20,000 meetings with --repeat 3."""
    if path.exists():
        folder = work / DISCARDED
        folder.mkdir(exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(dir=folder)) / path.name)


def empty_discarded(work: Path) -> None:
    shutil.rmtree(work / DISCARDED, ignore_errors=True)


def benchmark(size: int, work: Path, repeat: int) -> tuple[list[tuple[str, Measure]], Bounds]:
    site = work / f"corpus-{size}"
    if not (site / "site.yml").exists():
        generate(size, site)
    python = sys.executable
    floor = [python, str(HERE / "floor.py"), str(site), "--output", str(work / "floor-output")]
    build = [python, "-m", "site_gen.cli", "build", "--quiet"]

    def clean() -> None:
        set_aside(site / "output", work)
        set_aside(site / ".site-gen-cache", work)

    def clean_floor() -> None:
        set_aside(work / "floor-output", work)

    rows = [("floor, 1 process", best(floor + ["--processes", "1"], site, repeat, before=clean_floor)),
            ("floor, 2 processes", best(floor + ["--processes", "2"], site, repeat, before=clean_floor))]
    edited = sorted((site / "content").rglob("*-protokoll.md"))[EDITED % size]
    least = bounds(work / "floor-output", rows[0][1].seconds, int(edited.parent.name), repeat)
    clean_floor()
    rows.append(("cold build", best(build, site, repeat, before=clean)))
    rows.append(("warm, nothing changed", best(build, site, repeat)))
    counter = iter(range(1_000_000))

    def edit() -> None:
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace(EDIT_FROM, f"{EDIT_FROM} Ändring {next(counter)}.", 1),
                          encoding="utf-8")

    rows.append(("one file edited", best(build, site, repeat, before=edit)))
    _check_edit_published(site, edited)
    return rows, least


@dataclass
class Bounds:
    """The least time any build can take that does the floor's work and indexes the
    pages with Pagefind, a bundle per year as site-gen does, however well it is made."""
    floor: float  # floor.py in one process: read, YAML, Markdown, template, write
    start: float  # a new Python process importing PyYAML, markdown-it-py and Jinja2
    index_cpu: float  # CPU-seconds of Pagefind indexing every page of the floor, in one run
    year_index: float  # seconds of Pagefind indexing the pages of the edited file's year
    cores: int

    def cold(self) -> float:
        """Every core busy with the floor's work and the index, and nothing else."""
        return (self.floor + self.index_cpu) / self.cores

    def edit(self) -> float:
        """Python started with its libraries, then the edited page's year indexed again
        (which needs the page written, so nothing of the two overlaps)."""
        return self.start + self.year_index


def bounds(floor_output: Path, floor_seconds: float, year: int, repeat: int) -> Bounds:
    """Measure what Bounds needs, on the pages floor.py wrote (floor-output/<year>/<name>/)."""
    start = best([sys.executable, "-c", "import yaml, markdown_it, jinja2"], floor_output, max(3, repeat))
    every_page = _measure_pagefind(floor_output, "*/*/index.html", repeat)
    one_year = _measure_pagefind(floor_output, f"{year}/*/index.html", repeat)
    return Bounds(floor_seconds, start.seconds, every_page.cpu_seconds, one_year.seconds, os.cpu_count() or 1)


def _measure_pagefind(pages: Path, glob: str, repeat: int) -> Measure:
    """Pagefind indexing the pages below `pages` that `glob` matches, with the options
    site-gen gives it."""
    from site_gen.write.search import pagefind_program

    work = pages.parent
    index = work / "bounds-index"
    command = [str(pagefind_program()), "--site", str(pages), "--glob", glob,
               "--output-path", str(index), "--silent"]
    result = best(command, pages, repeat, before=lambda: set_aside(index, work))
    # A measured run that indexed nothing would make the bound meaningless.
    indexed = len(list((index / "fragment").iterdir())) if (index / "fragment").is_dir() else 0
    expected = len(list(pages.glob(glob)))
    set_aside(index, work)
    if not expected or indexed != expected:
        raise SystemExit(f"Pagefind indexed {indexed} of the {expected} pages {pages}/{glob}")
    return result


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


def bounds_table(least: dict[int, Bounds]) -> str:
    """The least a build with the search index can take, beside the targets it bears on."""
    lines = ["least possible with the search index (the floor's work and Pagefind's, nothing else):"]
    for size, bound in least.items():
        lines.append(f"  cold build at {size:,}: {bound.cold() / bound.floor:.2f}× "
                     f"(floor {bound.floor:.2f} s + Pagefind {bound.index_cpu:.2f} CPU-s, "
                     f"on {bound.cores} cores)")
        lines.append(f"  one file edited at {size:,}: {bound.edit() / bound.floor:.2f}× "
                     f"(Python and its libraries {bound.start:.2f} s + Pagefind for one year "
                     f"{bound.year_index:.2f} s)")
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
    results, least = {}, {}
    try:
        for size in sizes:
            results[size], least[size] = benchmark(size, work, repeat)
            print(table({size: results[size]}).split("\n", 2)[2], file=sys.stderr, flush=True)
    finally:
        empty_discarded(work)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    print(verdicts(results))
    print(bounds_table(least))


if __name__ == "__main__":
    main()
