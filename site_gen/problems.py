"""Problems found in sources, reported to the writer as ``path:line: message``.

Every stage appends to one :class:`Problems` collection instead of raising, so a
single run reports every mistake in every file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    severity: str
    message: str
    hint: str = ""
    # The day by the clock a problem was found on, for one that the passing of days can
    # settle (a justering dated ahead): a build reusing the last one's output tells it
    # again on that day only.
    as_of: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.column:
            where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class Problems:
    """Collects problems; `root` makes paths relative so messages stay short."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)

    def relative(self, path: Path | str) -> str:
        """`path` as shown in messages: relative to the site's folder."""
        path = Path(path)
        if self.root is not None:
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def error(self, path, line: int, message: str, hint: str = "", column: int = 0) -> None:
        self.items.append(Problem(self.relative(path), line, column, ERROR, message, hint))

    def warning(self, path, line: int, message: str, hint: str = "", column: int = 0,
                as_of: str = "") -> None:
        self.items.append(Problem(self.relative(path), line, column, WARNING, message, hint, as_of))

    def has_error_at(self, path, line: int, last_line: int | None = None) -> bool:
        """Whether an error was already reported at this line (or up to `last_line`): a
        rule that depends on a value the writer must fix first stays silent rather than
        add a second message."""
        where = self.relative(path)
        last = line if last_line is None else last_line
        return any(line <= p.line <= last and p.path == where and p.severity == ERROR for p in self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.column, p.message))


class SiteGenError(Exception):
    """A failure the user can fix; printed without a traceback."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


def print_problems(problems: Iterable[Problem], stream=None) -> None:
    """Each problem on a line of its own, on standard error unless told otherwise."""
    for problem in problems:
        print(problem.format(), file=stream or sys.stderr)


def counted(number: int, word: str) -> str:
    """'1 error', '3 warnings'."""
    return f"{number} {word}{'' if number == 1 else 's'}"
