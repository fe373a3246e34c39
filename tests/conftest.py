"""Shared helpers: build fixture sites in temporary folders, crawl built output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Builds decide which notices are up by SOURCE_DATE_EPOCH: fix it, so expected output
# does not change with the day the tests run. 2024-03-20 12:00 UTC is while the
# fixture site's notice (2024-03-10 to 2024-04-02) is up.
BUILD_DAY_EPOCH = "1710936000"
os.environ["SOURCE_DATE_EPOCH"] = BUILD_DAY_EPOCH

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


def copy_site(name: str, destination: Path) -> Path:
    """A writable copy of a fixture site (or 'example' for the repository's own site)."""
    target = destination / name
    if name == "example":
        target.mkdir()
        shutil.copy(ROOT / "site.yml", target / "site.yml")
        shutil.copytree(ROOT / "content", target / "content")
    else:
        shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("output"))
    return target


@pytest.fixture
def minisite(tmp_path) -> Path:
    return copy_site("minisite", tmp_path)


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The example site, built once for all tests that only read it."""
    from site_gen.build import build

    site = copy_site("example", tmp_path_factory.mktemp("example"))
    build(site)
    return site / "output"


# Property-based tests: a few examples each in CI, many in a manual fuzzing run
# (HYPOTHESIS_PROFILE=fuzz, see docs/security.md). Hangs are caught by the tests' own
# time limit, not by hypothesis's deadline, which is too jittery on a shared machine.
settings.register_profile(
    "ci", max_examples=15, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")), deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def theme_active_content(tmp_path_factory) -> set[tuple]:
    """The scripts, links and other active content the theme itself puts on pages:
    whatever a clean build of the fixture site has. Anything else came from a source."""
    from helpers import active_content

    from site_gen.build import build

    site = copy_site("minisite", tmp_path_factory.mktemp("clean"))
    build(site)
    known: set[tuple] = set()
    for page in (site / "output").rglob("*.html"):
        known.update(active_content(page.read_text(encoding="utf-8")))
    return known
