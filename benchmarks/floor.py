"""The yardstick: the barest Python pipeline over the same corpus as site-gen.

    python benchmarks/floor.py CORPUS [--processes 2] [--output DIR]

For every source document: read it, split off the front matter, parse that with
PyYAML's CSafeLoader, render the body with markdown-it-py (the same preset site-gen
uses) and one Jinja2 template, and write the page. Nothing else: no validation, no
model, no index pages. With --processes 2 the documents are shared between two
worker processes. Prints the seconds taken; benchmarks/run.py compares site-gen
with this figure measured in the same run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import time
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

TEMPLATE = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{{ meta.kind }} {{ meta.date }}</title></head>
<body>
<header><h1>{{ meta.kind|capitalize }} {{ meta.date }}</h1><p>{{ meta.place }}</p></header>
<main>{{ body|safe }}</main>
</body>
</html>
"""


def _render_all(job: tuple[list[str], str]) -> int:
    paths, output = job
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    out = Path(output)
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        html = template.render(meta=meta, body=md.render(body))
        target = out / path.parent.name / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(paths)


def run(corpus: Path, output: Path, processes: int = 1) -> float:
    """Seconds to turn every document under corpus/content into a page in `output`."""
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    paths = sorted(str(p) for p in (corpus / "content").rglob("*.md") if "bilagor" not in p.parts)
    if processes <= 1:
        _render_all((paths, str(output)))
    else:
        chunks = [(paths[i::processes], str(output)) for i in range(processes)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(_render_all, chunks)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    output = args.output or args.corpus / "floor-output"
    seconds = run(args.corpus, output, args.processes)
    print(f"{seconds:.3f}")


if __name__ == "__main__":
    main()
