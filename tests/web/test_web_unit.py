"""The web service and app construction with the fake-embedder assistant (no browser, no server)."""

from __future__ import annotations

import json

import pytest

from assistant.web.limits import RequestError


@pytest.fixture(scope="module")
def svc(fake_assistant, fake_settings):
    from assistant.web.service import Service

    return Service(fake_assistant, fake_settings)


def test_result_keeps_the_cli_contract_and_adds_the_filters(svc):
    req = svc.check("What will Integrated Care Boards do?", [], ["government"], "")
    ans = svc.ask(req)
    out = svc.result(ans, req)
    assert {k: out[k] for k in ans.to_dict()} == ans.to_dict()
    assert out["filters"] == {"kinds": ["government"], "doc_id": ""} and {"contested", "one_side"} <= set(out)
    assert json.loads(json.dumps(out)) == out


def test_history_of_earlier_results_is_accepted_as_the_api_returns_them(svc):
    first = svc.result(svc.ask(svc.check("What will Integrated Care Boards do?")), svc.check("x"))
    req = svc.check("And what does the LGA say about that?", [first], None, "")
    assert svc.ask(req).question == "And what does the LGA say about that?"


def test_documents_record_lists_every_document_with_what_is_held(svc, corpus):
    docs = svc.documents_record()
    assert [d["id"] for d in docs] == [d.id for d in corpus.documents]
    assert {d["id"]: d["held"] for d in docs}["white-paper"] is False


def test_unknown_document_is_refused_by_the_service(svc):
    with pytest.raises(RequestError, match="unknown document 'nope'"):
        svc.check("What is an ICS?", None, None, "nope")


def test_a_document_listed_but_not_fetched_is_refused_as_the_cli_refuses_it(svc):
    # the same rule as `hcb ask --doc white-paper`: it has no passages to search, so say so instead of abstaining
    with pytest.raises(RequestError, match=r"document 'white-paper' \(doc_id\) is listed but its text is not fetched") as e:
        svc.check("What is an ICS?", None, None, "white-paper")
    assert e.value.status == 400 and "GET /api/documents" in str(e.value)
    assert svc.check("What is an ICS?", None, ["nhs"], "petition").filters.doc_ids == ("petition",)


def test_app_exposes_only_the_named_gradio_endpoints(svc, tmp_path):
    from assistant.feedback.store import FeedbackStore
    from assistant.web.app import build_app

    demo = build_app(svc, FeedbackStore(tmp_path / "f.sqlite3"))
    public = sorted(f.api_name for f in demo.fns.values() if f.api_visibility == "public")
    assert public == ["ask", "documents"]


def test_json_api_routes_and_schema_without_a_server(svc):
    from fastapi.testclient import TestClient

    from assistant.web.api import build_api

    client = TestClient(build_api(svc))
    schema = client.get("/api/openapi.json").json()
    assert {"/api/ask", "/api/documents"} <= set(schema["paths"])
    body = schema["paths"]["/api/ask"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"question", "history", "kinds", "doc_id"}
    r = client.post("/api/ask", json={"question": "What will Integrated Care Boards do?"})
    assert r.status_code == 200 and r.json()["question"] == "What will Integrated Care Boards do?"
    r = client.post("/api/ask", content=b'{"question": "x", "history": ' + b'["q"],' * 10 + b"}")
    assert r.status_code == 400 and r.json()["error"].startswith("The body is not valid JSON")
