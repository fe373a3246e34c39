"""Read the Markdown body of a document: its § sections, decisions and agenda items.

The writer marks structure the way minutes are written on paper ("## § 48 …",
"**Beslut:** …", "Styrelsen beslutar att …, att …"); this module turns that into
blocks of HTML and decisions, without any knowledge of files or pages.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field

from site_gen.load import markdown

# Group 2 is the heading with its closing '**' and '#'s still on: `heading_text` cuts
# them off. Doing that in the pattern as well makes it backtrack for minutes on a long
# run of spaces (a hostile or mangled file must not hang the build).
PARAGRAPH_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:\*\*|__)?[ \t]*§[ \t]*(\d+)\.?[ \t]+(.+)$")
ITEM_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:\*\*|__)?(\d+)[.)]?[ \t]+(.+)$")
# A paragraph heading written not quite right, a common slip: '§ 12 Rubrik' without
# its hashes, '##§ 12 Rubrik', '#§12 Rubrik', '## § 12Rubrik', or '## § 12' with its
# title on the next line. Groups: the number (1 or 2) and the title (3, or none), from a
# stripped line. Possessive: a long run of spaces or digits is never tried two ways.
MISWRITTEN_PARAGRAPH_HEADING = re.compile(
    r"^(?:#{1,6}+[ \t]*+(?:(?:\*\*|__)[ \t]*+)?§[ \t]*+(\d++)\.?[ \t]*+|(?:\*\*|__)?§[ \t]*+(\d++)\.?[ \t]++)"
    r"(?:([^\s\d\-–].*)|(?:\*\*|__)?)$")
# A § heading in another style, where that § comes next: '## 11 § Avslutning' (the
# style of the law books), '## Paragraf 11 Avslutning', '## 11. Avslutning'. With
# another number it is a heading of a paragraph's text ('## 3 § förvaltningslagen').
# Groups: number, title.
OTHER_STYLE_PARAGRAPH_HEADING = re.compile(
    r"^#{1,6}+[ \t]*+(?:(?:\*\*|__)[ \t]*+)?(?:(\d++)[ \t]*+§|(?i:paragraf)[ \t]++(\d++)\.?)"
    r"[ \t]*+(.*?)(?:\*\*|__)?$")
NUMBERED_HEADING = re.compile(r"^#{1,6}+[ \t]*+(?:(?:\*\*|__)[ \t]*+)?(\d++)[.)]?[ \t]++(\D.*?)(?:\*\*|__)?$")
# An agenda item's heading with its hashes but not quite right: '##11. Utcheckning'
# (no space after the hashes) or '## 11.Utcheckning' (none after the number). A line
# such as '### 2024-års budget' is a heading in an item's text, and a numbered line
# without hashes a list. Groups: number and title, (1, 2) or (3, 4).
MISWRITTEN_ITEM_HEADING = re.compile(
    r"^#{1,6}+(?:(?:\*\*|__)[ \t]*+)?(\d++)[.)]?[ \t]*+([^\W\d_].*)$"
    r"|^#{1,6}+[ \t]++(?:(?:\*\*|__)[ \t]*+)?(\d++)[.)]([^\W\d_].*)$")
# An agenda item's heading with a colon or dash after its number: '## 5: Detaljplan',
# '## 5:Detaljplan', '## 5–Detaljplan'. Read so only with the next item's number: '### 2024 – en
# återblick' is a heading of an item's text. Groups: number, title.
OTHER_STYLE_ITEM_HEADING = re.compile(
    r"^#{1,6}+[ \t]*+(?:(?:\*\*|__)[ \t]*+)?(\d++)[ \t]*+[:–—-][ \t]*+([^\W\d_].*)$")
# § and item numbers have at most this many digits; a longer run of digits is a slip
# (and Python refuses to turn thousands of digits into a number).
MAX_NUMBER_DIGITS = 9
# What `site-gen new` writes where a name, a heading or a decision is still to come: an
# ellipsis standing alone, not one that ends a word or stands in a quotation ("[…]").
PLACEHOLDER = "…"
UNFILLED = re.compile(r"(?<![^\s*_:])…(?![^\s*_.,])")
SEPARATOR = re.compile(r"^ {0,3}(?:-{3,}|\*{3,}|_{3,})[ \t]*$")
# Spaces that text copied from Word or a PDF brings along, which a heading's writer
# cannot tell from a space: no-break and other typographic spaces (Unicode's Zs), line
# and paragraph separators, and the invisible zero-width space, word joiner and
# byte-order mark. A heading is read as if they were plain spaces (the invisible ones
# as nothing), so that '## §\u00a043 Val av justerare' is the § 43 it looks like.
PASTED_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]")
INVISIBLE = frozenset("\u200b\u2060\ufeff")

# 'Beslut:' in bold or plain before the decision; alone on its line, also in italics or
# without the colon ('*Beslut: se § 12*' in italics is a quotation, not the label).
BESLUT_LABEL = re.compile(r"^(?:\*\*|__)?Beslut(?::(?:\*\*|__)?|(?:\*\*|__):)[ \t]*", re.IGNORECASE)
BESLUT_HEADING = re.compile(r"^(?:\*\*|__|\*|_)?Beslut:?(?:\*\*|__|\*|_)?:?$", re.IGNORECASE)
DECISION_VERB = re.compile(
    r"\b(?:beslut(?:ar|ade)|beslöt)(?:\s+(?:också|även|därför|vidare|dessutom|enhälligt))?\s+att\b",
    re.IGNORECASE,
)
# A decision taken as someone proposed: "Kommunstyrelsen beslutar enligt arbetsutskottets
# förslag.", "… beslutade i enlighet med förvaltningens förslag": one decision, the sentence.
DECISION_AS_PROPOSED = re.compile(r"\b(?:beslut(?:ar|ade)|beslöt)\s+(?:enligt|i\s+enlighet\s+med)\s",
                                  re.IGNORECASE)
LEAD_ENDING = re.compile(r"\b(?:beslut(?:ar|ade)|beslöt)(?:\s+(?:också|även|därför|vidare))?\s*(?::\s*)?$",
                         re.IGNORECASE)
# A § ending in a sentence that approves, adopts, fixes, grants, rejects or assigns, with no
# 'beslutar' in it: "Styrelsen godkände rapporten.", "Rapporterna godkändes.", "Ansökan
# avslås.", "Informationen läggs till handlingarna." Read only as the § text's last
# paragraph, in its first sentence of at most two ('… Den gäller från 1 januari 2022.'),
# its verb right after what it is about (not in a clause, "… som godkändes i maj"), so
# that an account of what was approved before stays the account it is. Active, its
# subject is an organ ('Styrelsen', 'Bygg- och miljönämnden'), kept by assembly only
# where it names the meeting's own ('Nämnden' for Byggnadsnämnden; 'Kommunfullmäktige
# fastställde skattesatsen' in the kommunstyrelse's minutes is an account; DecisionText.by).
# Passive, it says by no one ('godkändes av fullmäktige' is someone else's), of no one's
# matter ('Kommunens ansökan beviljades'), with no modal verb ('kan beviljas', 'beräknas
# antas'); 'antas' is left out, as it also means 'is assumed'.
_ORGAN = (r"(?P<organ>(?:[A-ZÅÄÖ][\w-]*(?:\s+och)?\s+)?[\w-]*"
          r"(?i:styrelse|nämnd|utskott|fullmäktige|direktion|presidi|beredning)(?:n|en|et|e|t)?)")
_APPROVES = (r"(?:godkän(?:ner|de)|antar(?!\s+att\b)|antog|faststäl(?:ler|lde)|bevilja(?:r|de)"
             r"|avslår|avslog|bifaller|biföll|uppdr(?:ar|og)\s+(?:åt|till)|(?:ger|gav)\s+[^.!?]*?\bi\s+uppdrag)")
# What an organ may do before it decides, in the same sentence: 'Nämnden noterar
# informationen och uppdrar åt förvaltningen att …', '… tackar för redovisningen och godkänner den'.
_TAKES_NOTE = r"(?:(?:noterar|tackar\s+för|tar\s+del\s+av)\b[^.!?]*?\boch\s+)?"
_APPROVED = r"(?:godkän(?:ns|des)|antogs|faststäl(?:ls|ldes)|bevilja(?:s|des)|avslås|avslogs|bifalls|bifölls)"
_NOT_IN_SUBJECT = (r"som|vilke[nt]|vilka|när|då|där|att|kan|bör|ska|skall|måste|får|kommer|beräknas|väntas"
                   r"|bedöms")
CONCLUDING_DECISION = re.compile(
    rf"^(?:{_ORGAN}\s+{_TAKES_NOTE}(?:{_APPROVES}\b|(?:lägger|lade)\b.*\btill\s+handlingarna\b)"
    rf"|(?![A-ZÅÄÖ][\w-]*s\s+\w)[A-ZÅÄÖ][\w-]*(?:\s+(?!(?:{_NOT_IN_SUBJECT})\b)[\w-]+){{0,3}}?\s+"
    rf"(?:{_APPROVED}\b(?!\s+(?:också\s+)?av\s)|(?:läggs|lades)\b.*\btill\s+handlingarna\b))[^.!?]*[.!]?$")
# Abbreviations whose full stops end no sentence: '9 kap. 31 §', 'bl.a.', 'enl. bilaga'.
_ABBREVIATION = re.compile(r"\b(?:kap|bl\.a|t\.o\.m|fr\.o\.m|m\.m|s\.k|enl|ca|nr|resp|jfr)\.",
                           re.IGNORECASE)
# Not the meeting's own procedure, approved at every meeting ("Dagordningen godkändes.",
# "Kallelsen godkändes.", "Styrelsen godkände dagordningen."): it would crowd the lists of
# decisions; a writer who wants it listed labels it 'Beslut:'. Nor what happened on a day
# or in a year of its own ('den 30 november', '2026-01-28', 'i maj', 'under 2019',
# 'godkändes 2019'; not 'taxan för år 2027', 'i 2026 års budget').
_MONTH = r"(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"
NOT_CONCLUDING = re.compile(rf"dagordning|föredragningslist|protokoll|kallelse|justering|justerare"
                            rf"|sammanträde|behörig|\b\d{{1,2}}\s+{_MONTH}\b|\b\d{{4}}-\d\d-\d\d\b"
                            rf"|\b(?:i|under|sedan|redan)\s+(?:{_MONTH}\b|\d{{4}}\b(?!\s+års))"
                            rf"|\b(?:{_APPROVED}|godkände|antog|fastställde|beviljade)\s+\d{{4}}\b(?!\s+års)",
                            re.IGNORECASE)
CONCLUDING_LONGEST = 200  # characters: a longer last paragraph is an account, not the decision
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")  # where the next sentence starts
ATT_START = re.compile(r"^att\s", re.IGNORECASE)
ATT_SPLIT = re.compile(r"[,;]\s+att\s+", re.IGNORECASE)

KIND_SUFFIX = re.compile(
    r"^(?P<head>.*?)(?<!\s)\s+[–—-]\s+(?P<kind>(?:beslut|information|diskussion)"
    r"(?:\s*/\s*(?:beslut|information|diskussion))*)\b\.?(?:\s*(?P<rest>\(.*\)))?\s*$",
    re.IGNORECASE,
)
PRESENTER = re.compile(
    r"^(?P<name>[A-ZÅÄÖÉ][\w'-]+(?:\s+[A-ZÅÄÖÉ][\w'-]+){1,3})\s+(?:föredrar|rapporterar)\b"
)
# Paragraphs and agenda items are h3 on their page, so headings in their text start at h4.
SUBHEADING_LEVEL = 4
# A proposal's label: 'Förslag till beslut:', 'Förvaltningens förslag till beslut',
# 'Arbetsutskottets förslag:'. In the minutes, the decision sentence under it ('Nämnden
# beslutar att …') is what was proposed, and what was decided comes after.
# A proposer's ('Arbetsutskottets förslag') only with a colon or alone: "Arbetsutskottets
# förslag bifalls" is a decision, "Trafikverkets förslag innebär …" an account.
PROPOSAL_LABEL = re.compile(r"^(?:\*\*|__)?(?:förslag\s+till\s+beslut(?!\w)"
                            r"|[\w-]+s\s+förslag(?:\s+till\s+beslut)?(?=(?:\*\*|__)?\s*(?::|$)))"
                            r":?(?:\*\*|__)?:?\s*", re.IGNORECASE)
# The chair's finding, as a vote is called for: 'Ordföranden ställer förslagen mot
# varandra och finner att nämnden beslutar enligt förvaltningens förslag.' A decision
# only where no other follows it.
FINDING = re.compile(r"\bordförande(?:n)?\b[^.!?]*\bfinner\s+att\b", re.IGNORECASE)
# A list pasted from Word: its bullet ('•', '◦', '▪', '·', Symbol font's '\uf0b7' and
# '\uf0a7', Word's 'o' on the second level) then a tab or spaces, where Markdown wants
# '- '. Read as the list it was, so that its att-clauses are the decision's. An en dash
# only before a tab, or opening a line after a blank one or another item: a line broken
# before a dash ('1 januari\n– 31 december') goes on the sentence.
PASTED_BULLET = re.compile(r"^[ \t]*+(?:[•◦▪·\uf0b7\uf0a7]|o(?=\t))[ \t]++(?=\S)", re.MULTILINE)
PASTED_DASH_ITEM = re.compile(r"^[ \t]*+–(?:\t[ \t]*+|[ \t]++)(?=\S)")


@dataclass
class Section:
    number: int
    heading: str  # Markdown source of the heading
    text: str  # Markdown source of the body
    line: int  # file line of the heading


@dataclass(slots=True)
class ParsedSection:
    """A § or agenda item, fully read: what assembling the site needs, and no more.

    A secret paragraph keeps its heading only: `analysed` is None and its text is gone.
    A secret agenda item keeps its heading and the kind the heading gives.
    """

    number: int
    line: int
    heading_html: str
    heading_text: str
    analysed: AnalysedParagraph | AnalysedItem | None
    bilaga_mentions: dict[int, int]  # attachment number -> line of its first mention
    references: list[tuple[int, int | None, int, str]]  # see find_references


@dataclass(slots=True)
class BodyIssue:
    line: int
    message: str
    hint: str = ""
    warning: bool = False  # else an error


@dataclass(slots=True)
class DecisionText:
    html: str
    text: str
    # A closing sentence's organ ('Styrelsen', 'Byggnadsnämnden'): the decision is the
    # meeting's only where that names its organ (assemble). '' for every other decision.
    by: str = ""


@dataclass(slots=True)
class AnalysedParagraph:
    blocks: list[tuple[str, bool]] = field(default_factory=list)  # (html, is_decision)
    decisions: list[DecisionText] = field(default_factory=list)


@dataclass(slots=True)
class AnalysedItem:
    heading: str  # Markdown heading without the kind ending
    kind: str
    presenter: str
    proposal_html: str
    html: str


def holds_placeholder(line: str) -> bool:
    # The plain test first: the pattern's look-arounds cost 0.08 s per 1,000 meetings.
    return PLACEHOLDER in line and UNFILLED.search(line) is not None


def unfilled(line: int) -> BodyIssue:
    """The warning for a line that still holds the placeholder `site-gen new` wrote."""
    return BodyIssue(line, f"'{PLACEHOLDER}' marks something still to be written here",
                     f"write the text in place of the '{PLACEHOLDER}' before publishing", warning=True)


# A code fence: three or more backticks or tildes. It is closed by a line of the same
# character, at least as many, and nothing else (CommonMark): '```' inside a block opened
# with '````' is code, as the page shows it.
FENCE = re.compile(r"(`{3,}+|~{3,}+)(.*)$")


def _fenced(lines: list[str]):
    """(line, whether it is code) of each line: a fenced code block from its opening
    fence up to, not including, its closing one. Nothing in code is a heading or a link."""
    opened = ""  # the fence of the code block the lines are in
    for line in lines:
        fence = FENCE.match(line.lstrip()) if "``" in line or "~~" in line else None
        if not opened:
            # A backtick fence's info string holds no backtick: '```a``' is inline code.
            if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
                opened = fence.group(1)
        elif fence and fence.group(1)[0] == opened[0] and len(fence.group(1)) >= len(opened) \
                and not fence.group(2).strip():
            opened = ""
        yield line, bool(opened)


def split_sections(body: str, first_line: int, heading: re.Pattern, what: str, example: str,
                   meant_heading) -> tuple[list[Section], list[BodyIssue]]:
    """Cut a body into numbered sections at each heading matching `heading`;
    `meant_heading` gives a line written as a heading not quite right as it was meant,
    given the number the next section would have.
    A numbered heading deeper than its section's own ('### 2023 års avtal' under
    '## 2. Avtal') is a heading in the section's text, unless it has the next number."""
    sections: list[Section] = []
    issues: list[BodyIssue] = []
    current: Section | None = None
    lines: list[str] = []
    # Of the current section's heading: a protokoll whose first § is '#' and the rest
    # '##' still has a mistyped '## § 7' start a paragraph, and its gap told at its line.
    level = 0
    for number, (line, in_fence) in enumerate(_fenced(body.split("\n")), first_line):
        if not in_fence and holds_placeholder(line):
            issues.append(unfilled(number))
        read = line  # as a heading is read; the text keeps its spaces as written
        if not in_fence and ("#" in line or "§" in line) and PASTED_SPACE.search(line):
            read = as_typed(line)  # only for a line that may be a heading: few have '#' or '§'
        match = None if in_fence else heading.match(read)
        # A heading is one even with too long a number: not also "not a heading".
        # Deeper than its section's heading: a heading of the section's text, unless it
        # has the next number. Neither that nor code indented four spaces is taken for a
        # heading in another style.
        deeper = current is not None and _heading_level(read) > level
        indented = len(read) - len(read.lstrip(" ")) > 3
        next_number = None if deeper or indented else (current.number + 1 if current else 1)
        meant_as = None if match or in_fence else meant_heading(read.strip(), next_number)
        if match and len(match.group(1)) > MAX_NUMBER_DIGITS:
            issues.append(BodyIssue(number, f"the number of this {what} has more than "
                                            f"{MAX_NUMBER_DIGITS} digits", "check the number"))
            match = None
        if meant_as:
            article = "an" if what[0] in "aeiou" else "a"
            issues.append(BodyIssue(number, f"this line looks like {article} {what} heading but is not one",
                                    f"write it as a heading: '{meant_as}'"))
            # Taken for the heading it was meant to be, so that the paragraphs after it
            # are not reported as a gap in the numbering, nor its entry as one without text.
            meant = heading.match(meant_as)
            match = meant if meant and len(meant.group(1)) <= MAX_NUMBER_DIGITS else None
        if match and deeper and int(match.group(1)) != current.number + 1:
            match = None  # a heading of the section's own text
        if match:
            level = _heading_level(read)
            if current:
                current.text = _trim("\n".join(lines))
                sections.append(current)
            current = Section(int(match.group(1)), heading_text(match.group(2)), "", number)
            lines = []
            continue
        if current is None:
            if line.strip() and not SEPARATOR.match(line):
                issues.append(BodyIssue(number, f"text before the first {what}",
                                        f"start each {what} with a heading such as '{example}'"))
            continue
        lines.append(line)
    if current:
        current.text = _trim("\n".join(lines))
        sections.append(current)
    return sections, issues


def _heading_level(line: str) -> int:
    """How many '#' open the heading: 2 for '## 3. Budget'; 2 for a line meant as one."""
    hashes = len(line.lstrip()) - len(line.lstrip().lstrip("#"))
    return hashes or 2


def as_typed(line: str) -> str:
    """The line with pasted spaces (PASTED_SPACE) as plain spaces, invisible ones left out."""
    return PASTED_SPACE.sub(lambda space: "" if space.group() in INVISIBLE else " ", line)


def heading_text(raw: str) -> str:
    """A heading's text without the closing '**' or '__' and '#'s around it."""
    text = raw.rstrip(" \t").rstrip("#").rstrip(" \t")
    if text.endswith(("**", "__")):
        text = text[:-2]
    return text.strip()


def _trim(text: str) -> str:
    """Drop blank lines and '---' separators at the end of a section (not at its
    start, so the text's first line stays the line after the heading)."""
    lines = text.split("\n")
    while lines and (not lines[-1].strip() or SEPARATOR.match(lines[-1])):
        lines.pop()
    return "\n".join(lines)


# '§ 45' or '§ 45/2020': a paragraph of the organ's minutes; also several, '§§ 45–47'
# (a range: its first and last), '§ 45 och 48', '§§ 12, 14 och 15/2023' (see
# cited_paragraphs). Not a section of a named law or rule book, left as written,
# unlinked: after 'i', a rule book's word in any form ('§ 9 i förbundsordningen', '§ 2
# i riktlinjerna', '§ 4 i lag (2003:1210)'); without it only a law's or rule book's own
# name, in its definite form ('§ 5 kommunallagen', '§ 7 plan- och bygglagen', '§ 3 reglementet'; not '§ 12
# Avtal om städning', a paragraph named by its heading, nor '§ 12 förslaget' or '§ 3
# dagordningen') or a law's short name ('§ 7 LOU', '§ 14 FinsamL'; not '§ 12
# ESF-projekt'); nor the stycke or punkt of a law cited as laws are ('9 kap. 31 § 2 st.
# plan- och bygglagen', '31 § 1 p.', '§ 3 andra stycket'). The numbers are read in one
# atomic group: '§ 5 och 6 kommunallagen' is not '§ 5' once '6' is seen to be the law's.
_JOINED = r"(?:\w+-\s+(?:och|eller)\s+)?"  # 'plan- och bygg…', 'offentlighets- och sekretess…'
_RULE_BOOK_WORD = (r"\w*?(?:ordning|lag|reglemente|stadga|stadgar|avtal|förordning|balk|instruktion|"
                   r"riktlinje|policy|föreskrift|bestämmelse)(?:en|et|na|ar|arna|er|erna|r|rna|t|n)?\b")
# Words that end as a law's or rule book's name and are none: förslagen, anslagen,
# underlagen; dagordningen, samordningen, anordningen.
_NOT_A_RULE_BOOK = (r"(?!(?:förs|ans|bes|uts|avs|pås|oms|upps|tills|under)lagen\b"
                    r"|(?:dag|sam|an|upp|in)ordningen\b)")
_RULE_BOOK_NAME = (rf"{_NOT_A_RULE_BOOK}(?:\w*(?:lagen|balken|förordningen|reglementet|stadgan|stadgarna|"
                   r"avtalet|instruktionen|riktlinjerna|policyn|föreskrifterna|bestämmelserna|ordningen))\b"
                   r"|lag\s*\(\d{4}:\d+\)")
# KL, OSL, PBL, SoL, FinsamL; LOU, LSS …: not a word in capitals (PERSONAL, LOKAL).
_LAW_SHORT_NAME = (r"(?:[A-ZÅÄÖ]{1,3}L|[A-ZÅÄÖ][a-zåäö]+L|LOU|LOV|LUF|LUK|LSS|LVU|LVM|BrB|RB|RF|TF|SFB|"
                   r"GDPR|MB|ÄB|JB|FB)(?![-\w])")
_CITED_NUMBER = r"\d{1,9}(?!\d)(?>\s*/\s*\d{4}(?!\d))?"
# A number after the first is one of the list unless it is a law's section ('§ 2 och 5 §
# kommunallagen'), a sum ('§ 3, 20 000 kronor') or a date ('§ 4, 2024-05-15'). A comma
# joins a list only after '§§': '§ 3, 20 kronor' is no list.
_LISTED_NUMBER = rf"{_CITED_NUMBER}(?!\s*§|\s\d|[-–]\d)"
_AND = r"\s*[-–]\s*|\s+(?:och|samt|eller|respektive)\s+"
REFERENCE = re.compile(rf"(?<![\w§])(?<!\d\s)"
                       rf"(?:§§\s?(?>{_CITED_NUMBER}(?:(?:{_AND}|\s*,\s*){_LISTED_NUMBER})*)"
                       rf"|§\s?(?>{_CITED_NUMBER}(?:(?:{_AND}){_LISTED_NUMBER})*))"
                       r"(?!\s*(?:st|p|mom)\.|\s+(?:(?:första|andra|tredje|fjärde|femte)\s+)?"
                       r"(?:stycket|punkten|momentet|meningen)\b)"
                       rf"(?!\s+i\s+{_JOINED}(?i:{_RULE_BOOK_WORD})"
                       rf"|\s+{_JOINED}(?i:{_RULE_BOOK_NAME})|\s+(?:i\s+)?{_LAW_SHORT_NAME})")
_NUMBER_IN_CITATION = re.compile(r"(\d{1,9})(?:\s*/\s*(\d{4}))?")
# A body named right before a §, whose paragraph it is: by its abbreviation in capitals,
# 'KF § 50', 'KS:s beslut § 12', or by its name in the genitive, 'kommunfullmäktiges beslut
# § 122', 'styrelsens protokoll § 8'. Assembly leaves it as written, unlinked and
# unchecked, unless the name is the meeting's own organ's (as one after a date, REFERENCE).
_ONE_LINE_SPACE = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # not across a blank line, into another paragraph
BODY_BEFORE = re.compile(rf"(?:\b(?P<short>[A-ZÅÄÖ]{{2,6}})(?::s)?"
                         rf"|\b(?P<organ>\w*(?i:fullmäktige|styrelse|nämnd|utskott|beredning|direktion|presidi)\w*)s)"
                         rf"{_ONE_LINE_SPACE}"
                         rf"(?i:(?:beslut|protokoll|protokollsutdrag)\s*,?{_ONE_LINE_SPACE})?\Z")


def body_named_before(text: str, start: int) -> str:
    """The body named right before the § cited at `start` of `text` (BODY_BEFORE): its
    abbreviation ('KF'), or its name without the genitive's s ('styrelsen'); '' if none."""
    named = BODY_BEFORE.search(text, max(0, start - 60), start)
    return (named.group("short") or named.group("organ")) if named else ""


def cited_paragraphs(citation: str) -> list[tuple[int, int | None, int, int]]:
    """(number, year or None, start, end) of each paragraph a REFERENCE match names,
    for a range its first and last. The numbers of a list or range go up: where one does
    not ('§ 48, 2 000 kronor', '§ 12 och 3 ledamöter') the citation ended before it. A
    year after the last number is all of theirs ('§§ 12–14/2023', '§§ 3 och 5/2023')."""
    cited: list[tuple[int, int | None, int, int]] = []
    for match in _NUMBER_IN_CITATION.finditer(citation):
        number, year = int(match.group(1)), int(match.group(2)) if match.group(2) else None
        if cited and year == cited[-1][1] and number <= cited[-1][0]:
            break
        cited.append((number, year, match.start(), match.end()))
    last_year = cited[-1][1]
    return [(number, year or last_year, start, end) for number, year, start, end in cited]


def find_references(text: str, first_line: int) -> list[tuple[int, int | None, int, str]]:
    """(number, year or None, line, body named before it) for each paragraph named as
    '§ 45', '§ 45/2020', '§§ 45–47' or '§ 45 och 48' in a paragraph's text; the body is
    '' or what body_named_before finds ('KF § 50')."""
    found = []
    line, counted_to = first_line, 0  # lines counted as we go: a long text has many references
    for match in REFERENCE.finditer(text):
        named = body_named_before(text, match.start())
        for number, year, start, _ in cited_paragraphs(match.group()):
            line += text.count("\n", counted_to, match.start() + start)
            counted_to = match.start() + start
            found.append((number, year, line, named))
    return found


# A § or agenda item may have an entry of its own in the front matter, under its number.
SECTION_ENTRIES = {"protokoll": "paragraphs", "kallelse": "items"}


def section_entries(kind: str, meta: dict) -> dict[int, dict]:
    """Each section's entry in the front matter, by its number."""
    return meta.get(SECTION_ENTRIES[kind], {})


def secret_sections(kind: str, meta: dict) -> set[int]:
    """The numbers of the sections under sekretess, whose text is never published."""
    return {number for number, entry in section_entries(kind, meta).items() if entry.get("sekretess")}


def section_name(kind: str, number: int) -> str:
    """'§ 12', or 'item 3' of a kallelse's agenda, as messages name a section."""
    return f"item {number}" if kind == "kallelse" else f"§ {number}"


def a_section(kind: str) -> str:
    """'a paragraph', or 'an item' of a kallelse's agenda, as hints name one."""
    return "an item" if kind == "kallelse" else "a paragraph"


def sections_of(kind: str, body: str, first_line: int):
    """The body cut into its sections as the document's kind has them: § or agenda items."""
    return (agenda_sections if kind == "kallelse" else paragraph_sections)(body, first_line)


def paragraph_sections(body: str, first_line: int):
    return split_sections(body, first_line, PARAGRAPH_HEADING, "paragraph", "## § 12 Rubrik",
                          _meant_paragraph_heading)


def agenda_sections(body: str, first_line: int):
    return split_sections(body, first_line, ITEM_HEADING, "agenda item", "## 3. Val av justerare",
                          _meant_item_heading)


def _meant_paragraph_heading(line: str, next_number: int | None) -> str | None:
    miswritten = MISWRITTEN_PARAGRAPH_HEADING.match(line)
    if not miswritten:
        return _paragraph_heading_of_another_style(line, next_number)
    return f"## § {miswritten.group(1) or miswritten.group(2)} {_meant_title(miswritten.group(3) or '')}"


def _paragraph_heading_of_another_style(line: str, next_number: int | None) -> str | None:
    """'## 11 § Avslutning' as '## § 11 Avslutning'; a numbered heading without § only
    when it has the next paragraph's number. None for a heading deeper than its
    paragraph's (`next_number` None): '### 5 § kommunallagen' in a paragraph's text."""
    if next_number is None:
        return None
    found = OTHER_STYLE_PARAGRAPH_HEADING.match(line) or NUMBERED_HEADING.match(line)
    number = found and next((group for group in found.groups()[:-1] if group), None)
    if number != str(next_number):
        return None
    return f"## § {number} {_meant_title(found.group(found.re.groups))}"


def _meant_title(text: str) -> str:
    """A heading's title as written after its number: ': Budget', '– Budget' and
    '** Budget' are 'Budget'."""
    return heading_text(text.replace("**", "").replace("__", "").strip().lstrip(":–-").strip()) or "Rubrik"


def _meant_item_heading(line: str, next_number: int | None) -> str | None:
    """An item heading with its hashes but not quite right, whatever its number (a
    numbered line without hashes is a list, whose numbers may well be the next item's);
    one with a colon or dash after its number only with the next item's number."""
    miswritten = MISWRITTEN_ITEM_HEADING.match(line)
    if miswritten:
        number, title = miswritten.group(1, 2) if miswritten.group(1) else miswritten.group(3, 4)
        return f"## {number}. {heading_text(title)}"
    other_style = OTHER_STYLE_ITEM_HEADING.match(line)
    if other_style and next_number is not None and other_style.group(1) == str(next_number):
        return f"## {next_number}. {heading_text(other_style.group(2))}"
    return None


# 'Bilaga 1', 'bilagorna 2–4', 'Bil. 3', 'BILAGA nr 5', 'bilaga 2 t.o.m. 4': what an
# attachment only secret paragraphs mention is kept off the site, so a mention missed
# would publish it.
_RANGE = r"-|–|—|t\.\s?o\.\s?m\.|till"
BILAGA_MENTION = re.compile(
    r"\b(?P<word>(?i:bilag(?:a|an|or|orna)\b|bil\.)(?:\s*(?i:nr|nummer)\.?)?)\s*"
    rf"(?P<numbers>\d{{1,9}}(?:\s*(?:,|och|&|samt|{_RANGE})\s*\d{{1,9}})*)(?!\d)"
)
_NUMBER_OR_RANGE = re.compile(rf"\d+|{_RANGE}")
_LONGEST_RANGE = 50  # 'bilaga 2 till 2024 års budget' is no range of two thousand


def bilaga_numbers(text: str, first_line: int = 1) -> dict[int, int]:
    """The attachment numbers mentioned as 'Bilaga 1', 'bilaga 2 och 3' or 'bilagorna
    4–6', in the order first mentioned, each with the line of its first mention."""
    numbers: dict[int, int] = {}
    for match in BILAGA_MENTION.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        for number in _mentioned_numbers(match.group("numbers")):
            numbers.setdefault(number, line)
    return numbers


def _mentioned_numbers(written: str) -> list[int]:
    found: list[int] = []
    in_range = False
    for token in _NUMBER_OR_RANGE.findall(written):
        if not token.isdigit():
            in_range = True
            continue
        number = int(token)
        if in_range and found:
            if not 0 < number - found[-1] <= _LONGEST_RANGE:
                break  # no range of attachments, but a year or the like after 'till'
            found.extend(range(found[-1] + 1, number))
        found.append(number)
        in_range = False
    return found


def parse_body(kind: str, text: str, first_line: int, secret: set[int]):
    """Every section of a protokoll or kallelse body, read and rendered, plus problems."""
    sections, issues = sections_of(kind, text, first_line)
    for section in sections:
        if section.number not in secret and "](" in section.text:
            issues += _local_link_issues(section)
        if kind == "protokoll" and section.number not in secret and "§§" in section.text:
            issues += _falling_citation_issues(section)
    return [_parse_section(kind, s, s.number in secret) for s in sections], issues


def _falling_citation_issues(section: Section) -> list[BodyIssue]:
    """'§§ 6–5', '§§ 12, 10 och 14', '§§ 207, 203–204': paragraphs cited together out of
    rising order, read no further than where they leave it (as '§§ 14–15, 2 ledamöter'
    ends before its '2'), so the rest was neither checked nor linked. Told where the
    number left out ends the citation or goes on to another, as a § number does; not in
    code."""
    issues = []
    for line, (text, in_fence) in enumerate(_fenced(section.text.split("\n")), section.line + 1):
        if in_fence or "§§" not in text:
            continue
        text = CODE_SPAN.sub(lambda code: " " * len(code.group()), text)
        for match in REFERENCE.finditer(text):
            citation = _out_of_order(text, match) if match.group().startswith("§§") else None
            if citation:
                issues.append(BodyIssue(line, f"'{citation}' cites paragraphs out of rising order, and is "
                                              "read up to where it leaves it",
                                        "write them from the lowest up, each once, as '§§ 5–6' or "
                                        "'§§ 10, 12 och 14'", warning=True))
    return issues


def _out_of_order(text: str, match: re.Match) -> str | None:
    """The citation of `match` as written up to the first number out of rising order, or
    None: within it ('§§ 6–5'), or listed right after it ('§§ 207, 203–204')."""
    numbers = list(_NUMBER_IN_CITATION.finditer(match.group()))
    cited = cited_paragraphs(match.group())
    if len(cited) < len(numbers):
        left_out = numbers[len(cited)]
        ends = CITED_NUMBER_ENDS.match(text, match.start() + left_out.end())
        return match.group().strip() if ends else None
    lower = CITED_NUMBER_AFTER.match(text, match.end())
    if lower and int(lower.group(1)) <= cited[-1][0] and CITED_NUMBER_ENDS.match(text, lower.end()):
        return text[match.start():lower.end()].strip()
    return None


# What follows a § number: the end of the sentence or text, or another number.
CITED_NUMBER_ENDS = re.compile(r"\s*(?:$|[.,;:)!?]|(?:och|eller|samt|[–—-])\s*§*\s*\d)")
# Another § number listed after a citation: ', 203', ' och § 205'.
CITED_NUMBER_AFTER = re.compile(r"\s*(?:,|och|eller|samt)\s*§*\s*(\d+)\b")


# A Markdown link or image: '[budgeten](bilagor/budget.pdf)', '![logga](logga.png)'.
MARKDOWN_LINK = re.compile(r"(!?)\[[^\[\]\n]*+\]\(\s*+<?([^)\s>]*+)")
CODE_SPAN = re.compile(r"`[^`\n]*+`")  # near enough: a span of one backtick each side
URL_WITH_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _local_link_issues(section: Section) -> list[BodyIssue]:
    """A link to a file beside the source leads nowhere on the site, and an image is
    left out of the page: the sources' files are published only as attachments."""
    issues = []
    for line, (text, in_fence) in enumerate(_fenced(section.text.split("\n")), section.line + 1):
        if in_fence or "](" not in text:  # code shows a link as written: nothing to follow
            continue
        for image, target in MARKDOWN_LINK.findall(CODE_SPAN.sub("", text)):
            if image:
                issues.append(BodyIssue(line, "images in the text are not published",
                                        "list the image under 'bilagor' and mention it as 'Bilaga N'",
                                        warning=True))
            elif target and not target.startswith("#") and not URL_WITH_SCHEME.match(target):
                issues.append(BodyIssue(line, f"the link to '{target}' would lead nowhere: the site "
                                              "publishes the sources' files only as attachments",
                                        "list the file under 'bilagor' and write 'Bilaga N' in the text; "
                                        "for another meeting's paragraph write '§ N/ÅÅÅÅ'"))
    return issues


def _pasted_lists_as_markdown(text: str) -> str:
    """The text with a list pasted from Word written as Markdown's (PASTED_BULLET)."""
    text = PASTED_BULLET.sub("- ", text)
    if "–" not in text:
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        dash = PASTED_DASH_ITEM.match(line)
        opens = index == 0 or not lines[index - 1].strip() or lines[index - 1].lstrip().startswith("- ")
        if dash and ("\t" in dash.group() or opens):
            lines[index] = "- " + line[dash.end():]
    return "\n".join(lines)


def _parse_section(kind: str, section: Section, secret: bool) -> ParsedSection:
    heading = section.heading
    text = section.text
    if not text.isascii() or "o\t" in text:  # the plain test first: most texts have neither
        text = _pasted_lists_as_markdown(text)
    if kind == "kallelse":
        # A secret item keeps what its heading tells (its kind) and nothing of its text.
        body_text = "" if secret else text
        analysed = analyse_agenda_item(section.heading, body_text)
        heading = analysed.heading
    elif secret:
        analysed, body_text = None, ""
    else:
        analysed, body_text = analyse_paragraph(text), text
    heading_html, heading_text = markdown.inline(heading)
    return ParsedSection(
        number=section.number, line=section.line,
        heading_html=heading_html,
        heading_text=heading_text,
        analysed=analysed,
        # Of a secret paragraph too: an attachment its text mentions belongs to its matter.
        bilaga_mentions=bilaga_numbers(section.heading + "\n" + section.text, section.line),
        references=find_references(body_text, section.line + 1) if kind == "protokoll" else [],
    )


# --- decisions -------------------------------------------------------------------


def _inline_source(block) -> str:
    for token in block:
        if token.type == "inline":
            return token.content.strip()
    return ""


def _is_att_block(block) -> bool:
    """A paragraph starting with 'att', or a list whose every item does."""
    opener = block[0].type
    if opener == "paragraph_open":
        return bool(ATT_START.match(markdown.plain_text(block)))
    if opener in ("bullet_list_open", "ordered_list_open"):
        items = [t for t in block if t.type == "inline"]
        return bool(items) and all(ATT_START.match(markdown.plain_text([t])) for t in items)
    return False


def _att_clauses(block) -> list[str]:
    if block[0].type == "paragraph_open":
        return [markdown.plain_text(block)]
    return [markdown.plain_text([t]) for t in block if t.type == "inline"]


def _decision_from_text(text: str) -> list[DecisionText]:
    """One decision, or one per att-clause when the text reads '… beslutar att A, att B'."""
    text = BESLUT_LABEL.sub("", text).strip()
    verb = DECISION_VERB.search(text)
    if verb:
        lead = text[: verb.end() - len("att")].rstrip()
        clauses = ATT_SPLIT.split(text[verb.end():].strip())
        if len(clauses) > 1:
            return [_plain_decision(f"{lead} att {c.strip()}") for c in clauses if c.strip()]
    return [_plain_decision(text)]


# What joins one att-clause to the next at its end ('att A, samt', 'att B; och').
CLAUSE_JOIN = re.compile(r"(?:[,;]\s*|\s+)(?:samt|och)$|[,;]+$", re.IGNORECASE)


def _plain_decision(text: str) -> DecisionText:
    text = re.sub(r"\s+", " ", text).strip()
    if text and text[-1] not in ".!?":
        text = CLAUSE_JOIN.sub("", text) + "."
    return DecisionText(html=html.escape(text, quote=False), text=text)


def _lead_with_clauses(lead: str, clauses: list[str]) -> list[DecisionText]:
    lead = BESLUT_LABEL.sub("", lead).rstrip(" :")
    return [_plain_decision(f"{lead} {c.strip()}") for c in clauses]


def analyse_paragraph(text: str) -> AnalysedParagraph:
    """Render a paragraph's text and find its decisions (see docs/format.md).

    A decision block is rendered without the writer's own label ('**Beslut:**', a
    '### Beslut' heading over it): the theme labels every decision, and the label written
    out again read 'Beslut' twice."""
    env: dict = {}  # the text's link reference definitions, for a label's paragraph parsed again
    tokens = markdown.parser().parse(text, env)
    markdown.shift_headings(tokens, SUBHEADING_LEVEL)
    blocks = markdown.top_level_blocks(tokens)
    explicit = any(_starts_beslut(b) for b in blocks)
    result = AnalysedParagraph()
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block[0].type == "heading_open" and BESLUT_HEADING.match(_inline_source(block)):
            index = _take_beslut_heading(blocks, index, result)
            continue
        is_paragraph = block[0].type == "paragraph_open"
        if is_paragraph and not explicit and PROPOSAL_LABEL.match(_inline_source(block)):
            index = _take_proposal(blocks, index, result)
            continue
        is_label = is_paragraph and _is_label(_inline_source(block))
        if is_label and _decision_follows_label(blocks, index):
            index = _take_decision_after_label(blocks, index, result)
            continue
        lead = markdown.plain_text(block) if is_label or (is_paragraph and not explicit) else ""
        is_verb = not explicit and is_paragraph and _reads_as_decision(lead) \
            and not (FINDING.search(lead) and _decision_after(blocks, index))
        if is_label or is_verb:
            index = _take_decision(blocks, index, lead, bool(is_label), env, result)
            continue
        last = not explicit and is_paragraph and index == len(blocks) - 1 and not result.decisions
        concluding = _concluding_decision(lead) if last else None
        if concluding:
            result.decisions.extend(dataclasses.replace(d, by=_decided_by(concluding))
                                    for d in _decision_from_text(lead))
        _add(result, block, bool(concluding))
        index += 1
    return result


def _reads_as_decision(lead: str) -> bool:
    """A paragraph that is a decision, or opens one: 'Styrelsen beslutar att …',
    'Styrelsen beslutar:', 'Nämnden beslutar enligt förvaltningens förslag.'"""
    return bool(DECISION_VERB.search(lead) or LEAD_ENDING.search(lead) or DECISION_AS_PROPOSED.search(lead))


def _decision_after(blocks, index: int) -> bool:
    """Whether a paragraph after blocks[index] is a decision (_reads_as_decision)."""
    return any(block[0].type == "paragraph_open" and _reads_as_decision(markdown.plain_text(block))
               for block in blocks[index + 1:])


def _take_proposal(blocks, index: int, result: AnalysedParagraph) -> int:
    """A proposal ('Förslag till beslut: Nämnden beslutar att …', or its label alone and
    the proposal in the block after it) with the att-clauses after it, taken into
    `result` as text; the index after them."""
    start = index
    label_alone = not PROPOSAL_LABEL.sub("", _inline_source(blocks[index])).strip()
    if label_alone and index + 1 < len(blocks) and blocks[index + 1][0].type != "heading_open":
        start += 1
    end = _att_run_end(blocks, start + 1)
    for block in blocks[index:end]:
        _add(result, block, False)
    return end


def _concluding_decision(text: str) -> re.Match | None:
    """The match of a closing paragraph's first sentence that is a decision
    (CONCLUDING_DECISION), or None. A second sentence may say more of it ('Nämnden
    godkänner attestordningen. Den gäller från 1 januari 2022.'); a third makes an account."""
    if len(text) > CONCLUDING_LONGEST:
        return None
    sentences = SENTENCE_END.split(_ABBREVIATION.sub(lambda m: m.group()[:-1], text), maxsplit=2)
    if len(sentences) > 2 or NOT_CONCLUDING.search(sentences[0]):
        return None
    return CONCLUDING_DECISION.match(sentences[0])


def _decided_by(match: re.Match) -> str:
    """The organ a closing decision names as deciding ('Styrelsen', 'Byggnadsnämnden');
    '' for a passive one."""
    return " ".join((match.group("organ") or "").split())


def _take_beslut_heading(blocks, index: int, result: AnalysedParagraph) -> int:
    """A '### Beslut' heading and the blocks under it, up to the next heading, taken
    into `result` as decisions; the index after them."""
    end = index + 1
    while end < len(blocks) and blocks[end][0].type != "heading_open":
        end += 1
    region = blocks[index + 1 : end]
    result.decisions.extend(_region_decisions(region))
    if not region:
        _add(result, blocks[index], False)
    for part in region:
        _add(result, part, True)
    return end


def _take_decision(blocks, index: int, lead: str, is_label: bool, env: dict,
                   result: AnalysedParagraph) -> int:
    """A decision starting at blocks[index] ('**Beslut:** …', or a sentence such as
    'Styrelsen beslutar att …'), with the att-clauses after it, taken into `result`;
    the index after them."""
    end = _att_run_end(blocks, index + 1)
    clauses = blocks[index + 1 : end]
    bare_label = is_label and _is_bare_label(lead)  # '**Beslut:**' alone
    # Nothing after a bare label is a decision: no empty one, and the label stays as written.
    if bare_label and not clauses:
        _add(result, blocks[index], False)
        return index + 1
    lead_ends = bool(LEAD_ENDING.search(lead))  # 'Styrelsen beslutar:', its clauses to come
    if clauses or not lead_ends or DECISION_VERB.search(lead):
        result.decisions.extend(_lead_decisions(lead, clauses, bare_label or lead_ends))
    if is_label:
        _add(result, _without_label(blocks[index], env), True)
    for part in blocks[index + 1 if is_label else index : end]:
        _add(result, part, True)
    return end


# '**Reservation:** …', '**Jäv:** …': a block of its own kind, not the decision.
OTHER_LABEL = re.compile(r"^(?:\*\*|__)[^*_\n]{1,40}:(?:\*\*|__)|^(?:\*\*|__)[^*_\n]{1,40}(?:\*\*|__):")


def _decision_follows_label(blocks, index: int) -> bool:
    """'**Beslut:**' on a line of its own, with the decision in the block after it (a
    paragraph, a list, a table); a list of att-clauses after it is read as the label's
    clauses."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return (following is not None and following[0].type != "heading_open"
            and not _is_att_block(following) and not OTHER_LABEL.match(_inline_source(following))
            and not _without_label(blocks[index], {}))


def _take_decision_after_label(blocks, index: int, result: AnalysedParagraph) -> int:
    """The block after a label on its own, and the att-clauses after it, taken into
    `result` as decisions, without the label; the index after them. A lead ending
    in a colon ('Styrelsen beslutar:') takes the list after it too."""
    start = index + 1
    if blocks[start][0].type != "paragraph_open":
        result.decisions.extend(_region_decisions(blocks[start : start + 1]))
        _add(result, blocks[start], True)
        return start + 1
    lead = markdown.plain_text(blocks[start])
    end = _att_run_end(blocks, start + 1)
    if end == start + 1 and lead.endswith(":") and end < len(blocks) and _is_list(blocks[end]):
        end += 1
        result.decisions.extend(_region_decisions(blocks[start:end]))
    else:
        clauses = blocks[start + 1 : end]
        result.decisions.extend(_lead_decisions(lead, clauses, bool(LEAD_ENDING.search(lead))))
    for part in blocks[start:end]:
        _add(result, part, True)
    return end


def _lead_decisions(lead: str, clauses, lead_takes_clauses: bool) -> list[DecisionText]:
    """The decisions of a lead and the att-blocks after it: one per clause where the
    lead stops before them ('Styrelsen beslutar', 'Beslut:'); else the lead's own, the
    blocks after a complete decision being part of it, e.g. its reasons."""
    if clauses and lead_takes_clauses:
        return _lead_with_clauses(lead, _att_clauses_of(clauses))
    decisions = _decision_from_text(lead)
    for extra in clauses:
        decisions[-1] = _join(decisions[-1], extra)
    return decisions


def _is_list(block) -> bool:
    return block[0].type in ("bullet_list_open", "ordered_list_open")


def _att_run_end(blocks, start: int) -> int:
    """The index after the att-blocks ('att …' lines or list items) from `start` on."""
    end = start
    while end < len(blocks) and _is_att_block(blocks[end]):
        end += 1
    return end


def _att_clauses_of(blocks) -> list[str]:
    return [clause for block in blocks for clause in _att_clauses(block)]


def _without_label(block, env: dict) -> list:
    """A 'Beslut:' paragraph's tokens without the label; none if the label was all of it."""
    inline = block[1]
    if _is_bare_label(inline.content):
        return []
    text = BESLUT_LABEL.sub("", inline.content, count=1).lstrip()
    children = markdown.parser().parseInline(text, env)[0].children
    return [block[0], inline.copy(content=text, children=children), block[-1]]


def _join(decision: DecisionText, block) -> DecisionText:
    extra = markdown.plain_text(block)
    return DecisionText(html=decision.html + " " + html.escape(extra, quote=False),
                        text=decision.text + " " + extra)


def _starts_beslut(block) -> bool:
    source = _inline_source(block)
    if block[0].type == "heading_open":
        return bool(BESLUT_HEADING.match(source))
    return block[0].type == "paragraph_open" and _is_label(source)


def _is_label(source: str) -> bool:
    """A paragraph that starts with the label 'Beslut:', or is the label alone."""
    return bool(BESLUT_LABEL.match(source) or BESLUT_HEADING.match(source.strip()))


def _is_bare_label(text: str) -> bool:
    """The label and nothing else: '**Beslut:**', '**Beslut**', '*Beslut:*'."""
    return bool(BESLUT_HEADING.match(text.strip())) or not BESLUT_LABEL.sub("", text).strip()


def _region_decisions(region) -> list[DecisionText]:
    """Decisions under a 'Beslut' heading: att-clauses after a lead, else the whole text."""
    for index, block in enumerate(region):
        lead = markdown.plain_text(block) if block[0].type == "paragraph_open" else ""
        if lead and LEAD_ENDING.search(lead):
            end = _att_run_end(region, index + 1)
            if end > index + 1:
                return _lead_with_clauses(lead, _att_clauses_of(region[index + 1 : end]))
    if not region:
        return []
    if len(region) == 1 and region[0][0].type == "paragraph_open":
        return _decision_from_text(markdown.plain_text(region[0]))
    tokens = [t for block in region for t in block]
    return [DecisionText(html=markdown.render_tokens(tokens), text=markdown.plain_text(tokens))]


def _add(result: AnalysedParagraph, block, is_decision: bool) -> None:
    if not block:
        return
    rendered = markdown.render_tokens(block)
    if result.blocks and result.blocks[-1][1] == is_decision:
        result.blocks[-1] = (result.blocks[-1][0] + rendered, is_decision)
    else:
        result.blocks.append((rendered, is_decision))


# --- agenda items ----------------------------------------------------------------


def analyse_agenda_item(heading: str, text: str) -> AnalysedItem:
    kind = ""
    match = KIND_SUFFIX.match(heading)
    if match:
        kind = re.sub(r"\s*/\s*", "/", match.group("kind").lower())
        heading = match.group("head") + (f" {match.group('rest')}" if match.group("rest") else "")
    presenter, proposal, kept = "", "", []
    tokens = markdown.parser().parse(text)
    markdown.shift_headings(tokens, SUBHEADING_LEVEL)
    for block in markdown.top_level_blocks(tokens):
        source = _inline_source(block) if block[0].type == "paragraph_open" else ""
        if source and PROPOSAL_LABEL.match(source):
            proposal = markdown.inline_to_html(PROPOSAL_LABEL.sub("", source))
            continue
        found = PRESENTER.match(markdown.plain_text(block)) if source else None
        if found and not presenter:
            presenter = found.group("name")
        kept.append(block)
    body_html = markdown.render_tokens([t for b in kept for t in b])
    return AnalysedItem(heading=heading, kind=kind, presenter=presenter,
                        proposal_html=proposal, html=body_html)
