"""The part-of-speech tagger behind `oov_noun` / `oov_other`: the real model, and the split it feeds."""

from __future__ import annotations

import pytest

from assistant.answering.features import Focus
from assistant.answering.sufficiency import answerability_features
from assistant.answering.tagging import load_tagger, no_nouns
from assistant.glossary import load_glossary
from assistant.answering.intent import read_intent
from assistant.answering.spelling import Speller


def test_the_real_tagger_reads_nouns_from_lower_case_casual_text():
    tag = load_tagger()
    assert "cornwall" in tag("does it cover cornwall as well")
    assert "salary" in tag("what salary does the boss get")
    assert not {"cross", "rushed", "reckon"} & tag("i reckon people are cross that it seems rushed")
    assert tag("") == frozenset() and no_nouns("Wales") == frozenset()


def test_the_tagger_is_loaded_once():
    assert load_tagger() is load_tagger()


@pytest.mark.parametrize("nouns, noun_share", [(frozenset({"zorbland"}), 1.0), (frozenset(), 0.0)])
def test_unknown_words_split_by_part_of_speech(nouns, noun_share):
    """A topic word the corpus never uses counts as `oov_noun` when the question uses it as a noun, else as
    `oov_other`; together they are `oov`."""
    vocabulary = frozenset({"petit", "sign"})
    intent = read_intent("how many in zorbland signed the petition", {})
    focus = Focus.of(intent.question, Speller(sorted(vocabulary)), {"petit": 2.0, "sign": 2.0, "zorbland": 4.0})
    feats = answerability_features(intent, focus, [], [], vocabulary, load_glossary(), {}, nouns=nouns)
    assert feats["oov"] == pytest.approx(0.5)
    assert feats["oov_noun"] == pytest.approx(0.5 * noun_share)
    assert feats["oov_noun"] + feats["oov_other"] == pytest.approx(feats["oov"])


@pytest.mark.parametrize("question, topic", [("deadline?", set()), ("the care bill in a nutshell please", {"care", "bill"}),
                                             ("the gist of the petition", {"petit"})])
def test_words_asking_for_a_date_or_for_a_short_answer_are_no_topic(question, topic):
    # "deadline?" asks by when (a date: the date type's cue), "in a nutshell" how to answer: neither is a
    # topic word the documents could lack, so neither makes the question look uncovered
    vocabulary = frozenset({"petit", "health", "care", "bill"})
    focus = Focus.of(question, Speller(sorted(vocabulary)), {w: 2.0 for w in vocabulary})
    assert set(focus.weights) == topic
    assert ("date" in read_intent(question, {}).types) == (question == "deadline?")
