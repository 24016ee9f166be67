"""The named /ask endpoint through gradio_client, the launcher, and 20 simultaneous users."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys

import pytest

from webhelpers import ARTIFACTS, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(web_app):
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from gradio_client import Client

    c = Client(web_app.url, verbose=False)
    yield c
    c.close()


def test_ask_returns_answer_and_citations_as_structured_data(client):
    r = client.predict(question="What will Integrated Care Boards do?", api_name="/ask")
    assert r["behaviour"] == "answer" and r["question"] == "What will Integrated Care Boards do?"
    cites = r["citations"]
    assert [c["n"] for c in cites] == list(range(1, len(cites) + 1)) and cites
    assert {int(n) for n in re.findall(r"\[(\d+)\]", r["answer"])} == {c["n"] for c in cites}
    for c in cites:
        assert {"doc_id", "title", "publisher", "date", "kind", "speaker", "speaker_kind", "url", "quote", "passage"} <= set(c)
        assert c["quote"] in c["passage"] and c["quote"] in r["answer"]
    assert r["timings_ms"]["total"] > 0 and r["filters"] == {"kinds": [], "doc_id": ""}


def test_ask_filters_follow_ups_and_viewpoints(client):
    r = client.predict(question="What do they say about integrated care systems?", kinds=["campaign"], api_name="/ask")
    assert r["citations"] and {c["kind"] for c in r["citations"]} == {"campaign"}
    r = client.predict(question="Do the LGA and the Government agree on the role of councils in integrated care systems?",
                       doc_id="govt-response", api_name="/ask")
    assert {c["doc_id"] for c in r["citations"]} == {"govt-response"} and r["one_side"] is True
    r = client.predict(question="And what does the LGA say about that?", history=["What will Integrated Care Boards do?"],
                       api_name="/ask")
    assert "Integrated Care Boards" in r["retrieval_query"]
    r = client.predict(question="Compare the Government's and the petitioners' views on pausing the White Paper.",
                       api_name="/ask")
    assert r["contested"] is True and len({c["speaker_kind"] for c in r["citations"]}) >= 2


def test_ask_rejects_bad_input_with_a_message(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="The question is empty"):
        client.predict(question="   ", api_name="/ask")
    with pytest.raises(AppError, match="the limit is 1,000"):
        client.predict(question="x" * 1001, api_name="/ask")
    with pytest.raises(AppError, match="unknown kind 'blogs'"):
        client.predict(question="What is an ICS?", kinds=["blogs"], api_name="/ask")
    with pytest.raises(AppError, match="unknown document 'nope'"):
        client.predict(question="What is an ICS?", doc_id="nope", api_name="/ask")


def test_only_ask_and_documents_are_public_in_the_api(client, corpus):
    api = client.view_api(print_info=False, return_format="dict")
    assert sorted(api["named_endpoints"]) == ["/ask", "/documents"] and api["unnamed_endpoints"] == {}
    params = [p["parameter_name"] for p in api["named_endpoints"]["/ask"]["parameters"]]
    assert params == ["question", "kinds", "doc_id", "history"]
    docs = client.predict(api_name="/documents")
    assert [d["id"] for d in docs] == [d.id for d in corpus.documents]
    assert {"title", "publisher", "date", "kind", "url", "status"} <= set(docs[0])


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
