"""Split a source file into YAML front matter and Markdown body, keeping line numbers.

YAML is composed into nodes and turned into plain Python values here, so that every
value keeps the line it came from (counted in the whole file, not from the fence) and
duplicate keys are caught instead of silently overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader

FENCE = "---"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
STRING_TAG = "tag:yaml.org,2002:str"
PLAIN_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
# Guards against "billion laughs" alias bombs and absurd nesting in hostile input.
MAX_NODES = 50_000  # a real protokoll has a few hundred
MAX_DEPTH = 60
SAFE_NESTING = 1000  # libyaml composes this deep without trouble (it fails near 50,000)

Path_ = tuple  # a key path into the data, e.g. ("paragraphs", 48, "topics", 0)


class SourceSyntaxError(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str = "", also=()):
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint
        self.also: list[SourceSyntaxError] = list(also)  # more of the same kind, found with it

    def each(self) -> list[SourceSyntaxError]:
        return [self, *self.also]


@dataclass
class Located:
    """Parsed YAML with the file position of every value and the raw text of scalars."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    columns: dict[Path_, int] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), self.first_line)


@dataclass
class SplitSource:
    front: str
    front_line: int  # file line of the first YAML line
    body: str
    body_line: int  # file line of the first body line


# '---' as a word processor may type it: en or em dashes, a minus sign, or one long dash.
OTHER_DASHES = re.compile(r"^[ \t]*(?=[-–—‒−―]*[–—‒−―])[-–—‒−―]{1,3}[ \t]*$")


def split_front_matter(text: str) -> SplitSource:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        opening = next((index for index, line in enumerate(lines) if line.strip()), None)
        if opening and lines[opening].strip() == FENCE:  # blank lines or spaces before it
            raise SourceSyntaxError(1, 0, "the file does not start with front matter: the line '---' "
                                    f"that opens it is line {opening + 1}",
                                    "remove the empty lines above it, so that '---' is the first line")
        if lines and lines[0].strip() == FENCE:
            raise SourceSyntaxError(1, 0, "the file does not start with front matter: the line '---' "
                                    "that opens it has spaces before it",
                                    "remove the spaces, so that the line is '---' alone")
        if lines and OTHER_DASHES.match(lines[0]):
            raise SourceSyntaxError(1, 0, f"the file does not start with front matter: its first line, "
                                    f"'{lines[0].strip()}', is written with dashes of another kind, as a "
                                    "word processor turns '---' into", "write three hyphens: '---'")
        raise SourceSyntaxError(
            1, 0, "the file does not start with front matter",
            "begin the file with a line '---', the YAML keys, and another line '---'",
        )
    for index in range(1, len(lines)):
        line = lines[index]
        if line.rstrip() in (FENCE, "..."):
            return SplitSource(
                front="\n".join(lines[1:index]),
                front_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
        # Before a '---' further on, which is then the text's own rule. (Only a line
        # beyond ASCII can hold another dash: most lines are not read with the pattern.)
        if not line.isascii() and OTHER_DASHES.match(line):
            raise SourceSyntaxError(index + 1, 0, f"this line, '{line.strip()}', looks like the '---' "
                                    "that closes the front matter, written with dashes of another kind",
                                    "write three hyphens: '---'")
    # Where the text begins is most likely its first § or agenda item heading ('## § 1 …',
    # '## 1. …'; not '## Ledamöter', which may be a YAML comment): the line belongs above it.
    start = next((index for index, line in enumerate(lines[1:], 1) if TEXT_HEADING.match(line)), None)
    if start is not None:
        raise SourceSyntaxError(start + 1, 0, "the front matter is never closed: the text begins here "
                                "without a '---' line before it", "add a line '---' above this one")
    raise SourceSyntaxError(
        1, 0, "the front matter is never closed",
        "end the YAML keys with a line '---' before the text begins",
    )


# body.PARAGRAPH_HEADING and body.ITEM_HEADING in one, near enough: body would bring
# markdown-it into what reads front matter.
TEXT_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:\*\*|__)?[ \t]*(?:§[ \t]*)?\d+[.)]?[ \t]+\S")


def parse_yaml(text: str, first_line: int = 1) -> Located:
    """Parse YAML text whose first line is line `first_line` of its file."""
    try:
        too_deep = _too_deep(text) if _may_nest_deeply(text) else None
        if too_deep is not None:
            raise SourceSyntaxError(first_line + too_deep.line, too_deep.column + 1,
                                    "the YAML is too large or nested too deeply")
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.problem == "could not find expected ':'" and exc.context_mark:
            mark = exc.context_mark  # the line without its colon, not the one after it where YAML gave up
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.split("\n")
        written = lines[mark.line] if mark and mark.line < len(lines) else ""
        raise SourceSyntaxError(line, column, f"YAML syntax error: {problem}",
                                _yaml_hint(problem, written)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, such as NUL
        # libyaml counts the position in bytes of UTF-8, Python's reader in characters.
        at = exc.position if _Loader is yaml.SafeLoader else len(
            text.encode("utf-8")[:exc.position].decode("utf-8", "ignore"))
        line = first_line + text.count("\n", 0, at)
        column = at - text.rfind("\n", 0, at)
        raise SourceSyntaxError(line, column, f"this line holds a control character "
                                f"(U+{exc.character:04X}), which YAML does not allow",
                                "remove it; it may have come along with text copied from another "
                                "program") from None
    except yaml.YAMLError as exc:
        raise SourceSyntaxError(first_line, 0, f"YAML error: {exc}".split("\n")[0]) from None
    except RecursionError:
        raise SourceSyntaxError(first_line, 0, "the YAML is nested too deeply") from None
    located = Located(data=None, first_line=first_line)
    if node is None:
        located.data = {}
        located.lines[()] = first_line
        return located
    builder = _Builder(located, first_line)
    located.data = builder.build(node, (), 0)
    if builder.duplicates:  # all of them at once, not one a run
        first, *rest = builder.duplicates
        raise SourceSyntaxError(first.line, first.column, first.message, first.hint, also=rest)
    return located


_OPENING = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken,
            yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
_CLOSING = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _may_nest_deeply(text: str) -> bool:
    """Whether the text could nest deeper than libyaml safely composes. Each level
    needs one of '[{-?:', so ordinary front matter, with a few hundred of them, is
    composed at once and only unusual text pays for a scan of its tokens first."""
    return sum(text.count(char) for char in "[{-?:") > SAFE_NESTING


def _too_deep(text: str):
    """The mark where nesting goes deeper than MAX_DEPTH, or None.

    Checked on the token stream, which is read without recursion, before composing:
    libyaml composes recursively in C, and a few hundred thousand '[' overflow its
    stack and kill the process."""
    depth = 0
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, _OPENING):
            depth += 1
            if depth > MAX_DEPTH:
                return token.start_mark
        elif isinstance(token, _CLOSING):
            depth -= 1
    return None


def _yaml_hint(problem: str, written: str) -> str:
    """What to do about a YAML syntax error `problem` found on the line `written`."""
    if any(quote in written for quote in "”“„«»") and "mapping values are not allowed" in problem:
        return ("typographic quotes (” “) are no quotes to YAML: put a value containing ': ' in "
                "straight quotes, \"…\"")
    if "mapping values are not allowed" in problem:
        return ("a value containing ': ' must be put in quotes; if the line is a key of its own, "
                "check that it is indented like the keys beside it")
    if "expected '-' indicator" in problem or "expected <block end>" in problem:
        return ("check the indentation: the keys of one entry line up under each other, and each "
                "entry of a list starts with '- '")
    if "found character '\\t'" in problem or "tab" in problem or (
            "cannot start any token" in problem and "\t" in written):
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each line needs 'key: value': this one has no colon after its key"
    return ""


# 'place: Kommunhuset, sal #2': in YAML ' #' starts a comment, so the value ends before
# it. A comment the writer meant has a space after its '#' ('# YYYY-MM-DD', as site-gen
# new writes them); a '#' with a word or number right after it was meant as text.
CUT_BY_COMMENT = re.compile(r"""^(?>[ \t]*+(?:-[ \t]++)?(?:[^\s#'"\-:][^:#]*?:[ \t]++)?)"""
                            r"""(?P<value>[^\s#'"\[{|>&*!%@`][^#]*?)[ \t]++(?P<comment>#\S.*)$""")

MEANT_COMMENT = re.compile(r"[ \t]+#(?:[ \t]|$)")
NOT_WORDS = re.compile(r"[\d\s.,:/\-–]+")  # a date, a time, a number: what a comment after it leaves whole


def values_cut_by_comments(front: str, located: Located) -> list[tuple[int, str, str]]:
    """(file line, text as read, the text left out) of each text value that a '#' meant
    as text cut short; a comment meant after it is not text. Only what YAML read as that
    very text counts: not a line of a block ('text: >'), nor a date or a number."""
    found = [(located.first_line + number, cut.group("value").rstrip(),
              MEANT_COMMENT.split(cut.group("comment"))[0])
             for number, line in enumerate(front.split("\n"))
             if "#" in line and (cut := CUT_BY_COMMENT.match(line))]
    if not found:
        return []
    texts = {(located.lines.get(path), value) for path, value in text_values(located.data)}
    return [(line, value, left_out) for line, value, left_out in found
            if (line, value) in texts and not NOT_WORDS.fullmatch(value)]


def text_values(data, key_path=()):
    """(key path, text) of every text value in parsed YAML."""
    if isinstance(data, str):
        yield key_path, data
    elif isinstance(data, dict | list):
        for key, value in data.items() if isinstance(data, dict) else enumerate(data):
            yield from text_values(value, key_path + (key,))


def _not_as_typed(key, typed: str) -> bool:
    """A number key that YAML read as something other than its digits ('49:00', '0x30', '48.0')."""
    return isinstance(key, int | float) and str(key) != typed.lstrip("+")


class _Builder:
    def __init__(self, located: Located, first_line: int):
        self.located = located
        self.first_line = first_line
        self.constructor = SafeConstructor()
        self.count = 0
        self.duplicates: list[SourceSyntaxError] = []

    def _where(self, node, path):
        self.located.lines[path] = self.first_line + node.start_mark.line
        self.located.columns[path] = node.start_mark.column + 1

    def _fail(self, node, message: str, hint: str = ""):
        raise self._problem(node, message, hint)

    def _problem(self, node, message: str, hint: str = "") -> SourceSyntaxError:
        return SourceSyntaxError(self.first_line + node.start_mark.line, node.start_mark.column + 1,
                                 message, hint)

    def build(self, node, path, depth):
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            self._fail(node, "the YAML is too large or nested too deeply")
        self._where(node, path)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in PLAIN_COLLECTION_TAGS:
            self._fail(node, f"the YAML tag '{node.tag}' is not supported",
                       "remove the '!' tag; plain lists and mappings need none")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node, path, depth):
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "a key must be a plain word, not a list or mapping")
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, "YAML merge keys ('<<') are not supported",
                           "write the keys out in each entry that needs them")
            key = self._scalar(key_node, None)
            if isinstance(key, bool) or key is None or _not_as_typed(key, key_node.value):
                # YAML reads 'yes:', 'no:', 'on:' and '~:' as true, false and nothing,
                # '49:00:' as the base-60 number 2940 and '010:' as octal 8; no key of
                # site-gen's is one of those, and a message about the key should say what
                # was written. Digits alone are the number they read as in base 10.
                typed = key_node.value
                key = int(typed) if typed.isascii() and typed.isdigit() else typed
            try:
                hash(key)
            except TypeError:
                self._fail(key_node, "this key cannot be used")
            if key in result:
                first = self.located.lines.get(path + (key,), 0)
                self.duplicates.append(self._problem(
                    key_node, f"the key '{key}' appears twice (first on line {first})",
                    "keep one of them; if they belong to two entries of a list (two boards, "
                    "two people), start each entry with '- '"))
                continue
            result[key] = self.build(value_node, path + (key,), depth + 1)
            # Messages about a key point at the key's own line, not its value's.
            self._where(key_node, path + (key,))
        return result

    def _scalar(self, node, path):
        if path is not None:
            self.located.raw[path] = node.value
        if node.tag == TIMESTAMP_TAG:
            # Dates stay text here: the schema parses them and explains impossible ones.
            return node.value
        if node.tag == STRING_TAG:  # most values; the constructor would return the same
            return node.value
        try:
            return self.constructor.construct_object(node)
        except (ConstructorError, ValueError, TypeError) as exc:
            self._fail(node, f"this value cannot be read: {exc}".split("\n")[0])
