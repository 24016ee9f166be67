"""Reading and validating a question set (JSONL, the format in evals/README.md).

Validation never stops at the first bad row: every problem is reported with its
line number, and the valid rows are returned so the evaluation can go on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import EvalFileError
from ..types import BEHAVIOURS
from .metrics import normalise, occurs

TYPES = ("factoid", "list", "numeric", "date", "attribution", "comparison", "unanswerable", "adversarial")
FIELDS = ("id", "question", "type", "gold_sources", "gold_quotes", "answer_facts", "expected_behaviour")
BEHAVIOUR_OF_TYPE = {"unanswerable": "abstain", "adversarial": "refuse_or_redirect"}   # every other type: answer


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def to_dict(self) -> dict:
        return {"line": self.line, "message": self.message}


class _CorpusIndex:
    """Normalised document texts and the names a gold source may use (document id or seed file name)."""

    def __init__(self, corpus):
        if isinstance(corpus, str):          # bare text: only the "quote is in the corpus" check applies
            self.texts, self.names, self.unfetched = {"corpus": normalise(corpus)}, None, set()
            return
        self.texts = {d.id: normalise(d.text) for d in corpus.available}
        self.unfetched = {d.id for d in corpus.documents if not d.text}
        self.names: dict[str, set[str]] = {}
        for d in corpus.documents:
            self.names.setdefault(d.id, set()).add(d.id)
            if d.origin:
                self.names.setdefault(d.origin, set()).add(d.id)

    def problems(self, q: dict) -> list[str]:
        out, allowed = [], set()
        for s in q["gold_sources"]:
            if self.names is None:
                continue
            if s not in self.names:
                known = ", ".join(sorted(n for n in self.names if "." not in n))
                out.append(f"unknown gold source {s!r} (use a document id: {known}; or a seed file name from the manifest)")
            elif self.names[s] <= self.unfetched:
                out.append(f"gold source {s!r} has no text in the corpus (not fetched)")
            allowed |= self.names.get(s, set())
        for g in q["gold_quotes"]:
            ng = normalise(g)
            where = [d for d, t in self.texts.items() if occurs(ng, t)]
            if not where:
                out.append(f"gold quote not found in the corpus (whole words, after normalising): {g[:70]!r}")
            elif self.names is not None and allowed and not set(where) & allowed:
                out.append(f"gold quote {g[:50]!r} is in {', '.join(where)}, not in its gold_sources")
        return out


def _is_str_list(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def row_problems(q: dict) -> list[str]:
    """Everything wrong with one parsed row's fields (not its quotes: those need the corpus)."""
    missing = [f for f in FIELDS if f not in q]
    if missing:
        return [f"missing field(s): {', '.join(missing)}"]
    out = []
    if not isinstance(q["id"], str) or not q["id"].strip():
        out.append("id must be a non-empty string")
    if not isinstance(q["question"], str) or not q["question"].strip():
        out.append("question must be a non-empty string")
    if q["type"] not in TYPES:
        out.append(f"unknown type {q['type']!r} (use one of {', '.join(TYPES)})")
    if q["expected_behaviour"] not in BEHAVIOURS:
        out.append(f"unknown expected_behaviour {q['expected_behaviour']!r} (use one of {', '.join(BEHAVIOURS)})")
    elif q["type"] in TYPES and BEHAVIOUR_OF_TYPE.get(q["type"], "answer") != q["expected_behaviour"]:
        out.append(f"type {q['type']!r} expects behaviour {BEHAVIOUR_OF_TYPE.get(q['type'], 'answer')!r}, "
                   f"not {q['expected_behaviour']!r}")
    for f in ("gold_sources", "gold_quotes", "answer_facts"):
        if not _is_str_list(q[f]):
            out.append(f"{f} must be a list of strings")
    if "notes" in q and not isinstance(q["notes"], str):
        out.append("notes must be a string")
    return out


def load_questions(path: Path, corpus=None) -> tuple[list[dict], list[Problem]]:
    """Valid rows and every problem found, with line numbers; never raises on a bad row.

    `corpus` (a Corpus, or its text as one string) enables the checks that gold
    quotes occur in the corpus and in the documents named by gold_sources.
    Rows marked `"retired": true` are skipped without a problem.
    """
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise EvalFileError(f"no question file at {path}: check the path") from None
    except UnicodeDecodeError:
        raise EvalFileError(f"{path} is not UTF-8 text: save it as UTF-8 JSONL") from None
    ci = _CorpusIndex(corpus) if corpus is not None else None
    rows, problems, seen = [], [], {}
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(Problem(n, f"not valid JSON ({e.msg} at column {e.colno})"))
            continue
        if not isinstance(q, dict):
            problems.append(Problem(n, "not a JSON object"))
            continue
        if q.get("retired") is True:
            continue
        found = row_problems(q)
        if not found and q["id"] in seen:
            found.append(f"duplicate id {q['id']!r} (first on line {seen[q['id']]})")
        if not found and ci is not None:
            found = ci.problems(q)
        if found:
            problems.extend(Problem(n, m) for m in found)
            continue
        seen[q["id"]] = n
        rows.append(q)
    return rows, problems


def skipped_rows(problems: list[Problem]) -> int:
    return len({p.line for p in problems})
