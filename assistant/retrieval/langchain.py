"""LangChain adapters: the hybrid retriever as a `BaseRetriever`, so it plugs into any chain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from ..types import Filters


def hit_to_document(hit, assistant) -> LCDocument:
    c = hit.chunk
    doc = assistant.corpus.doc(c.doc_id)
    return LCDocument(
        page_content=c.text,
        id=c.id,
        metadata={
            "chunk_id": c.id, "doc_id": c.doc_id, "title": doc.title, "publisher": doc.publisher,
            "date": doc.date, "kind": doc.kind, "url": doc.url, "section": c.section,
            "speaker": c.speaker, "speaker_name": assistant.corpus.speakers[c.speaker].name,
            "page": c.page, "start": c.start, "end": c.end, "score": hit.score, "rank": hit.rank,
        },
    )


class HcbRetriever(BaseRetriever):
    """Hybrid (dense + BM25, RRF) retrieval over the hcb index.

    retriever = HcbRetriever(assistant=open_assistant(settings), k=5)
    docs = retriever.invoke("Who allocates Integrated Care Boards' money?")   # LangChain Documents
    """

    assistant: Any
    k: int = 5
    filters: Filters = Filters()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [hit_to_document(h, self.assistant) for h in self.assistant.search(query, k=self.k, filters=self.filters)]
