"""`hcb` as a user runs it: a subprocess with HCB_* settings, one-line errors, non-zero exits, JSON contract."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from .._support import (CITATION_KEYS, CONTRACT_KEYS, CORPUS_DIR, HCB, assert_one_line_error, copy_corpus, edit_file, hcb,
                       require)


def assert_contract(d: dict, question: str):
    assert set(d) == CONTRACT_KEYS
    assert d["question"] == question
    assert d["behaviour"] in ("answer", "abstain", "refuse_or_redirect")
    for c in d["citations"]:
        assert CITATION_KEYS <= set(c)
        assert c["quote"] in c["passage"] and f"“{c['quote']}” [{c['n']}]" in d["answer"]


# ---------------------------------------------------------------- index status / build

def test_index_status_fresh_exits_zero(fake_settings):
    p = hcb("index", "status", index_dir=fake_settings.index_dir)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.startswith("fresh")


def test_index_status_on_an_empty_dir_says_how_to_build(tmp_path):
    p = hcb("index", "status", index_dir=tmp_path)
    assert p.returncode != 0
    out = [x for x in (p.stdout + p.stderr).splitlines() if x.strip()]
    assert len(out) == 1 and "hcb index build" in out[0], out
    assert "Traceback" not in p.stderr


def test_index_build_then_fresh_then_stale(tmp_path):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    p = hcb("index", "build", index_dir=index_dir, corpus_dir=corpus_dir)
    assert p.returncode == 0 and p.stdout.startswith("built"), p.stdout + p.stderr
    p = hcb("index", "build", index_dir=index_dir, corpus_dir=corpus_dir)
    assert p.returncode == 0 and "fresh" in p.stdout and "no rebuild needed" in p.stdout
    edit_file(corpus_dir / "pulse-petition.md", "by Jess Hacker", "by J. Hacker")
    p = hcb("index", "status", index_dir=index_dir, corpus_dir=corpus_dir)
    assert p.returncode != 0 and "pulse-petition" in p.stdout and "hcb index build" in p.stdout


# ---------------------------------------------------------------- ask / search

def test_ask_json_prints_the_contract(fake_settings):
    q = "What will Integrated Care Boards do?"
    p = hcb("ask", q, "--json", index_dir=fake_settings.index_dir)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert_contract(d, q)
    assert d["behaviour"] == "answer" and d["citations"]


def test_ask_prints_the_answer_and_its_sources(fake_settings):
    p = hcb("ask", "What will Integrated Care Boards do?", index_dir=fake_settings.index_dir)
    assert p.returncode == 0, p.stderr
    assert "“" in p.stdout and "[1]" in p.stdout and "Sources:" in p.stdout
    assert re.search(r"^\[1\] .+ — .+, \d{4}-\d{2}-\d{2}", p.stdout, re.M), p.stdout


def test_search_prints_ranked_passages_with_scores(fake_settings):
    p = hcb("search", "integrated care boards", "-k", "4", index_dir=fake_settings.index_dir)
    assert p.returncode == 0, p.stderr
    ranked = re.findall(r"^(\d+)\. \[(\d+\.\d+)\] ", p.stdout, re.M)
    assert [int(r) for r, _ in ranked] == [1, 2, 3, 4], p.stdout
    scores = [float(s) for _, s in ranked]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_search_json_respects_filters(fake_settings):
    p = hcb("search", "integrated care", "--speaker", "lga", "-k", "3", "--json", index_dir=fake_settings.index_dir)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert len(rows) == 3 and {r["speaker"] for r in rows} == {"lga"}


@pytest.mark.parametrize("question, needle", [("", "empty"), ("x" * 1001, "limit")])
def test_ask_bad_question_is_a_one_line_error(fake_settings, question, needle):
    p = hcb("ask", question, index_dir=fake_settings.index_dir)
    assert_one_line_error(p, needle)


def test_missing_index_is_a_one_line_error(tmp_path):
    for args in (("ask", "What is an ICS?"), ("search", "ICS"), ("ask", "What is an ICS?", "--json")):
        p = hcb(*args, index_dir=tmp_path / "nothing-here")
        assert_one_line_error(p, "run: hcb index build")
        assert p.stdout == ""


def test_corrupt_index_is_a_one_line_error(tmp_path, fake_settings):
    import shutil

    index_dir = shutil.copytree(fake_settings.index_dir, tmp_path / "index")
    build_id = (index_dir / "CURRENT").read_text().strip()
    (index_dir / "builds" / build_id / "manifest.json").write_text("{")
    assert_one_line_error(hcb("ask", "What is an ICS?", index_dir=index_dir), "hcb index build")


def test_bad_setting_is_a_one_line_error(fake_settings):
    require(HCB.exists(), f"{HCB} not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HCB_")}
    env.update(HCB_INDEX_DIR=str(fake_settings.index_dir), HCB_EMBEDDER="fake", HCB_TOP_K="five")
    p = subprocess.run([str(HCB), "ask", "What is an ICS?"], env=env, capture_output=True, text=True, timeout=120)
    assert_one_line_error(p, "HCB_TOP_K")


@pytest.mark.slow
def test_ask_json_with_the_real_model(real_settings):
    # HCB_EMBEDDER unset: the real model, which must match the index's (a mismatch is an error)
    q = "What will Integrated Care Boards do?"
    p = hcb("ask", q, "--json", index_dir=real_settings.index_dir, embedder=None, timeout=300)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert_contract(d, q)
    assert d["behaviour"] == "answer" and d["citations"]
    corpus_text = {c.name: c.read_text(encoding="utf-8") for c in CORPUS_DIR.glob("*.md")}
    for c in d["citations"]:
        assert c["passage"] in corpus_text[f"{c['doc_id']}.md"]
