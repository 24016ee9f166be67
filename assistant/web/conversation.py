"""One chat's record, kept on the server (`gr.State`): the `Answer` objects themselves, never re-parsed text.

    turns = [Turn(1, first_answer, Scope())]
    assistant.ask(question, history=history_for(turns, 20))     # the last 20 answers, oldest first
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Answer, Filters


@dataclass(frozen=True)
class Scope:
    """Where a question was searched: the chat's filters, or a suggestion's (one voice, one document)."""

    kinds: tuple[str, ...] = ()
    doc_id: str = ""
    speakers: tuple[str, ...] = ()

    def filters(self) -> Filters:
        return Filters(kinds=self.kinds, speakers=self.speakers, doc_ids=(self.doc_id,) if self.doc_id else ())

    def record(self) -> dict:
        """As stored with feedback and shown by the API: {"kinds": [...], "doc_id": "..."} (+ "speakers")."""
        out = {"kinds": list(self.kinds), "doc_id": self.doc_id}
        if self.speakers:
            out["speakers"] = list(self.speakers)
        return out


@dataclass(frozen=True)
class Suggestion:
    """A follow-up made from the corpus: the question to ask and where to look."""

    label: str            # the button's text
    question: str
    scope: Scope
    why: str = ""         # "another side" | "next section"


@dataclass(frozen=True)
class Turn:
    n: int
    answer: Answer
    scope: Scope = Scope()
    suggestions: tuple[Suggestion, ...] = ()
    feedback: str | None = None


def history_for(turns: list[Turn], limit: int) -> list[Answer]:
    """What the next answer reads: the last `limit` earlier answers, oldest first (not the whole chat)."""
    return [t.answer for t in turns[-limit:]] if limit > 0 else []
