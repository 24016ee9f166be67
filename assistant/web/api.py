"""The plain JSON HTTP API, served beside the Gradio page on the same port.

    POST /api/ask         {"question": "...", "history": [...], "kinds": [...], "doc_id": "..."}
                          -> the `hcb ask --json` object (+ "filters", "contested", "one_side")
    GET  /api/documents   -> every document: id, title, publisher, date, kind, url, status, date_note, held
    GET  /api/openapi.json

Errors are `{"error": "one line that says what to fix"}` with a 4xx status (400 malformed, 413 too large)
or 503 when the document store is unreachable. `BodyLimit` caps every request body of the whole app
(Gradio's routes too) before anything reads it.
"""

from __future__ import annotations

import json

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, create_model

from .limits import RequestError, failure
from .service import Service

DRAIN_LIMIT = 64_000_000     # an over-long body is read and dropped up to this, so the client can read the 413
ASK_FIELDS = ("question", "history", "kinds", "doc_id")


class AskBody(BaseModel):
    """A question, optionally with the conversation so far and filters."""

    question: str = Field(description="the question, up to HCB_MAX_QUESTION_CHARS (1,000) characters")
    history: list[str | dict] = Field(default=[], description="earlier turns, oldest first: questions (text) or earlier "
                                      "answers as returned by this endpoint; at most HCB_MAX_HISTORY (20) items")
    kinds: list[str] = Field(default=[], description="only these kinds of source: government, parliament, "
                             "local_government, nhs, sector_body, news, campaign")
    doc_id: str = Field(default="", description="only this document (an id from GET /api/documents), or \"\"")


class Citation(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    title: str
    publisher: str
    date: str
    kind: str
    section: str
    speaker: str
    speaker_id: str
    speaker_kind: str
    url: str
    page: int | None
    quote: str = Field(description="the cited sentence, verbatim")
    passage: str = Field(description="the whole cited passage")


class StatementOut(BaseModel):
    role: str = Field(description="answer | context | side | list_item")
    n: int
    quote: str
    speaker: str
    speaker_id: str
    speaker_label: str
    speaker_kind: str
    doc_id: str
    answer_span: list[int] | None = Field(description="[start, end) of the answering phrase inside quote")
    is_item: bool


class AskResult(BaseModel):
    question: str
    behaviour: str = Field(description="answer | abstain | refuse_or_redirect")
    answer: str = Field(description="the plain-text rendering")
    statements: list[StatementOut]
    citations: list[Citation]
    reason: str
    detail: str
    notes: list[str]
    sides: list[str]
    retrieval_query: str
    resolved_as: str = Field(description="new, or the kind of follow-up the turn was resolved as; empty when nothing was retrieved")
    timings_ms: dict[str, float]
    filters: dict
    contested: bool
    one_side: bool


# a document as `Service.documents_record` gives it: the manifest's text fields, and whether its text is held
DocumentOut = create_model("DocumentOut", held=(bool, ...), **{name: (str, ...) for name in (
    "id", "title", "publisher", "date", "kind", "url", "status", "date_note")})


class ErrorOut(BaseModel):
    error: str


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` gets 413 and one line, before any route reads it."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    def _message(self) -> bytes:
        return json.dumps({"error": f"The request body is over the limit of {self.max_bytes:,} bytes: send a shorter "
                                    "question or fewer history items."}).encode()

    async def _refuse(self, receive, send, drain: bool) -> None:
        got = 0
        while drain and got < DRAIN_LIMIT:
            msg = await receive()
            if msg["type"] != "http.request":
                break
            got += len(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        body = self._message()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await self._refuse(receive, send, drain=True)
        buffered, total = [], 0
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            while True:   # read the whole (bounded) body first: an endless chunked upload is cut off at the limit
                msg = await receive()
                if msg["type"] != "http.request":
                    buffered.append(msg)
                    break
                total += len(msg.get("body", b""))
                buffered.append(msg)
                if total > self.max_bytes:
                    return await self._refuse(receive, send, drain=bool(msg.get("more_body")))
                if not msg.get("more_body"):
                    break

        async def replay():
            return buffered.pop(0) if buffered else await receive()

        return await self.app(scope, replay if scope.get("method") in ("POST", "PUT", "PATCH") else receive, send)


def parse_body(raw: bytes) -> dict:
    try:
        body = json.loads(raw.decode("utf-8"))     # JSON on the wire is UTF-8 (RFC 8259)
    except UnicodeDecodeError:
        raise RequestError("the body is not UTF-8 text: send JSON encoded as UTF-8") from None
    except ValueError as e:
        raise RequestError(f"the body is not valid JSON ({e.msg} at character {e.pos}): send "
                           '{"question": "...", "history": [], "kinds": [], "doc_id": ""}') from None
    if not isinstance(body, dict):
        raise RequestError('the body must be a JSON object such as {"question": "..."}')
    unknown = [k for k in body if k not in ASK_FIELDS]
    if unknown:
        raise RequestError(f"unknown field {str(unknown[0])[:40]!r}: send only {', '.join(ASK_FIELDS)}")
    return body


def build_api(service: Service) -> FastAPI:
    """A FastAPI app with the JSON routes; the Gradio page is mounted on it (see app.serve)."""
    app = FastAPI(title="NHS reform documents: JSON API", version="1", openapi_url="/api/openapi.json",
                  docs_url=None, redoc_url=None,
                  description="Cited, attributed answers from a fixed set of documents about England's 2021–22 NHS "
                              "reforms. Errors are {\"error\": \"…\"} with a 4xx status, or 503 when the document store "
                              "is not reachable.")
    app.add_middleware(BodyLimit, max_bytes=service.limits.max_body_bytes)
    slots = anyio.CapacityLimiter(service.settings.web.concurrency)
    errors = {400: {"model": ErrorOut, "description": "malformed or invalid request"},
              413: {"model": ErrorOut, "description": "a request part is over its limit"},
              503: {"model": ErrorOut, "description": "the document store is not reachable; try again shortly"}}

    @app.post("/api/ask", response_model=AskResult, responses=errors, summary="Answer a question from the documents",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": AskBody.model_json_schema()}}}})
    async def ask(request: Request):
        try:
            req = service.check(**parse_body(await request.body()))
            ans = await anyio.to_thread.run_sync(service.ask, req, limiter=slots)
        except Exception as e:  # every failure becomes one line; unexpected ones are logged with their traceback
            return error(*failure(e, "POST /api/ask"))
        return JSONResponse(service.result(ans, req))

    @app.get("/api/documents", response_model=list[DocumentOut], summary="Every document the answers come from")
    async def documents():
        return JSONResponse(service.documents_record())

    return app
