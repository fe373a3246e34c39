"""Edit-to-updated-file latency of `site-gen serve`.

    python benchmarks/edit_latency.py [--meetings 1000] [--edits 25]

Generates a corpus, starts the real dev server on it, then edits one protokoll at a
time and measures how long it takes until the edit is in the served output file.
Prints the median and the 90th percentile. Target (issue 4): median ≤ 130 ms at
1,000 meetings.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, step: float = 0.001) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(step)
    raise TimeoutError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = generate(args.meetings, Path(folder) / "site")
        sources = sorted((site / "content").rglob("*-protokoll.md"))
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "site_gen.cli", "serve", "--port", str(port)],
                                  cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            started = time.perf_counter()
            wait_until(lambda: _up(port), timeout=600, step=0.05)
            print(f"{args.meetings} meetings: first build and start {time.perf_counter() - started:.1f} s")
            latencies = []
            for index in range(args.edits):
                source = sources[(index * 37) % len(sources)]
                relative = source.relative_to(site / "content")
                organ, day = relative.parts[0], source.name[:10]
                page = site / "output" / organ / day / "index.html"
                marker = f"Ändring nummer {index}"
                text = source.read_text(encoding="utf-8")
                source.write_text(text.replace("Ordförande förklarade mötet öppnat.",
                                               f"Ordförande förklarade mötet öppnat. {marker}.", 1),
                                  encoding="utf-8")
                latencies.append(wait_until(lambda p=page, m=marker: m in _read(p), timeout=30))
                time.sleep(0.3)  # let the server settle so edits are measured one at a time
            latencies_ms = sorted(t * 1000 for t in latencies)
            print(f"edit-to-updated-file latency over {len(latencies_ms)} edits: "
                  f"median {statistics.median(latencies_ms):.0f} ms, "
                  f"p90 {latencies_ms[int(len(latencies_ms) * 0.9) - 1]:.0f} ms, "
                  f"min {latencies_ms[0]:.0f} ms, max {latencies_ms[-1]:.0f} ms")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)


def _up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


if __name__ == "__main__":
    main()
