"""hcb-assistant: cited, attributed answers about England's 2021–22 NHS reforms from a fixed set of documents.

The curated public API. The CLI, the web app and the evaluation use only what is here
and the typed records of `assistant.types`:

    from assistant import open_assistant, Settings, Filters

    a = open_assistant(Settings.from_env())
    ans = a.ask("Who allocates Integrated Care Boards' money?")
    follow = a.ask("and the LGA?", history=[ans])          # earlier answers, oldest first
    hits = a.search("duty to collaborate", k=5, filters=Filters(speakers=("lga",)))

Operators: `build_index` / `index_status` (the index), `fetch_documents` / `add_document` /
`remove_document` / `list_documents` (the corpus). Errors: `assistant.errors` (all subclass `HcbError`).
"""

from . import errors
from .assistant import Assistant, check_question, open_assistant
from .corpus.chunking import chunk_corpus
from .corpus.manifest import Corpus, load_corpus
from .errors import HcbError
from .index.build import BuildReport, Status
from .index.build import build as build_index
from .index.build import status as index_status
from .index.embed import make_embedder, set_offline_env
from .ingest.operations import ChangeReport, DocumentRow, add_document, fetch_documents, list_documents, remove_document
from .retrieval.filters import check_filters
from .settings import Settings
from .types import (Answer, Behaviour, Chunk, Citation, Document, Filters, FollowUp, Hit, Note, Reason, Role, RouteKind,
                    Speaker, Statement)

__all__ = [
    # answering
    "open_assistant", "Assistant", "check_question", "check_filters", "Settings", "Filters",
    # records and enums
    "Answer", "Statement", "Citation", "Hit", "Chunk", "Document", "Speaker", "Behaviour", "Role", "Reason", "RouteKind",
    "Note", "FollowUp",
    # operators: index and corpus
    "build_index", "index_status", "BuildReport", "Status", "load_corpus", "Corpus", "chunk_corpus", "make_embedder",
    "set_offline_env", "fetch_documents", "add_document", "remove_document", "list_documents", "ChangeReport",
    "DocumentRow",
    # errors
    "errors", "HcbError",
]
