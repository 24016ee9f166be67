"""Which voices a question names: the longest alias claims its words, and glossary terms that mean an alias
name its voice (an abbreviation people type that no alias spells)."""

from __future__ import annotations

import pytest

from assistant.answering.intent import named_speakers, read_intent
from assistant.glossary import load_glossary

GOVERNMENT = {"dhsc", "government_reported", "white_paper", "dhsc_white_paper"}


@pytest.mark.parametrize("question, with_glossary, expected", [
    ("What does the Local Government Association think?", True, {"lga"}),        # not also "government"
    ("What does the Local Government Association think?", False, {"lga"}),
    ("what did the govt say about private firms", True, GOVERNMENT),            # govt = government
    ("what did the govt say about private firms", False, set()),
    ("the LGA vs the government on councils' say", True, GOVERNMENT | {"lga"}),
    ("what role will local authorities have", True, {"lga"}),                    # councils = local authorities
    ("when was the bill introduced", True, set()),
])
def test_named_speakers(corpus, question, with_glossary, expected):
    glossary = load_glossary() if with_glossary else None
    assert set(named_speakers(question, corpus.speakers, glossary)) == expected


def test_an_abbreviated_party_makes_a_comparison_contested_with_both_sides_named(corpus):
    intent = read_intent("lga vs govt on who runs the new boards?", corpus.speakers, load_glossary())
    assert "lga" in intent.parties and "dhsc" in intent.parties and intent.contested
