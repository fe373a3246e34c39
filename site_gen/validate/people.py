"""Rules on people: who was present, who signed, who took each decision, and names
spelt two ways across the site."""

from __future__ import annotations

import re
from collections import defaultdict

from site_gen import domain
from site_gen.model import Meeting, Site, runs_of
from site_gen.problems import Problems
from site_gen.validate.lines import line_of, reported_wrong
from site_gen.validate.schema import as_a_list_hint


def check_attendance(meeting: Meeting, problems: Problems) -> None:
    protokoll = meeting.protokoll
    seen: dict[str, int] = {}
    for attendance in meeting.attendances:
        key = attendance.person.slug
        if key in seen:
            problems.error(protokoll.source, attendance.line,
                           f"{attendance.person.name} is listed twice (also on line {seen[key]})",
                           "keep one entry; use 'present' for someone who was there only for some paragraphs")
        else:
            seen[key] = attendance.line
    _check_replacements(meeting, problems)
    present = {a.person for a in meeting.attendances}
    voting = {a.person for a in meeting.attendances if a.voting}
    for person in protokoll.justerare:
        if person not in present:
            # 'justerare: Anna Frej, Bo Berg' (or 'Anna Frej och Bo Berg') is one name to
            # YAML: two people were meant.
            meant = _name_meant(person.name, meeting)
            hint = (as_a_list_hint(person.name, "justerare") or (f"did you mean '{meant}'?" if meant else
                    "add the person to 'beslutande', or check the spelling of the name"))
            problems.error(protokoll.source, line_of(protokoll, "justerare"),
                           f"the justerare {person.name} is not among those present", hint)
        elif person == protokoll.sekreterare:
            problems.error(protokoll.source, line_of(protokoll, "justerare"),
                           f"the sekreterare {person.name} is also named justerare",
                           "the justerare are members who check the secretary's minutes; "
                           "name one of 'beslutande'")
        elif person not in voting:
            problems.warning(protokoll.source, line_of(protokoll, "justerare"),
                             f"the justerare {person.name} is not among 'beslutande'",
                             "the justerare are members who took part in the decisions; move the person to "
                             "'beslutande' if they are one, or check who was chosen")
    _check_justerare_present_throughout(meeting, problems)
    if protokoll.sekreterare and protokoll.sekreterare not in present:
        meant = _name_meant(protokoll.sekreterare.name, meeting)
        problems.error(protokoll.source, line_of(protokoll, "sekreterare"),
                       f"the sekreterare {protokoll.sekreterare.name} is not among those present",
                       f"did you mean '{meant}'?" if meant else
                       "add the person to 'övriga_deltagare', or check the spelling of the name")
    chairs = [a for a in meeting.attendances if a.role.lower() == "ordförande"]
    if not chairs:
        problems.warning(protokoll.source, line_of(protokoll, "beslutande"),
                         "nobody has the role 'ordförande'",
                         "add 'role: ordförande' to the member who chaired the meeting")
    for chair in chairs[1:]:
        problems.error(protokoll.source, chair.line, "more than one person has the role 'ordförande'",
                       "a meeting has one chair; use 'vice ordförande' or another role")
    for chair in chairs:
        if not chair.voting:
            problems.error(protokoll.source, chair.line,
                           f"the ordförande {chair.person.name} is not among 'beslutande'",
                           "move the person to 'beslutande'")


def _check_justerare_present_throughout(meeting: Meeting, problems: Problems) -> None:
    """Paragraphs no justerare was present for: the justerare check the minutes of what
    they were there for ('present: 75-76' on the only one, chosen in § 72, checks
    § 71–74 unseen). Told once, with the runs of such paragraphs."""
    protokoll = meeting.protokoll
    justerare = [a for a in meeting.attendances if a.person in protokoll.justerare]
    if not justerare or all(a.present is None for a in justerare):
        return
    unchecked = runs_of(p.number for p in protokoll.paragraphs
                        if not any(a.is_present_for(p.number) for a in justerare))
    if unchecked:
        names = domain.swedish_list([a.person.name for a in justerare])
        problems.warning(protokoll.source, line_of(protokoll, "justerare"),
                         f"no justerare was present for {domain.format_ranges(unchecked)} ({names} "
                         f"{'is' if len(justerare) == 1 else 'are'} not, by 'present')",
                         "check 'present'; the paragraphs one justerare was away for are checked by "
                         "another, named in 'justerare' too")


def _check_replacements(meeting: Meeting, problems: Problems) -> None:
    """A tjänstgörande ersättare ('ersätter') takes a member's seat among beslutande:
    never beside that member (present, and not jäv), nor beside another ersättare for
    the same member, in the same paragraph."""
    source = meeting.protokoll.source
    wrong: dict[int, bool] = {}  # by entry line: each asked once, not once per pair

    def reported_wrong_entry(attendance) -> bool:
        if attendance.line not in wrong:
            wrong[attendance.line] = entry_reported_wrong(meeting, attendance, problems)
        return wrong[attendance.line]

    for index, attendance in enumerate(meeting.attendances):
        member = attendance.replaces
        if member is None:
            continue
        if not attendance.voting:
            problems.error(source, attendance.line, f"{attendance.person.name} serves in place of "
                           f"{member.name} ('ersätter') but is not among beslutande",
                           "a tjänstgörande ersättare is listed under 'beslutande'; remove 'ersätter' "
                           "for one who was there without serving")
            continue
        if member is attendance.person:
            problems.error(source, attendance.line, f"{member.name} serves in place of themself ('ersätter')",
                           "name the member whose seat the ersättare took")
            continue
        if reported_wrong_entry(attendance):
            continue  # its presence is not known: a range written backwards, say
        serving = {p.number for p in attendance.paragraphs}
        for earlier, other in enumerate(meeting.attendances):
            if not other.voting or (other.person is not member and (other.replaces is not member
                                                                     or earlier >= index)):
                continue  # two ersättare for one member are told once, at the second
            if reported_wrong_entry(other):
                continue
            both = sorted(serving.intersection(p.number for p in other.paragraphs))
            if not both:
                continue
            message = (f"{attendance.person.name} serves in place of {member.name}, but {member.name} is "
                       f"among beslutande for § {both[0]} too" if other.person is member else
                       f"{other.person.name} and {attendance.person.name} both serve in place of "
                       f"{member.name} for § {both[0]}")
            problems.error(source, attendance.line, message, "a seat has one member at a time: give each "
                           "a 'present' range for the paragraphs they were there for, or an ersättare there "
                           "throughout 'tjänstgör' for those served in (a member who is jäv has left the "
                           "seat for that paragraph), or check the names")


def entry_reported_wrong(meeting: Meeting, attendance, problems: Problems) -> bool:
    """Whether an error was reported within the person's entry (from its line up to the
    next entry's): its 'present' or 'tjänstgör', read as not given, would mislead the
    rules that compare who sat when."""
    protokoll = meeting.protokoll
    later = [line for line in (*(a.line for a in meeting.attendances), *protokoll.lines.values())
             if line > attendance.line]
    last = min(later) - 1 if later else attendance.line
    return problems.has_error_at(protokoll.source, attendance.line, last)


# The paragraph in which the justerare are chosen: 'Val av justerare', 'Val av
# protokollsjusterare', 'Protokollets justering' (not 'Justering av taxan', an adjustment).
CHOOSING_JUSTERARE = re.compile(r"justerare|justeringsperson|justeringsm[äa]n|protokollets justering"
                                r"|justering av (?:dagens )?protokoll", re.IGNORECASE)


def check_justerare_as_chosen(meeting: Meeting, problems: Problems) -> None:
    """The paragraph that chooses the justerare names people present, none of them in
    'justerare': the list names others than were chosen ('Fatima Hassan valdes till
    justerare', 'justerare: Jonas Ek'), and the page would say the wrong one checked."""
    protokoll = meeting.protokoll
    if not protokoll.justerare:
        return
    for paragraph in protokoll.paragraphs:
        if paragraph.sekretess or not CHOOSING_JUSTERARE.search(paragraph.heading_text):
            continue
        text = domain.as_read("".join(block.html for block in paragraph.blocks))
        # A whole name: not 'Per Ek' in 'Per Ekström'. Looked for as a plain string first:
        # a pattern per name, of thousands on a large site, is compiled anew each time.
        named = [a.person.name for a in meeting.attendances if a.person.name in text
                 and re.search(rf"(?<!\w){re.escape(a.person.name)}(?!\w)", text)]
        listed = [person.name for person in protokoll.justerare]
        if named and not set(named) & set(listed):
            problems.warning(protokoll.source, paragraph.line, f"§ {paragraph.number} names "
                             f"{domain.swedish_list(named)}, but 'justerare' lists "
                             f"{domain.swedish_list(listed)}", "check who was chosen to justera, and write "
                             "the same in the text and in 'justerare'")


def check_justerare_named(meeting: Meeting, problems: Problems) -> None:
    """The justerare are chosen at the meeting, so a protokoll names them: an empty list
    is one not filled in yet (as `site-gen new` leaves it), and a protokoll justerat
    by nobody would publish a check that nobody made."""
    protokoll = meeting.protokoll
    if protokoll.justerare or "justerare" not in protokoll.lines or \
            reported_wrong(protokoll, "justerare", problems):
        return  # a missing key or a wrong value is reported by the schema
    line = line_of(protokoll, "justerare")
    hint = "add the members chosen to check the minutes, e.g. 'justerare: [Anna Frej]'"
    if protokoll.notice.justeringsdatum:
        problems.error(protokoll.source, line, "the protokoll has a justeringsdatum but names no justerare",
                       hint)
    else:
        problems.warning(protokoll.source, line, "no justerare is named yet", hint)


def check_paragraph_people(meeting: Meeting, problems: Problems) -> None:
    """Reservations, notes and votes name people present for that paragraph and not
    jäv; jäv names someone at the meeting, who then stepped out."""
    protokoll = meeting.protokoll
    attendance = {a.person: a for a in meeting.attendances}
    for paragraph in protokoll.paragraphs:
        named = [(r.person, "reservation") for r in paragraph.reservations]
        named += [(n.person, "protokollsanteckning") for n in paragraph.protokollsanteckningar]
        voters = paragraph.votering.ja + paragraph.votering.nej + paragraph.votering.avstår \
            if paragraph.votering else []
        named += [(person, "votering") for person in voters]
        for person, key in named:
            present = attendance.get(person)
            if person in paragraph.jäv:
                problems.error(protokoll.source, _entry_line(paragraph, key),
                               f"§ {paragraph.number} names {person.name}, who was jäv and "
                               "took no part in it", "remove the name, or the jäv")
            elif present is None or not present.is_present_for(paragraph.number):
                meant = _name_meant(person.name, meeting) if present is None else ""
                problems.error(protokoll.source, _entry_line(paragraph, key),
                               f"§ {paragraph.number} names {person.name}, who was not present "
                               "for this paragraph", f"did you mean '{meant}'?" if meant
                               else _not_present_hint(person.name, key))
            elif key != "protokollsanteckning" and present.voting and not present.decides(paragraph.number):
                problems.error(protokoll.source, _entry_line(paragraph, key),
                               f"§ {paragraph.number} names {person.name}, who did not serve in it "
                               f"(tjänstgör: {domain.format_ranges(present.serving)})",
                               "add the paragraph to 'tjänstgör', or check the name")
        for person in voters:
            if person in attendance and not attendance[person].voting:
                problems.error(protokoll.source, _entry_line(paragraph, "votering"),
                               f"§ {paragraph.number}: {person.name} votes but is not among beslutande",
                               "only beslutande vote; check 'votering'")
        for person in {p for p in voters if voters.count(p) > 1}:
            problems.error(protokoll.source, _entry_line(paragraph, "votering"),
                           f"§ {paragraph.number}: {person.name} is listed more than once in 'votering'",
                           "each member votes once: under 'ja', 'nej' or 'avstår'")
        _check_reservations(paragraph, attendance, problems)
        if voters:
            _check_vote_complete(paragraph, attendance, voters, problems)
        for person in paragraph.jäv:
            if person not in attendance:
                problems.error(protokoll.source, _entry_line(paragraph, "jäv"),
                               f"§ {paragraph.number}: {person.name} is jäv but not among those present",
                               as_a_list_hint(person.name, "jäv") or "check the spelling of the name")


def _check_reservations(paragraph, attendance: dict, problems: Problems) -> None:
    """Only a member who took part in the decision can reserve against it (KL 4 kap.
    27 §): one among beslutande who did not abstain, once, and against a decision."""
    source, line = paragraph.meeting.protokoll.source, _entry_line(paragraph, "reservation")
    abstained = paragraph.votering.avstår if paragraph.votering else []
    reserving = [reservation.person for reservation in paragraph.reservations]
    for person in reserving:
        if person in attendance and not attendance[person].voting:
            problems.error(source, line, f"§ {paragraph.number}: {person.name} reserves against the decision "
                           "but is not among beslutande", "only those who took part in the decision can "
                           "reserve; others can have a 'protokollsanteckning'")
        elif person in abstained:
            problems.error(source, line, f"§ {paragraph.number}: {person.name} reserves against the decision "
                           "but abstained ('avstår' in 'votering')", "only those who took part in the "
                           "decision can reserve; one who abstained can have a 'protokollsanteckning'")
    _check_reservations_against_the_vote(paragraph, reserving, source, line, problems)
    for person in dict.fromkeys(p for p in reserving if reserving.count(p) > 1):
        problems.error(source, line, f"§ {paragraph.number}: {person.name} is listed more than once in "
                       "'reservation'", "keep one entry, with all of the reservation's text")
    if reserving and not paragraph.decisions and not paragraph.sekretess:
        problems.warning(source, line, f"§ {paragraph.number} has a reservation, but no decision that "
                         "site-gen can read", "a reservation is made against a decision: write it as "
                         "'**Beslut:** …' (docs/format.md, Decisions), so that it is listed, or check the "
                         "§ number of the entry")


def _check_reservations_against_the_vote(paragraph, reserving: list, source, line: int,
                                         problems: Problems) -> None:
    """One reserves against a decision one voted against: a reservation by one who voted
    with the majority is most likely a name under the wrong side of the vote. (Where the
    sides are as many, the chair's casting vote decided, which the votering does not say.)"""
    vote = paragraph.votering
    if not vote or len(vote.ja) == len(vote.nej):
        return
    side, majority = ("ja", vote.ja) if len(vote.ja) > len(vote.nej) else ("nej", vote.nej)
    for person in dict.fromkeys(reserving):
        if person in majority:
            problems.warning(source, line, f"§ {paragraph.number}: {person.name} reserves against the "
                             f"decision but voted '{side}' with the majority ({len(vote.ja)} ja, "
                             f"{len(vote.nej)} nej)", "one reserves against a decision one voted against: "
                             "check the votering; a reservation against another part of the decision than "
                             "the vote was on can be left")


def _check_vote_complete(paragraph, attendance: dict, voters: list, problems: Problems) -> None:
    """In a vote every member present for the paragraph, and not jäv, votes ja or nej
    or abstains (KL 4 kap. 25 §): one missing was most likely left out by mistake.
    Silent when a part of the vote was already reported wrong, and so is missing here."""
    seated = [a for a in attendance.values() if a.decides(paragraph.number) and a.person not in paragraph.jäv]
    missing = [a.person.name for a in seated if a.person not in voters]
    if not missing or _reported_in_entry(paragraph, "votering", problems) or any(
            entry_reported_wrong(paragraph.meeting, a, problems) for a in seated if a.person not in voters):
        return
    problems.warning(paragraph.meeting.protokoll.source, _entry_line(paragraph, "votering"),
                     f"§ {paragraph.number}: the votering names {len(seated) - len(missing)} of the "
                     f"{len(seated)} beslutande present, not {domain.swedish_list(missing)}",
                     "each member present votes under 'ja' or 'nej', or 'avstår'; one who took no "
                     "part in the matter is listed under 'jäv', or with a 'present' range that leaves "
                     "the paragraph out")


def _reported_in_entry(paragraph, key: str, problems: Problems) -> bool:
    """Whether an error was reported inside the paragraph's entry `key`, from its first
    line to its last."""
    lines = paragraph.meeting.protokoll.lines
    first = lines.get(f"§{paragraph.number}.{key}")
    if first is None:
        return False
    last = lines.get(f"§{paragraph.number}.{key}.last", first)
    return problems.has_error_at(paragraph.meeting.protokoll.source, first, last)


def _not_present_hint(name: str, key: str) -> str:
    """A reservation or note written as one sentence is read as a name: say how to write it."""
    sentence = name.endswith((".", "!", "?")) or len(name.split()) > 5
    if sentence and key in ("reservation", "protokollsanteckning"):
        return (f"write who and what apart: '- name: …' and, under it, 'text: …' "
                f"(in '{key}' a line of its own is read as a name)")
    return as_a_list_hint(name, key) or "check the name and the member's 'present' range"


def _entry_line(paragraph, key: str) -> int:
    """The line of the paragraph's entry `key` ('votering' …) in `paragraphs`."""
    return paragraph.meeting.protokoll.lines.get(f"§{paragraph.number}.{key}", paragraph.line)


def check_spellings(site: Site, problems: Problems) -> None:
    """Warn where a name looks like a misspelling of a name used elsewhere."""
    # Where each name is written: its entries among those present, and the entries of
    # ersättare serving in the person's place (an absent member is named there only).
    places: dict = defaultdict(list)
    for meeting in site.meetings:
        for attendance in meeting.attendances:
            places[attendance.person].append(attendance)
            if attendance.replaces:
                places[attendance.replaces].append(attendance)
    by_token: dict[tuple[int, str], list] = defaultdict(list)
    for person in site.persons:
        tokens = person.slug.split("-")
        for index in range(len(tokens)):  # names that agree on all but one word
            rest = "-".join(tokens[:index] + ["*"] + tokens[index + 1:])
            by_token[(index, rest)].append(person)
    for (index, _), group in sorted(by_token.items()):
        for position, one in enumerate(group):
            for other in group[position + 1:]:
                if _looks_misspelt(one.slug.split("-")[index], other.slug.split("-")[index]):
                    _warn_rarer_spelling(one, other, places, problems)


def _name_meant(name: str, meeting: Meeting) -> str:
    """The one name among those present that `name` is a typing slip from ('Mikael
    Bromann': 'Mikael Broman'), or ''."""
    near = [a.person.name for a in meeting.attendances
            if _looks_misspelt(name.casefold(), a.person.name.casefold())]
    return near[0] if len(near) == 1 else ""


def _looks_misspelt(word: str, other: str) -> bool:
    """One typing slip apart (two in long words): Vigen/Vigren, not Nilsson/Olsson."""
    allowed = 1 if max(len(word), len(other)) <= 7 else 2
    return edit_distance(word, other) <= allowed


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _warn_rarer_spelling(one, other, places: dict, problems: Problems) -> None:
    """Warn where the spelling fewer meetings use is written (one slip in one protokoll
    is told there, not in every protokoll spelt right); at both where as many use each."""
    meetings = {person: list(dict.fromkeys(a.meeting for a in places[person])) for person in (one, other)}
    for person, used in ((one, other), (other, one)):
        if len(meetings[person]) > len(meetings[used]):
            continue
        elsewhere = ""
        if meetings[used]:
            count = len(meetings[used])
            first = meetings[used][0]
            elsewhere = (f" in {count} meeting{'s' if count > 1 else ''} "
                         f"({'such as ' if count > 1 else ''}{first.organ.name} {first.date.isoformat()})")
        for attendance in places[person]:
            problems.warning(attendance.meeting.protokoll.source, attendance.line,
                             f"'{person.name}' is spelt '{used.name}'{elsewhere or ' elsewhere'}",
                             "if this is the same person, check which spelling is right (the one more "
                             "meetings use may be the slip, copied on) and use it everywhere")
