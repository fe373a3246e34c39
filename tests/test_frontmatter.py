"""Front matter: splitting, YAML line numbers counted in the whole file, duplicate keys."""

import pytest

from site_gen.load.frontmatter import SourceSyntaxError, parse_yaml, split_front_matter


def test_split_reports_body_start_line():
    split = split_front_matter("---\nkind: protokoll\ndate: 2021-06-01\n---\n\n## § 1 A\n")
    assert split.front == "kind: protokoll\ndate: 2021-06-01"
    assert split.front_line == 2
    assert split.body_line == 5
    assert split.body.split("\n")[1] == "## § 1 A"


def test_missing_opening_fence_is_reported_with_a_fix():
    with pytest.raises(SourceSyntaxError) as caught:
        split_front_matter("kind: protokoll\n")
    assert caught.value.line == 1
    assert "---" in caught.value.hint


def test_unclosed_front_matter_is_told_where_the_text_begins():
    # The line '---' is missing above the first heading; a YAML comment is not one.
    with pytest.raises(SourceSyntaxError, match="never closed") as caught:
        split_front_matter("---\nkind: protokoll\n# a comment\n## Ledamöter\n\n## § 1 A\n")
    assert (caught.value.line, caught.value.hint) == (6, "add a line '---' above this one")
    with pytest.raises(SourceSyntaxError, match="never closed") as caught:
        split_front_matter("---\nkind: protokoll\n\nText without a heading\n")
    assert caught.value.line == 1


def test_a_key_without_its_colon_is_told_at_its_own_line():
    # YAML gives up on the line after it.
    text = "---\nkind: protokoll\ndate: 2021-06-01\nplace Stadshuset\nbeslutande:\n  - A\n---\n"
    split = split_front_matter(text)
    with pytest.raises(SourceSyntaxError) as caught:
        parse_yaml(split.front, split.front_line)
    assert (caught.value.line, caught.value.hint) == (4, "each line needs 'key: value': this one has no colon "
                                                          "after its key")


def test_yaml_error_line_and_column_count_from_file_start():
    text = "---\nkind: protokoll\ndate: 2021-06-01\nplace: Rum: Älven\n---\n"
    split = split_front_matter(text)
    with pytest.raises(SourceSyntaxError) as caught:
        parse_yaml(split.front, split.front_line)
    assert caught.value.line == 4  # the 'place' line, counted in the whole file
    assert caught.value.column == 11
    assert "quotes" in caught.value.hint


def test_values_remember_their_lines():
    located = parse_yaml("kind: protokoll\nparagraphs:\n  48:\n    topics: [A, B]\n", 2)
    assert located.data == {"kind": "protokoll", "paragraphs": {48: {"topics": ["A", "B"]}}}
    assert located.lines[("paragraphs", 48)] == 4
    assert located.lines[("paragraphs", 48, "topics")] == 5
    assert located.line_of(("paragraphs", 48, "topics", 7, "nope")) == 5


def test_duplicate_key_is_an_error_naming_the_first():
    with pytest.raises(SourceSyntaxError) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\n", 2)
    assert caught.value.line == 4
    assert "first on line 2" in caught.value.message


def test_scalars_keep_their_raw_text():
    located = parse_yaml("time: 10:30\ndate: 2021-02-30\n", 1)
    # YAML 1.1 reads 10:30 as the number 630; the raw text is kept for text fields.
    assert located.raw[("time",)] == "10:30"
    # Dates stay text so the schema can explain an impossible one.
    assert located.data["date"] == "2021-02-30"


def test_unsafe_tags_are_refused():
    with pytest.raises(SourceSyntaxError, match="not supported"):
        parse_yaml("x: !!python/object/apply:os.system ['true']\n", 1)


def test_alias_bomb_is_stopped():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
    with pytest.raises(SourceSyntaxError, match="too large"):
        parse_yaml(bomb, 1)


def test_every_key_given_twice_is_told_in_one_run():
    with pytest.raises(SourceSyntaxError) as raised:
        parse_yaml("date: 2024-03-01\nplace: A\ndate: 2024-03-02\nplace: B\n", 2)
    assert [(e.line, e.message) for e in raised.value.each()] == [
        (4, "the key 'date' appears twice (first on line 2)"),
        (5, "the key 'place' appears twice (first on line 3)")]


def test_a_merge_key_is_told_as_such():
    with pytest.raises(SourceSyntaxError) as raised:
        parse_yaml("a: &h {x: 1}\nb:\n  <<: *h\n")
    assert (raised.value.line, raised.value.message) == (3, "YAML merge keys ('<<') are not supported")


def test_a_number_key_yaml_reads_otherwise_keeps_what_was_typed():
    # 49:00 is 2940 to YAML (base 60), 0x30 is 48: a § number was meant, and typed so.
    assert parse_yaml("49:00: x\n0x30: y\n12: z\n").data == {"49:00": "x", "0x30": "y", 12: "z"}


def test_a_control_character_yaml_refuses_is_told_at_its_line():
    with pytest.raises(SourceSyntaxError) as raised:
        parse_yaml("date: 2024-03-01\nsekreterare: Kim\x00 Kansli\n", 2)
    told = raised.value
    assert (told.line, told.column) == (3, 17)
    assert told.message == "this line holds a control character (U+0000), which YAML does not allow"
    assert "\n" not in told.message


def test_a_control_character_after_swedish_letters_is_told_at_its_own_line():
    # libyaml counts bytes: å, ä and ö are two each, and would push the place along.
    with pytest.raises(SourceSyntaxError) as raised:
        parse_yaml("place: Kommunhuset, rummet Åkerö\nsekreterare: Åsa Öberg\x00\ndate: 2024-03-01\n", 2)
    assert (raised.value.line, raised.value.column) == (3, 23)


def test_number_keys_with_leading_zeros_are_the_numbers_typed():
    # YAML 1.1 reads 010 as octal 8; a writer who pads § numbers means § 10.
    assert parse_yaml("04: a\n010: b\n").data == {4: "a", 10: "b"}


@pytest.mark.parametrize("text, line, message", [
    ("–––\nkind: protokoll\n---\n", 1, "its first line, '–––', is written with dashes of another kind"),
    ("---\nkind: protokoll\n—\n\nText.\n", 3, "this line, '—', looks like the '---' that closes the front matter"),
    # A rule in the text further on is not taken for the fence.
    ("---\nkind: protokoll\n–––\n\nText.\n\n---\n\nMer.\n", 3, "this line, '–––', looks like the '---'"),
])
def test_dashes_a_word_processor_typed_for_the_fences_are_told_where_they_are(text, line, message):
    with pytest.raises(SourceSyntaxError) as raised:
        split_front_matter(text)
    assert raised.value.line == line and message in raised.value.message
    assert raised.value.hint == "write three hyphens: '---'"
