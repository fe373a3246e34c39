"""Create new files for the writer: a whole site (`init`) or a meeting document (`new`).

What a new protokoll can know is taken from the site: § numbers continue after the
organ's last meeting of the year, members come from its previous meeting, and the
agenda of a kallelse for the same day becomes the paragraphs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
import yaml

from site_gen import domain
from site_gen.build import load_site
from site_gen.load.body import PLACEHOLDER, bilaga_numbers
from site_gen.load.config import CONFIG_NAME
from site_gen.load.documents import CONTENT_DIR, document_names
from site_gen.model import Meeting, Site
from site_gen.problems import ERROR, Problems, SiteGenError

OPENING_PARAGRAPHS = [
    ("Mötets öppnande", "Ordförande förklarade mötet öppnat."),
    ("Val av justerare", "{justerare} valdes till justerare."),
    ("Godkännande av dagordning", "Dagordningen godkändes."),
]
# The paragraph a new protokoll leaves to be written (a build warns while its '…' are
# there), and the one the example meeting of a new site shows written.
PARAGRAPH_TO_WRITE = (PLACEHOLDER, f"{PLACEHOLDER}\n\n**Beslut:** {PLACEHOLDER}")
EXAMPLE_PARAGRAPH = ("Verksamhetsplan", "Förbundschefen presenterade förslaget till verksamhetsplan.\n\n"
                     "**Beslut:** Styrelsen beslutade att anta verksamhetsplanen.")
EXAMPLE_JUSTERARE = "Bertil Berg"
JUSTERING_DAYS = 2  # the example's justering, and its notice the day after
CLOSING_PARAGRAPH = ("Mötet avslutas", "Ordförande förklarade mötet avslutat.")
EXAMPLE_MEETING_AGE = dt.timedelta(days=14)


@dataclass
class Section:
    number: int
    heading: str
    text: str = ""
    # Of a paragraph made from an agenda item, as the item had them:
    topics: tuple[str, ...] = ()
    sekretess: str = ""
    allows_personnummer: bool = False


def _render(name: str, **context) -> str:
    source = (resources.files("site_gen") / "scaffolds" / name).read_text(encoding="utf-8")
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["yaml"] = yaml_scalar
    return env.from_string(source).render(**context)


def yaml_scalar(text: str) -> str:
    """`text` as it must be written after 'key: ' to read back as the same string.

    Names and places carried over from earlier meetings may hold a ': ', a leading
    '#' or look like a number ('08.30'); those are quoted, everything else is left
    as the writer would type it.
    """
    if not text:
        return ""  # left blank for the writer to fill in
    try:
        if yaml.safe_load(f"key: {text}") == {"key": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def init_site(folder: Path, organisation: str = "Mitt förbund", today: dt.date | None = None) -> Path | None:
    """A new site in `folder`, with one example meeting unless content/ has documents
    already: the example, or None. Refuses a folder that has a site, and overwrites no
    file."""
    if folder.exists() and not folder.is_dir():
        raise SiteGenError(f"{folder} is a file, not a folder (name a new folder: site-gen init <folder>)")
    if (folder / CONFIG_NAME).exists():
        raise SiteGenError(f"{folder / CONFIG_NAME} exists already; site-gen init will not overwrite it "
                           "(to start another site, name a new folder: site-gen init <folder>)")
    _refuse_inside_a_sites_content(folder)
    try:
        for sub in ("content/styrelsen/bilagor", "templates", "static"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / CONFIG_NAME).write_text(_render("site.yml", organisation=organisation), encoding="utf-8")
        _ignore_in_git(folder / ".gitignore", ["output/", ".site-gen-cache/"])
    except OSError as exc:
        raise SiteGenError(f"cannot create a site in {folder}: {exc.strerror} ({exc.filename})") from None
    if document_names(folder / CONTENT_DIR):
        return None
    # The example is a meeting held two weeks ago, so that `site-gen new protokoll`
    # for today writes the next meeting, continuing its § numbers and members.
    day = (today or dt.date.today()) - EXAMPLE_MEETING_AGE
    justering = day + dt.timedelta(days=JUSTERING_DAYS)
    posted = justering + dt.timedelta(days=1)
    example = folder / CONTENT_DIR / "styrelsen" / f"{day.isoformat()}-protokoll.md"
    example.write_text(_render(
        "protokoll.md", date=day.isoformat(), time="09.00-11.00", place="Kommunhuset",
        beslutande=[{"name": "Anna Andersson", "represents": "Kommunen", "role": "ordförande"},
                    {"name": EXAMPLE_JUSTERARE, "represents": "Regionen", "role": ""}],
        övriga=[{"name": "Cecilia Ceder", "title": "Sekreterare", "represents": "", "role": ""}],
        sekreterare="Cecilia Ceder", anslag_hos=organisation, first=1,
        justerare=EXAMPLE_JUSTERARE, justeringsdatum=justering.isoformat(), uppsättande=posted.isoformat(),
        nedtagande=domain.last_appeal_day(posted).isoformat(),
        paragraphs=_standard_paragraphs(1, EXAMPLE_JUSTERARE, EXAMPLE_PARAGRAPH)
        + [Section(len(OPENING_PARAGRAPHS) + 2, *CLOSING_PARAGRAPH)],
    ), encoding="utf-8")
    return example


def _ignore_in_git(path: Path, entries: list[str]) -> None:
    """Add the entries a .gitignore lacks, keeping what it has."""
    kept = path.read_text(encoding="utf-8") if path.is_file() else ""
    missing = [entry for entry in entries if entry not in kept.splitlines()]
    if missing:
        separator = "\n" if kept and not kept.endswith("\n") else ""
        path.write_text(kept + separator + "".join(f"{entry}\n" for entry in missing), encoding="utf-8")


def _standard_paragraphs(first: int, justerare: str = PLACEHOLDER,
                         middle: tuple[str, str] = PARAGRAPH_TO_WRITE) -> list[Section]:
    opening = [Section(first + i, heading, text.format(justerare=justerare))
               for i, (heading, text) in enumerate(OPENING_PARAGRAPHS)]
    return opening + [Section(first + len(OPENING_PARAGRAPHS), *middle)]


def _load(root: Path) -> tuple[Site, Problems]:
    problems = Problems(root=root)
    site = load_site(root, problems)
    if site is None:
        raise SiteGenError("cannot read the site", problems.sorted())
    return site, problems


def _refuse_inside_a_sites_content(folder: Path) -> None:
    """A site made inside another's content/ would be read by that site as an organ."""
    where = folder.resolve()
    for parent in where.parents:
        if (parent / CONFIG_NAME).is_file() and where.is_relative_to(parent / CONTENT_DIR):
            raise SiteGenError(f"{folder} is inside the content/ folder of the site in {parent}; "
                               "name a folder outside it")


def new_document(root: Path, kind: str, organ_slug: str, day: dt.date) -> Path:
    site, problems = _load(root)
    organ = next((o for o in site.organs if o.slug == organ_slug), None)
    if organ is None:
        known = ", ".join(o.slug for o in site.organs) or "none"
        raise SiteGenError(f"there is no organ '{organ_slug}' in {CONFIG_NAME} (organs: {known})")
    # A document of the organ with an error may be missing from the model: its § numbers
    # and members would not be carried over, and the new one would start wrong.
    folder = f"{CONTENT_DIR}/{organ.slug}"
    broken = [p for p in problems.sorted() if p.severity == ERROR
              and (p.path == folder or p.path.startswith(folder + "/"))]
    if broken:
        raise SiteGenError(f"{organ.name}'s documents have errors; fix them first, so that the new "
                           "document continues their § numbers and members", broken)
    target = root / CONTENT_DIR / organ.slug / f"{day.isoformat()}-{kind}.md"
    if target.exists():
        raise SiteGenError(f"{target.relative_to(root)} exists already; edit it, or give another "
                           "day with --date YYYY-MM-DD")
    meeting = next((m for m in organ.meetings if m.date == day), None)
    if meeting is not None and getattr(meeting, kind) is not None:
        raise SiteGenError(f"{organ.name} already has a {kind} for {day}: "
                           f"{getattr(meeting, kind).source.relative_to(root)}")
    text = _new_protokoll(site, organ, day, meeting) if kind == "protokoll" else _new_kallelse(organ, day)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SiteGenError(f"cannot write {target.relative_to(root)}: {exc.strerror}") from None
    return target


def next_paragraph_number(organ, day: dt.date) -> int:
    """The § a protokoll of `day` starts at, after the organ's earlier meetings."""
    previous = _previous_protokoll(organ, day)
    if previous is None or not previous.protokoll.paragraphs:
        return 1
    return domain.next_paragraph_number(previous.date, previous.protokoll.paragraphs[-1].number, day)


def _previous_protokoll(organ, day: dt.date) -> Meeting | None:
    earlier = [m for m in organ.meetings if m.protokoll and m.date < day]
    return max(earlier, key=lambda m: m.date, default=None)


def _new_protokoll(site: Site, organ, day: dt.date, meeting: Meeting | None) -> str:
    first = next_paragraph_number(organ, day)
    previous = _previous_protokoll(organ, day)
    kallelse = meeting.kallelse if meeting else None
    if kallelse and kallelse.items:
        paragraphs = [Section(first + i, item.heading_text, _item_text(item),
                              tuple(t.name for t in item.topics), item.sekretess, item.allows_personnummer)
                      for i, item in enumerate(kallelse.items)]
    else:
        paragraphs = _standard_paragraphs(first) + [
            Section(first + len(OPENING_PARAGRAPHS) + 1, *CLOSING_PARAGRAPH)]
    people = previous.attendances if previous else []
    secretary = previous.protokoll.sekreterare if previous else None
    return _render(
        "protokoll.md", date=day.isoformat(),
        time=kallelse.time if kallelse and kallelse.time else PLACEHOLDER,
        place=kallelse.place if kallelse and kallelse.place else PLACEHOLDER,
        beslutande=_members(people),
        övriga=[_as_other(a) for a in people if not a.voting or (a.replaces and a.serving is not None)],
        sekreterare=secretary.name if secretary else PLACEHOLDER,
        anslag_hos=_anslag_hos(site, organ, previous),
        first=first, paragraphs=paragraphs, bilagor=_bilagor(kallelse) if kallelse else [],
    )


def _anslag_hos(site: Site, organ, previous: Meeting | None) -> str:
    """Where a new protokoll's notice is posted: where the last one was, else the
    organisation's; nothing to write when site.yml gives the organ's board."""
    if site.config.organs[organ.slug].anslag_hos:
        return ""
    return previous.protokoll.notice.posted_where if previous else site.config.organisation


def _bilagor(kallelse) -> list[dict]:
    """The kallelse's attachments, for the protokoll: its items, now paragraphs, mention
    them ('bilaga 1'), and the protokoll's own list is what those mentions link to. A
    file only secret items mention is listed too: the protokoll keeps it off the site
    as long as its paragraphs are secret as the items were."""
    return [{"number": a.number, "title": a.title,
             "file": _relative_to(a.source or a.withheld, kallelse.source)}
            for a in kallelse.attachments]


def _relative_to(file: Path | None, document: Path) -> str:
    """`file` as a document beside `document` names it; '' for none."""
    return Path(os.path.relpath(file, document.parent)).as_posix() if file else ""


def _item_text(item) -> str:
    parts = []
    if item.presenter:
        parts.append(f"{item.presenter} föredrog ärendet.")
    # The heading carries its own mentions; those of the item's text are kept here, as
    # the protokoll keeps an attachment off the site only when secret paragraphs mention it.
    in_heading = bilaga_numbers(item.heading_text)
    in_text = [a.number for a in item.attachments if a.number not in in_heading]
    if in_text:
        parts.append(f"Se bilaga {domain.swedish_list([str(n) for n in in_text])}.")
    if item.kind.startswith("beslut"):
        parts.append(f"**Beslut:** {PLACEHOLDER}")
    return "\n\n".join(parts) or PLACEHOLDER


def _members(attendances) -> list[dict[str, str]]:
    """The beslutande of the last meeting as members of the organ: a tjänstgörande
    ersättare ('ersätter') gives the seat back to the member, who is expected again (one
    there throughout, serving in some paragraphs, is among the others)."""
    listed = {a.person for a in attendances if a.voting}
    members = []
    for attendance in attendances:
        if not attendance.voting:
            continue
        if attendance.replaces is None:
            members.append(_person(attendance))
        elif attendance.replaces not in listed:
            listed.add(attendance.replaces)
            members.append({"name": attendance.replaces.name, "represents": attendance.represents,
                            "title": "", "role": ""})
    return members


def _as_other(attendance) -> dict[str, str]:
    """One of the others of the last meeting, expected again: an ersättare who served
    then is an ersättare, serving again only if a member is away."""
    person = _person(attendance)
    if attendance.replaces:
        person["role"] = "ersättare"
    return person


def _person(attendance) -> dict[str, str]:
    return {"name": attendance.person.name, "represents": attendance.represents,
            "title": attendance.title, "role": attendance.role}


def _new_kallelse(organ, day: dt.date) -> str:
    items = [Section(i + 1, heading) for i, (heading, _) in enumerate(OPENING_PARAGRAPHS)]
    items += [Section(len(items) + 1, f"{PLACEHOLDER} – beslut",
                      f"{PLACEHOLDER} föredrar.\n\nFörslag till beslut: {PLACEHOLDER}"),
              Section(len(items) + 2, "Mötets avslutande")]
    # An organ mostly meets at the same hour in the same room: as its last kallelse said.
    earlier = [m for m in organ.meetings if m.kallelse and m.date < day]
    previous = max(earlier, key=lambda m: m.date).kallelse if earlier else None
    return _render("kallelse.md", date=day.isoformat(), items=items,
                   time=previous.time if previous and previous.time else PLACEHOLDER,
                   place=previous.place if previous and previous.place else PLACEHOLDER)
