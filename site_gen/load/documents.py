"""Find the site's source documents, read them and validate their front matter."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slugify import slugify

from site_gen.cache import hash_parts
from site_gen.load import body
from site_gen.load.config import decode, organ_id_allowed
from site_gen.load.frontmatter import (
    Located,
    SourceSyntaxError,
    parse_yaml,
    split_front_matter,
    values_cut_by_comments,
)
from site_gen.model import SiteConfig
from site_gen.problems import Problems
from site_gen.site.urls import RESERVED_FOLDERS
from site_gen.validate import formats
from site_gen.validate.personal_data import check_escaped_personnummer, check_personnummer
from site_gen.validate.schema import Context, check_control_characters, suggest

CONTENT_DIR = "content"
ATTACHMENT_DIR = "bilagor"
FILE_NAME_DATE = re.compile(r"(\d{4}-\d\d-\d\d)(?!\d)")  # as site-gen new names files


@dataclass
class SourceDocument:
    path: Path
    organ: str
    kind: str  # protokoll | kallelse
    meta: dict[str, Any]
    located: Located
    body_line: int
    sections: list  # body.ParsedSection, in order
    digest: str = ""  # of the file's bytes
    summary: str = ""  # digest of all but the text of its sections (see summary_digest)


def document_names(content: Path) -> list[str]:
    """Every meeting document under content/, in a stable order. Plain strings, not
    paths: the dev server compares the list after every edit, and for thousands of
    files strings are far cheaper."""
    if not content.is_dir():
        return []
    found = []
    # os.walk, not Path.rglob: several times faster. Neither follows links to folders.
    for folder, subfolders, files in os.walk(content):
        subfolders[:] = [d for d in subfolders if d != ATTACHMENT_DIR and not d.startswith(".")]
        # A folder named like a document is one the build reports, as are pipes and the like.
        found += [os.path.join(folder, name) for name in files + subfolders
                  if name.endswith(".md") and not name.startswith(".")]
    return sorted(found)


# Names a writer's editor may give a Markdown file, which the build would pass over.
NEAR_MISS_SUFFIXES = (".md", ".markdown", ".md.txt", ".mdown")


def left_out(content: Path) -> list[tuple[Path, str, str]]:
    """What under content/ the build would pass over without a word, as (path, message,
    what to do): folders that are links (not followed: a link could lead anywhere, or
    round in a circle), folders that cannot be read, and Markdown files whose name does
    not end in '.md'. Each would leave meetings off the site. So would a content/ that
    is not there, as when it is a link to a share not mounted: a site of no meetings
    would replace the published one."""
    if not content.is_dir():
        return [(content, _no_content_folder(content), "site-gen init makes a new site with its folders")]
    found = []

    def unreadable(error: OSError) -> None:
        if isinstance(error, FileNotFoundError):  # no content/ yet, or a folder gone meanwhile
            return
        found.append((Path(error.filename), f"this folder cannot be read ({error.strerror}), so its "
                      "documents would be left off the site", "give site-gen permission to read it"))

    for folder, subfolders, files in os.walk(content, onerror=unreadable):
        subfolders[:] = [d for d in subfolders if d != ATTACHMENT_DIR and not d.startswith(".")]
        for name in subfolders:
            path = Path(folder) / name
            if path.is_symlink():
                found.append((path, "this folder is a link to another place; site-gen does not "
                              "follow links to folders", "copy the folder into content/ instead"))
        for name in files + subfolders:
            if _undecodable(name):
                found.append((Path(folder) / name, "this name is not text site-gen can show on the "
                              "site: it was saved in another character encoding than UTF-8",
                              "rename it; å, ä and ö are fine in names"))
        for name in files:
            suffix = next((s for s in NEAR_MISS_SUFFIXES if name.lower().endswith(s)), None)
            if suffix and not name.endswith(".md"):
                found.append((Path(folder) / name, "this file is not read: only files whose name "
                              "ends in '.md' are documents", f"rename it to '{name[:-len(suffix)]}.md'"))
    return sorted(found)


def _no_content_folder(content: Path) -> str:
    if content.is_symlink():
        return (f"content/ is a link to {os.readlink(content)}, which is not there (a network "
                "share not connected?), so the site would have no meetings")
    if content.exists():
        return "content is a file, not the folder of the site's documents"
    return "there is no content/ folder, so the site would have no meetings"


def _undecodable(name: str) -> bool:
    """True when the name's bytes were not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def inside(path: Path, folder: Path) -> bool:
    """True when `path`, with symlinks resolved, lies within `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        return False


def load_document(path: Path, config: SiteConfig, problems: Problems) -> SourceDocument | None:
    """One source, read, parsed and checked; None when it cannot be used (every problem
    found in it is reported, not only the first)."""
    content = config.root / CONTENT_DIR
    parts = path.relative_to(content).parts
    if len(parts) < 2:
        problems.error(path, 0, "a document must be inside an organ folder",
                       "move it to content/<organ>/, e.g. content/styrelsen/")
        return None
    organ = parts[0]
    read = _read_source(path, content, problems)
    if read is None:
        return None
    raw, text = read
    try:
        split = split_front_matter(text)
    except SourceSyntaxError as exc:
        problems.error(path, exc.line, exc.message, exc.hint, column=exc.column)
        return None
    check_control_characters(path, split.body, split.body_line, problems)
    try:
        _refuse_text_in_front_matter(split.front, split.front_line)
        located = parse_yaml(split.front, split.front_line)
    except SourceSyntaxError as exc:
        for each in exc.each():
            problems.error(path, each.line, each.message, each.hint, column=each.column)
        _report_body_issues(path, split, problems)  # all of a file's problems in one run
        return None
    if organ not in config.organs:
        _report_unknown_organ(path, organ, config, problems)
    kind, meta = _checked_front_matter(path, located, split, problems)
    if meta is None:
        return None
    check_personnummer(path, kind, text, meta, split.body_line, problems)
    check_escaped_personnummer(path, split.front, located, problems)
    _report_values_cut_by_comments(path, split, located, problems)
    _check_date_against_file_name(path, meta, located, problems)
    if organ not in config.organs or "date" not in meta:
        return None
    sections, issues = body.parse_body(kind, split.body, split.body_line, body.secret_sections(kind, meta))
    _report(path, issues, problems)
    return SourceDocument(path, organ, kind, meta, _kept_positions(located), split.body_line, sections,
                          digest=hashlib.sha1(raw).hexdigest(),
                          summary=summary_digest(split.front, sections))


def _report_values_cut_by_comments(path: Path, split, located: Located, problems: Problems) -> None:
    for line, value, comment in values_cut_by_comments(split.front, located):
        problems.warning(path, line, f"this value is read as '{value}': in YAML, ' {comment.split()[0]}' "
                         "starts a comment, which is left out",
                         f"if '{comment}' belongs to the value, put the whole value in quotes: "
                         f"\"{value} {comment}\"; a comment has a space after its '#'")


def _read_source(path: Path, content: Path, problems: Problems) -> tuple[bytes, str] | None:
    """The file's bytes and its text; None, reported, when it cannot be read as a source."""
    if not path.is_file():  # a folder named x.md, a pipe that would block the read forever
        problems.error(path, 0, "this is not a regular file (a folder, a pipe, or a link that "
                       "leads nowhere) and is not read", "a document must be an ordinary text file")
        return None
    if not inside(path, content):
        problems.error(path, 0, "this file links to a place outside content/ and is not read",
                       "copy the file into content/ instead of linking to it")
        return None
    try:
        raw = path.read_bytes()
        return raw, decode(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(path, line, f"the file is not UTF-8 text ({exc.reason})",
                       "save the file as UTF-8")
    except OSError as exc:
        problems.error(path, 0, f"cannot read the file: {exc.strerror}")
    return None


def _report_unknown_organ(path: Path, organ: str, config: SiteConfig, problems: Problems) -> None:
    known = ", ".join(sorted(config.organs)) or "none yet"
    hint = f"add it to site.yml or move the file (organs listed: {known})"
    message = f"the organ folder '{organ}' is not listed under 'organs' in site.yml"
    if organ in RESERVED_FOLDERS:
        message = f"the organ folder '{organ}' has a name the site uses for pages of its own"
        hint = f"rename the folder, e.g. '{organ}-organ', and list that name under 'organs' in site.yml"
    elif not organ_id_allowed(organ):  # site.yml would refuse it as the organ's id
        hint = (f"the folder's name is the organ's id in site.yml and in web addresses: rename it "
                f"with lower-case a-z, digits and '-', e.g. '{slugify(organ)}', and add that to site.yml")
    problems.error(path, 0, message, hint)


def _checked_front_matter(path: Path, located: Located, split, problems: Problems):
    """(kind, the front matter checked against the kind's schema), or (kind, None) when
    the kind is missing or unknown; '…' left in it is warned about."""
    ctx = Context(located, problems, path)
    if not isinstance(located.data, dict):
        problems.error(path, split.front_line, "the front matter should be 'key: value' lines")
        return None, None
    kind = located.data.get("kind")
    schema = formats.DOCUMENT_KINDS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        if "kind" in located.data:
            formats.KIND.check(kind, ("kind",), ctx)
        else:
            ctx.error((), "the required key 'kind' is missing",
                      "add 'kind: protokoll' or 'kind: kallelse'")
        # The rest is checked as the kind meant, so that all of the file's problems are
        # told in one run; the document stays out of the site.
        meant = _kind_meant(path, kind)
        formats.DOCUMENT_KINDS[meant].check({**located.data, "kind": meant}, (), ctx)
        _report_body_issues(path, split, problems, meant)
        return kind, None
    meta = schema.check(located.data, (), ctx)
    if body.PLACEHOLDER in split.front:
        lines = enumerate(split.front.split("\n"), split.front_line)
        _report(path, [body.unfilled(at) for at, line in lines if body.holds_placeholder(line)], problems)
    return kind, meta


def _report_body_issues(path: Path, split, problems: Problems, kind: str | None = None) -> None:
    """The text's own slips (headings, placeholders, links) while its front matter
    cannot be read: the kind is taken from the raw 'kind:' line, else the file's name."""
    if kind is None:
        written = KIND_LINE.search(split.front)
        kind = written.group(1) if written else _kind_meant(path, None)
    _, issues = body.parse_body(kind, split.body, split.body_line, set())
    _report(path, issues, problems)


def _kind_meant(path: Path, written) -> str:
    """The kind a document with a wrong or no 'kind' is most likely: the one its 'kind'
    is a slip of ('Kallelse', 'protokol'), else the one its file's name says, as
    `site-gen new` names files."""
    meant = suggest(written, list(formats.DOCUMENT_KINDS)) if isinstance(written, str) else None
    return meant or ("kallelse" if "kallelse" in path.name else "protokoll")


def _report(path: Path, issues: list, problems: Problems) -> None:
    for issue in issues:
        (problems.warning if issue.warning else problems.error)(path, issue.line, issue.message, issue.hint)


KIND_LINE = re.compile(r"^kind:[ \t]*(protokoll|kallelse)[ \t]*$", re.M)


def meeting_document_kind(text: str) -> tuple[int, str] | None:
    """(line, 'kind: …') when `text` is a meeting document by its front matter; None for
    anything else, a text without front matter too."""
    try:
        split = split_front_matter(text)
    except SourceSyntaxError:
        return None
    kind = KIND_LINE.search(split.front)
    if kind is None:
        return None
    return split.front_line + split.front.count("\n", 0, kind.start()), kind.group().rstrip()


def _check_date_against_file_name(path: Path, meta: dict, located: Located, problems: Problems) -> None:
    """A file named for one day with `date` another is most often a copy of an earlier
    meeting's file whose date was not changed, or a date mistyped."""
    named = FILE_NAME_DATE.match(path.name)
    if named and "date" in meta and named.group(1) != meta["date"].isoformat():
        problems.warning(path, located.line_of(("date",)), f"the file name says {named.group(1)}, but "
                         f"'date' is {meta['date'].isoformat()}",
                         "correct the date, or rename the file: the meeting's web address follows 'date'")


def _refuse_text_in_front_matter(front: str, front_line: int) -> None:
    """A paragraph heading above the closing '---' means the line was forgotten: the
    front matter then runs on to the first '---' between paragraphs, and YAML would
    complain about some line of text instead (a '## §' line is a comment to YAML)."""
    for number, line in enumerate(front.split("\n")):
        if body.PARAGRAPH_HEADING.match(line):
            raise SourceSyntaxError(front_line + number, 1, "a paragraph heading inside the front matter: "
                                    "the front matter is not closed before the text begins",
                                    "add a line '---' after the last key, before the first '## §' heading")


def summary_digest(front: str, sections: list) -> str:
    """What lists of meetings can show of a document: its front matter and, of each
    section, everything but the rendered text (headings, decisions, an agenda item's
    kind and proposal, which a topic's feed shows). Lists are rebuilt only when this
    changes; see fingerprint."""
    parts = [front]
    for section in sections:
        analysed = section.analysed
        shown = dataclasses.replace(analysed, blocks=[]) if isinstance(analysed, body.AnalysedParagraph) \
            else dataclasses.replace(analysed, html="") if analysed is not None else None
        parts.append(repr((section.number, section.heading_html, section.heading_text,
                           list(section.bilaga_mentions), shown)))  # not their lines: text may move
    return hash_parts(parts)


def _kept_positions(located: Located) -> Located:
    """The positions later messages point at (keys up to three levels deep, the dates
    of a paragraph's own notice, and every line of a vote, whose checks keep quiet
    where an error lies within it), without
    the values, columns and raw text that only validation needed: a large site keeps
    thousands of documents in memory."""
    return Located(data=dict.fromkeys(located.data), first_line=located.first_line,
                   lines={path: line for path, line in located.lines.items()
                          if len(path) <= 3 or path[2] in ("anslag", "votering")})
