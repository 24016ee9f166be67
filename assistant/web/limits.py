"""What a web request may carry, checked before any work, and what a failure tells the person.

Every entry point (the chat, Gradio's `/ask`, `POST /api/ask`) passes its parts through `check_ask`,
which either returns a clean `AskRequest` or raises `RequestError` with an HTTP status and one line
that says what to fix. Nothing unbounded reaches the answer stage, so nothing unbounded comes back
(e.g. in `retrieval_query`).

    >>> lim = Limits(max_question_chars=1000, max_history=20, max_history_chars=50_000)
    >>> check_ask(lim, "Q2?", history=["Q1?"], kinds=["nhs"]).filters.kinds
    ('nhs',)
    >>> check_ask(lim, "Q?", kinds=5)
    Traceback (most recent call last):
    ...
    assistant.web.limits.RequestError: kinds must be a list, each one of (government, parliament, local_government, nhs, sector_body, news, campaign), not a number
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import httpx

from .. import check_question
from ..errors import HcbError, QuestionError, StoreUnavailableError
from ..settings import Settings
from ..types import BEHAVIOURS, KINDS, Filters, FollowUp, Reason, Role

log = logging.getLogger("hcb.web")
STORE_DOWN = "The document store is not reachable; try again shortly."
FAILED = "Something went wrong while answering; please try again. If it keeps happening, tell the site's operator."


class RequestError(ValueError):
    """A request part is missing, malformed or too large: `status` is the HTTP status, `str()` the one-line fix."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_question_chars: int = 1000
    max_history: int = 20
    max_history_chars: int = 50_000
    max_body_bytes: int = 1_000_000

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        w = settings.web
        return cls(settings.max_question_chars, w.max_history, w.max_history_chars, w.max_body_bytes)


@dataclass(frozen=True)
class AskRequest:
    question: str
    history: tuple            # plain question strings and earlier answers' `to_dict()`s, oldest first
    filters: Filters
    kinds: tuple[str, ...] = ()
    doc_id: str = ""

    def filters_record(self) -> dict:
        return {"kinds": list(self.kinds), "doc_id": self.doc_id}


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def check_text(value, what: str) -> str:
    """Text that can be stored and sent back as UTF-8: a lone surrogate (possible in JSON's \\uD800) cannot."""
    if not isinstance(value, str):
        raise RequestError(f"{what} must be text, not {_type_name(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError(f"{what} contains an invalid character (a lone UTF-16 surrogate): remove it and try again") from None
    return value


def check_question_text(limits: Limits, question) -> str:
    if question is None:
        raise RequestError("the question is missing: send {\"question\": \"...\"}")
    q = check_text(question, "the question")
    if len(q.strip()) > limits.max_question_chars:
        raise RequestError(f"the question is {len(q.strip()):,} characters; the limit is {limits.max_question_chars:,}: "
                           "shorten it", 413)
    try:
        return check_question(q, limits.max_question_chars)
    except QuestionError as e:
        raise RequestError(str(e)) from None


def check_history(limits: Limits, history) -> tuple:
    """Earlier turns, oldest first: question strings or answers' `to_dict()`s, each bounded."""
    if history is None:
        return ()
    if not isinstance(history, (list, tuple)):
        raise RequestError(f"history must be a list (earlier questions or answers), not {_type_name(history)}")
    if len(history) > limits.max_history:
        raise RequestError(f"history has {len(history):,} items; the limit is {limits.max_history}: send only the "
                           "latest turns", 413)
    out = []
    for i, item in enumerate(history, 1):
        what = f"history item {i}"
        if isinstance(item, str):
            check_text(item, what)
            if len(item) > limits.max_question_chars:
                raise RequestError(f"{what} is {len(item):,} characters; the limit is {limits.max_question_chars:,}", 413)
            out.append(item)
        elif isinstance(item, dict):
            try:
                size = len(json.dumps(item, ensure_ascii=False))
            except (TypeError, ValueError):
                raise RequestError(f"{what} is not plain JSON") from None
            if size > limits.max_history_chars:
                raise RequestError(f"{what} is {size:,} characters of JSON; the limit is {limits.max_history_chars:,}", 413)
            check_text(json.dumps(item, ensure_ascii=False), what)
            out.append(_answer_record(item, what, limits))
        else:
            raise RequestError(f"{what} must be an earlier question (text) or an earlier answer (an object), "
                               f"not {_type_name(item)}")
    return tuple(out)


def _answer_record(item: dict, what: str, limits: Limits) -> dict:
    """The parts of an earlier answer the next one reads, each checked (the rest is dropped, not trusted)."""
    for key, cap in (("question", limits.max_question_chars), ("retrieval_query", 2 * limits.max_question_chars)):
        value = item.get(key, "")
        if not isinstance(value, str):
            raise RequestError(f"{what}: {key} must be text, not {_type_name(value)}")
        if len(value) > cap:
            raise RequestError(f"{what}: {key} is {len(value):,} characters; the limit is {cap:,}", 413)
    resolved_as = _one_of(item, "resolved_as", RESOLUTIONS, what)
    behaviour = _one_of(item, "behaviour", BEHAVIOURS, what, "answer")
    reason = _one_of(item, "reason", REASONS, what)
    statements = [_fields(s, what, "statements", STATEMENT_FIELDS) for s in _objects(item, "statements", what)]
    if any(s["role"] not in ROLES for s in statements):
        raise RequestError(f"{what}: a statement's role must be one of {', '.join(ROLES)}")
    citations = [_fields(c, what, "citations", CITATION_FIELDS) for c in _objects(item, "citations", what)]
    return {"question": item.get("question", ""), "retrieval_query": item.get("retrieval_query", ""),
            "resolved_as": resolved_as, "behaviour": behaviour, "reason": reason, "statements": statements, "citations": citations}


def _one_of(item: dict, key: str, allowed: tuple[str, ...], what: str, default: str = "") -> str:
    """The item's `key`, one of `allowed` (missing: `default`); else the error naming them.

    >>> _one_of({"reason": "opinion"}, "reason", ("", "opinion"), "history item 1")
    'opinion'
    """
    value = item.get(key, default)
    if value not in allowed:
        left_out = " (or left out)" if "" in allowed else ""
        raise RequestError(f"{what}: {key} must be one of {', '.join(a for a in allowed if a)}{left_out}")
    return value


# what the answer stage reads of an earlier answer's statements and citations, with each field's type and default
STATEMENT_FIELDS = {"role": (str, "answer"), "n": (int, 0), "quote": (str, ""), "speaker_id": (str, "")}
CITATION_FIELDS = {"n": (int, 0), "chunk_id": (str, "")}
ROLES = tuple(r.value for r in Role)
RESOLUTIONS = ("",) + tuple(k.value for k in FollowUp)
REASONS = ("",) + tuple(r.value for r in Reason)


def _objects(item: dict, key: str, what: str) -> list:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise RequestError(f"{what}: {key} must be a list with an object per item, as in an answer's JSON")
    return value


def _fields(obj: dict, what: str, key: str, spec: dict) -> dict:
    out = {}
    for name, (typ, default) in spec.items():
        value = obj.get(name, default)
        if not isinstance(value, typ) or isinstance(value, bool):
            raise RequestError(f"{what}: {key}[].{name} must be {'a whole number' if typ is int else 'text'}")
        out[name] = value
    return out


def check_filter_shapes(kinds, doc_id) -> tuple[tuple[str, ...], str]:
    """The filters' JSON types (and kinds, a fixed list); which documents exist is the corpus's to say
    (`assistant.check_filters`, called by the service, as the CLI calls it)."""
    if kinds is None:
        kinds = []
    if not isinstance(kinds, (list, tuple)):
        raise RequestError(f"kinds must be a list, each one of ({', '.join(KINDS)}), not {_type_name(kinds)}")
    for k in kinds:
        if not isinstance(k, str):
            raise RequestError(f"kinds must be a list, each one of ({', '.join(KINDS)}); one item is {_type_name(k)}")
        if k not in KINDS:
            raise RequestError(f"unknown kind {k[:40]!r}: use one of {', '.join(KINDS)}")
    if doc_id is None:
        doc_id = ""
    if not isinstance(doc_id, str):
        raise RequestError(f"doc_id must be a document id (text), not {_type_name(doc_id)}")
    return tuple(dict.fromkeys(kinds)), doc_id


def check_ask(limits: Limits, question, history=None, kinds=None, doc_id="") -> AskRequest:
    """Every part of an ask request checked, cheapest first; raises RequestError with the fix.
    Which documents a `doc_id` may name is checked against the corpus by `Service.check`."""
    q = check_question_text(limits, question)
    kinds_, doc = check_filter_shapes(kinds, doc_id)
    hist = check_history(limits, history)
    return AskRequest(q, hist, Filters(kinds=kinds_, doc_ids=(doc,) if doc else ()), kinds_, doc)


def _chain(err: BaseException):
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__


def store_unreachable(err: BaseException) -> bool:
    """The Chroma server went away (refused, reset, timed out): the person should simply try again later."""
    return any(isinstance(e, (StoreUnavailableError, ConnectionError, httpx.TransportError)) for e in _chain(err))


def failure_message(err: BaseException) -> tuple[int, str]:
    """(HTTP status, one line for the person) for an error raised while answering."""
    if store_unreachable(err):
        return 503, STORE_DOWN
    if isinstance(err, RequestError):
        return err.status, sentence(str(err))
    if isinstance(err, HcbError):
        return (400 if isinstance(err, QuestionError) else 500), sentence(str(err))
    return 500, FAILED


def failure(err: BaseException, where: str) -> tuple[int, str]:
    """`failure_message`, logging the traceback of what is a fault (not a refusal, not a store outage)."""
    status, message = failure_message(err)
    if status >= 500 and status != 503:
        log.error("%s failed", where, exc_info=err)
    return status, message


def sentence(msg: str) -> str:
    """'the question is empty: type…' -> 'The question is empty: type….'"""
    msg = msg.strip()
    return msg[:1].upper() + msg[1:] + ("" if msg.endswith((".", "?", "!")) else ".")
