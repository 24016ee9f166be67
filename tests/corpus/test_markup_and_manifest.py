"""load.parse_blocks on small hand-made Markdown: offsets, section paths, speakers, pages, list items."""

from __future__ import annotations

from assistant.corpus.markup import parse_blocks

SOURCE = """# Document title

Opening paragraph.

## Alpha

First line of a paragraph
and its second line.

### Beta

<!-- speaker: lga -->

- first item
- second item
1. numbered item

<!-- page: 12 -->

On page twelve.

## Gamma

Back at level two.

<!-- speaker: dhsc -->

### Delta

Deeper again.
"""


def blocks_by_text(source=SOURCE, default="narrator"):
    return {b.text: b for b in parse_blocks(source, default)}


def test_text_is_the_source_slice():
    blocks = parse_blocks(SOURCE, "narrator")
    assert len(blocks) == 8
    for b in blocks:
        assert SOURCE[b.start:b.end] == b.text
        assert b.text == b.text.strip()


def test_headings_and_markers_are_not_blocks():
    for b in parse_blocks(SOURCE, "narrator"):
        assert not b.text.startswith("#")
        assert "<!--" not in b.text


def test_section_path_joins_headings_below_the_title():
    b = blocks_by_text()
    assert b["Opening paragraph."].section == ""           # the # title is not a section
    assert b["First line of a paragraph\nand its second line."].section == "Alpha"
    assert b["- first item"].section == "Alpha › Beta"
    assert b["Back at level two."].section == "Gamma"        # a ## heading closes the ### below the old ##
    assert b["Deeper again."].section == "Gamma › Delta"


def test_speaker_marker_switches_voice_until_the_next_marker():
    b = blocks_by_text()
    assert b["Opening paragraph."].speaker == "narrator"
    assert b["First line of a paragraph\nand its second line."].speaker == "narrator"
    assert b["- first item"].speaker == "lga"
    assert b["On page twelve."].speaker == "lga"
    assert b["Back at level two."].speaker == "lga"          # headings do not reset the speaker
    assert b["Deeper again."].speaker == "dhsc"


def test_page_marker_applies_to_following_blocks():
    b = blocks_by_text()
    assert b["- second item"].page is None
    assert b["On page twelve."].page == 12
    assert b["Deeper again."].page == 12


def test_list_items_are_blocks_of_their_own():
    b = blocks_by_text()
    items = [t for t, x in b.items() if x.is_list_item]
    assert items == ["- first item", "- second item", "1. numbered item"]
    assert not b["On page twelve."].is_list_item
    # a multi-line paragraph is one block
    assert not b["First line of a paragraph\nand its second line."].is_list_item


def test_indented_list_item_and_crlf_keep_offsets():
    src = "# T\r\n\r\nIntro line.\r\n\r\n  • bullet one\r\n  • bullet two\r\n\r\nClosing.\r\n"
    blocks = parse_blocks(src, "x")
    assert [b.text for b in blocks] == ["Intro line.", "• bullet one", "• bullet two", "Closing."]
    for b in blocks:
        assert src[b.start:b.end] == b.text
    assert [b.is_list_item for b in blocks] == [False, True, True, False]


def test_a_paragraph_line_starting_with_a_number_without_a_dot_is_not_a_list_item():
    blocks = parse_blocks("16,019 signatures\n\n2021 was a year.\n", "x")
    assert [b.is_list_item for b in blocks] == [False, False]


def test_empty_and_marker_only_text_has_no_blocks():
    assert parse_blocks("", "x") == []
    assert parse_blocks("# Title\n\n<!-- speaker: lga -->\n", "x") == []


def test_an_opener_names_every_name_its_voice_s_label_gives(corpus):
    # "As the article reports, Care England's chief executive, Professor Martin Green, said": a quote from a person
    # is introduced with that person's name, as the label that cites it gives it
    from assistant.answering.qtypes import EVIDENCE

    for sid, sp in corpus.speakers.items():
        for name in (m.group(0) for m in EVIDENCE["person"].finditer(f"by {sp.label}")):
            assert name in sp.attribution, f"{sid}: the opener {sp.attribution!r} does not name {name!r}"
