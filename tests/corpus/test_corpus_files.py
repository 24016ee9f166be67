"""The curated corpus: manifest and files agree, text is verbatim from the seeds, voices are marked right."""

from __future__ import annotations

import re
import tomllib
from datetime import date

import pytest

from assistant.corpus.manifest import load_corpus
from assistant.corpus.markup import HEADING, LIST_ITEM, MARKER, parse_blocks
from assistant.types import KINDS

from .._support import CORPUS_DIR, SEEDS_DIR, require

MANIFEST = tomllib.loads((CORPUS_DIR / "manifest.toml").read_text(encoding="utf-8"))
ENTRIES = MANIFEST["documents"]
CURATED = [e for e in ENTRIES if e["status"] != "not_fetched"]
REQUIRED = ("id", "title", "publisher", "date", "kind", "licence", "origin", "speaker", "status")
SEED_000 = "000_5da76c5937b5ec82.txt"
WHITE_PAPER_PDF = re.compile(r"^https://assets\.publishing\.service\.gov\.uk/.+\.pdf$")
CLUTTER = ("Show on a map", "Share this article", "Leave a Reply", "Log Out",
           "This site is intended for health professionals only", "Akismet", "Read the response in full")


def body_lines(text: str) -> list[str]:
    """Lines that must be verbatim from the seed: not headings or markers, list prefixes dropped."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or MARKER.match(s) or HEADING.match(s):
            continue
        out.append(LIST_ITEM.sub("", s, count=1))
    return out


def not_in_seed(text: str, seed: str) -> list[str]:
    return [line for line in body_lines(text) if line not in seed]


def block_with(corpus, doc_id: str, needle: str):
    d = corpus.doc(doc_id)
    found = [b for b in parse_blocks(d.text, d.speaker) if needle in b.text]
    assert len(found) == 1, f"{needle!r} should be in exactly one block of {doc_id}, found {len(found)}"
    return found[0]


# ---------------------------------------------------------------- manifest ↔ files

def test_every_markdown_file_is_listed_and_every_listed_file_exists():
    on_disk = {p.name for p in CORPUS_DIR.glob("*.md")} - {"README.md"}
    listed = {e["file"] for e in CURATED}
    assert on_disk == listed, f"unlisted: {on_disk - listed}; missing: {listed - on_disk}"
    for e in CURATED:
        assert (CORPUS_DIR / e["file"]).is_file(), e["file"]
        assert e["file"] == f"{e['id']}.md", "a document's file is <id>.md"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_manifest_entry_has_required_fields(entry):
    missing = [f for f in REQUIRED if not entry.get(f)]
    assert not missing, f"{entry.get('id')} lacks {missing}"
    assert "url" in entry, "the url key must be present (\"\" when unknown)"
    assert date.fromisoformat(entry["date"]).isoformat() == entry["date"]
    assert entry["kind"] in KINDS
    assert entry["status"] in ("curated", "fetched", "not_fetched")
    assert entry["speaker"] in MANIFEST["speakers"], f"default speaker {entry['speaker']!r} is not defined"


def test_document_ids_are_unique():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))


def test_speakers_are_complete():
    for sid, s in MANIFEST["speakers"].items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", sid), sid
        for f in ("name", "label", "attribution", "kind"):
            assert s.get(f), f"speaker {sid} lacks {f}"
        assert s["kind"] in KINDS


@pytest.mark.parametrize("entry", CURATED, ids=[e["id"] for e in CURATED])
def test_every_speaker_marker_is_defined_and_well_formed(entry):
    text = (CORPUS_DIR / entry["file"]).read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("<!--")]
    for line in comments:
        # a malformed marker would be read as body text and end up in answers
        assert MARKER.match(line.strip()), f"malformed marker line {line!r}"
    used = set(re.findall(r"<!--\s*speaker\s*:\s*([\w-]+)\s*-->", text))
    assert used <= set(MANIFEST["speakers"]), f"undefined speakers {used - set(MANIFEST['speakers'])}"


@pytest.mark.parametrize("entry", CURATED, ids=[e["id"] for e in CURATED])
def test_title_line_matches_manifest(entry):
    first = (CORPUS_DIR / entry["file"]).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == f"# {entry['title']}"


def test_corpus_loads(corpus):
    assert {d.id for d in corpus.available} == {e["id"] for e in CURATED}
    for d in corpus.available:
        assert d.text.strip(), d.id


# ---------------------------------------------------------------- White Paper and seed 000

def test_white_paper_is_listed_not_fetched_with_its_official_pdf(corpus):
    wp = [e for e in ENTRIES if e["id"] == "white-paper"]
    assert len(wp) == 1
    e = wp[0]
    assert e["status"] == "not_fetched"
    assert WHITE_PAPER_PDF.match(e["url"]), e["url"]
    assert e["title"].startswith("Integration and innovation")
    # the corpus loads without its text and never retrieves from it
    d = corpus.doc("white-paper")
    assert d.text == "" and d not in corpus.available


def test_white_paper_address_comes_from_seed_000():
    require(SEEDS_DIR.is_dir(), f"seeds not found at {SEEDS_DIR}")
    url = next(e["url"] for e in ENTRIES if e["id"] == "white-paper")
    assert url in (SEEDS_DIR / SEED_000).read_text(encoding="utf-8")


def test_seed_000_is_split_into_three_documents(corpus):
    from_000 = {e["id"] for e in CURATED if e["origin"] == SEED_000}
    assert from_000 == {"petition", "govt-response", "debate-notices"}
    assert "16,019 signatures" in corpus.doc("petition").text
    assert "This response was given on 6 August 2021" in corpus.doc("govt-response").text
    assert "Westminster Hall" in corpus.doc("debate-notices").text
    # each part is in exactly one of the three files
    for needle in ("I want the Government to press pause", "The Government has no plans to pause",
                   "Westminster Hall is the second chamber"):
        assert sum(needle in corpus.doc(i).text for i in from_000) == 1, needle


# ---------------------------------------------------------------- verbatim text

def test_verbatim_check_catches_an_edited_line():
    seed = "Line one of the page.\nThe second line, verbatim.\n"
    assert not_in_seed("# Title\n\n<!-- speaker: x -->\n\nThe second line, verbatim.\n\n- Line one of the page.\n", seed) == []
    assert not_in_seed("# Title\n\nThe second line, verbatim!\n", seed) == ["The second line, verbatim!"]


@pytest.mark.parametrize("entry", CURATED, ids=[e["id"] for e in CURATED])
def test_every_body_line_is_verbatim_from_its_seed(entry):
    seed_path = SEEDS_DIR / entry["origin"]
    require(seed_path.exists(), f"seed {seed_path} not found (shared/ must sit beside the repository)")
    text = (CORPUS_DIR / entry["file"]).read_text(encoding="utf-8")
    lines = body_lines(text)
    assert len(lines) >= 3
    bad = not_in_seed(text, seed_path.read_text(encoding="utf-8"))
    assert not bad, f"{len(bad)} line(s) of {entry['file']} are not in {entry['origin']}: {bad[:3]}"


def test_page_clutter_is_absent(corpus):
    require(SEEDS_DIR.is_dir(), f"seeds not found at {SEEDS_DIR}")
    def flat(text: str) -> str:   # the seeds write some clutter with no-break spaces ("Log\u00a0Out")
        return " ".join(text.split())

    seeds = flat("\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))))
    for phrase in CLUTTER:
        assert phrase in seeds, f"{phrase!r} should be clutter present in a seed"
        hits = [d.id for d in corpus.available if phrase in flat(d.text)]
        assert not hits, f"clutter {phrase!r} left in {hits}"


# ---------------------------------------------------------------- who says what

def test_lga_view_sections_are_lga_and_summaries_are_white_paper(corpus):
    d = corpus.doc("lga-briefing")
    blocks = parse_blocks(d.text, d.speaker)
    views = [b for b in blocks if b.section.endswith("LGA view")]
    assert len(views) >= 8
    assert {b.speaker for b in views} == {"lga"}
    assert sum(b.speaker == "white_paper" for b in blocks) >= 10
    lga = block_with(corpus, "lga-briefing", "We support the creation of a statutory NHS Body")
    wp = block_with(corpus, "lga-briefing", "In England, Integrated Care Systems (ICSs) will be established as statutory bodies")
    assert (lga.speaker, wp.speaker) == ("lga", "white_paper")
    # the summary paragraphs after the first ICS "LGA view" are the White Paper's again, not filed under the view
    back = block_with(corpus, "lga-briefing", "Putting ICS NHS Bodies on a statutory footing")
    assert back.speaker == "white_paper" and not back.section.endswith("LGA view")


def test_lga_voice_in_chunks(corpus):
    from assistant.corpus.chunking import chunk_document

    chunks = chunk_document(corpus.doc("lga-briefing"))
    for needle, speaker in (("We support the creation of a statutory NHS Body", "lga"),
                            ("In England, Integrated Care Systems (ICSs) will be established as statutory bodies", "white_paper")):
        owners = [c for c in chunks if needle in c.text]
        assert len(owners) == 1 and owners[0].speaker == speaker, needle


def test_petition_response_and_debate_voices(corpus):
    assert block_with(corpus, "petition", "I want the Government to press pause").speaker == "petitioners"
    assert block_with(corpus, "petition", "This White Paper has been rushed through").speaker == "petitioners"
    assert block_with(corpus, "petition", "16,019 signatures").speaker == "parliament_petitions"
    assert block_with(corpus, "govt-response", "The Government has no plans to pause").speaker == "dhsc"
    assert block_with(corpus, "govt-response", "Integrated Care Boards will be public bodies").speaker == "dhsc"
    assert block_with(corpus, "govt-response", "This response was given on 6 August 2021").speaker == "parliament_petitions"
    d = corpus.doc("govt-response")
    body = [b for b in parse_blocks(d.text, d.speaker) if "This response was given" not in b.text]
    assert {b.speaker for b in body} == {"dhsc"}


def test_bill_summary_voices(corpus):
    assert block_with(corpus, "bill-summary", "Outgoing NHS Chief Executive Sir Simon Stevens said").speaker == "simon_stevens"
    assert block_with(corpus, "bill-summary", "He said by “enabling mutual support").speaker == "simon_stevens"
    assert block_with(corpus, "bill-summary", "However, the Government said").speaker == "government_reported"
    assert block_with(corpus, "bill-summary", "Care England Chief Executive Professor Martin Green").speaker == "care_england"
    d = corpus.doc("bill-summary")
    items = [b for b in parse_blocks(d.text, d.speaker) if b.is_list_item]
    assert len(items) == 5
    assert [b.text[:3] for b in items] == ["1. ", "2. ", "3. ", "4. ", "5. "]
    assert {b.speaker for b in items} == {"care_england"}


def test_load_corpus_rejects_an_undefined_speaker(tmp_path):
    from assistant.errors import CorpusError

    from .._support import copy_corpus, edit_file

    c = copy_corpus(tmp_path / "corpus")
    edit_file(c / "bill-summary.md", "<!-- speaker: care_england -->", "<!-- speaker: nobody_at_all -->")
    with pytest.raises(CorpusError, match="nobody_at_all"):
        load_corpus(c)


def test_load_corpus_rejects_a_bad_date_and_a_missing_file(tmp_path):
    from assistant.errors import CorpusError

    from .._support import copy_corpus, edit_file

    c = copy_corpus(tmp_path / "a")
    edit_file(c / "manifest.toml", 'date = "2021-11-08"', 'date = "8 November 2021"')
    with pytest.raises(CorpusError, match="ISO"):
        load_corpus(c)
    c = copy_corpus(tmp_path / "b")
    (c / "pulse-petition.md").unlink()
    with pytest.raises(CorpusError, match="pulse-petition"):
        load_corpus(c)
