"""Routing rules as data (`rules.toml`). Precision first: decline only what is clearly a request for the
assistant's own opinion or voting advice, an invented quote or document, help with wrongdoing, an
instruction to change how the assistant works, or a task that has nothing to do with the documents.
Everything else is retrieved — a question that merely contains "vote", "fake", "ignore" or "from now on"
is a question.

Each rule is a record with its patterns, examples (must be declined by it) and counter-examples (must be
retrieved), checked by `tests/routing/test_rules.py`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..text import any_of
from ..types import RouteKind

DATA = Path(__file__).with_name("rules.toml")


@dataclass(frozen=True)
class Rule:
    kind: RouteKind
    name: str
    pattern: re.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    unless: re.Pattern | None = None     # the rule does not apply where this matches ("no opinions, just facts")

    def applies(self, question: str) -> bool:
        return bool(self.pattern.search(question)) and not (self.unless and self.unless.search(question))


def load_rules(path: Path = DATA) -> tuple[Rule, ...]:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(Rule(RouteKind(r["kind"]), r["name"], any_of(r["patterns"]), tuple(r["examples"]), tuple(r["counter_examples"]),
                      any_of(r["unless"]) if r.get("unless") else None)
                 for r in raw["rule"])


RULES = load_rules()
ABOUT = any_of((
    r"\bwhat (?:documents|sources|texts|papers|material)\b.{0,30}\b(?:do you|you) (?:have|hold|use|know)\b",
    r"\b(?:which|what) (?:documents|sources)\b.{0,20}\b(?:are you|do you)\b", r"\blist (?:your|the) (?:documents|sources)\b",
    r"\bwhat can you do\b", r"\bwho (?:are|made) you\b", r"^\s*what are you\b", r"\bhow do you work\b",
    r"\bwhere do your answers come from\b",
))
GREETING = re.compile(r"^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks?|thank you|cheers)\b[\s!.,]*(?:there)?[\s!.]*$", re.I)
