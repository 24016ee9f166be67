"""Chunking the real corpus: exact offsets, whole sentences, sizes, one voice per passage, stable ids."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.corpus.chunking import chunk_corpus, chunk_document, sentence_spans, word_count
from assistant.corpus.markup import LIST_ITEM, parse_blocks
from assistant.types import Document

MAX_WORDS = 250
MIN_WORDS = 60


@pytest.fixture(scope="module")
def chunks(corpus):
    out = chunk_corpus(corpus.available)
    assert len(out) >= 20
    return out


def runs_of(doc):
    """Consecutive blocks sharing section, speaker and page: (first start, last end, blocks)."""
    runs = []
    for b in parse_blocks(doc.text, doc.speaker):
        if runs and (runs[-1][-1].section, runs[-1][-1].speaker, runs[-1][-1].page) == (b.section, b.speaker, b.page):
            runs[-1].append(b)
        else:
            runs.append([b])
    return runs


def words_without_list_markers(text: str) -> list[str]:
    return " ".join(LIST_ITEM.sub("", line.strip(), count=1) for line in text.splitlines()).split()


def make_doc(text: str, doc_id: str = "t", speaker: str = "narrator") -> Document:
    return Document(id=doc_id, title="T", publisher="P", date="2021-01-01", kind="news", url="", licence="L",
                    origin="o", speaker=speaker, status="curated", file="t.md", text=text)


# ---------------------------------------------------------------- the real corpus

def test_every_chunk_is_an_exact_slice_of_its_document(corpus, chunks):
    for c in chunks:
        assert corpus.doc(c.doc_id).text[c.start:c.end] == c.text
        assert c.text == c.text.strip() and c.text


def test_chunks_cover_every_block_once(corpus, chunks):
    for d in corpus.available:
        mine = [c for c in chunks if c.doc_id == d.id]
        for b in parse_blocks(d.text, d.speaker):
            overlapping = [c for c in mine if c.end > b.start and c.start < b.end]
            if word_count(b.text) <= MAX_WORDS:
                assert len(overlapping) == 1 and overlapping[0].start <= b.start and b.end <= overlapping[0].end, \
                    f"block {b.text[:40]!r} of {d.id} is not inside exactly one chunk"
            else:   # an oversized block is split between chunks, each inside the block
                assert len(overlapping) >= 2 and all(b.start <= c.start and c.end <= b.end for c in overlapping)
        for a, z in zip(mine, mine[1:]):
            assert a.end <= z.start, "chunks overlap or are out of order"


def test_sentences_lie_inside_the_chunk_and_cover_its_words(chunks):
    for c in chunks:
        assert c.sentences, c.id
        prev_end = 0
        for a, z in c.sentences:
            assert prev_end <= a < z <= len(c.text), (c.id, a, z)
            prev_end = z
        assert " ".join(c.sentence_texts()).split() == words_without_list_markers(c.text), c.id


def test_no_sentence_is_cut_at_a_chunk_end(chunks):
    for c in chunks:
        assert c.text.rstrip().endswith(c.sentence_texts()[-1]), c.id
        assert c.sentences[-1][1] == len(c.text.rstrip())


def test_no_chunk_exceeds_the_word_limit(chunks):
    too_big = [(c.id, word_count(c.text)) for c in chunks if word_count(c.text) > MAX_WORDS]
    assert not too_big


def test_short_chunks_are_whole_speaker_or_section_runs(corpus, chunks):
    short = [c for c in chunks if word_count(c.text) < MIN_WORDS]
    assert len(short) <= len(chunks) // 2, "most chunks should reach the minimum size"
    for c in short:
        doc = corpus.doc(c.doc_id)
        whole = any(r[0].start == c.start and r[-1].end == c.end for r in runs_of(doc))
        assert whole, f"{c.doc_id} chunk of {word_count(c.text)} words is only part of its speaker/section run: {c.text[:60]!r}"


def test_a_chunk_never_mixes_speakers_sections_or_pages(corpus, chunks):
    for c in chunks:
        doc = corpus.doc(c.doc_id)
        inside = [b for b in parse_blocks(doc.text, doc.speaker) if b.end > c.start and b.start < c.end]
        assert inside
        assert {(b.speaker, b.section, b.page) for b in inside} == {(c.speaker, c.section, c.page)}, c.id


def test_chunk_ids_are_unique_and_stable(corpus, chunks):
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert [c.id for c in chunk_corpus(corpus.available)] == ids


def test_chunk_id_changes_with_its_text_only(corpus):
    doc = corpus.doc("bill-summary")
    before = chunk_document(doc)
    old = "Staff and patients have also adopted new technologies to deliver better care."
    assert doc.text.count(old) == 1
    after = chunk_document(replace(doc, text=doc.text.replace(old, "Staff and patients have also adopted new tools.")))
    changed = [(a.id, b.id) for a, b in zip(before, after) if a.text != b.text]
    assert len(before) == len(after) and len(changed) == 1
    assert changed[0][0] != changed[0][1]
    assert all(a.id == b.id for a, b in zip(before, after) if a.text == b.text)


# ---------------------------------------------------------------- synthetic documents

def test_oversized_paragraph_is_split_at_sentence_ends():
    sentences = [f"Sentence number {i} talks about integrated care boards and local councils at some length here." for i in range(40)]
    text = "# T\n\n" + " ".join(sentences) + "\n"
    doc = make_doc(text)
    chunks = chunk_document(doc)
    assert len(chunks) >= 2
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert word_count(c.text) <= MAX_WORDS
        assert c.text.endswith("length here.")
    assert " ".join(c.text for c in chunks).split() == " ".join(sentences).split()


def test_speaker_change_starts_a_new_chunk():
    doc = make_doc("# T\n\nThe narrator says a short thing.\n\n<!-- speaker: lga -->\n\nThe LGA says another short thing.\n")
    chunks = chunk_document(doc)
    assert [(c.speaker, c.text) for c in chunks] == [("narrator", "The narrator says a short thing."),
                                                     ("lga", "The LGA says another short thing.")]


def test_list_items_each_make_one_sentence():
    doc = make_doc("# T\n\nThe five areas are:\n\n1. First area. It has two sentences.\n2. Second area\n")
    (c,) = chunk_document(doc)
    assert c.sentence_texts() == ["The five areas are:", "First area.", "It has two sentences.", "Second area"]


# ---------------------------------------------------------------- sentence_spans

def spans(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_sentence_spans_basic_and_abbreviations():
    assert spans("Sir Simon Stevens said. He left.") == ["Sir Simon Stevens said.", "He left."]
    assert spans("Sir Simon Stevens said the Bill is good.") == ["Sir Simon Stevens said the Bill is good."]
    assert spans("Dr. Green spoke. Mr. Quince replied.") == ["Dr. Green spoke.", "Mr. Quince replied."]
    assert spans("See e.g. the Bill. It is long.") == ["See e.g. the Bill.", "It is long."]
    assert spans("Question? Answer! Done.") == ["Question?", "Answer!", "Done."]


def test_sentence_spans_keep_list_numbers_and_decimals():
    item = "1. Adult social care providers, for profit and not for profit, need to be directly represented on ICS NHS and Partnership Boards."
    assert spans(item) == [item[3:]]
    assert spans("It costs £1.5 billion. That is 16,019 signatures.") == ["It costs £1.5 billion.", "That is 16,019 signatures."]


def test_sentence_spans_keep_closing_quotes_with_their_sentence():
    assert spans("He said “this is it.” Then he left.") == ["He said “this is it.”", "Then he left."]
    assert spans("“We believe it.” The group said so.") == ["“We believe it.”", "The group said so."]
    assert spans("It said: ‘We believe the Bill could harm the NHS.’ Pulse reports it.") == [
        "It said: ‘We believe the Bill could harm the NHS.’", "Pulse reports it."]


def test_sentence_spans_without_a_final_stop_and_trailing_space():
    assert spans("No final stop here") == ["No final stop here"]
    assert spans("One.  Two.   ") == ["One.", "Two."]
    assert spans("") == []


def test_sentence_spans_end_where_the_source_left_out_a_full_stop():
    assert spans("It joins up health services The document says that it will. More follows.") == [
        "It joins up health services", "The document says that it will.", "More follows."]
    # counter-examples: a title or name that opens with "The", and a capitalised word after a comma
    assert spans("As reported by The Lowdown, plans went ahead.") == ["As reported by The Lowdown, plans went ahead."]
    assert spans("the Bill, however, The plan is set.") == ["the Bill, however, The plan is set."]
