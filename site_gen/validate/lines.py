"""Where in a protokoll's source a front-matter key stands, for the rules' messages."""

from __future__ import annotations

from site_gen.model import Protokoll
from site_gen.problems import Problems


def line_of(protokoll: Protokoll, key: str) -> int:
    return protokoll.lines.get(key, protokoll.lines.get(key.split(".")[0], 1))


def reported_wrong(protokoll: Protokoll, key: str, problems: Problems) -> bool:
    """Whether the key is in the front matter with a value already reported as wrong
    (it is then missing from the model, which the rules would take for not given)."""
    return key in protokoll.lines and problems.has_error_at(protokoll.source, protokoll.lines[key])
