"""The domain glossary is data, and every entry is justified by where the corpus uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.glossary import load_glossary
from assistant.text import tokenize

ROOT = Path(__file__).resolve().parents[1]
ENTRIES = load_glossary().entries


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.terms[0] for e in ENTRIES])
def test_each_entry_names_where_the_corpus_uses_it(entry, corpus):
    files = re.findall(r"([\w-]+\.md)", entry.where)
    assert files, f"{entry.terms[0]}: 'where' must name the corpus file(s) that use it"
    for f in files:
        assert (ROOT / "corpus" / f).is_file(), f
    text = " ".join((ROOT / "corpus" / f).read_text(encoding="utf-8") for f in files)
    assert any(p.search(text) for p in entry.patterns), f"no term of {entry.terms} occurs in {files}"


def test_equivalents_and_expansions():
    g = load_glossary()
    assert {"local", "author", "council"} <= g.equivalents("council") | set(tokenize("local authority"))
    assert g.covered("private firms", "the independent sector has been an important feature")
    assert "paus" in g.expansions("will ministers halt the plans?")
    assert not g.expansions("nothing in the glossary here")


def test_alternatives_are_whole_terms():
    g = load_glossary()
    alts = g.alternatives(tokenize("could a private firm end up running things"))
    assert frozenset({"independ", "sector"}) in alts["privat"]
    assert "run" not in alts                      # a word in no glossary term has no alternatives
    assert not g.alternatives(tokenize("an independent panel"))   # "independent" alone is no term


def test_focus_is_held_by_a_whole_term_not_by_one_word_of_it():
    from assistant.answering.features import Focus
    from assistant.answering.spelling import Speller
    g = load_glossary()
    question = "do private firms decide the budget"
    focus = Focus.of(question, Speller(tokenize(question)), {}, glossary=g)
    whole = set(tokenize("the independent sector decides budgets"))
    part = set(tokenize("an independent committee decides budgets"))
    assert focus.covers("privat", whole) and focus.covers("firm", whole)
    assert not focus.covers("privat", part) and not focus.covers("firm", part)
    assert focus.coverage(whole) > focus.coverage(part)
