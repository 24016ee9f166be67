#!/usr/bin/env python3
"""Check a blind question file. usage: python3 check.py FILE.jsonl [--conversations]
Prints every problem with its line number, then counts. Exit 1 if any problem."""
import json, re, sys, unicodedata, collections
from pathlib import Path

SEEDS = Path("/work/shared/seeds")
CORPUS = Path("/work/main/corpus")
TYPES = {"factoid": "answer", "list": "answer", "numeric": "answer", "date": "answer",
         "attribution": "answer", "comparison": "answer", "unanswerable": "abstain",
         "adversarial": "refuse_or_redirect"}
DOCS = {"petition", "govt-response", "debate-notices", "bill-summary", "lga-briefing",
        "pulse-petition", "campaign-blog"}
PARTIES = {"Government", "LGA", "petitioners", "Care England", "Simon Stevens", "Your NHS Needs You",
           "think tanks", "Parliament", "Patricia Hewitt", "The Lowdown", "Pulse", "White Paper",
           "commenters", "campaign blog"}

def norm(s):
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip().lower()

TEXT = {}
for f in SEEDS.glob("*.txt"):
    TEXT[f.name] = norm(f.read_text(encoding="utf-8"))
for f in CORPUS.glob("*.md"):
    if f.name != "README.md":
        TEXT[f.stem] = norm(f.read_text(encoding="utf-8"))
ALL = " \n ".join(TEXT.values())

def check_q(q, where, probs):
    for k in ("id", "question", "type", "gold_sources", "gold_quotes", "answer_facts", "expected_behaviour"):
        if k not in q:
            probs.append(f"{where}: missing field {k}")
            return
    if q["type"] not in TYPES:
        probs.append(f"{where}: unknown type {q['type']}")
    elif TYPES[q["type"]] != q["expected_behaviour"]:
        probs.append(f"{where}: type {q['type']} needs expected_behaviour {TYPES[q['type']]}")
    for d in q["gold_sources"]:
        if d not in DOCS:
            probs.append(f"{where}: unknown gold source {d}")
    if q["expected_behaviour"] == "answer":
        if not q["gold_quotes"] or not q["answer_facts"] or not q["gold_sources"]:
            probs.append(f"{where}: answerable question needs gold_sources, gold_quotes and answer_facts")
    else:
        if q["gold_quotes"] or q["answer_facts"] or q["gold_sources"]:
            probs.append(f"{where}: {q['type']} must have empty gold_sources/gold_quotes/answer_facts")
    for gq in q["gold_quotes"]:
        if norm(gq) not in ALL:
            probs.append(f"{where}: gold quote not found verbatim in seeds/corpus: {gq[:70]!r}")
    nq = " ".join(norm(x) for x in q["gold_quotes"])
    facts = q["answer_facts"]
    if q["type"] == "attribution" and facts:
        if facts[0] not in PARTIES:
            probs.append(f"{where}: attribution's first fact must be one of {sorted(PARTIES)}")
        facts = facts[1:]
    for fa in facts:
        if norm(fa) not in nq:
            probs.append(f"{where}: answer fact {fa!r} not in its gold quotes")
    if q["type"] == "comparison" and len(q["gold_quotes"]) < 2:
        probs.append(f"{where}: comparison needs >= 2 gold quotes")

def main():
    path = sys.argv[1]
    conv = "--conversations" in sys.argv
    probs, ids = [], set()
    types, beh, docs, groups = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    nturns = 0
    for ln, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = json.loads(line)
        except ValueError as e:
            probs.append(f"{path}:{ln}: bad JSON: {e}")
            continue
        if o.get("id") in ids:
            probs.append(f"{path}:{ln}: duplicate id {o.get('id')}")
        ids.add(o.get("id"))
        if conv:
            turns = o.get("turns") or []
            if not (2 <= len(turns) <= 5):
                probs.append(f"{path}:{ln}: a conversation needs 2-5 turns")
            for k, t in enumerate(turns):
                t = dict(t, id=f"{o.get('id')}.{k}")
                check_q(t, f"{path}:{ln} turn {k}", probs)
                types[t.get("type")] += 1; beh[t.get("expected_behaviour")] += 1; nturns += 1
                for d in t.get("gold_sources", []): docs[d] += 1
        else:
            check_q(o, f"{path}:{ln}", probs)
            types[o.get("type")] += 1; beh[o.get("expected_behaviour")] += 1
            for d in o.get("gold_sources", []): docs[d] += 1
            if o.get("group"): groups[o["group"]] += 1
    for g, n in groups.items():
        if n < 3:
            probs.append(f"{path}: paraphrase group {g} has only {n} wordings (needs >= 3)")
    print("\n".join(probs) or "no problems")
    print(f"items: {len(ids)}" + (f", turns: {nturns}" if conv else ""))
    print("types:", dict(types)); print("behaviour:", dict(beh)); print("documents:", dict(docs))
    if not conv: print("paraphrase groups:", len(groups))
    sys.exit(1 if probs else 0)

main()
