"""The front-matter and site.yml keys, one declaration per key.

docs/format.md is the reference for writers; keep the two in step.
"""

from __future__ import annotations

from site_gen.model import BEDOMNINGAR
from site_gen.validate.schema import (
    Bool,
    Choice,
    Date,
    Field,
    Ground,
    Int,
    ListOf,
    MapOf,
    Mapping,
    OneOrMore,
    ParagraphNumber,
    Ranges,
    Text,
)

KIND = Choice("protokoll", "kallelse")

PERSON = Mapping(
    {
        "name": Field(Text(), required=True, doc="the person's full name"),
        "represents": Field(Text()),
        "title": Field(Text()),
        "role": Field(Text()),
        "present": Field(Ranges()),
        "ersätter": Field(Text()),
        "tjänstgör": Field(Ranges()),
    },
    name="a person",
    shorthand="name",
)
PERSON.expected = "a name or a person (name, represents, title, role, present, ersätter, tjänstgör)"

NAMED_TEXT = Mapping(
    {"name": Field(Text(), required=True), "text": Field(Text())},
    name="a reservation or note",
    shorthand="name",
)
NAMED_TEXT.expected = "a name, or name and text"

ANSLAG = Mapping(
    {
        "hos": Field(Text()),
        "uppsättande": Field(Date()),
        "nedtagande": Field(Date()),
    },
    name="anslag",
)
ANSLAG.hint = ("write the notice's days on lines of their own, indented under it: 'uppsättande: "
               "2024-03-10' and 'nedtagande: 2024-04-02' (and 'hos:' for where it was posted)")

BILAGA = Mapping(
    {
        "number": Field(Int()),
        "title": Field(Text(), required=True, doc="what the attachment is"),
        "file": Field(Text()),
    },
    name="a bilaga",
    shorthand="title",
)

VOTERING = Mapping(
    {"ja": Field(ListOf(Text())), "nej": Field(ListOf(Text())), "avstår": Field(ListOf(Text()))},
    name="votering",
)

RATTELSE = Mapping(
    {
        "datum": Field(Date(), required=True, doc="the day the correction was made, YYYY-MM-DD"),
        "paragraf": Field(ParagraphNumber()),
        "text": Field(Text(), required=True, doc="what was corrected, and how"),
    },
    name="a rättelse",
)
RATTELSE.expected = "entries, each starting '- datum:'"

# What a § and an agenda item both may have: their topics, secrecy, and leave to
# publish a personnummer.
TOPICS = Field(ListOf(Text(), single_ok=True))
SEKRETESS = Field(Ground(), may_be_blank=False, doc="the legal ground for secrecy, such as 'OSL 26 kap. 1 §'")
ALLOW_PERSONNUMMER = Field(Bool())

PARAGRAPH = Mapping(
    {
        "topics": TOPICS,
        "reservation": Field(ListOf(NAMED_TEXT, single_ok=True)),
        "jäv": Field(ListOf(Text(), single_ok=True)),
        "protokollsanteckning": Field(ListOf(NAMED_TEXT, single_ok=True)),
        "votering": Field(VOTERING),
        "omedelbar_justering": Field(Bool()),
        "anslag": Field(OneOrMore(ANSLAG)),  # the notice of a paragraph justerad at once
        "sekretess": SEKRETESS,
        "tillåt_personnummer": ALLOW_PERSONNUMMER,
    },
    name="a paragraph entry",
)

PROTOKOLL = Mapping(
    {
        "kind": Field(KIND, required=True),
        "date": Field(Date(), required=True, doc="the meeting date, YYYY-MM-DD"),
        "time": Field(Text()),
        "place": Field(Text()),
        "beslutande": Field(ListOf(PERSON), required=True, doc="the voting members present"),
        "övriga_deltagare": Field(ListOf(PERSON)),
        "sekreterare": Field(Text(), required=True, doc="the secretary's name"),
        "justerare": Field(ListOf(Text(), single_ok=True), required=True,
                           doc="who checks the minutes"),
        "justeringsdatum": Field(Date()),
        "anslag": Field(OneOrMore(ANSLAG)),  # a list: the notice is posted on several boards
        "förvaras": Field(Text()),
        "bilagor": Field(ListOf(BILAGA)),
        "rättelser": Field(ListOf(RATTELSE)),
        "paragraphs": Field(MapOf(Int(), PARAGRAPH)),
    },
    name="a protokoll",
)

AGENDA_ITEM = Mapping({"topics": TOPICS, "sekretess": SEKRETESS, "tillåt_personnummer": ALLOW_PERSONNUMMER},
                      name="an agenda item")

KALLELSE = Mapping(
    {
        "kind": Field(KIND, required=True),
        "date": Field(Date(), required=True, doc="the meeting date, YYYY-MM-DD"),
        "time": Field(Text()),
        "place": Field(Text()),
        "title": Field(Text()),
        "bilagor": Field(ListOf(BILAGA)),
        "items": Field(MapOf(Int(), AGENDA_ITEM)),
    },
    name="a kallelse",
)

DOCUMENT_KINDS = {"protokoll": PROTOKOLL, "kallelse": KALLELSE}

ORGAN = Mapping(
    {
        "name": Field(Text(), required=True, doc="the organ's name, e.g. Styrelsen"),
        "förvaras": Field(Text()),
        "anslag_hos": Field(Text()),
    },
    name="an organ",
    shorthand="name",  # 'styrelsen: Styrelsen', for an organ whose minutes say where they are kept
    partial=True,  # a nameless organ is shown under its folder name meanwhile
)

TILLGANGLIGHET = Mapping(
    {
        "kontakt": Field(Text()),
        "bedomning": Field(Choice(*BEDOMNINGAR)),
        "brister": Field(ListOf(Text(), single_ok=True)),
        "granskning": Field(Text()),
        "datum": Field(Date()),
    },
    name="tillganglighet",
)

CONFIG = Mapping(
    {
        "title": Field(Text(), required=True, doc="the site's name"),
        "organisation": Field(Text(), required=True, doc="the public body"),
        "base_url": Field(Text()),
        "language": Field(Text()),
        "theme": Field(Text()),
        "feeds": Field(Bool()),
        "tillganglighet": Field(TILLGANGLIGHET),
        "organs": Field(MapOf(Text(), ORGAN), required=True, doc="one entry per organ folder"),
    },
    name="site.yml",
)
