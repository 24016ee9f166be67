"""The web module's pure helpers and app construction, with the fake-embedder assistant (no browser, no server)."""

from __future__ import annotations

import pytest

from assistant.errors import QuestionError


@pytest.fixture(scope="module")
def web():
    from assistant.web import app as web

    return web


def test_friendly_messages_read_as_sentences(web):
    assert web.friendly(QuestionError("the question is empty: type a question")) == "The question is empty: type a question."


def test_api_result_keeps_the_cli_contract_and_adds_viewpoints(web, fake_assistant):
    ans = fake_assistant.ask("What will Integrated Care Boards do?")
    out = web.api_result(ans, {"kinds": [], "doc_id": ""})
    assert {k: out[k] for k in ans.to_dict()} == ans.to_dict()
    assert {"notes", "contested", "one_side", "retrieval_query", "filters"} <= set(out)


def test_turn_record_is_plain_data_with_speaker_labels(web, fake_assistant):
    import json

    ans = fake_assistant.ask("What does the LGA say about integrated care systems?")
    rec = web.turn_record(3, ans, {"kinds": ["local_government"], "doc_id": ""})
    assert json.loads(json.dumps(rec)) == rec and rec["n"] == 3
    assert all(c["speaker_label"] for c in rec["citations"])


def test_app_exposes_only_the_named_api_endpoints(web, fake_assistant, fake_settings, tmp_path):
    from assistant.feedback.store import FeedbackStore

    demo = web.build_app(fake_assistant, fake_settings, FeedbackStore(tmp_path / "f.sqlite3"))
    public = sorted(f.api_name for f in demo.fns.values() if f.api_visibility == "public")
    assert public == ["ask", "documents"]
