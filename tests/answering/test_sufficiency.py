"""Abstention features that read what a follow-up carries: a person already named is nobody new."""

from __future__ import annotations

import pytest

from assistant.answering.features import Candidate, Focus
from assistant.answering.intent import read_intent
from assistant.answering.spelling import Speller
from assistant.answering.sufficiency import answerability_features, named_people
from assistant.glossary import load_glossary
from assistant.types import Speaker

SPEAKERS = {"jb": Speaker("jb", "Jo Bloggs", "Jo Bloggs, chair of the trust", "Jo Bloggs said", "nhs", aliases=("bloggs",))}
LINE = "Outgoing Trust Chair Jo Bloggs said the merger would go ahead."


def features(question: str, carried: str = "") -> dict[str, float]:
    intent = read_intent(question, SPEAKERS)
    vocabulary = frozenset({"merger", "chair", "trust"})
    focus = Focus.of(question, Speller(sorted(vocabulary)), {"merger": 2.0, "chair": 2.0, "trust": 2.0})
    cand = Candidate(0, 0, "c", 0, len(LINE), LINE, "jb", False, {"focus": 0.5, "focus_near": 0.5, "cos": 0.6})
    return answerability_features(intent, focus, [cand], [0.8], vocabulary, load_glossary(), SPEAKERS, carried=carried)


def test_a_person_the_turn_carries_is_not_the_person_asked_for():
    """"who is the new chair?" wants a person's name: a line naming only the person already talked about has none."""
    fresh, carried = features("who is the new chair?"), features("who is the new chair?", carried="Jo Bloggs said so")
    assert fresh["best_p_form"] > 0 and carried["best_p_form"] == 0


def test_a_name_the_turn_carries_is_nobody_new_to_a_who_question():
    fresh, carried = features("who took the chair after that?"), features("who took the chair after that?", "Jo Bloggs")
    assert fresh["new_name"] == 1.0 and carried["new_name"] == 0.0


def test_a_voice_named_by_its_alias_is_a_person_already_named():
    assert named_people("and did bloggs stay on?", SPEAKERS) == ("bloggs",)
    assert features("who is the new chair after bloggs?")["best_p_form"] == 0
    assert features("who is the new chair after smith?")["best_p_form"] > 0
