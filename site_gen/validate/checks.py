"""Every rule `site-gen check` (and every build) applies to the assembled site.

Each rule is one function that reads the model and reports to `Problems`, in the
module of its subject: `people`, `paragraphs`, `notice`, `files`; `personal_data` and
`schema` hold the rules that run on each document as it loads. The Swedish rules
themselves (appeal time, personnummer) live in `site_gen.domain`. docs/checks.md lists
every rule with an example message.
"""

from __future__ import annotations

from site_gen.model import Site
from site_gen.problems import Problems
from site_gen.times import build_date, last_day_passed
from site_gen.validate.files import (
    check_documents_among_attachments,
    check_withheld_files_published_elsewhere,
)
from site_gen.validate.notice import check_corrections, check_meeting_day, check_notice_dates
from site_gen.validate.paragraphs import (
    check_decisions_found,
    check_items_for_decision_kept,
    check_numbering_across,
    check_numbering_within,
    check_presence_ranges,
    check_secret_items_stay_secret,
)
from site_gen.validate.people import (
    check_attendance,
    check_justerare_as_chosen,
    check_justerare_named,
    check_paragraph_people,
    check_spellings,
)


def run_checks(site: Site, problems: Problems) -> None:
    today = build_date(site.dates_passed())  # the day the site is built for
    happened_by = last_day_passed(site.dates_passed())
    for meeting in site.meetings:
        check_meeting_day(meeting, problems)
        if meeting.protokoll:
            check_attendance(meeting, problems)
            check_justerare_named(meeting, problems)
            check_justerare_as_chosen(meeting, problems)
            check_presence_ranges(meeting, problems)
            check_paragraph_people(meeting, problems)
            check_notice_dates(meeting, today, happened_by, problems)
            check_corrections(meeting, problems)
            check_numbering_within(meeting, problems)
            check_secret_items_stay_secret(meeting, problems)
            check_decisions_found(meeting, problems)
            check_items_for_decision_kept(meeting, problems)
    check_numbering_across(site, problems)
    check_spellings(site, problems)
    check_documents_among_attachments(site, problems)
    check_withheld_files_published_elsewhere(site, problems)
