"""Where in a protokoll's source a front-matter key stands, for the rules' messages."""

from __future__ import annotations

from site_gen.model import Protokoll
from site_gen.problems import Problems
from site_gen.validate.formats import PROTOKOLL
from site_gen.validate.schema import suggest


def line_of(protokoll: Protokoll, key: str) -> int:
    return protokoll.lines.get(key, protokoll.lines.get(key.split(".")[0], 1))


def reported_wrong(protokoll: Protokoll, key: str, problems: Problems) -> bool:
    """Whether the key is in the front matter with a value already reported as wrong, or
    misspelt and reported as an unknown key meant to be this one ('Justeringsdatum'): it
    is then missing from the model, which the rules would take for not given."""
    if key in protokoll.lines:
        return problems.has_error_at(protokoll.source, protokoll.lines[key])
    known = list(PROTOKOLL.fields)
    return any(written not in PROTOKOLL.fields and suggest(written, known) == key
               and problems.has_error_at(protokoll.source, line) for written, line in protokoll.lines.items()
               if "." not in written and not written.startswith("§"))
