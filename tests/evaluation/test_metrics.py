"""Pure metric functions on hand-made examples, and the bootstrap's determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.evaluation.metrics import (bootstrap, citation_scores, contains_quote, count_relevant, coverage, has_fact,
                               normalise, paired_bootstrap, resample_indices, retrieval_metrics, speaker_correct,
                               statements)

QUOTE = "Integrated Care Boards will take on the commissioning functions of the Clinical Commissioning Groups"


# ---------------------------------------------------------------- normalising and matching

def test_normalise_case_quotes_whitespace_numbers():
    assert normalise("The  LGA’s\n“VIEW”  is—clear") == "the lga's view is-clear"
    assert normalise("16,019 signatures") == normalise("16019 Signatures") == "16019 signatures"
    assert normalise("50 per cent") == normalise("50%")
    assert normalise("1,234,567") == "1234567"


def test_contains_quote_exact_and_across_a_line_break():
    passage = "Some text. Integrated Care Boards will take on the\ncommissioning functions of the Clinical Commissioning Groups, as well."
    assert contains_quote(passage, QUOTE)
    assert contains_quote(passage.replace("’", "'"), "integrated care boards WILL take on the commissioning functions")
    assert not contains_quote(passage, "Integrated Care Partnerships will take on")


def test_contains_quote_tolerates_a_chunk_boundary_inside_the_quote():
    words = QUOTE.split()                                   # 15 words: half is 8
    end_of_chunk = "Earlier sentence. " + " ".join(words[:9])    # the quote starts here and runs off the end
    start_of_next = " ".join(words[6:]) + ". Next sentence."   # the rest of the quote opens the next chunk
    assert contains_quote(end_of_chunk, QUOTE)
    assert contains_quote(start_of_next, QUOTE)
    # too little of the quote (under half) is not evidence
    assert not contains_quote("Earlier sentence. " + " ".join(words[:5]), QUOTE)
    assert not contains_quote(" ".join(words[-5:]) + ". Next sentence.", QUOTE)
    # the fragment must sit at the boundary, not in the middle of the passage
    assert not contains_quote("Before " + " ".join(words[:9]) + " and more text after it.", QUOTE)


def test_numbers_match_whole_numbers_only():
    assert has_fact("The petition had 16019 signatures.", "16,019")
    assert has_fact("It reached 16,019 signatures", "16019 signatures")
    assert not has_fact("more than 100,000 signatures", "10,000")
    assert not contains_quote("petitions with 100,000 signatures are debated", "10,000 signatures are debated")
    assert has_fact("The LGA’s view is: …", "LGA")          # a possessive still names the party
    assert not has_fact("", "LGA") and not has_fact("anything", "")


# ---------------------------------------------------------------- retrieval

def test_retrieval_metrics_hand_computed():
    quotes = ["alpha beta gamma delta", "epsilon zeta eta theta"]
    ranked = ["nothing here", "x alpha beta gamma delta y", "still nothing", "epsilon zeta eta theta."]
    cov = coverage(ranked, quotes)
    assert cov == [frozenset(), frozenset({0}), frozenset(), frozenset({1})]
    m = retrieval_metrics(cov, n_quotes=2, n_relevant=2)
    assert m["first_relevant_rank"] == 2
    assert (m["hit@1"], m["hit@3"], m["hit@5"], m["hit@10"]) == (0.0, 1.0, 1.0, 1.0)
    assert (m["recall@1"], m["recall@3"], m["recall@5"]) == (0.0, 0.5, 1.0)
    assert m["mrr"] == 0.5
    ideal = 1 + 1 / math.log2(3)
    assert m["ndcg@10"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / ideal)


def test_retrieval_metrics_nothing_found_and_ideal_from_collection():
    m = retrieval_metrics([frozenset()] * 10, n_quotes=1, n_relevant=1)
    assert m["first_relevant_rank"] is None and m["hit@10"] == 0.0 and m["mrr"] == 0.0 and m["ndcg@10"] == 0.0
    # one relevant passage at rank 1, but the collection holds three: nDCG < 1
    m = retrieval_metrics([frozenset({0})] + [frozenset()] * 9, n_quotes=1, n_relevant=3)
    assert m["hit@1"] == 1.0 and 0 < m["ndcg@10"] < 1
    assert count_relevant(["a b c d e", "x", "b c d e f"], ["b c d e"]) == 2


# ---------------------------------------------------------------- answers

ANSWER = """The LGA's view is: “Councils must be equal partners.” [1]

The Government's response says: “He said “outdated and bureaucratic” barriers go.” [2]
- “First item of a list.” [3]
- “A quote that runs
over a line break.” [4]

These are the points:"""

PASSAGES = {1: "Intro. Councils must be equal partners. More.", 2: "He said “outdated and bureaucratic” barriers go.",
            3: "Something unrelated.", 4: "- A quote that runs over a line break."}


def test_statements_split_quotes_lists_and_line_breaks():
    got = statements(ANSWER)
    assert [s.cites for s in got] == [(1,), (2,), (3,), (4,)]
    assert got[1].text == "He said “outdated and bureaucratic” barriers go."     # nested quotes kept
    assert got[3].text == "A quote that runs\nover a line break."
    assert statements("Uncited claim.\n\nX says: “y” [1]")[0].cites == ()      # an uncited paragraph counts


def test_citation_precision_and_recall():
    p, r = citation_scores(ANSWER, PASSAGES)
    assert (p, r) == (0.75, 0.75)                     # [3] cites a passage without its sentence
    p, r = citation_scores("Claim without citation.\n\nX says: “Councils must be equal partners.” [1][3]", PASSAGES)
    assert r == 0.5                                   # one of two statements is supported
    assert p == 0.5                                   # [1] supports it, [3] does not
    assert citation_scores("", PASSAGES) == (None, None)


def test_speaker_correctness():
    assert speaker_correct("The LGA's view is: “…” [1]", "LGA", [])
    assert speaker_correct("“We want equal partnership” [1]", "LGA", ["Local Government Association", "the LGA"])
    assert not speaker_correct("The Government's response says: “…” [1]", "LGA", ["Department of Health and Social Care"])
    assert speaker_correct("As the article reports, Sir Simon Stevens said: “…”", "Simon Stevens", [])


# ---------------------------------------------------------------- bootstrap

def test_bootstrap_is_deterministic_and_brackets_the_estimate():
    values = [1, 0, 1, 1, None, 0, 1, 1, 1, 0] * 5
    idx = resample_indices(len(values), 1000, seed=7)
    a, b = bootstrap(values, idx), bootstrap(values, resample_indices(len(values), 1000, seed=7))
    assert a == b
    assert a.n == 45 and a.value == pytest.approx(30 / 45)
    assert a.lo < a.value < a.hi and 0 <= a.lo and a.hi <= 1
    c = bootstrap(values, resample_indices(len(values), 1000, seed=8))
    assert (c.lo, c.hi) != (a.lo, a.hi)               # the seed matters
    assert bootstrap([None, None], resample_indices(2, 100, 0)).value is None


def test_interval_narrows_with_more_questions():
    small = bootstrap([1, 0] * 10, resample_indices(20, 1000, 0))
    large = bootstrap([1, 0] * 200, resample_indices(400, 1000, 0))
    assert (large.hi - large.lo) < (small.hi - small.lo) / 2


def test_paired_bootstrap_difference():
    a = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1] * 4
    b = [1] * 40
    idx = resample_indices(40, 1000, 0)
    d = paired_bootstrap(a, b, idx)
    assert d.value == pytest.approx(0.5) and d.lo > 0.3 and d.hi <= 0.7
    same = paired_bootstrap(a, a, idx)
    assert (same.value, same.lo, same.hi) == (0.0, 0.0, 0.0)
    assert np.array_equal(resample_indices(5, 3, 1, "factoid"), resample_indices(5, 3, 1, "factoid"))
    assert not np.array_equal(resample_indices(50, 3, 1, "factoid"), resample_indices(50, 3, 1, "list"))
