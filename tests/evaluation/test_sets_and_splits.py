"""`hcb eval run` on question sets from elsewhere and on conversations; dev/test summaries and their gap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.evaluation.questions import read_eval_file
from assistant.evaluation.runner import make_systems, run_conversations
from assistant.evaluation.runs import check_set_floors
from assistant.evaluation.session import evaluate_file
from assistant.evaluation.splits import consistency, is_right, split_summary

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
HCB = Path(sys.executable).parent / "hcb"
# an "LGA view" heading of the original page, then the view: the curated corpus has a heading and a speaker marker between
SEED_QUOTE = "LGA view\n\nWe support the creation of a statutory NHS Body"
FOUND_NOWHERE = "integrated care boards will be abolished next year by royal decree"


def write(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def foreign_file(tmp_path: Path) -> Path:
    return write(tmp_path / "foreign.jsonl", [
        {"id": "f1", "question": "what does the LGA think of ICS NHS bodies?", "type": "opinion-of-body",  # unknown type
         "gold_quotes": [SEED_QUOTE], "answer_facts": ["statutory NHS Body"], "difficulty": "hard"},       # extra field
        {"question": "When did the Government respond to the petition?"},                                  # bare minimum
        {"id": "f3", "type": "factoid"},                                                                   # no question
        "{not json",
        {"id": "f5", "question": "  ", "type": "factoid"},                                                 # blank question
        {"id": "f6", "question": "Who will abolish ICBs?", "gold_quotes": [FOUND_NOWHERE], "expected_behaviour": "maybe"},
        {"id": "f7", "question": "Is the Bill a good idea?", "type": "adversarial"},
    ])


def test_rows_from_elsewhere_are_evaluated_and_only_questionless_rows_skipped(tmp_path, corpus):
    es = read_eval_file(foreign_file(tmp_path), corpus, SEEDS)
    assert [q["id"] for q in es.singles] == ["f1", "line2", "f6", "f7"]
    assert sorted(p.line for p in es.skipped) == [3, 4, 5]
    f1, line2, f6, f7 = es.singles
    assert f1["type"] == "opinion-of-body" and f1["expected_behaviour"] == "answer" and f1["difficulty"] == "hard"
    assert line2["gold_quotes"] == [] and line2["split"] == "all"
    assert f7["expected_behaviour"] == "refuse_or_redirect"
    warned: dict[int, str] = {}
    for p in es.warnings:
        warned[p.line] = warned.get(p.line, "") + p.message + "; "
    assert "unknown type" in warned[1] and "found nowhere" in warned[6]
    assert not any("found nowhere" in p.message for p in es.warnings if p.line == 1), "a quote crossing markup is found"


def test_conversation_turns_are_asked_with_the_earlier_turns_as_history(fake_assistant):
    conv = {"id": "c1", "split": "dev", "turns": [
        {"question": "What will Integrated Care Boards do?", "type": "factoid", "gold_sources": [], "gold_quotes": [],
         "answer_facts": [], "expected_behaviour": "answer"},
        {"question": "and what does the LGA say about that?", "type": "factoid", "gold_sources": [], "gold_quotes": [],
         "answer_facts": [], "expected_behaviour": "answer"}]}
    results = run_conversations(make_systems(fake_assistant), [conv])["hcb"]
    assert [(r["id"], r["turn"], r["split"]) for r in results] == [("c1", 0, "dev"), ("c1", 1, "dev")]
    assert results[0]["retrieval_query"] == "What will Integrated Care Boards do?"
    assert "Integrated Care Boards" in results[1]["retrieval_query"], "the follow-up leans on the first turn"


def _row(split, right, **kw):
    r = {"split": split, "behaviour": "answer", "expected_behaviour": "answer" if right else "abstain",
         "metrics": {"fact_coverage": None}, "type": "factoid", "id": kw.pop("id", "x"), "timings_ms": {}}
    r.update(kw)
    return r


def test_consistency_needs_every_row_of_a_unit_right():
    rows = [_row("dev", True, group="g1"), _row("dev", True, group="g1"), _row("dev", False, group="g2"),
            _row("dev", True, group="g2"), _row("dev", True)]
    c = consistency(rows, "group", resamples=100)
    assert (c["units"], c["right"], c["wrong"]) == (2, 1, ["g2"]) and c["rate"] == 0.5
    assert not is_right({"behaviour": "answer", "expected_behaviour": "answer", "metrics": {"fact_coverage": 0.5}})


def test_split_summary_puts_dev_and_test_side_by_side_with_the_gap():
    from assistant.evaluation.runner import score
    from assistant.evaluation.baselines import Output

    def scored(split, ok, i):
        q = {"id": f"{split}{i}", "type": "factoid", "question": "q", "expected_behaviour": "answer",
             "gold_quotes": [], "answer_facts": [], "split": split}
        out = Output("answer" if ok else "abstain", "text")
        return {**_row(split, ok, id=q["id"]), "behaviour": out.behaviour, "expected_behaviour": "answer",
                "metrics": score(q, out, 0)}

    rows = [scored("dev", True, i) for i in range(4)] + [scored("test", i < 2, i) for i in range(4)] + [scored("legacy", True, 9)]
    s = split_summary({"hcb": rows}, resamples=100)
    assert s["order"] == ["dev", "test", "legacy"]
    assert s["splits"]["dev"]["singles"]["metrics"]["behaviour_accuracy"] == 1.0
    assert s["splits"]["test"]["singles"]["metrics"]["behaviour_accuracy"] == 0.5
    assert s["gap"]["singles"]["behaviour_accuracy"] == -0.5
    assert s["splits"]["dev"]["follow_ups"] is None


def test_floors_apply_to_the_named_split_and_part(tmp_path):
    floors = write(tmp_path / "floors.json", [{"sets": {"singles.jsonl": {"split": "test", "floors": {
        "singles.behaviour_accuracy": 0.9, "paraphrase.rate": 0.5}}}}])
    summary = {"by_split": {"splits": {"test": {"singles": {"metrics": {"behaviour_accuracy": 0.8}},
                                                 "paraphrase": {"rate": 0.6}}}}}
    assert check_set_floors(summary, floors, Path("evals/singles.jsonl")) == [
        "test singles.behaviour_accuracy = 0.8 is below its floor 0.9"]
    assert check_set_floors(summary, floors, Path("other.jsonl")) == []


def test_evaluate_file_reports_both_kinds_of_row(fake_assistant, tmp_path):
    path = write(tmp_path / "mixed.jsonl", [
        {"id": "s1", "question": "When did the Government respond to the petition?", "split": "dev", "group": "g"},
        {"id": "s2", "question": "when did the govt reply to the petition", "split": "dev", "group": "g"},
        {"id": "c1", "split": "test", "turns": [{"question": "What is an ICB?"}, {"question": "who said that?"}]},
    ])
    results, summary = evaluate_file(fake_assistant, path, resamples=100)
    rows = results["hcb"]
    assert [(r["id"], r.get("turn")) for r in rows] == [("s1", None), ("s2", None), ("c1", 0), ("c1", 1)]
    parts = summary["by_split"]["splits"]
    assert parts["dev"]["singles"]["metrics"]["questions"] == 2 and parts["dev"]["paraphrase"]["units"] == 1
    assert parts["test"]["first_turns"]["metrics"]["questions"] == 1
    assert parts["test"]["follow_ups"]["metrics"]["questions"] == 1 and parts["test"]["conversations"]["units"] == 1
    assert summary["questions"]["conversations"] == 1 and summary["questions"]["turns"] == 2


def test_cli_runs_conversations_and_writes_one_line_per_turn(fake_settings, tmp_path):
    convs = [json.loads(x) for x in (ROOT / "evals" / "conversations.jsonl").read_text(encoding="utf-8").splitlines()[:3]]
    qfile = write(tmp_path / "convs.jsonl", convs)
    env = {**os.environ, "HCB_INDEX_DIR": str(fake_settings.index_dir), "HCB_EMBEDDER": "fake",
           "HCB_CORPUS_DIR": str(fake_settings.corpus_dir), "HCB_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "run"
    r = subprocess.run([str(HCB), "eval", "run", str(qfile), "--out", str(out), "--resamples", "100"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "conversations: follow-up turns" in r.stdout and "conversations fully right" in r.stdout
    rows = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["id"], x["turn"]) for x in rows] == [(c["id"], k) for c in convs for k in range(len(c["turns"]))]
    for x in rows:
        assert {"behaviour", "answer", "citations", "retrieved", "timings_ms"} <= set(x)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## By split" in report
