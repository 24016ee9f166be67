"""Validating a question file: every problem with its line number; the valid rows still come back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import EvalFileError
from assistant.evaluation.questions import load_questions, skipped_rows

ROOT = Path(__file__).resolve().parents[2]
HCB = Path(sys.executable).parent / "hcb"
GOOD_QUOTE = "The Government has no plans to pause the proposals set out in our White Paper"
# in corpus/debate-notices.md this sentence runs over a line break
BROKEN_LINE_QUOTE = "a few hours after it happens: https://hansard.parliament.uk/commons/2021-09-22"


def q(id_, **kw):
    row = {"id": id_, "question": "Did the Government agree to pause?", "type": "factoid", "gold_sources": ["govt-response"],
           "gold_quotes": [GOOD_QUOTE], "answer_facts": ["no plans to pause"], "expected_behaviour": "answer"}
    row.update(kw)
    return json.dumps(row, ensure_ascii=False)


def bad_file(tmp_path: Path) -> Path:
    lines = [
        q("a1"),                                                            # 1 valid
        '{"id": "a2", "question": "broken JSON"',                          # 2
        json.dumps({"id": "a3", "question": "no other fields"}),            # 3
        q("a4", type="trivia"),                                             # 4
        q("a5", expected_behaviour="guess"),                                # 5
        q("a6", gold_quotes=["This sentence is nowhere in the corpus at all"]),  # 6
        "",                                                                 # 7 blank: ignored
        q("a8", gold_sources=["no-such-doc"]),                              # 8
        q("a1"),                                                            # 9 duplicate id
        q("a10", type="unanswerable"),                                      # 10 type/behaviour mismatch
        q("a11", retired=True, type="trivia"),                              # 11 retired: skipped silently
        q("a12", gold_sources=["000_5da76c5937b5ec82.txt"]),                # 12 valid: a seed name as gold source
        q("a13", gold_sources=["debate-notices"], gold_quotes=[BROKEN_LINE_QUOTE]),  # 13 valid: quote over a line break
        q("a14", gold_sources=["lga-briefing"]),                            # 14 quote is in another document
        "[1, 2]",                                                           # 15
        q("a16", answer_facts="not a list", question="  "),                 # 16 two problems on one line
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_problem_is_reported_with_its_line(tmp_path, corpus):
    rows, problems = load_questions(bad_file(tmp_path), corpus)
    assert [r["id"] for r in rows] == ["a1", "a12", "a13"]
    by_line = {}
    for p in problems:
        by_line.setdefault(p.line, []).append(p.message)
    assert sorted(by_line) == [2, 3, 4, 5, 6, 8, 9, 10, 14, 15, 16]
    assert "not valid JSON" in by_line[2][0]
    assert by_line[3] == ["missing field(s): type, gold_sources, gold_quotes, answer_facts, expected_behaviour"]
    assert "unknown type 'trivia'" in by_line[4][0]
    assert "unknown expected_behaviour 'guess'" in by_line[5][0]
    assert "gold quote not found in the corpus" in by_line[6][0]
    assert "unknown gold source 'no-such-doc'" in by_line[8][0]
    assert "duplicate id 'a1' (first on line 1)" in by_line[9][0]
    assert "expects behaviour 'abstain'" in by_line[10][0]
    assert "is in govt-response, not in its gold_sources" in by_line[14][0]
    assert "not a JSON object" in by_line[15][0]
    assert len(by_line[16]) == 2
    assert skipped_rows(problems) == 11


def test_text_only_corpus_checks_quotes_but_not_sources(tmp_path, corpus):
    rows, problems = load_questions(bad_file(tmp_path), "\n".join(d.text for d in corpus.available))
    assert {p.line for p in problems} == {2, 3, 4, 5, 6, 9, 10, 15, 16}
    assert "a8" in [r["id"] for r in rows] and "a14" in [r["id"] for r in rows]


def test_unreadable_files_raise_a_message_that_says_what_to_do(tmp_path):
    with pytest.raises(EvalFileError, match="no question file"):
        load_questions(tmp_path / "missing.jsonl")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"question": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(EvalFileError, match="UTF-8"):
        load_questions(latin)


def test_project_question_set_is_valid_and_covers_every_document_and_type(corpus):
    rows, problems = load_questions(ROOT / "evals" / "questions.jsonl", corpus)
    assert problems == [] and len(rows) >= 100
    assert {r["type"] for r in rows} == {"factoid", "list", "numeric", "date", "attribution", "comparison",
                                         "unanswerable", "adversarial"}
    assert {s for r in rows for s in r["gold_sources"]} == {d.id for d in corpus.available}
    assert sum("multi-passage" in r.get("notes", "") for r in rows) >= 10


def test_cli_validate_lists_problems_and_exits_non_zero(tmp_path):
    path = bad_file(tmp_path)
    env = {**os.environ, "HCB_CORPUS_DIR": str(ROOT / "corpus")}
    r = subprocess.run([str(HCB), "eval", "validate", str(path)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 1
    assert f"{path}:4: unknown type 'trivia'" in r.stderr
    assert "skipped 11 invalid row(s); 3 valid" in r.stderr


def test_a_conversation_is_validated_turn_by_turn(tmp_path, corpus):
    good, bad = json.loads(q("x")), json.loads(q("y", type="trivia"))
    conv = {"id": "c1", "turns": [{k: v for k, v in good.items() if k != "id"}, {k: v for k, v in bad.items() if k != "id"}]}
    path = tmp_path / "conv.jsonl"
    path.write_text(json.dumps(conv) + "\n", encoding="utf-8")
    rows, problems = load_questions(path, corpus)
    assert [r["id"] for r in rows] == ["c1.0"]
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(1, "turn 1")] and "trivia" in problems[0].message
