"""The evaluation set: enough questions of every type, valid fields, gold quotes that really are in the corpus."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from assistant.evaluation.runner import FIELDS, TYPES, load_questions, normalise
from assistant.types import BEHAVIOURS

from .._support import QUESTIONS

ALL = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
ROWS = [r for r in ALL if not r.get("retired")]
EXPECTED = {"unanswerable": "abstain", "adversarial": "refuse_or_redirect"}


def test_enough_questions_of_every_type():
    assert len(ROWS) >= 40
    counts = Counter(r["type"] for r in ROWS)
    assert set(counts) == set(TYPES) and len(TYPES) == 8, counts
    assert min(counts.values()) >= 3, counts


def test_fields_ids_and_behaviours_are_valid():
    ids = [r["id"] for r in ALL]
    assert len(ids) == len(set(ids)), "ids are never reused"
    for r in ROWS:
        assert set(FIELDS) <= set(r), (r.get("id"), set(FIELDS) - set(r))
        assert r["type"] in TYPES and r["expected_behaviour"] in BEHAVIOURS
        assert r["expected_behaviour"] == EXPECTED.get(r["type"], "answer"), r["id"]
        assert isinstance(r["question"], str) and r["question"].strip()
        if r["expected_behaviour"] == "answer":
            assert r["gold_sources"] and r["gold_quotes"], r["id"]
        else:
            assert not r["gold_quotes"] and not r["gold_sources"], r["id"]


@pytest.mark.parametrize("row", [r for r in ROWS if r["gold_quotes"]], ids=lambda r: r["id"])
def test_gold_quotes_occur_in_their_gold_documents(corpus, row):
    docs = {d.id: d for d in corpus.available}
    assert set(row["gold_sources"]) <= set(docs), set(row["gold_sources"]) - set(docs)
    for quote in row["gold_quotes"]:
        holders = [i for i in row["gold_sources"] if quote in docs[i].text or normalise(quote) in normalise(docs[i].text)]
        assert holders, f"{row['id']}: gold quote not in {row['gold_sources']}: {quote[:70]!r}"


@pytest.mark.parametrize("row", [r for r in ROWS if r["answer_facts"]], ids=lambda r: r["id"])
def test_answer_facts_occur_in_the_gold_quotes(row):
    facts = row["answer_facts"][1:] if row["type"] == "attribution" else row["answer_facts"]  # first: the party
    quotes = " ".join(row["gold_quotes"]).lower()
    for f in facts:
        assert f.lower() in quotes, f"{row['id']}: fact {f!r} is not in its gold quotes"


def test_comparisons_have_two_sources_of_evidence():
    for r in ROWS:
        if r["type"] == "comparison":
            assert len(r["gold_quotes"]) >= 2, r["id"]


def test_the_evaluator_accepts_the_whole_file(corpus):
    rows, problems = load_questions(QUESTIONS, "\n".join(d.text for d in corpus.available))
    assert problems == []
    assert len(rows) == len(ROWS)
