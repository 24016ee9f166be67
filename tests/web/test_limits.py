"""Every part of a web request is checked before any work, with one line that says what to fix."""

from __future__ import annotations

import httpx
import pytest

from assistant.errors import IndexCorruptError, StoreUnavailableError
from assistant.web.limits import STORE_DOWN, Limits, RequestError, check_ask, failure_message

LIM = Limits(max_question_chars=1000, max_history=20, max_history_chars=50_000)


def refused(**kw) -> RequestError:
    with pytest.raises(RequestError) as e:
        check_ask(LIM, **{"question": "What is an ICS?", **kw})
    assert "\n" not in str(e.value) and str(e.value)
    return e.value


def test_a_good_request_passes_with_its_filters():
    req = check_ask(LIM, "  What is an ICS?  ", ["What is an ICB?"], ["nhs", "nhs"], "petition")
    assert req.question == "What is an ICS?" and req.history == ("What is an ICB?",)
    assert req.filters.kinds == ("nhs",) and req.filters.doc_ids == ("petition",)


@pytest.mark.parametrize("kw, status, words", [
    ({"question": None}, 400, "question is missing"),
    ({"question": 5}, 400, "must be text, not a number"),
    ({"question": ["x"]}, 400, "must be text, not a list"),
    ({"question": "   "}, 400, "question is empty"),
    ({"question": "x" * 1001}, 413, "the limit is 1,000"),
    ({"question": "\ud800 What is an ICS?"}, 400, "lone UTF-16 surrogate"),
    ({"kinds": 5}, 400, "kinds must be a list"),
    ({"kinds": "nhs"}, 400, "kinds must be a list"),
    ({"kinds": [["nhs"]]}, 400, "one item is a list"),
    ({"kinds": ["blogs"]}, 400, "unknown kind 'blogs'"),
    ({"doc_id": 3}, 400, "doc_id must be a document id"),
    ({"history": "What is an ICB?"}, 400, "history must be a list"),
    ({"history": ["q"] * 21}, 413, "history has 21 items; the limit is 20"),
    ({"history": ["x" * 1001]}, 413, "history item 1 is 1,001 characters"),
    ({"history": [5]}, 400, "history item 1 must be an earlier question"),
    ({"history": [["nested"]]}, 400, "history item 1 must be an earlier question"),
    ({"history": [{"question": "x" * 60_000}]}, 413, "history item 1 is 60,0"),
    ({"history": [{"question": "ok", "retrieval_query": "y" * 2001}]}, 413, "retrieval_query is 2,001 characters"),
    ({"history": [{"question": "\udc00"}]}, 400, "lone UTF-16 surrogate"),
    ({"history": [{"question": "ok", "statements": [{"role": "bogus"}]}]}, 400, "role must be one of"),
    ({"history": [{"question": "ok", "statements": [{"n": "1"}]}]}, 400, "statements[].n must be a whole number"),
    ({"history": [{"question": "ok", "citations": "x"}]}, 400, "citations must be a list with an object per item"),
    ({"history": [{"question": "ok", "behaviour": ["answer"]}]}, 400, "behaviour must be one of"),
    ({"history": [{"question": "ok", "resolved_as": "leaning"}]}, 400, "resolved_as must be one of new, continue"),
    ({"history": [{"question": "ok", "reason": ["opinion"]}]}, 400, "reason must be one of answered, not_covered"),
])
def test_each_bad_part_is_refused_with_its_fix(kw, status, words):
    e = refused(**kw)
    assert e.status == status and words in str(e), str(e)


def test_an_earlier_answer_keeps_only_what_the_next_answer_reads():
    item = {"question": "What is an ICB?", "retrieval_query": "What is an ICB?", "resolved_as": "new", "behaviour": "answer",
            "statements": [{"role": "answer", "n": 1, "quote": "ICBs are…", "speaker_id": "dhsc", "extra": "x" * 100}],
            "citations": [{"n": 1, "chunk_id": "abc", "passage": "long " * 100}], "timings_ms": {"total": 1}}
    (kept,) = check_ask(LIM, "And the LGA?", [item]).history
    assert kept == {"question": "What is an ICB?", "retrieval_query": "What is an ICB?", "resolved_as": "new", "behaviour": "answer",
                    "reason": "", "statements": [{"role": "answer", "n": 1, "quote": "ICBs are…", "speaker_id": "dhsc"}],
                    "citations": [{"n": 1, "chunk_id": "abc"}]}


def test_a_store_outage_reads_as_try_again_whatever_raised_it():
    refused_conn = httpx.ConnectError("[Errno 111] Connection refused")
    try:
        try:
            raise ConnectionRefusedError(111, "refused")
        except ConnectionRefusedError:
            raise RuntimeError("wrapped by a library")
    except RuntimeError as wrapped:
        chained = wrapped
    for err in (refused_conn, chained, StoreUnavailableError("cannot reach the Chroma server")):
        assert failure_message(err) == (503, STORE_DOWN)
    assert STORE_DOWN == "The document store is not reachable; try again shortly."
    assert failure_message(IndexCorruptError("the index is broken: run: hcb index build"))[0] == 500
    status, msg = failure_message(KeyError("boom"))
    assert status == 500 and "boom" not in msg
