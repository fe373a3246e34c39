"""Two builds of the same sources give byte-identical output, wherever and whenever
they run: nothing in the output comes from the wall clock, the order of a hash, the
files' times, the locale, the time zone or the folder the site is in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import visible_text

ROOT = Path(__file__).resolve().parent.parent

# Runs the real command line with the clock moved years ahead, the way libfaketime
# would: time.time, date.today and datetime.now all see the shifted time.
SHIFTED_CLOCK = """
import datetime as _dt, sys, time
OFFSET = float(sys.argv.pop(1))
_time, _time_ns = time.time, time.time_ns
time.time = lambda: _time() + OFFSET
time.time_ns = lambda: _time_ns() + int(OFFSET * 1e9)
_real_date, _real_datetime = _dt.date, _dt.datetime
class _IsReal(type):  # libraries' isinstance checks still accept the real classes' objects
    def __instancecheck__(cls, obj):
        return isinstance(obj, _real_datetime if cls.__name__ == "_DateTime" else _real_date)
class _Date(_dt.date, metaclass=_IsReal):
    @classmethod
    def today(cls):
        return _dt.date.fromtimestamp(time.time())
class _DateTime(_dt.datetime, metaclass=_IsReal):
    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.fromtimestamp(time.time(), tz)
    @classmethod
    def utcnow(cls):
        return _dt.datetime.utcfromtimestamp(time.time())
    @classmethod
    def today(cls):
        return cls.now()
_dt.date, _dt.datetime = _Date, _DateTime
from site_gen.cli import main
sys.exit(main())
"""
TEN_YEARS = 10 * 365 * 86400


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_with(site: Path, clock_offset: float, **env: str) -> Path:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED", "TZ", "LC_ALL", "LANG")}
    environment.update(env)
    result = subprocess.run([sys.executable, "-c", SHIFTED_CLOCK, str(clock_offset), "build", "--quiet"],
                            cwd=site, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return site / "output"


def test_clock_shift_reaches_the_build(tmp_path):
    """The shifted clock is real: `site-gen new` without --date takes today's date from it."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minisite", site)
    result = subprocess.run([sys.executable, "-c", SHIFTED_CLOCK, str(TEN_YEARS * 3), "new", "kallelse",
                             "--organ", "styrelsen"], cwd=site, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    written = result.stdout.split()[-1]
    assert written.startswith("content/styrelsen/20") and int(written.split("/")[-1][:4]) >= 2050


def test_same_sources_elsewhere_later_give_identical_bytes(tmp_path, minisite):
    other = tmp_path / "ett annat ställe" / "djupare" / "webbplats"
    shutil.copytree(minisite, other)
    for index, path in enumerate(sorted(other.rglob("*"))):  # other file times, other order of change
        os.utime(path, ns=(10**18 - index * 10**12, 10**18 - index * 10**12))
    (other / "templates").mkdir()  # an empty folder of overrides changes nothing
    first = build_with(minisite, 0, SOURCE_DATE_EPOCH="1700000000", PYTHONHASHSEED="1",
                       TZ="UTC", LC_ALL="C")
    second = build_with(other, TEN_YEARS + 12345.678, SOURCE_DATE_EPOCH="1700000000",
                        PYTHONHASHSEED="4242", TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8")
    assert tree(first) == tree(second)


def test_example_site_is_reproducible_with_hash_seeds_and_clocks(tmp_path):
    sites = []
    for name in ("a", "b"):
        site = tmp_path / name
        site.mkdir()
        shutil.copy(ROOT / "site.yml", site / "site.yml")
        shutil.copytree(ROOT / "content", site / "content")
        sites.append(site)
    first = build_with(sites[0], 0, PYTHONHASHSEED="0")
    second = build_with(sites[1], -TEN_YEARS, PYTHONHASHSEED="987654")
    assert tree(first) == tree(second)


def test_output_holds_no_absolute_paths(tmp_path, minisite):
    output = build_with(minisite, 0)
    for path, data in tree(output).items():
        text = data.decode("utf-8", errors="replace")
        assert str(minisite) not in text and str(tmp_path) not in text, path
        assert str(Path.home()) + "/" not in text, path
        assert "file://" not in text, path


def test_no_page_shows_the_build_time(minisite):
    """Dates on pages are meeting, justering and notice dates, never the day of the build."""
    import datetime as dt

    now = tree(build_with(minisite, 0))
    assert tree(build_with(minisite, TEN_YEARS)) == now
    today = dt.date.today()
    for path, data in now.items():
        if path.endswith(".html"):
            text = visible_text(data.decode("utf-8"))
            assert today.isoformat() not in text, path
