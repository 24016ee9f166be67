"""Running an evaluation on the fake-embedder index: determinism, the output contract, files, charts, compare."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.evaluation.baselines import LangChainBaseline, SharedEmbedder
from assistant.index.embed import FakeEmbedder
from assistant.evaluation.runner import PRIMARY, RATES, analyse, evaluate_one, make_systems, run_eval, run_systems
from assistant.evaluation.questions import load_questions
from assistant.evaluation.report import write_outputs
from assistant.evaluation.runs import check_floors, compare_runs, load_run

ROOT = Path(__file__).resolve().parents[2]
HCB = Path(sys.executable).parent / "hcb"
CITATION_KEYS = {"n", "doc_id", "title", "publisher", "date", "speaker", "url", "page", "quote", "passage"}


@pytest.fixture(scope="module")
def sample(corpus):
    """Three questions of each type from the project's set."""
    rows, _ = load_questions(ROOT / "evals" / "questions.jsonl", corpus)
    out, per = [], {}
    for r in rows:
        if per.get(r["type"], 0) < 3:
            per[r["type"]] = per.get(r["type"], 0) + 1
            out.append(r)
    return out


@pytest.fixture(scope="module")
def run_once(fake_assistant, sample, tmp_path_factory):
    cache = tmp_path_factory.mktemp("eval-cache")
    systems = make_systems(fake_assistant, compare=True, cache_dir=cache)
    results = run_systems(systems, sample)
    for s in systems:
        getattr(s, "close", lambda: None)()
    return results, analyse(results, resamples=500, seed=0)


def _without_timings(results):
    return {s: [{k: v for k, v in r.items() if k != "timings_ms"} for r in rows] for s, rows in results.items()}


def test_same_index_same_settings_same_results(run_once, fake_assistant, sample, tmp_path):
    results, summary = run_once
    systems = make_systems(fake_assistant, compare=True, cache_dir=tmp_path)   # rebuilt from scratch, cold cache
    again = run_systems(systems, sample)
    assert _without_timings(again) == _without_timings(results)
    summary2 = analyse(again, resamples=500, seed=0)
    no_latency = lambda m: {k: v for k, v in m.items() if not k.startswith("latency")}  # noqa: E731
    assert no_latency(summary2["metrics"]) == no_latency(summary["metrics"])
    for key in ("intervals", "by_type", "comparison"):
        assert summary2[key] == summary[key], key


def test_every_system_answers_every_question_with_the_result_contract(run_once, sample):
    results, summary = run_once
    assert list(results) == [PRIMARY, "bm25", "dense", "langchain"]
    for system, rows in results.items():
        assert [r["id"] for r in rows] == [q["id"] for q in sample]
        for r in rows:
            assert {"id", "behaviour", "answer", "citations", "retrieved", "timings_ms", "metrics"} <= set(r)
            assert set(RATES) <= set(r["metrics"])
            for c in r["citations"]:
                assert CITATION_KEYS <= set(c), system
            for rank, x in enumerate(r["retrieved"], 1):
                assert x["rank"] == rank and {"chunk_id", "doc_id", "text", "score"} <= set(x)
            if r["behaviour"] != "refuse_or_redirect":
                assert r["timings_ms"]["total"] >= 0
    hcb = {r["id"]: r for r in results[PRIMARY]}
    adversarial = [r for r in hcb.values() if r["type"] == "adversarial"]
    assert all(r["behaviour"] == "refuse_or_redirect" for r in adversarial)
    # baselines never refuse or abstain: their refusal rate is 0, which is what the comparison should show
    assert summary["systems"]["bm25"]["metrics"]["refusal_rate"] == 0.0
    assert summary["comparison"]["bm25"]["refusal_rate"]["value"] == pytest.approx(summary["metrics"]["refusal_rate"])
    # retrieval depth: ten for the project's index, four for the conventional pipeline
    answerable = [r for r in results["langchain"] if r["expected_behaviour"] == "answer"]
    assert max(len(r["retrieved"]) for r in answerable) == 4
    assert max(len(r["retrieved"]) for r in results[PRIMARY]) == 10


def test_summary_has_intervals_per_metric_and_type(run_once):
    _, summary = run_once
    for m in RATES:
        v, (lo, hi) = summary["metrics"][m], summary["intervals"][m]
        if v is not None:
            assert lo <= v <= hi, m
    assert set(summary["by_type"]) == {"factoid", "list", "numeric", "date", "attribution", "comparison",
                                       "unanswerable", "adversarial"}
    assert "speaker_correctness" in summary["by_type"]["attribution"]
    assert "speaker_correctness" not in summary["by_type"]["factoid"]
    assert summary["by_type"]["adversarial"]["refusal_rate"]["n"] == 3
    assert set(summary["latency"]) >= {"embed", "total"}


def test_langchain_baseline_ranks_with_the_projects_embedder(fake_assistant, tmp_path):
    emb = FakeEmbedder()
    lc = LangChainBaseline(fake_assistant.corpus, SharedEmbedder(emb), tmp_path)
    try:
        assert lc.store.embeddings is lc.embeddings
        question = "What will Integrated Care Boards take on from clinical commissioning groups?"
        out = lc.run(question)
        # brute-force cosine over the same chunks with the same embedder gives the same top 4
        vecs, q = emb.embed(lc.passages()), emb.embed([question])[0]
        expected = [lc.passages()[i] for i in np.argsort(-(vecs @ q), kind="stable")[:4]]
        assert [r["text"] for r in out.retrieved] == expected
        assert out.answer == expected[0] and out.behaviour == "answer"
        assert all(len(t) <= 1000 for t in lc.passages())
        assert [p.stat().st_size > 0 for p in tmp_path.glob("lc-passages-*.npz")] == [True]   # passage vectors cached
    finally:
        lc.close()


def test_shared_embedder_embeds_each_question_once():
    calls = []

    class Counting(FakeEmbedder):
        def embed(self, texts):
            calls.append(list(texts))
            return super().embed(texts)

    shared = SharedEmbedder(Counting())
    a = shared.embed(["q one", "q two"])
    b = shared.embed(["q two", "q one", "q one"])
    assert calls == [["q one", "q two"]]
    assert np.array_equal(a[0], b[1]) and shared.cost_ms("q one") > 0 and shared.cost_ms("never") == 0.0


def test_compat_entry_points(fake_assistant, sample):
    row = evaluate_one(fake_assistant, sample[0])
    assert row["id"] == sample[0]["id"] and row["metrics"]["hit@5"] is not None
    results, flat = run_eval(fake_assistant, sample[:4])
    assert len(results) == 4 and flat["questions"] == 4 and "hit@5" in flat and "latency_p95_ms" in flat


def _saved_run(folder: Path, results, summary) -> Path:
    write_outputs(folder, results, {**summary, "corpus_hash": "x", "config": {"systems": {}}})
    return folder


def test_outputs_files_and_charts(run_once, tmp_path):
    results, summary = run_once
    out = _saved_run(tmp_path / "run", results, summary)
    for name in ("results.jsonl", "results.csv", "results-bm25.jsonl", "results-dense.csv", "results-langchain.csv",
                 "summary.json", "report.md"):
        assert (out / name).stat().st_size > 0, name
    for png in ("by_type.png", "hit_at_k.png", "latency.png", "systems.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 15_000, png
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == [r["id"] for r in results[PRIMARY]]
    import csv

    with (out / "results.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(results[PRIMARY]) and {"question", "retrieved", "answer", "citations", "hit@5", "ms_total"} <= set(rows[0])
    report = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("## Metrics: hcb", "## Systems compared", "## By question type", "## Latency", "![hit_at_k.png]"):
        assert heading in report


def test_compare_flags_only_changes_larger_than_their_interval(run_once, tmp_path):
    results, summary = run_once
    a = _saved_run(tmp_path / "a", results, summary)
    worse = copy.deepcopy(results)
    for r in worse[PRIMARY]:
        if r["metrics"]["hit@5"] is not None:
            r["metrics"]["hit@5"] = 0.0
    b = _saved_run(tmp_path / "b", worse, summary)
    changes, setup = compare_runs(load_run(a), load_run(b), resamples=500)
    flagged = {c.metric: c for c in changes if c.flagged}
    assert set(flagged) == {"hit@5"} and flagged["hit@5"].better is False
    same, _ = compare_runs(load_run(a), load_run(a), resamples=500)
    assert not any(c.flagged for c in same)
    r = subprocess.run([str(HCB), "eval", "compare", str(a), str(b)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "hit@5" in r.stdout and "worse" in r.stdout and "1 change(s) larger than their interval: hit@5" in r.stdout


def test_floors(tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"floors": {"hit@5": 0.9, "refusal_rate": 0.8}}))
    assert check_floors({"hit@5": 0.95, "refusal_rate": 0.8}, floors) == []
    assert check_floors({"hit@5": 0.85, "refusal_rate": None}, floors) == [
        "hit@5 = 0.85 is below its floor 0.9", "refusal_rate = None is below its floor 0.8"]


@pytest.mark.parametrize("content", [None, "{not json", '["a list"]', '{"neither": {}}'])
def test_an_unusable_floors_file_is_one_error_naming_the_fix(tmp_path, content):
    from assistant.errors import EvalFileError
    from assistant.evaluation.runs import check_floors_file

    floors = tmp_path / "floors.json"
    if content is not None:
        floors.write_text(content)
    with pytest.raises(EvalFileError, match="cannot read floors from"):
        check_floors_file({"metrics": {}}, floors, Path("q.jsonl"))


def test_cli_run_end_to_end(fake_settings, sample, tmp_path):
    qfile = tmp_path / "q.jsonl"
    lines = [json.dumps(q, ensure_ascii=False) for q in sample[:8]]
    lines.insert(2, '{"id": "broken"')
    qfile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"floors": {"hit@5": 1.01}}))
    env = {**os.environ, "HCB_INDEX_DIR": str(fake_settings.index_dir), "HCB_EMBEDDER": "fake",
           "HCB_CORPUS_DIR": str(fake_settings.corpus_dir), "HCB_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "run"
    r = subprocess.run([str(HCB), "eval", "run", str(qfile), "--compare", "--out", str(out), "--resamples", "200",
                        "--floors", str(floors)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr            # the impossible floor fails the run
    assert f"{qfile}:3: not valid JSON" in r.stderr and "skipped 1 invalid row(s); 8 valid" in r.stderr
    assert "below floor: hit@5" in r.stderr
    assert "fact_coverage" in r.stdout and "Δ vs langchain" in r.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["questions"]["skipped"] == 1 and summary["metrics"]["questions"] == 8
    assert summary["model"] == "fake-hash-384" and summary["corpus_hash"] and summary["timestamp"]
    assert set(summary["systems"]) == {"hcb", "bm25", "dense", "langchain"}
