"""How a follow-up is searched: its own words weigh more than the topic it carries, and "why?" reads on past the
claim it asks about (the passage after each one the last answer quoted)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.assistant import open_assistant
from assistant.index.embed import FakeEmbedder
from assistant.retrieval.hybrid import following


def searched_vectors(assistant, monkeypatch) -> list[np.ndarray]:
    seen: list[np.ndarray] = []
    search = assistant.retriever.search

    def spy(query, qvec, *args, **kwargs):
        seen.append(np.array(qvec))
        return search(query, qvec, *args, **kwargs)

    monkeypatch.setattr(assistant.retriever, "search", spy)
    return seen


@pytest.mark.parametrize("own_weight", [0.0, 2.0])
def test_a_follow_ups_own_words_steer_its_search_by_their_weight(fake_settings, monkeypatch, own_weight):
    a = open_assistant(fake_settings.with_(own_weight=own_weight), FakeEmbedder())
    first = a.ask("What will Integrated Care Boards do?")
    seen = searched_vectors(a, monkeypatch)
    ans = a.ask("and what about their budgets and money?", history=[first])
    assert ans.retrieval_query != ans.question, "the turn leans on the last topic"
    merged, own = a.embedder.embed([ans.retrieval_query, ans.question])
    expected = merged + own_weight * own
    np.testing.assert_allclose(seen[0], expected / np.linalg.norm(expected), atol=1e-6)
    if own_weight:
        assert float(seen[0] @ own) > float(merged @ own)


def test_the_passage_after_each_one_is_the_next_of_its_document(fake_assistant):
    chunks = fake_assistant.retriever.index.chunks
    nxt = following(chunks)
    by_id = {c.id: c for c in chunks}
    for doc in {c.doc_id for c in chunks}:
        mine = sorted((c for c in chunks if c.doc_id == doc), key=lambda c: c.start)
        assert [nxt.get(c.id) for c in mine] == [c.id for c in mine[1:]] + [None]
    assert all(by_id[a].doc_id == by_id[b].doc_id for a, b in nxt.items())


@pytest.mark.slow
def test_why_reads_the_passage_after_each_claim_the_last_answer_quoted(real_assistant):
    first = real_assistant.ask("What did the Government say about consultation on the Bill?")
    assert first.behaviour == "answer", first.text
    ans, weighed = real_assistant.ask_weighed("why?", history=[first])
    read = {h.chunk.id for h in weighed.hits}
    cited = list(dict.fromkeys(c.chunk.id for c in first.citations))
    nexts = [real_assistant.retriever.following[c] for c in cited if c in real_assistant.retriever.following]
    assert nexts and all(n in read for n in nexts[: real_assistant.depth - len(cited)]), (cited, nexts, read)
    assert ans.behaviour == "answer", ans.text


def test_a_voice_named_in_passing_adds_its_passages_beside_retrievals(fake_assistant):
    """"the petition about the white paper" names two voices; their best passages join what retrieval found and
    push none of it out (the passage that answers may be any of them)."""
    a = fake_assistant
    q = "How many signatures did the petition about the White Paper get?"
    ans, weighed = a.ask_weighed(q)
    assert len(weighed.intent.parties) >= 2, weighed.intent
    found = a.retriever.search(a.lexical_query(weighed.resolution.query), a.embedder.embed([weighed.resolution.query])[0], a.depth)
    read = {h.chunk.id for h in weighed.hits}
    assert {h.chunk.id for h in found} <= read
    assert len(read) > len(found), "the named voices' own passages were added"
    assert read == {c.chunk_id for c in weighed.evidence.candidates}, "…and their sentences are read"
