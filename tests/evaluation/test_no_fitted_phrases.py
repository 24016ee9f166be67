"""A check against fitting: no string literal or regular expression in assistant/ may contain a phrase of
three or more words that occurs in an evaluation question but nowhere in the corpus — such a rule was
written for one question's wording. Genuinely general phrases are allowed in
evals/leakcheck_allowlist.toml, each with a one-line reason.

The algorithm is the one of ../shared/tools/leakcheck.py (word 3-grams, stop-word-only grams ignored,
string literals found per line), so the two agree; this copy keeps CI independent of that folder.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWLIST = ROOT / "evals" / "leakcheck_allowlist.toml"
N = 3
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
STOP = set("""the a an of to in on and or is are was were be been by for with that this it its as at from what which
who whom whose how when why did do does done i me my you your we our they them their he she his her can could should
would will shall may might must tell say said about there here now so not no yes""".split())
LITERAL = re.compile(r"""(?:r|f|rf|fr)?("[^"\n]*"|'[^'\n]*')""")
REGEX_SYNTAX = re.compile(r"\\[a-zA-Z]|[\\()|?:*+\[\]{}^$.]")


def grams(text: str) -> set[str]:
    ws = WORD.findall(text.lower())
    return {" ".join(ws[i:i + N]) for i in range(len(ws) - N + 1)}


def question_texts(repo: Path):
    for f in sorted((repo / "evals").glob("**/*.jsonl")):
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if not isinstance(o, dict):
                continue
            qid = str(o.get("id", "?"))
            if isinstance(o.get("question"), str):
                yield qid, o["question"]
            for k, t in enumerate(o.get("turns") or []):
                if isinstance(t, dict) and isinstance(t.get("question"), str):
                    yield f"{qid}.{k}", t["question"]


def fitted_phrases(repo: Path) -> list[tuple[str, int, str, list[str]]]:
    """(file, line, phrase, question ids) for every suspicious phrase in the code's string literals."""
    corpus: set[str] = set()
    for f in (repo / "corpus").glob("**/*"):
        if f.is_file() and f.suffix in (".md", ".txt", ".toml"):
            corpus |= grams(f.read_text(encoding="utf-8", errors="replace"))
    asked: dict[str, set[str]] = {}
    for qid, q in question_texts(repo):
        for g in grams(q):
            if g not in corpus and not all(w in STOP for w in g.split()):
                asked.setdefault(g, set()).add(qid)
    hits = []
    for f in sorted((repo / "assistant").glob("**/*.toml")):   # rules kept as data: their patterns and terms
        for ln, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            key = line.split("=", 1)[0].strip()
            if line.lstrip().startswith("#") or (key in ("examples", "counter_examples", "where", "name")):
                continue
            if in_examples(f, ln):
                continue
            text = " ".join(REGEX_SYNTAX.sub(" ", s) for s in LITERAL.findall(line))
            for g in sorted(grams(text)):
                if g in asked:
                    hits.append((str(f.relative_to(repo)), ln, g, sorted(asked[g])[:4]))
    for f in sorted((repo / "assistant").glob("**/*.py")):
        for ln, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            text = " ".join(REGEX_SYNTAX.sub(" ", s) for s in LITERAL.findall(line))
            for g in sorted(grams(text)):
                if g in asked:
                    hits.append((str(f.relative_to(repo)), ln, g, sorted(asked[g])[:4]))
    return hits


def in_examples(f: Path, ln: int) -> bool:
    """Is line `ln` of a TOML file inside an `examples` / `counter_examples` array (test data, not a rule)?"""
    key = ""
    for line in f.read_text(encoding="utf-8").splitlines()[:ln]:
        if "=" in line and not line.startswith(" "):
            key = line.split("=", 1)[0].strip()
    return key in ("examples", "counter_examples")


def allowed() -> dict[str, str]:
    entries = tomllib.loads(ALLOWLIST.read_text(encoding="utf-8")).get("allow", [])
    return {e["phrase"]: e["reason"] for e in entries}


def test_the_check_finds_a_phrase_copied_from_a_question(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "doc.md").write_text("Integrated care boards will commission services.", encoding="utf-8")
    (tmp_path / "evals").mkdir()
    (tmp_path / "evals" / "q.jsonl").write_text(
        json.dumps({"id": "x1", "question": "who is in charge of the new ICB bosses?"}) + "\n"
        + json.dumps({"id": "c1", "turns": [{"question": "and the scrapped quangos?"}]}) + "\n", encoding="utf-8")
    (tmp_path / "assistant").mkdir()
    (tmp_path / "assistant" / "rules.py").write_text(
        'ASKS = re.compile(r"\\bnew icb bosses\\b")\n'
        '# "new icb bosses" in a comment is fine\n'
        'OTHER = "the scrapped quangos"\n'
        'FINE = "will commission services"\n', encoding="utf-8")
    hits = fitted_phrases(tmp_path)
    assert [(f, ln, g) for f, ln, g, _ in hits] == [
        ("assistant/rules.py", 1, "new icb bosses"), ("assistant/rules.py", 3, "the scrapped quangos")]


def test_every_allowlist_entry_has_a_reason():
    for phrase, reason in allowed().items():
        assert len(phrase.split()) >= N and reason.strip(), phrase


def test_no_rule_contains_a_phrase_of_an_evaluation_question():
    ok = allowed()
    found = [h for h in fitted_phrases(ROOT) if h[2] not in ok]
    assert not found, "phrases in the code's string literals that occur in evaluation questions but not in the corpus " \
                      "(a rule written for one wording; make it general, or allowlist it with a reason):\n" + \
                      "\n".join(f"{f}:{ln}  {g!r}  (questions: {', '.join(ids)})" for f, ln, g, ids in found)
