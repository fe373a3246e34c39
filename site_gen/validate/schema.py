"""A small declarative schema for front matter and site.yml.

Each type checks one value, converts it to plain Python (dates, ints, tuples of
ranges) and reports every mismatch to `Problems` with the line it came from. A
value that fails is returned as `INVALID` so later stages can skip it. The text
below the front matter is held to the same rule on control characters as its values
(`check_control_characters`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slugify import slugify

from site_gen import domain
from site_gen.load.frontmatter import Located
from site_gen.problems import Problems


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID = _Invalid()
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# The years whose Swedish public holidays the holidays package knows (1953–2100), but
# the last: the last day to appeal moves past holidays, and would come out wrong in a
# year without them, as three weeks from December would in 2101. Other years are
# typing errors (2204 for 2024) or minutes this tool cannot date the appeal time of.
EARLIEST_YEAR, LATEST_YEAR = 1953, 2099
RANGE_RE = re.compile(r"^(\d{1,9})\s*(?:[-–—]\s*(\d{1,9}))?$")


@dataclass
class Context:
    located: Located
    problems: Problems
    path: Path

    def error(self, key_path: tuple, message: str, hint: str = "") -> _Invalid:
        self.problems.error(self.path, self.located.line_of(key_path), message, hint)
        return INVALID

    def warning(self, key_path: tuple, message: str, hint: str = "") -> None:
        self.problems.warning(self.path, self.located.line_of(key_path), message, hint)

    def raw(self, key_path: tuple) -> str | None:
        return self.located.raw.get(key_path)


class Position(int):
    """The place of an entry in a list, which messages count from 1 as writers do
    ('anslag → #2 → hos'), or name by the person it is of ('beslutande → Lena Lind →
    present'); as a key of a place it is the plain index."""

    name = ""

    @classmethod
    def of(cls, index: int, entry: Any) -> Position:
        position = cls(index)
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and shows(name) and not CONTROL_CHARACTER.search(name):
            position.name = " ".join(name.split())
        return position

    def __str__(self) -> str:
        return self.name or f"#{self + 1}"


def describe(key_path: tuple) -> str:
    """'paragraphs → 48 → topics' style name of a place in the front matter."""
    return " → ".join(str(k) for k in key_path) if key_path else "the front matter"


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int) and value < 0:
        return f"{value}, below zero"
    if isinstance(value, float):
        return f"{value}, with decimals"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str) and DATE_RE.match(value):
        return "a date"
    return "text"


class Type:
    expected = "a value"
    hint = ""  # how to write a value of this type, where writers go wrong

    def check(self, value: Any, key_path: tuple, ctx: Context) -> Any:
        raise NotImplementedError

    def wrong(self, value: Any, key_path: tuple, ctx: Context, hint: str = "") -> _Invalid:
        return ctx.error(key_path, f"'{describe(key_path)}' should be {self.expected}, "
                                   f"but is {_kind_of(value)}", hint or self.hint)


# What a reader cannot see: spaces, zero-width and other format characters. A name of
# these alone is as empty as a blank one.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc"})


def shows(text: str) -> bool:
    """Whether a reader would see anything of the text."""
    return any(unicodedata.category(c) not in _INVISIBLE for c in text)


# C0 and C1 control characters but tab and line feed: on a page they are garbage, and
# in a message on a terminal they can move the cursor or clear the screen.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# Quotes a word processor types, which YAML reads as part of the text: ”…”, “…”, „…“, «…».
TYPOGRAPHIC_QUOTES = "”“„«»‘’‚"


def in_typographic_quotes(text: str) -> bool:
    """'”18.00”', not '”Vägen in” och ”Steget vidare”', whose quotes are the writer's."""
    return (len(text) > 1 and text[0] in TYPOGRAPHIC_QUOTES and text[-1] in TYPOGRAPHIC_QUOTES
            and not any(c in TYPOGRAPHIC_QUOTES for c in text[1:-1]))


class Text(Type):
    expected = "text"

    def check(self, value, key_path, ctx):
        if isinstance(value, str):
            text = value.strip()
            if in_typographic_quotes(text) and key_path[-1] != "text":  # a reservation's text may quote
                ctx.warning(key_path, f"'{describe(key_path)}' is written in typographic quotes, "
                            f"{text[0]}…{text[-1]}, which YAML would publish as part of it",
                            "they are left out; YAML's own quotes are straight: \"…\"")
                text = text[1:-1].strip()
            if not shows(text):
                return ctx.error(key_path, f"'{describe(key_path)}' is empty")
            control = CONTROL_CHARACTER.search(text)
            if control:  # typed as an escape in quotes ("\e"): YAML refuses them as they are
                return ctx.error(key_path, f"'{describe(key_path)}' holds a control character "
                                 f"(U+{ord(control.group()):04X}), which no page can show",
                                 "remove it; in double quotes, \\e, \\0, \\a and the like "
                                 "are such characters")
            return text
        if isinstance(value, bool | int | float) and ctx.raw(key_path) is not None:
            # YAML reads 10:30 or 'yes' as numbers or booleans; the writer meant text.
            return ctx.raw(key_path)
        return self.wrong(value, key_path, ctx)


YES_OR_NO = {"ja", "nej", "yes", "no", "true", "false", "0", "1", "x"}
SAID_YES = {"ja": True, "yes": True, "nej": False, "no": False}


# What says that something is secret, but not why: the key's own word again.
NOT_A_GROUND = {"sekretess", "sekretessbelagd", "sekretessbelagt", "hemlig", "hemligt", "secret"}


class Ground(Text):
    """The legal ground of something, such as secrecy: text, never yes or no, nor only
    the word 'sekretess' again."""

    expected = "the legal ground, such as 'OSL 26 kap. 1 §'"
    hint = "write the ground the decision rests on; to publish it after all, remove the line"

    def check(self, value, key_path, ctx):
        if isinstance(value, bool) or str(value).strip().lower().rstrip(".") in YES_OR_NO | NOT_A_GROUND:
            written = ctx.raw(key_path) or str(value)
            return ctx.error(key_path, f"'{describe(key_path)}' should be {self.expected}, not '{written}'",
                             self.hint)
        return super().check(value, key_path, ctx)


class Choice(Text):
    def __init__(self, *choices: str):
        self.choices = choices
        self.expected = " or ".join(f"'{c}'" for c in choices)

    def check(self, value, key_path, ctx):
        text = super().check(value, key_path, ctx)
        if text is INVALID:
            return text
        if text not in self.choices:
            meant = suggest(text, list(self.choices))
            hint = (f"write it in small letters: '{meant}'" if meant and meant == text.lower()
                    else f"did you mean '{meant}'?" if meant else "")
            return ctx.error(key_path, f"'{describe(key_path)}' is '{text}', which is not "
                                       f"one of {self.expected}", hint)
        return text


class Bool(Type):
    expected = "true or false"
    hint = "write true or false (YAML does not read 'ja' or 'nej')"

    def check(self, value, key_path, ctx):
        if isinstance(value, bool):
            return value
        written = str(ctx.raw(key_path) or value).strip().lower()
        wrong = self.wrong(value, key_path, ctx, self.hint if written in YES_OR_NO else "write true or false")
        # Told as an error; the rules after it read what was meant ('ja'), so that the
        # problems of what depends on it (a paragraph's own notice) come in the same run.
        return SAID_YES.get(written, wrong)


class Int(Type):
    expected = "a whole number"
    hint = "write the number alone, e.g. 12"

    def check(self, value, key_path, ctx):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        return self.wrong(value, key_path, ctx)


class ParagraphNumber(Int):
    """A § number as a value (not as a key, where '4' and '§ 4' would be one key written
    twice): also '§ 12', as the paragraph is named in the text."""

    def check(self, value, key_path, ctx):
        if isinstance(value, str) and re.fullmatch(r"§\s*\d{1,9}", value.strip()):
            value = int(value.strip()[1:])
        return super().check(value, key_path, ctx)


MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")


class Date(Type):
    expected = "a date written YYYY-MM-DD"

    def check(self, value, key_path, ctx):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        text = value.strip() if isinstance(value, str) else ctx.raw(key_path)
        match = DATE_RE.match(text or "")
        if not match:
            return ctx.error(key_path, f"'{describe(key_path)}' should be {self.expected}, "
                                       f"not '{text if text is not None else value}'")
        year, month, day = (int(g) for g in match.groups())
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            return ctx.error(key_path, f"'{describe(key_path)}' is {text}, outside the years site-gen "
                                       f"can date appeal times in ({EARLIEST_YEAR}–{LATEST_YEAR})",
                             "check the year; these are the years whose Swedish public holidays are known")
        try:
            return dt.date(year, month, day)
        except ValueError:
            return ctx.error(key_path, f"'{describe(key_path)}' is {text}, which is not a "
                                       f"real date ({no_such_day(year, month, day)})",
                             "check the day and the month")


def no_such_day(year: int, month: int, day: int) -> str:
    """Why a date written in the right form is none: 'februari 2024 has no day 30'."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    return f"{MONTHS[month - 1]} {year} has no day {day}"


class Ranges(Type):
    """Paragraph ranges such as '§ 42-47, 49-56', a single number, or a list of them."""

    expected = "paragraph numbers such as '42-47, 49-56'"

    def check(self, value, key_path, ctx):
        items = value if isinstance(value, list) else [value]
        ranges = []
        for index, item in enumerate(items):
            if isinstance(item, int) and not isinstance(item, bool):
                # YAML reads '42:47' as a base-60 number and '-56' as below zero: what
                # was typed is read as ranges instead, and told as typed.
                typed = ctx.raw(key_path + (index,) if isinstance(value, list) else key_path)
                if typed is None or typed.lstrip("+").isdigit():
                    number = int(typed) if typed else item  # '010' is § 10, not octal 8
                    ranges.append((number, number))
                    continue
                item = typed
            if not isinstance(item, str):
                return self.wrong(value, key_path, ctx)
            for part in item.replace("§", " ").split(","):
                match = RANGE_RE.match(part.strip())
                if not match:
                    return ctx.error(key_path, f"'{describe(key_path)}': cannot read "
                                               f"'{part.strip()}' as paragraph numbers",
                                     "write ranges like '42-47, 49-56'")
                start = int(match.group(1))
                end = int(match.group(2) or start)
                if end < start:
                    return ctx.error(key_path, f"'{describe(key_path)}': the range "
                                               f"{start}-{end} runs backwards")
                ranges.append((start, end))
        return tuple(ranges)


class ListOf(Type):
    def __init__(self, item: Type, single_ok: bool = False):
        self.item = item
        self.single_ok = single_ok
        self.expected = f"a list of {item.expected}"

    def check(self, value, key_path, ctx):
        if not isinstance(value, list):
            # One entry written without its list: a name, or one {name, text} mapping.
            if self.single_ok and value is not None and (not isinstance(value, dict)
                                                         or isinstance(self.item, Mapping)):
                result = self.item.check(value, key_path, ctx)
                return INVALID if result is INVALID else [result]
            return self.wrong(value, key_path, ctx)
        results = [self.item.check(v, key_path + (Position.of(i, v),), ctx) for i, v in enumerate(value)]
        return [r for r in results if r is not INVALID]

    def wrong(self, value, key_path, ctx, hint=""):
        if isinstance(value, str) and isinstance(self.item, Text) and key_path:
            hint = as_a_list_hint(value, str(key_path[-1]), even_one=True)
        return super().wrong(value, key_path, ctx, hint)


def as_a_list_hint(text: str, key: str, even_one: bool = False) -> str:
    """How to write as a list what was written on one line, as a sentence lists names
    ('Anna Frej, Bo Berg', 'Anna Frej och Bo Berg'); '' for one item, unless `even_one`.
    The items of a vote's 'ja', 'nej' and 'avstår' are under those keys."""
    items = domain.list_items(text)
    if len(items) < 2 and not even_one:
        return ""
    listed = f"[{', '.join(items)}]"
    if key == "votering":
        return f"write them as a list under 'ja', 'nej' or 'avstår': {listed}"
    return f"write them as a list: '{key}: {listed}'"


class OneOrMore(Type):
    """One value of `item`, or a list of them: a notice posted on one board, or on several.
    One value is returned as it is, a list as a list."""

    def __init__(self, item: Type):
        self.item = item
        self.many = ListOf(item)
        self.expected = f"{item.expected}, or a list of them"

    def check(self, value, key_path, ctx):
        if isinstance(value, list):
            return self.many.check(value, key_path, ctx)
        return self.item.check(value, key_path, ctx)


@dataclass
class Field:
    type: Type
    required: bool = False
    doc: str = ""
    # Most keys left blank ('key:') count as not filled in yet. Where leaving one out
    # would publish what the writer meant to hold back, blank is an error instead.
    may_be_blank: bool = True


@dataclass
class Mapping(Type):
    fields: dict[str, Field]
    name: str = "mapping"
    # When set, a bare string is accepted as the value of this one field.
    shorthand: str | None = None
    expected: str = field(default="a mapping (key: value lines)")
    # Whether a mapping that lacks a required key is still used (with what it has).
    # Documents and site.yml are, so that every other problem is found too; an entry
    # inside them (a person without a name) is not: later stages rely on its keys.
    partial: bool = False

    def check(self, value, key_path, ctx):
        if self.shorthand and isinstance(value, str | int | float) and not isinstance(value, bool):
            value = {self.shorthand: value}
            ctx.located.raw.setdefault(key_path + (self.shorthand,), ctx.raw(key_path))
        if value is None:
            value = {}
        if not isinstance(value, dict):
            return self.wrong(value, key_path, ctx)
        result: dict[str, Any] = {}
        meant: set[str] = set()  # the keys unknown keys were told to be, misspelt
        for key, item in value.items():
            spec = self.fields.get(key)
            if spec is None:
                meant.add(self._unknown(key, key_path, ctx))
                continue
            if item is None:  # 'key:' left blank means not filled in yet
                if spec.required or not spec.may_be_blank:
                    ctx.error(key_path + (key,), f"'{describe(key_path + (key,))}' is empty",
                              spec.doc and f"fill in {spec.doc}")
                continue
            checked = spec.type.check(item, key_path + (key,), ctx)
            if checked is not INVALID:
                result[key] = checked
        for key, spec in self.fields.items():
            if spec.required and key not in value and key not in meant:  # 'justerar:' is told once
                where = f" in '{describe(key_path)}'" if key_path else ""
                ctx.error(key_path, f"the required key '{key}' is missing{where}",
                          spec.doc and f"add '{key}:' ({spec.doc})")
        complete = all(key in result for key, spec in self.fields.items() if spec.required)
        return result if complete or self.partial or not key_path else INVALID

    def _unknown(self, key, key_path, ctx) -> str | None:
        """Report an unknown key; the known key it is most likely a misspelling of."""
        parent = self._numbers_parent() if isinstance(key, int) else self._parent_of(str(key))
        suggestion = suggest(str(key), list(self.fields))
        if parent:  # a key written at the wrong depth: its indentation was lost
            hint = f"'{key}' belongs under '{parent}:', indented below it"
            if suggestion:  # 'datum' for 'date', though rättelser have a 'datum'
                hint += f"; or did you mean '{suggestion}'?"
        elif suggestion:
            hint = f"did you mean '{suggestion}'?"
        else:
            hint = "known keys: " + ", ".join(self.fields)
        ctx.error(key_path + (key,), f"unknown key '{key}' in {self.name}", hint)
        return None if parent else suggestion

    def _parent_of(self, key: str) -> str | None:
        """The field of this mapping whose own mappings have `key`, if exactly one has."""
        parents = [name for name, f in self.fields.items() if key in _fields_within(f.type)]
        return parents[0] if len(parents) == 1 else None

    def _numbers_parent(self) -> str | None:
        """The field of this mapping keyed by numbers (§ or item numbers), if it has one:
        a number at the left edge is one of its entries that lost its indentation."""
        parents = [name for name, f in self.fields.items()
                   if isinstance(f.type, MapOf) and isinstance(f.type.key, Int)]
        return parents[0] if len(parents) == 1 else None


def _fields_within(kind: Type) -> dict:
    """The keys a value of this type holds when it is a mapping, or a list or map of them."""
    while isinstance(kind, ListOf | OneOrMore | MapOf):
        kind = kind.value if isinstance(kind, MapOf) else kind.item
    return kind.fields if isinstance(kind, Mapping) else {}


@dataclass
class MapOf(Type):
    """A mapping whose keys are all of one type (e.g. § numbers) and values of another."""

    key: Type
    value: Type
    expected: str = "a mapping"

    def check(self, value, key_path, ctx):
        if value is None:
            return {}
        if not isinstance(value, dict):
            return self.wrong(value, key_path, ctx)
        result = {}
        for key, item in value.items():
            if isinstance(key, str) and key in _fields_within(self.value):  # its indentation was lost
                ctx.error(key_path + (key,), f"'{key}' stands where {self.key.expected} should be",
                          f"write it indented below the {self.key.expected.removeprefix('a ')} it belongs to")
                continue
            checked_key = self.key.check(key, key_path + (key,), ctx)
            checked = self.value.check(item, key_path + (key,), ctx)
            if checked_key is not INVALID and checked is not INVALID:
                result[checked_key] = checked
        return result


def _fold(text: str) -> str:
    return slugify(text, separator="_")


def suggest(word: str, choices: list[str]) -> str | None:
    """The known key closest to `word`, also across å/ä/ö typed as a/a/o."""
    folded = {_fold(c): c for c in choices}
    if _fold(word) in folded:
        return folded[_fold(word)]
    match = difflib.get_close_matches(_fold(word), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def check_control_characters(path: Path, text: str, first_line: int, problems: Problems) -> None:
    """An escape sequence or form feed pasted into a document's text, or into an
    attachment published as a page, would reach the page as garbage (YAML already
    refuses them in the front matter): one error per line."""
    reported = -1
    for found in CONTROL_CHARACTER.finditer(text):
        line = text.count("\n", 0, found.start())
        if line != reported:
            reported = line
            column = found.start() - text.rfind("\n", 0, found.start())
            problems.error(path, first_line + line, f"this line holds a control character "
                           f"(U+{ord(found.group()):04X}), which no page can show",
                           "remove it; it may have come along with text copied from another program",
                           column=column)
