"""Which voices a question names: the longest alias claims its words, and glossary terms that mean an alias
name its voice (an abbreviation people type that no alias spells)."""

from __future__ import annotations

import pytest

from assistant.answering.intent import carry_voices, named_speakers, read_intent
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


@pytest.mark.parametrize("turn, carried, expected", [
    ("what are they?", "which changes Care England wants made to the Bill", {"care_england"}),    # the carried voice
    ("and what does the LGA want?", "which changes Care England wants made to the Bill", {"lga"}),  # its own voice
    ("what are they?", "the number of signatures it had", set()),                                          # none to carry
])
def test_a_follow_up_naming_no_voice_is_about_the_voice_its_carried_topic_names(corpus, turn, carried, expected):
    intent = carry_voices(read_intent(turn, corpus.speakers), carried, corpus.speakers, load_glossary())
    assert set(intent.parties) == expected
