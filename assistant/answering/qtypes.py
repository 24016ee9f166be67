"""Question types as data (`qtypes.toml`): what a question of each type looks like, and what its evidence holds.

Each type is a record with its cue (regular expressions over the question), the form an answering sentence
has (a date, a figure, a sum, a name — answering/patterns.py — or a regular expression), and examples and
counter-examples that `tests/answering/test_qtypes.py` checks. The words are general English question words.

    >>> [t.name for t in types_of("When was the reply given? How many signatories were there by then?")]
    ['date', 'number']
    >>> [t.name for t in types_of("The councillor who objected: do we know her surname?")]
    ['person']
    >>> [t.name for t in types_of("What happens when a board overspends?")]
    []
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..text import any_of
from .patterns import DATE_RX, FIGURE_RX, MONEY_RX, NAME_RX, YEAR_RX, PersonNames

DATA = Path(__file__).with_name("qtypes.toml")
FORMS = {"DATE": DATE_RX, "FIGURE": FIGURE_RX, "MONEY": MONEY_RX, "NAME": NAME_RX, "YEAR": YEAR_RX,
         "PERSON": PersonNames()}   # without the corpus's lower-case words: every run of capitalised words


@dataclass(frozen=True)
class QuestionType:
    name: str
    cue: re.Pattern                 # the question looks like this
    evidence: object | None         # an answering sentence holds this (a pattern with `search`; None: no particular form)
    examples: tuple[str, ...]       # questions of this type
    counter_examples: tuple[str, ...]   # questions that are not


def load_table(path: Path = DATA) -> tuple[tuple[QuestionType, ...], re.Pattern]:
    """The question types and the `[embedded]` pattern, from one read of the table."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for t in raw["type"]:
        cue = any_of(t["cue"])
        evidence = FORMS[t["evidence_form"]] if "evidence_form" in t else (
            re.compile(t["evidence"], re.I) if "evidence" in t else None)
        out.append(QuestionType(t["name"], cue, evidence, tuple(t["examples"]), tuple(t["counter_examples"])))
    return tuple(out), any_of(raw["embedded"]["cue"])


TYPES, EMBEDDED = load_table()
BY_NAME = {t.name: t for t in TYPES}
# the types whose answer has a form of its own (a date, a year, a sum, a figure, a person's name), in the table's
# order: the sentence that has it answers first. "Who" is not one: its answer is as often a kind of body or a role
# ("local authorities", "the ICS chief executive") as a name, and any capitalised title passes for a name…
ANSWER_FORMS = ("date", "year", "money", "number", "person")
# …but a name in the answering sentence of a "who" question is still the phrase to mark
MARKED_FORMS = ANSWER_FORMS + ("who",)
# …and those of them the answerability scorer checks for (a name is too loose a form to decide on)
FACT_FORMS = ("date", "year", "money", "number", "person")


def evidence_forms(texts=lambda: ()) -> dict[str, object]:
    """Each type's evidence pattern, the person form reading which words `texts` (the corpus) writes in lower case:
    "Care England" is not a person's name in a corpus that says "social care".

    >>> forms = evidence_forms(lambda: ["social care"])
    >>> bool(forms["person"].search("Care England argued")), bool(forms["person"].search("led by Jo Bloggs"))
    (False, True)
    """
    person = PersonNames(texts)
    return {t.name: person if isinstance(t.evidence, PersonNames) else t.evidence for t in TYPES}


EVIDENCE = evidence_forms()


def types_of(question: str) -> tuple[QuestionType, ...]:
    """Every type whose cue the question shows, in the table's order; the narrower form wins (a sum is a
    figure, a year is a date)."""
    question = EMBEDDED.sub(" ", question)     # "which body sets how many…" asks which body, not how many
    found = [t for t in TYPES if t.cue.search(question)]
    for narrow, wide in (("money", "number"), ("year", "date"), ("person", "who")):
        if any(t.name == narrow for t in found):
            found = [t for t in found if t.name != wide]
    return tuple(found)
