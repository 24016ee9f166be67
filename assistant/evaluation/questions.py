"""Reading question sets (JSONL, the format in evals/README.md): strictly to validate, leniently to evaluate.

`load_questions` (`hcb eval validate`) reports every problem with its line number and returns only
valid rows (a conversation's turns each checked as a row, `id.turn`). `read_eval_file` (`hcb eval run`) evaluates whatever it can: single questions and
conversations (rows with `turns`), extra fields kept, missing optional fields filled in, unknown
types kept; only rows without a question are skipped, each with its line number. Gold quotes may
come from the original pages (`../shared/seeds/`): they are matched after removing the curated
corpus's markup, and a warning names only quotes found nowhere.

    es = read_eval_file(Path("evals/conversations.jsonl"), corpus)
    len(es.conversations), [p.line for p in es.skipped]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
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
            out.append(f"{f} must be a JSON array of strings")
    if "notes" in q and not isinstance(q["notes"], str):
        out.append("notes must be a string")
    return out


def read_text(path: Path) -> str:
    """A question file's text, or an EvalFileError that says what to do."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise EvalFileError(f"no question file at {path}: check the path") from None
    except UnicodeDecodeError:
        raise EvalFileError(f"{path} is not UTF-8 text: save it as UTF-8 JSONL") from None


def json_rows(raw: str):
    """(line number, a JSON object or the Problem that line has) for each non-blank line.

    >>> [(n, r if isinstance(r, dict) else r.message) for n, r in json_rows('{"a": 1}\\n\\n[2]\\n{')][:2]
    [(1, {'a': 1}), (3, 'not a JSON object')]
    """
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            yield n, Problem(n, f"not valid JSON ({e.msg} at column {e.colno})")
            continue
        yield n, q if isinstance(q, dict) else Problem(n, "not a JSON object")


def load_questions(path: Path, corpus=None) -> tuple[list[dict], list[Problem]]:
    """Valid rows and every problem found, with line numbers; never raises on a bad row.

    `corpus` (a Corpus, or its text as one string) enables the checks that gold
    quotes occur in the corpus and in the documents named by gold_sources.
    Rows marked `"retired": true` are skipped without a problem.
    """
    raw = read_text(path)
    ci = _CorpusIndex(corpus) if corpus is not None else None
    rows, problems, seen = [], [], {}
    for n, q in json_rows(raw):
        if isinstance(q, Problem):
            problems.append(q)
            continue
        if q.get("retired") is True:
            continue
        if isinstance(q.get("turns"), list):   # a conversation: each turn is checked as a row of its own
            cid = q.get("id") if isinstance(q.get("id"), str) and q.get("id") else f"line {n}"
            for k, t in enumerate(q["turns"]):
                turn = {"id": f"{cid}.{k}", **t} if isinstance(t, dict) else {}
                found = row_problems(turn) if turn else ["must be a JSON object"]
                if not found and ci is not None:
                    found = ci.problems(turn)
                problems.extend(Problem(n, f"turn {k}: {m}") for m in found)
                if not found:
                    rows.append(turn)
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


# ---------------------------------------------------------------- lenient reading for `hcb eval run`

MARKUP = re.compile(r"^\s*(?:<!--.*?-->|#{1,6}\s+)", re.M)   # speaker/page markers, heading hashes


def strip_markup(text: str) -> str:
    r"""Corpus Markdown as the original page reads: markers dropped, heading hashes removed.

    >>> strip_markup("### LGA view\n\n<!-- speaker: lga -->\n\nWe support the creation")
    'LGA view\n\n\nWe support the creation'
    """
    return MARKUP.sub("", text)


@dataclass
class EvalSet:
    """What `hcb eval run` evaluates from one file."""

    singles: list[dict] = field(default_factory=list)
    conversations: list[dict] = field(default_factory=list)   # {"id", "split", "turns": [row, ...], ...}
    skipped: list[Problem] = field(default_factory=list)       # rows without a question
    warnings: list[Problem] = field(default_factory=list)      # evaluated anyway


def _fill(q: dict, where: str, default_id: str, warn) -> dict:
    """A row with every field the scorer reads, filled in where missing or malformed (with a warning)."""
    row = dict(q)
    row["question"] = q["question"].strip()
    if not isinstance(q.get("id"), str) or not q["id"].strip():
        row["id"] = default_id
    t = q.get("type")
    row["type"] = t if isinstance(t, str) and t else "unknown"
    if row["type"] not in TYPES:
        warn(f"{where}unknown type {row['type']!r}: evaluated as given")
    b = q.get("expected_behaviour")
    if b not in BEHAVIOURS:
        row["expected_behaviour"] = BEHAVIOUR_OF_TYPE.get(row["type"], "answer")
        warn(f"{where}expected_behaviour {b!r} is missing or unknown: using {row['expected_behaviour']!r} from the type")
    for f in ("gold_sources", "gold_quotes", "answer_facts"):
        v = q.get(f, [])
        if not _is_str_list(v):
            warn(f"{where}{f} is not a JSON array of strings: ignored")
            v = []
        row[f] = v
    row.setdefault("split", "all")
    return row


def read_eval_file(path: Path, corpus=None, seeds_dir: Path | None = None) -> EvalSet:
    """Every row that has a question, ready to evaluate; see the module docstring."""
    raw = read_text(path)
    texts = []
    if corpus is not None:
        texts = [normalise(strip_markup(d.text)) for d in corpus.available]
    if seeds_dir is not None and Path(seeds_dir).is_dir():
        texts += [normalise(p.read_text(encoding="utf-8")) for p in sorted(Path(seeds_dir).glob("*.txt"))]
    out = EvalSet()
    seen: set[str] = set()
    for n, q in json_rows(raw):
        if isinstance(q, Problem):
            out.skipped.append(q)
            continue
        if q.get("retired") is True:
            continue
        warn = lambda m, n=n: out.warnings.append(Problem(n, m))  # noqa: E731
        if isinstance(q.get("turns"), list):
            turns = [t for t in q["turns"] if isinstance(t, dict) and isinstance(t.get("question"), str) and t["question"].strip()]
            if not turns:
                out.skipped.append(Problem(n, "a conversation without any question: skipped"))
                continue
            if len(turns) < len(q["turns"]):
                warn(f"{len(q['turns']) - len(turns)} turn(s) without a question left out")
            cid = q["id"] if isinstance(q.get("id"), str) and q["id"].strip() else f"line{n}"
            conv = {**q, "id": cid, "split": q.get("split", "all"),
                    "turns": [_fill({**t, "split": q.get("split", "all")}, f"turn {k}: ", f"{cid}.{k}", warn)
                              for k, t in enumerate(turns)]}
            rows = conv["turns"]
            out.conversations.append(conv)
        elif isinstance(q.get("question"), str) and q["question"].strip():
            rows = [_fill(q, "", f"line{n}", warn)]
            out.singles.append(rows[0])
        else:
            out.skipped.append(Problem(n, "no question: skipped"))
            continue
        key = rows[0]["id"] if len(rows) == 1 and "turns" not in q else conv["id"]
        if key in seen:
            warn(f"duplicate id {key!r}: evaluated, but results with this id are ambiguous")
        seen.add(key)
        for r in rows:
            for g in r["gold_quotes"] if texts else ():
                ng = normalise(g)
                if not any(occurs(ng, t) for t in texts):
                    warn(f"gold quote found nowhere, neither in the corpus nor in the original pages: {g[:70]!r}")
    return out
