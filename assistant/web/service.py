"""What every web entry point shares: checking a request, asking, and the JSON it answers with.

    svc = Service(open_assistant(settings), settings)
    req = svc.check(question, history=[], kinds=["nhs"], doc_id="")   # RequestError if not acceptable
    svc.result(svc.ask(req), req)          # the `hcb ask --json` object plus the filters used
"""

from __future__ import annotations

from .. import Assistant, Settings, check_filters
from ..errors import FilterError
from ..types import Answer, Note
from .limits import AskRequest, Limits, RequestError, check_ask

API_NAMES = {"kinds": "kinds", "doc_ids": "doc_id"}   # a bad filter is named as the request's field
from .suggest import Outline


class Service:
    def __init__(self, assistant: Assistant, settings: Settings):
        self.assistant, self.settings = assistant, settings
        self.limits = Limits.of(settings)
        self.documents = list(assistant.corpus.documents)
        self.docs = {d.id: d for d in self.documents}
        self.speakers = dict(assistant.corpus.speakers)
        self.speaker_labels = {k: s.label for k, s in self.speakers.items()}
        self.outline = Outline.of(assistant.index.chunks)

    def check(self, question=None, history=None, kinds=None, doc_id="") -> AskRequest:
        """The request's shape and limits (web/limits.py), then its filters against the corpus, as the CLI's are."""
        req = check_ask(self.limits, question, history, kinds, doc_id)
        try:
            check_filters(req.filters, self.assistant.corpus, API_NAMES)
        except FilterError as e:
            raise RequestError(f"{e} (see GET /api/documents)") from None
        return req

    def ask(self, req: AskRequest) -> Answer:
        return self.assistant.ask(req.question, history=list(req.history), filters=req.filters)

    @staticmethod
    def result(ans: Answer, req: AskRequest) -> dict:
        """`hcb ask --json` (question, behaviour, answer, statements, citations, notes, sides, …) + the filters used."""
        out = ans.to_dict()
        out.update({"filters": req.filters_record(), "contested": Note.CONTESTED in ans.notes,
                    "one_side": Note.ONE_SIDE in ans.notes})
        return out

    def documents_record(self) -> list[dict]:
        """Every document: id (for doc_id), title, publisher, date, kind, url, status, date_note, held."""
        return [{"id": d.id, "title": d.title, "publisher": d.publisher, "date": d.date, "kind": d.kind, "url": d.url,
                 "status": d.status, "date_note": d.date_note, "held": bool(d.text)} for d in self.documents]
