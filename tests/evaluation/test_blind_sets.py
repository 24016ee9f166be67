"""The blind question sets: their size and mix, their coverage, and a split that never changes."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.corpus.markup import parse_blocks
from assistant.evaluation.metrics import normalise, occurs
from assistant.evaluation.questions import read_eval_file

ROOT = Path(__file__).resolve().parents[2]


def _rows(name: str) -> list[dict]:
    return [json.loads(x) for x in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines() if x.strip()]


SINGLES = _rows("singles.jsonl")
CONVS = _rows("conversations.jsonl")
PROBE = _rows("routing-probe.jsonl")
PROBE2 = _rows("routing-probe2.jsonl")
TURNS = [t for c in CONVS for t in c["turns"]]
SINGLES2 = _rows("singles2.jsonl")
CONVS2 = _rows("conversations2.jsonl")
SINGLES3 = _rows("singles3.jsonl")
CONVS3 = _rows("conversations3.jsonl")
PROBE3 = _rows("routing-probe3.jsonl")
SINGLES4 = _rows("singles4.jsonl")
CONVS4 = _rows("conversations4.jsonl")
SINGLES5 = _rows("singles5.jsonl")
CONVS5 = _rows("conversations5.jsonl")
SINGLES6 = _rows("singles6.jsonl")
CONVS6 = _rows("conversations6.jsonl")
SINGLES7 = _rows("singles7.jsonl")
CONVS7 = _rows("conversations7.jsonl")
SINGLES8 = _rows("singles8.jsonl")
CONVS8 = _rows("conversations8.jsonl")
SINGLES9 = _rows("singles9.jsonl")
CONVS9 = _rows("conversations9.jsonl")
SINGLES10 = _rows("singles10.jsonl")
CONVS10 = _rows("conversations10.jsonl")
# the rounds after the seventh, by mark: each checked against the writers of every round before it
LATER = {"8": SINGLES8 + CONVS8, "9": SINGLES9 + CONVS9, "10": SINGLES10 + CONVS10}


def _assembler(name: str = "assemble.py"):
    spec = importlib.util.spec_from_file_location(name[:-3], ROOT / "evals" / "blind" / name)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_sizes_and_mix():
    assert len(SINGLES) >= 400 and len(CONVS) >= 40 and len(TURNS) >= 120
    kinds = Counter(q["expected_behaviour"] for q in SINGLES)
    assert kinds["abstain"] / len(SINGLES) >= 0.25
    assert 0.08 <= kinds["refuse_or_redirect"] / len(SINGLES) <= 0.15
    assert all(2 <= len(c["turns"]) <= 5 for c in CONVS)


def test_paraphrase_groups():
    groups = Counter(q["group"] for q in SINGLES if q.get("group"))
    assert len(groups) >= 60 and min(groups.values()) >= 3
    by_group: dict[str, set] = {}
    for q in SINGLES:
        if q.get("group"):
            by_group.setdefault(q["group"], set()).add((q["expected_behaviour"], tuple(q["answer_facts"]), q["split"]))
    assert all(len(v) == 1 for v in by_group.values()), "wordings of one question share behaviour, facts and split"


def test_splits_are_dev_or_test_with_at_least_30_percent_test_and_never_change():
    split_of = _assembler().split_of
    for q in SINGLES:
        assert q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in CONVS:
        assert c["split"] == split_of(c["id"]), c["id"]
    for rows in (SINGLES, CONVS):
        share = Counter(r["split"] for r in rows)
        assert set(share) == {"dev", "test"} and share["test"] / len(rows) >= 0.30


def test_the_second_round_has_its_own_frozen_split_and_the_same_mix():
    split_of = _assembler("assemble_round2.py").split_of
    assert len(SINGLES2) == 180 and len(CONVS2) == 40 and {q["set"] for q in SINGLES2 + CONVS2} == {"blind2"}
    for q in SINGLES2:
        assert q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in CONVS2:
        assert c["split"] == split_of(c["id"]) and 3 <= len(c["turns"]) <= 5, c["id"]
    for rows in (SINGLES2, CONVS2):
        share = Counter(r["split"] for r in rows)
        assert set(share) == {"dev", "test"} and share["test"] / len(rows) >= 0.30
    kinds = Counter(q["expected_behaviour"] for q in SINGLES2)
    assert kinds["abstain"] / len(SINGLES2) >= 0.28 and kinds["refuse_or_redirect"] == 16


def test_the_third_round_has_its_own_frozen_split_and_a_test_split_for_the_probe_too():
    split_of = _assembler("assemble_round3.py").split_of
    assert len(SINGLES3) == 200 and len(CONVS3) == 24 and len(PROBE3) == 90
    assert {q["set"] for q in SINGLES3 + CONVS3 + PROBE3} == {"blind3"}
    for q in SINGLES3 + PROBE3:
        assert q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in CONVS3:
        assert c["split"] == split_of(c["id"]) and 3 <= len(c["turns"]) <= 5, c["id"]
    for rows in (SINGLES3, CONVS3, PROBE3):
        share = Counter(r["split"] for r in rows)
        assert set(share) == {"dev", "test"} and share["test"] / len(rows) >= 0.25
    kinds = Counter(q["expected_behaviour"] for q in SINGLES3)
    assert kinds["abstain"] / len(SINGLES3) >= 0.35 and kinds["refuse_or_redirect"] == 18
    assert sum(q["expected_behaviour"] == "refuse_or_redirect" for q in PROBE3) == 50


def test_the_fourth_round_has_its_own_frozen_split_and_the_same_mix():
    split_of = _assembler("assemble_round4.py").split_of
    assert len(SINGLES4) == 100 and len(CONVS4) == 26 and {q["set"] for q in SINGLES4 + CONVS4} == {"blind4"}
    for q in SINGLES4:
        assert q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in CONVS4:
        assert c["split"] == split_of(c["id"]) and 3 <= len(c["turns"]) <= 5, c["id"]
    for rows in (SINGLES4, CONVS4):
        share = Counter(r["split"] for r in rows)
        assert set(share) == {"dev", "test"} and share["test"] / len(rows) >= 0.30
    kinds = Counter(q["expected_behaviour"] for q in SINGLES4)
    assert kinds["abstain"] / len(SINGLES4) >= 0.32 and kinds["refuse_or_redirect"] == 8


def test_the_fifth_round_has_its_own_frozen_split():
    split_of = _assembler("assemble_round5.py").split_of
    assert len(SINGLES5) == 100 and len(CONVS5) == 26 and {q["set"] for q in SINGLES5 + CONVS5} == {"blind5"}
    for q in SINGLES5:
        assert q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in CONVS5:
        assert c["split"] == split_of(c["id"]) and 3 <= len(c["turns"]) <= 5, c["id"]
    # the draw is the draw: 6 of the 26 conversations fell to test (not redrawn for a rounder share)
    assert Counter(q["split"] for q in SINGLES5)["test"] == 41 and Counter(c["split"] for c in CONVS5)["test"] == 6
    kinds = Counter(q["expected_behaviour"] for q in SINGLES5)
    assert kinds["abstain"] / len(SINGLES5) >= 0.30 and kinds["refuse_or_redirect"] == 10


def test_the_sixth_round_has_its_own_frozen_split():
    split_of = _assembler("assemble_round6.py").split_of
    assert len(SINGLES6) == 100 and len(CONVS6) == 26 and {q["set"] for q in SINGLES6 + CONVS6} == {"blind6"}
    for q in SINGLES6:
        assert q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in CONVS6:
        assert c["split"] == split_of(c["id"]) and 4 <= len(c["turns"]) <= 5, c["id"]
    assert Counter(q["split"] for q in SINGLES6)["test"] == 45 and Counter(c["split"] for c in CONVS6)["test"] == 8
    kinds = Counter(q["expected_behaviour"] for q in SINGLES6)
    assert kinds["abstain"] / len(SINGLES6) >= 0.30 and kinds["refuse_or_redirect"] == 10


def test_the_seventh_round_has_its_own_frozen_split():
    split_of = _assembler("assemble_round7.py").split_of
    assert len(SINGLES7) == 100 and len(CONVS7) == 26 and {q["set"] for q in SINGLES7 + CONVS7} == {"blind7"}
    for q in SINGLES7:
        assert q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in CONVS7:
        assert c["split"] == split_of(c["id"]) and 4 <= len(c["turns"]) <= 5, c["id"]
    assert Counter(q["split"] for q in SINGLES7)["test"] == 22 and Counter(c["split"] for c in CONVS7)["test"] == 16
    kinds = Counter(q["expected_behaviour"] for q in SINGLES7)
    assert kinds["abstain"] / len(SINGLES7) >= 0.30 and kinds["refuse_or_redirect"] == 10


@pytest.mark.parametrize("mark, singles, convs, writers, test_counts", [
    ("8", SINGLES8, CONVS8, ("V", "U"), (32, 7)),
    ("9", SINGLES9, CONVS9, ("T", "S"), (30, 10)),
    ("10", SINGLES10, CONVS10, ("R", "Q"), (35, 10)),
])
def test_a_later_round_has_its_own_frozen_split_and_labels_no_earlier_writer_had(mark, singles, convs, writers, test_counts):
    split_of = _assembler(f"assemble_round{mark}.py").split_of
    single, conv = (w + mark for w in writers)
    assert len(singles) == 100 and len(convs) == 26 and {q["set"] for q in singles + convs} == {f"blind{mark}"}
    assert {q["writer"] for q in singles} == {single} and {c["writer"] for c in convs} == {conv}
    earlier = {q.get("writer") for q in SINGLES + SINGLES2 + SINGLES3 + SINGLES4 + SINGLES5 + SINGLES6 + SINGLES7
               + CONVS + CONVS2 + CONVS3 + CONVS4 + CONVS5 + CONVS6 + CONVS7
               + [q for m, rows in LATER.items() if int(m) < int(mark) for q in rows]}
    assert not {single, conv} & earlier
    for q in singles:
        assert q["id"].startswith(f"{single}-") and q["split"] == split_of(q.get("group") or q["id"]), q["id"]
    for c in convs:
        assert c["id"].startswith(f"{conv}-") and c["split"] == split_of(c["id"]) and 4 <= len(c["turns"]) <= 5, c["id"]
    assert (Counter(q["split"] for q in singles)["test"], Counter(c["split"] for c in convs)["test"]) == test_counts
    kinds = Counter(q["expected_behaviour"] for q in singles)
    assert kinds["abstain"] / len(singles) >= 0.30 and kinds["refuse_or_redirect"] == 10


def test_legacy_set_is_marked_legacy():
    rows = [json.loads(x) for x in (ROOT / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) == 127 and {r["split"] for r in rows} == {"legacy"}


def test_ids_are_unique():
    ids = ([q["id"] for q in SINGLES + SINGLES2 + SINGLES3 + SINGLES4 + SINGLES5 + SINGLES6 + SINGLES7 + SINGLES8 + SINGLES9 + SINGLES10 + PROBE + PROBE2 + PROBE3]
           + [c["id"] for c in CONVS + CONVS2 + CONVS3 + CONVS4 + CONVS5 + CONVS6 + CONVS7 + CONVS8 + CONVS9 + CONVS10])
    assert len(ids) == len(set(ids))


def test_the_routing_probes_are_all_dev():
    assert len(PROBE) == 80 and {q["split"] for q in PROBE} == {"dev"}
    assert sum(q["expected_behaviour"] == "refuse_or_redirect" for q in PROBE) == 45
    assert len(PROBE2) == 70 and {q["split"] for q in PROBE2} == {"dev"}
    assert sum(q["expected_behaviour"] == "refuse_or_redirect" for q in PROBE2) == 40


def test_every_document_and_every_speaker_is_covered(corpus):
    rows = [r for r in SINGLES + TURNS if r["expected_behaviour"] == "answer"]
    assert {s for r in rows for s in r["gold_sources"]} == {d.id for d in corpus.available}
    blocks = [(b.speaker, normalise(b.text)) for d in corpus.available for b in parse_blocks(d.text, d.speaker)]
    quoted = set()
    for r in rows:
        for q in r["gold_quotes"]:
            nq = normalise(q)
            quoted |= {s for s, t in blocks if occurs(nq, t) or occurs(nq[:40].rsplit(" ", 1)[0], t)}
    speaking = {s for s, _ in blocks}
    assert speaking <= quoted, f"speakers no question quotes: {sorted(speaking - quoted)}"


@pytest.mark.parametrize("name", ["singles.jsonl", "conversations.jsonl", "questions.jsonl", "routing-probe.jsonl",
                                  "singles2.jsonl", "conversations2.jsonl", "routing-probe2.jsonl",
                                  "singles3.jsonl", "conversations3.jsonl", "routing-probe3.jsonl",
                                  "singles4.jsonl", "conversations4.jsonl", "singles5.jsonl", "conversations5.jsonl",
                                  "singles6.jsonl", "conversations6.jsonl", "singles7.jsonl", "conversations7.jsonl",
                                  "singles8.jsonl", "conversations8.jsonl", "singles9.jsonl", "conversations9.jsonl",
                                  "singles10.jsonl", "conversations10.jsonl"])
def test_every_row_is_evaluated_without_warnings(corpus, name):
    es = read_eval_file(ROOT / "evals" / name, corpus, ROOT.parent / "shared" / "seeds")
    assert es.skipped == [] and es.warnings == []
    assert len(es.singles) + len(es.conversations) == len((ROOT / "evals" / name).read_text(encoding="utf-8").splitlines())
