"""Rules on the files beside the documents: a file kept off the site under sekretess
stays off it, and a meeting document saved among the attachments is told."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path

from site_gen import cache
from site_gen.load import body
from site_gen.load.documents import ATTACHMENT_DIR, CONTENT_DIR, meeting_document_kind
from site_gen.model import Site
from site_gen.problems import Problems
from site_gen.validate.paragraphs import text_or_empty


def check_withheld_files_published_elsewhere(site: Site, problems: Problems) -> None:
    """A file a protokoll or kallelse keeps off the site, as only its secret paragraphs or
    items mention it, must not reach the site as another document's attachment (the
    meeting's other document, say): published once, it cannot be taken back. The same
    file is the same bytes, however it was reached: another spelling of its path, a
    link, a copy."""
    withheld = {}
    for meeting, document in _documents(site):
        for kept in document.attachments:
            if kept.withheld:
                withheld.update(dict.fromkeys(_identities(kept.withheld), (meeting, kept)))
    if not withheld:
        return
    for _, document in _documents(site):
        for attachment in document.attachments:
            found = (withheld.get(_same_file(attachment.source)) or withheld.get(attachment.digest)
                     if attachment.source else None)
            if found:
                other, kept = found
                file = problems.relative(Path(os.path.normpath(attachment.source)))
                sections = "agenda items" if kept.document == "kallelse" else "paragraphs"
                problems.error(document.source, attachment.line,
                               f"bilaga {attachment.number} publishes {file}, which the {kept.document} of "
                               f"{other.organ.name} {other.date.isoformat()} keeps off the site as its "
                               f"bilaga {kept.number}: only {sections} under sekretess mention it there",
                               "remove 'file' here to list only its title; if the attachment is public, "
                               f"mention it in {body.a_section(kept.document)} of that {kept.document} "
                               "that is not secret")


def _documents(site: Site):
    """(meeting, document) for every protokoll and kallelse of the site."""
    for meeting in site.meetings:
        for document in (meeting.protokoll, meeting.kallelse):
            if document:
                yield meeting, document


def _identities(path: Path) -> list[str]:
    """The file's place, and the digest of its bytes when it has any: a published
    attachment matching either is the same file. Every empty file has the same digest,
    which tells nothing."""
    digest = cache.file_digest(path)
    return [_same_file(path)] + ([digest] if digest and digest != _EMPTY_FILE else [])


_EMPTY_FILE = hashlib.sha1(b"").hexdigest()


def _same_file(path: Path) -> str:
    """One spelling of a file's place, however a document's 'file' reached it."""
    try:
        found = os.path.realpath(path)
    except (OSError, ValueError):
        found = os.path.normpath(path)
    return unicodedata.normalize("NFC", found)  # macOS writes å, ä and ö decomposed


def check_documents_among_attachments(site: Site, problems: Problems) -> None:
    """A protokoll or kallelse saved in a 'bilagor' folder is not read as a meeting
    document (files there are attachments): unless a document lists it as one of its
    attachments, it would be left off the site without a word."""
    documents = [d for m in site.meetings for d in (m.protokoll, m.kallelse) if d]
    listed = {os.path.normpath(a.source) for d in documents for a in d.attachments if a.source}
    # Folder names as strings: a Path for each of 20,000 documents costs a tenth of a second.
    parents = {os.path.dirname(d.source) for d in documents}
    parents |= {os.path.join(site.config.root, CONTENT_DIR, organ) for organ in site.config.organs}
    for parent in sorted(parents):
        for inner, _, files in os.walk(os.path.join(parent, ATTACHMENT_DIR)):
            for name in sorted(files):
                path = os.path.join(inner, name)
                if name.endswith(".md") and not name.startswith(".") and os.path.normpath(path) not in listed:
                    _warn_of_a_document_among_attachments(Path(path), Path(parent), problems)


def _warn_of_a_document_among_attachments(path: Path, parent: Path, problems: Problems) -> None:
    found = meeting_document_kind(text_or_empty(path))
    if found is None:  # an attachment written in Markdown
        return
    line, kind = found
    problems.warning(path, line, f"this file looks like a meeting document ('{kind}'), "
                     f"but lies in {ATTACHMENT_DIR}/, where files are read only as attachments, and no "
                     "document publishes it: it is left off the site",
                     f"move it to {problems.relative(parent)}/ if it is a meeting document; if it is an "
                     "attachment, remove 'kind:' and list it under 'bilagor' of its document")
