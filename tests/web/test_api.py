"""The running app's APIs: the plain JSON API (/api/…), Gradio's named /ask, limits under load, the launcher."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from load_check import percentile
from webhelpers import ARTIFACTS, ROOT

pytestmark = pytest.mark.slow

CONTRACT = {"question", "behaviour", "answer", "statements", "citations", "reason", "detail", "notes", "sides",
            "retrieval_query", "resolved_as", "timings_ms"}
CITATION = {"n", "doc_id", "chunk_id", "title", "publisher", "date", "kind", "section", "speaker", "speaker_id",
            "speaker_kind", "url", "page", "quote", "passage"}


@pytest.fixture(scope="module")
def http(web_app):
    with httpx.Client(base_url=web_app.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def client(web_app):
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from gradio_client import Client

    c = Client(web_app.url, verbose=False)
    yield c
    c.close()


def assert_contract(r: dict, question: str) -> None:
    assert CONTRACT <= set(r) and r["question"] == question and r["behaviour"] == "answer"
    cites = r["citations"]
    assert cites and [c["n"] for c in cites] == list(range(1, len(cites) + 1))
    assert {int(n) for n in re.findall(r"\[(\d+)\]", r["answer"])} == {c["n"] for c in cites}
    for c in cites:
        assert CITATION <= set(c) and c["quote"] in c["passage"] and c["quote"] in r["answer"]
    assert [s["n"] for s in r["statements"]] == [c["n"] for c in cites]
    assert r["timings_ms"]["total"] > 0


def test_post_api_ask_returns_the_hcb_ask_json_object(http):
    r = http.post("/api/ask", json={"question": "What will Integrated Care Boards do?"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert_contract(body, "What will Integrated Care Boards do?")
    assert body["filters"] == {"kinds": [], "doc_id": ""}


def test_post_api_ask_with_filters_and_history(http):
    r = http.post("/api/ask", json={"question": "What do they say about integrated care systems?", "kinds": ["campaign"]})
    assert r.status_code == 200 and {c["kind"] for c in r.json()["citations"]} == {"campaign"}
    first = http.post("/api/ask", json={"question": "What will Integrated Care Boards do?"}).json()
    r = http.post("/api/ask", json={"question": "And what does the LGA say about that?", "history": [first]})
    assert r.status_code == 200 and "Integrated Care Boards" in r.json()["retrieval_query"]
    r = http.post("/api/ask", json={"question": "What does the LGA say?", "doc_id": "lga-briefing"})
    assert {c["doc_id"] for c in r.json()["citations"]} == {"lga-briefing"}


def test_get_api_documents_and_the_openapi_schema(http, corpus):
    docs = http.get("/api/documents").json()
    assert [d["id"] for d in docs] == [d.id for d in corpus.documents]
    assert {"id", "title", "publisher", "date", "kind", "url", "status", "date_note", "held"} <= set(docs[0])
    schema = http.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.") and {"/api/ask", "/api/documents"} <= set(schema["paths"])
    post = schema["paths"]["/api/ask"]["post"]
    assert {"200", "400", "413", "503"} <= set(post["responses"])


@pytest.mark.parametrize("body, status, words", [
    (b"not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "must be a JSON object"),
    (b'{"question": "What is an ICS?", "colour": "red"}', 400, "Unknown field 'colour'"),
    (b"{}", 400, "question is missing"),
    (b'{"question": 5}', 400, "must be text, not a number"),
    (b'{"question": "\\ud800 What is an ICS?"}', 400, "lone UTF-16 surrogate"),
    (b'{"question": "What is an ICS?", "kinds": 5}', 400, "Kinds must be a list"),
    (b'{"question": "What is an ICS?", "kinds": [["nhs"]]}', 400, "one item is a list"),
    (b'{"question": "What is an ICS?", "doc_id": "nope"}', 400, "Unknown document 'nope'"),
    (b'{"question": "What is an ICS?", "history": ' + json.dumps(["q"] * 21).encode() + b"}", 413, "the limit is 20"),
    (b'{"question": "' + b"x" * 1001 + b'"}', 413, "the limit is 1,000"),
    (b'{"question": "What is an ICS?", "history": ["' + b"x" * 2_000_000 + b'"]}', 413, "over the limit of 1,000,000 bytes"),
    (b'{"question": "What is an \xff ICS?"}', 400, "not UTF-8"),
])
def test_malformed_or_oversized_bodies_get_a_4xx_with_one_line(http, body, status, words):
    r = http.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    msg = r.json()["error"]
    assert words in msg and "\n" not in msg and msg.endswith("."), msg


def big_history_body() -> bytes:
    return json.dumps({"question": "What is an ICS?", "history": ["x" * 1000] * 5000}).encode()   # ~5 MB


def test_eight_5mb_history_requests_are_refused_quickly_while_a_question_is_answered(web_app):
    """Issue 12: eight 5 MB-history requests once held every answer slot for ~43 s; now they never reach one."""
    big = big_history_body()
    assert len(big) > 5_000_000
    refused, latencies, errors = [], [], []
    start = threading.Barrier(9)

    def attacker():
        with httpx.Client(base_url=web_app.url, timeout=60) as c:
            start.wait()
            t0 = time.perf_counter()
            try:
                r = c.post("/api/ask", content=big, headers={"content-type": "application/json"})
                refused.append((r.status_code, r.json().get("error", ""), time.perf_counter() - t0))
            except httpx.HTTPError as e:   # a dropped upload is a refusal too, but the message should arrive
                errors.append(repr(e))

    threads = [threading.Thread(target=attacker) for _ in range(8)]
    for t in threads:
        t.start()
    with httpx.Client(base_url=web_app.url, timeout=60) as c:
        c.post("/api/ask", json={"question": "What is an ICS?"})          # warm
        start.wait()
        for _ in range(5):
            t0 = time.perf_counter()
            r = c.post("/api/ask", json={"question": "What will Integrated Care Boards do?"})
            latencies.append(time.perf_counter() - t0)
            assert r.status_code == 200 and r.json()["behaviour"] == "answer"
    for t in threads:
        t.join(60)
    report = {"refused": len(refused), "refusal_s_max": round(max(s for _, _, s in refused), 3) if refused else None,
              "answer_s_p50": round(percentile(latencies, 50), 3), "answer_s_max": round(max(latencies), 3),
              "errors": errors}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "limits-under-load.json").write_text(json.dumps(report, indent=2))
    print("8 x 5 MB history + normal questions:", report)
    assert errors == [] and len(refused) == 8
    assert all(code == 413 and "over the limit" in msg for code, msg, _ in refused)
    assert report["answer_s_p50"] < 1.0        # the bar: a normal question is answered within a second


def test_retrieval_query_stays_bounded_whatever_the_history_holds(http):
    """Issue 12: 5 MB of history came back in retrieval_query. Now each item is capped, and so is what comes back."""
    longest = {"question": "What will Integrated Care Boards do? " + "x" * 960, "retrieval_query": "y " * 999}
    r = http.post("/api/ask", json={"question": "And what does the LGA say about that? " + "z" * 900,
                                    "history": [longest] * 20})
    assert r.status_code == 200
    assert len(r.json()["retrieval_query"]) <= 3 * 1000, len(r.json()["retrieval_query"])


def test_gradio_ask_endpoint_keeps_working_and_refuses_bad_input(client, web_app):
    from gradio_client.exceptions import AppError

    r = client.predict(question="What will Integrated Care Boards do?", api_name="/ask")
    assert_contract(r, "What will Integrated Care Boards do?")
    r = client.predict(question="And what does the LGA say about that?", history=["What will Integrated Care Boards do?"],
                       api_name="/ask")
    assert "Integrated Care Boards" in r["retrieval_query"]
    for kw, words in ((dict(question="   "), "The question is empty"), (dict(question="x" * 1001), "the limit is 1,000"),
                      (dict(question="What is an ICS?", kinds=["blogs"]), "Unknown kind 'blogs'"),
                      (dict(question="What is an ICS?", kinds=5), "Kinds must be a list"),
                      (dict(question="What is an ICS?", kinds=[["nhs"]]), "one item is a list"),
                      (dict(question="What is an ICS?", doc_id="nope"), "Unknown document 'nope'")):
        with pytest.raises(AppError, match=re.escape(words)):
            client.predict(api_name="/ask", **kw)
    with pytest.raises(httpx.HTTPStatusError, match="413"):       # refused at the door, before the queue
        client.predict(question="What is an ICS?", history=["x" * 1000] * 2000, api_name="/ask")
    assert "Traceback" not in web_app.log.read_text()               # a refused request is not logged as a fault


def test_only_ask_and_documents_are_public_in_the_gradio_api(client, corpus):
    api = client.view_api(print_info=False, return_format="dict")
    assert sorted(api["named_endpoints"]) == ["/ask", "/documents"] and api["unnamed_endpoints"] == {}
    params = [p["parameter_name"] for p in api["named_endpoints"]["/ask"]["parameters"]]
    assert params == ["question", "kinds", "doc_id", "history"]
    docs = client.predict(api_name="/documents")
    assert [d["id"] for d in docs] == [d.id for d in corpus.documents]


def test_twenty_simultaneous_users_all_get_answers(web_app):
    from load_check import run

    report = run(web_app.url, users=20)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-api.json").write_text(json.dumps(report, indent=2))
    print("load /ask:", report)
    assert report["errors"] == 0, report["error_messages"]
    assert report["answered"] == 20


def test_app_without_an_index_says_what_to_do(tmp_path):
    env = {**os.environ, "HCB_INDEX_DIR": str(tmp_path / "no-index"), "HCB_DATA_DIR": str(tmp_path / "data")}
    res = subprocess.run([sys.executable, str(ROOT / "app.py"), "--port", "1"], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120)
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no index") and lines[0].endswith("run: hcb index build"), res.stderr


def test_app_binds_to_loopback_only_by_default(web_app):
    """Started with --port only: 127.0.0.1 answers, another loopback address (as 0.0.0.0 would) does not."""
    with socket.create_connection(("127.0.0.1", web_app.port), timeout=5):
        pass
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", web_app.port), timeout=5).close()
