"""The public web chat (Gradio 6): streamed, cited answers; sources; filters; feedback; the /ask API.

    demo = build_app(open_assistant(settings), settings)
    launch(demo, settings)

All page text goes through `html_view` (escaped there). Per-session state lives on the
server (`gr.State`), so feedback stores the answer the server gave, not what a client claims.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import gradio as gr

from .. import Assistant, Settings, check_question
from ..errors import HcbError, QuestionError
from ..feedback.store import RATINGS, Feedback, FeedbackStore, db_path
from ..types import Filters
from .view import (KIND_LABELS, about_html, contested, sources_html, status_html, transcript_html, units,
                        viewpoint_notice)

STATIC = Path(__file__).resolve().parent / "static"
STREAM_PAUSE = 0.08          # seconds between streamed sentences: visibly incremental, still quick
TITLE = "NHS reform documents: cited answers"
EXAMPLES = (   # chosen to show attribution (who said it) and comparison (sides next to each other)
    "Compare the Government's and the petitioners' views on pausing the White Paper.",
    "What do the LGA and the campaigners say about integrated care systems?",
    "What did Sir Simon Stevens say about the Bill?",
    "What are Care England's five areas?",
    "How many signatures did the petition to scrap ICSs get?",
    "Do the LGA and the Government agree on the role of councils in integrated care systems?",
)
# The corpus's one dating caveat, from the debate-notices entry in corpus/manifest.toml.
DATE_CAVEAT = "one of the two Parliament debate notices does not state its year and is most likely from October 2023"
INTRO = ("Answers are quoted word for word from a fixed set of documents about England's 2021–22 NHS reforms. "
         "Each sentence says who said it and links to its source: select a number such as [1] to see the passage, "
         "the speaker, the document and its date.")
# Outside Gradio's scoped CSS: the page frame's side padding, too wide for a 375 px phone.
HEAD = "<style>@media (max-width: 640px) { .gradio-container .main.app { padding-left: 8px; padding-right: 8px; } }</style>"
# Delegated clicks on the feedback buttons inside the transcript (its HTML is rebuilt on every update).
FEEDBACK_JS = """
element.addEventListener('click', (e) => {
  const b = e.target.closest('button.rate');
  if (!b || !element.contains(b)) return;
  const n = b.dataset.turn;
  const box = element.querySelector('#fb-comment-' + n);
  trigger('click', {turn: Number(n), rate: b.dataset.rate, comment: box ? box.value : ''});
});
"""


def friendly(err: Exception) -> str:
    msg = str(err)
    return msg[:1].upper() + msg[1:] + ("" if msg.endswith(".") else ".")


def event_field(evt: gr.EventData, name: str, default):
    """A value the page's script sent with `trigger(...)` (the client's word: validate it)."""
    try:
        return getattr(evt, name)
    except (AttributeError, TypeError):
        return default


def turn_record(n: int, ans, filters: dict) -> dict:
    """What the page remembers of one exchange (JSON-able; kept server-side in gr.State)."""
    return {"n": n, "question": ans.question, "behaviour": ans.behaviour, "text": ans.text,
            "citations": [{**c.to_dict(), "speaker_label": c.speaker.label} for c in ans.citations],
            "notes": list(ans.notes),
            "retrieval_query": ans.retrieval_query, "filters": filters, "feedback": None,
            "answer": ans.to_dict()}


def to_filters(kinds, doc_id) -> Filters:
    return Filters(kinds=tuple(kinds or ()), doc_ids=(doc_id,) if doc_id else ())


def api_result(ans, filters: dict) -> dict:
    """The /ask endpoint's answer: `hcb ask --json` plus what the page shows about viewpoints."""
    rec = turn_record(1, ans, filters)
    out = ans.to_dict()
    out.update({"notes": list(ans.notes), "contested": contested(rec), "one_side": bool(viewpoint_notice(rec)),
                "retrieval_query": ans.retrieval_query, "filters": filters})
    return out


def build_app(assistant: Assistant, settings: Settings, store: FeedbackStore | None = None) -> gr.Blocks:
    """The Blocks app over one loaded assistant; feedback goes to `store` (default: under settings.data_dir)."""
    store = store or FeedbackStore(db_path(settings.data_dir))
    docs = list(assistant.corpus.documents)
    held = [d for d in docs if d.text]
    titles = {d.id: d.title for d in docs}
    date_range = (min(d.date for d in held), max(d.date for d in held))
    build_id = (assistant.index.manifest or {}).get("build_id", "")
    run_settings = {"top_k": settings.retrieval.top_k, "candidates": settings.retrieval.candidates, "rrf_k": settings.retrieval.rrf_k,
                    "embedder": settings.embedder, "index_build": build_id}

    def page(turns, live=None, upto=None):
        return transcript_html(turns, titles, live, upto)

    def respond(question, turns, conv, kinds, doc_id):
        turns = list(turns or [])
        try:
            q = check_question(question, settings.max_question_chars)
        except QuestionError as e:
            yield page(turns), gr.skip(), status_html(friendly(e), "error"), gr.skip(), turns, conv
            return
        conv = conv or uuid.uuid4().hex
        filters = {"kinds": list(kinds or []), "doc_id": doc_id or ""}
        live = {"n": len(turns) + 1, "question": q, "behaviour": "pending", "filters": filters}
        yield page(turns, live), gr.skip(), status_html("Searching the documents…"), "", turns, conv
        history = [t.get("answer") or t["question"] for t in turns]   # the earlier Answers, oldest first
        try:
            ans = assistant.ask(q, history=history, filters=to_filters(kinds, doc_id))
        except HcbError as e:   # e.g. the Chroma server went away: say so, keep the conversation
            yield page(turns), gr.skip(), status_html(friendly(e), "error"), q, turns, conv
            return
        live = turn_record(len(turns) + 1, ans, filters)
        for i in range(1, len(units(live["text"]))):
            yield page(turns, live, i), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            time.sleep(STREAM_PAUSE)
        turns = turns + [live]
        done = {"answer": f"Answer {live['n']} is ready, with {len(live['citations'])} sources.",
                "abstain": f"Answer {live['n']}: the documents don't cover this.",
                }.get(ans.behaviour, f"Answer {live['n']} is ready.")
        yield page(turns), sources_html(turns), status_html(done), gr.skip(), turns, conv

    def feedback(turns, conv, evt: gr.EventData):
        turns = list(turns or [])
        try:
            n = int(event_field(evt, "turn", 0))
        except (TypeError, ValueError):
            n = 0
        rating = event_field(evt, "rate", None)
        if not (1 <= n <= len(turns)) or rating not in RATINGS:
            return gr.skip(), status_html("That feedback could not be matched to an answer; please try again.", "error"), gr.skip()
        t = turns[n - 1]
        comment = event_field(evt, "comment", "")
        comment = comment if isinstance(comment, str) else ""
        store.add(Feedback(rating=rating, question=t["question"], answer=t["text"], behaviour=t["behaviour"],
                           citations=t["citations"], comment=comment, conversation=conv or "", turn=n,
                           settings={**run_settings, "filters": t["filters"], "retrieval_query": t.get("retrieval_query", "")}))
        turns[n - 1] = {**t, "feedback": rating}
        return page(turns), status_html(f"Thank you — your feedback on answer {n} was saved."), turns

    def documents_api() -> list[dict]:
        """Every document in the corpus: id (for /ask's doc_id), title, publisher, date, kind, url, status."""
        return [{"id": d.id, "title": d.title, "publisher": d.publisher, "date": d.date, "kind": d.kind, "url": d.url,
                 "status": d.status, "date_note": d.date_note} for d in docs]

    def new_conversation():
        return page([]), sources_html([]), status_html("Started a new conversation."), "", [], None

    def ask_api(question: str, kinds: list[str] | None = None, doc_id: str = "", history: list[str] | None = None) -> dict:
        """Answer a question from the documents, with citations as structured data.

        kinds: restrict to these kinds of source (government, parliament, local_government, nhs, sector_body, news, campaign).
        doc_id: restrict to one document (an id from /documents). history: earlier questions of the conversation, oldest first.
        """
        bad = [k for k in kinds or [] if k not in KIND_LABELS]
        if bad:
            raise gr.Error(f"unknown kind {bad[0]!r}: use one of {', '.join(KIND_LABELS)}")
        if doc_id and doc_id not in titles:
            raise gr.Error(f"unknown document {doc_id!r}: use one of {', '.join(titles)}")
        try:
            ans = assistant.ask(question, history=[h for h in history or [] if isinstance(h, (str, dict))],
                                filters=to_filters(kinds, doc_id))
        except QuestionError as e:
            raise gr.Error(friendly(e)) from None
        return api_result(ans, {"kinds": list(kinds or []), "doc_id": doc_id or ""})

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        turns_state = gr.State([])
        conv_state = gr.State(None)
        gr.HTML(f'<header class="site-header"><h1>{TITLE}</h1><p>{INTRO}</p></header>', elem_id="site-header")
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=3, min_width=300, elem_id="chat-col"):
                gr.HTML('<h2 class="panel-title" id="chat-heading">Conversation</h2>', elem_id="chat-heading-block")
                transcript = gr.HTML(page([]), elem_id="transcript", js_on_load=FEEDBACK_JS)
                status = gr.HTML(status_html(), elem_id="status")
                question = gr.Textbox(label="Your question", placeholder="Ask about the White Paper, the Bill, ICSs…",
                                      lines=1, max_lines=6, elem_id="question", autofocus=False,
                                      info=f"Press Enter to ask. Up to {settings.max_question_chars:,} characters.")
                with gr.Row(elem_id="ask-row"):
                    ask_btn = gr.Button("Ask", variant="primary", elem_id="ask", scale=0, min_width=120)
                    new_btn = gr.Button("New conversation", variant="secondary", elem_id="new-conversation", scale=0, min_width=180)
                gr.HTML('<h2 class="panel-title" id="examples-heading">Example questions</h2>', elem_id="examples-heading-block")
                with gr.Column(elem_id="examples"):
                    ex_buttons = [gr.Button(q, size="sm", variant="secondary", elem_classes=["example"]) for q in EXAMPLES]
                with gr.Accordion("Filters: choose which documents to search", open=True, elem_id="filters"):
                    kinds = gr.CheckboxGroup(choices=[(v, k) for k, v in KIND_LABELS.items()], value=[],
                                             label="Only these kinds of source", info="Tick none to search every kind.",
                                             elem_id="filter-kinds")
                    doc = gr.Dropdown(choices=[("All documents", "")] + [(d.title, d.id) for d in held], value="",
                                      label="Only this document", elem_id="filter-doc", filterable=False)
            with gr.Column(scale=2, min_width=300, elem_id="sources-col"):
                gr.HTML('<h2 class="panel-title" id="sources-heading">Sources</h2>', elem_id="sources-heading-block")
                sources = gr.HTML(sources_html([]), elem_id="sources")
                with gr.Accordion("About these documents", open=False, elem_id="about"):
                    gr.HTML(about_html(docs, date_range, DATE_CAVEAT), elem_id="about-body")

        io = dict(inputs=[question, turns_state, conv_state, kinds, doc],
                  outputs=[transcript, sources, status, question, turns_state, conv_state],
                  show_progress="hidden", api_visibility="private")
        question.submit(respond, **io)
        ask_btn.click(respond, **io)
        for b in ex_buttons:
            b.click(lambda q: q, inputs=[b], outputs=[question], api_visibility="private", show_progress="hidden",
                    queue=False).then(respond, **io)
        new_btn.click(new_conversation, None, [transcript, sources, status, question, turns_state, conv_state],
                      api_visibility="private", show_progress="hidden")
        transcript.click(feedback, [turns_state, conv_state], [transcript, status, turns_state],
                         api_visibility="private", show_progress="hidden")
        gr.api(ask_api, api_name="ask")
        gr.api(documents_api, api_name="documents")
    return demo


def theme():
    # Gradio's bundled Source Sans Pro SemiBold (600) holds only the glyphs " AB", so any 600-weight
    # text showed a stray "A"; declaring 400 and 700 only makes every bold run use the full Bold face.
    font = [gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)), "ui-sans-serif", "system-ui", "sans-serif"]
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=font).set(
        button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white", button_primary_text_color_hover="white",
        body_text_color_subdued="*neutral_600", block_info_text_color="*neutral_600")


def launch(demo: gr.Blocks, settings: Settings, **kwargs):
    """Serve on settings.web.host:settings.web.port with a deliberate concurrency limit; no share link, no SSR."""
    demo.queue(default_concurrency_limit=settings.web.concurrency, max_size=200)
    return demo.launch(server_name=settings.web.host, server_port=settings.web.port, share=False, ssr_mode=False,
                       show_error=False, theme=theme(), css_paths=[STATIC / "web.css"], head=HEAD, footer_links=["api"],
                       run_history=False, max_file_size="1kb", **kwargs)
