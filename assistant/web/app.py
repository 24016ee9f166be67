"""The public web chat (Gradio 6) and the JSON API, served together on one port.

    svc = Service(open_assistant(settings), settings)
    serve(build_app(svc), svc, settings)          # uvicorn on settings.web.host:port

The conversation is kept on the server (`gr.State`: the `Answer` objects and what each turn offered),
so feedback and suggested follow-ups act on what the server gave, not on what a client claims, and the
next answer reads the last `HCB_MAX_HISTORY` answers, not re-parsed text. The page streams only the
answer being written (`#current`); a finished exchange moves, in the browser, to `#history`, so no
update ever re-sends the conversation. All page text is built and escaped in view/sources/front.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import gradio as gr
import uvicorn

from ..feedback.store import RATINGS, Feedback, FeedbackStore, db_path
from .api import build_api
from .conversation import Scope, Turn, history_for
from .export import conversation_md
from .front import EXAMPLES, TITLE, example_label, header_html
from .limits import RequestError, failure, sentence
from .markup import KIND_LABELS
from .service import Service
from .sources import EMPTY, sources_panel
from .suggest import suggest
from .view import EMPTY_CHAT, feedback_html, pending_html, status_html, turn_html, units

STATIC = Path(__file__).resolve().parent / "static"
STREAM_PAUSE = 0.08          # seconds between streamed statements: visibly incremental, still quick
MAX_TURNS = 500              # exchanges of one chat the server keeps (for feedback on them): its state stays bounded
# Outside Gradio's scoped CSS: the page frame's side padding (too wide for a 375 px phone), its overflow,
# and the citation script (static/web.js), delegated on the document so it serves every exchange.
HEAD = ("<style>@media (max-width: 767px) { .gradio-container .main.app { padding-left: 8px; padding-right: 8px; } }"
        ".gradio-container { overflow: visible !important; overflow-x: clip !important; }"   # hidden stops sticky
        "</style><script>" + (STATIC / "web.js").read_text(encoding="utf-8") + "</script>")
# A finished exchange leaves #current for #history (in the browser), where it stays.
CURRENT_JS = """
const settle = () => {
  const list = document.getElementById('history-list');
  if (!list) return;
  for (const a of element.querySelectorAll('article.turn')) {
    const ans = a.querySelector('.answer');
    if (ans && ans.getAttribute('aria-busy') === 'false') list.appendChild(a);
  }
};
new MutationObserver(settle).observe(element, {childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy']});
settle();
"""
# Feedback and follow-up buttons of finished exchanges: the server looks the turn up in its own state.
HISTORY_JS = """
element.addEventListener('click', (e) => {
  const rate = e.target.closest('button.rate');
  if (rate && element.contains(rate)) {
    const n = Number(rate.dataset.turn);
    const box = document.getElementById('fb-comment-' + n);
    trigger('click', {action: 'rate', turn: n, rate: rate.dataset.rate, comment: box ? box.value : ''});
    return;
  }
  const s = e.target.closest('button.suggest');
  if (s && element.contains(s) && !document.querySelector('#current article.turn')) {
    trigger('click', {action: 'suggest', turn: Number(s.dataset.turn), k: Number(s.dataset.k)});
  }
});
"""
# The server's word that feedback was saved replaces that exchange's feedback buttons.
ACK_JS = """
const apply = () => {
  const ack = element.querySelector('.ack[data-turn]');
  if (!ack) return;
  const slot = document.querySelector(`#history-list .feedback-slot[data-turn="${ack.dataset.turn}"]`);
  if (slot) slot.innerHTML = ack.innerHTML;
};
new MutationObserver(apply).observe(element, {childList: true, subtree: true, characterData: true, attributes: true});
"""
CLEAR_JS = "() => { const l = document.getElementById('history-list'); if (l) l.replaceChildren(); return []; }"
DOWNLOAD_JS = """(md) => {
  if (!md) return [];
  const url = URL.createObjectURL(new Blob([md], {type: 'text/markdown;charset=utf-8'}));
  const a = Object.assign(document.createElement('a'), {href: url, download: 'nhs-reform-conversation.md'});
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
  return [];
}"""


def event_field(evt: gr.EventData, name: str, default):
    """A value the page's script sent with `trigger(...)` (the client's word: validate it)."""
    try:
        return getattr(evt, name)
    except (AttributeError, TypeError):
        return default


def whole_number(value) -> int:
    try:
        return int(value) if not isinstance(value, bool) else 0
    except (TypeError, ValueError):
        return 0


def build_app(svc: Service, store: FeedbackStore | None = None) -> gr.Blocks:
    """The Blocks app over one service; feedback goes to `store` (default: under settings.data_dir)."""
    settings = svc.settings
    store = store or FeedbackStore(db_path(settings.data_dir))
    build_id = (svc.assistant.index.manifest or {}).get("build_id", "")
    run_settings = {"top_k": settings.retrieval.top_k, "candidates": settings.retrieval.candidates,
                    "rrf_k": settings.retrieval.rrf_k, "embedder": settings.embedder, "index_build": build_id}
    held = [d for d in svc.documents if d.text]
    SKIP = gr.skip

    def render(turn: Turn, upto: int | None = None) -> str:
        return turn_html(turn, svc.docs, svc.speaker_labels, upto)

    def answer(question: str, scope: Scope, turns: list[Turn], conv, restore: str | None):
        """Stream one exchange into #current. Yields (current, sources, status, question, turns, conv)."""
        turns = list(turns or [])[-MAX_TURNS:]
        conv = conv or uuid.uuid4().hex
        n = (turns[-1].n if turns else 0) + 1
        previous = sources_panel(turns[-1].n, turns[-1].answer) if turns else EMPTY
        yield (pending_html(n, question), f'<p class="sources-empty">Finding the passages for answer {n}…</p>',
               status_html("Searching the documents…"), "" if restore is not None else SKIP(), SKIP(), conv)
        try:
            ans = svc.assistant.ask(question, history=history_for(turns, settings.web.max_history),
                                    filters=scope.filters())
        except Exception as e:  # the store went away, or a bug: say so, keep the question and the conversation
            _, message = failure(e, "answering in the chat")
            yield "", previous, status_html(message, "error"), restore if restore is not None else SKIP(), SKIP(), conv
            return
        turn = Turn(n, ans, scope, suggest(ans, svc.speakers, svc.outline, scope))
        for i in range(1, units(ans)):
            yield render(turn, i), SKIP(), SKIP(), SKIP(), SKIP(), SKIP()
            time.sleep(STREAM_PAUSE)
        done = (f"Answer {n}: nothing in the documents answers it." if ans.behaviour == "abstain" else
                f"Answer {n} is ready, with {len(ans.citations)} sources." if ans.citations else f"Answer {n} is ready.")
        yield render(turn), sources_panel(n, ans), status_html(done), SKIP(), turns + [turn], conv

    def respond(question, turns, conv, kinds, doc_id):
        try:
            req = svc.check(question, None, kinds, doc_id)
        except RequestError as e:
            yield SKIP(), SKIP(), status_html(sentence(str(e)), "error"), SKIP(), SKIP(), SKIP(), SKIP()
            return
        for out in answer(req.question, Scope(req.kinds, req.doc_id), turns, conv, restore=question):
            yield *out, SKIP()

    def rate(turns: list[Turn], conv, evt: gr.EventData):
        n = whole_number(event_field(evt, "turn", 0))
        rating = event_field(evt, "rate", None)
        turns = list(turns or [])
        index = {t.n: i for i, t in enumerate(turns)}
        if n not in index or rating not in RATINGS:
            return status_html("That feedback could not be matched to an answer; please try again.", "error"), SKIP(), SKIP()
        t = turns[index[n]]
        comment = event_field(evt, "comment", "")
        comment = comment if isinstance(comment, str) else ""
        try:
            comment.encode("utf-8")
        except UnicodeEncodeError:
            comment = comment.encode("utf-8", "replace").decode("utf-8")
        a = t.answer
        store.add(Feedback(rating=rating, question=a.question, answer=a.text, behaviour=str(a.behaviour),
                           citations=[c.to_dict() for c in a.citations], comment=comment, conversation=conv or "",
                           turn=n, settings={**run_settings, "filters": t.scope.record(),
                                             "retrieval_query": a.retrieval_query}))
        turns[index[n]] = Turn(t.n, t.answer, t.scope, t.suggestions, rating)
        ack = f'<div class="ack" data-turn="{n}" data-nonce="{uuid.uuid4().hex[:8]}">{feedback_html(turns[index[n]])}</div>'
        return status_html(f"Thank you — your feedback on answer {n} was saved."), turns, ack

    def on_history(turns, conv, evt: gr.EventData):
        """A click in a finished exchange: feedback, or a suggested follow-up (looked up server-side)."""
        action = event_field(evt, "action", "")
        if action == "rate":
            status, new_turns, ack = rate(turns, conv, evt)
            yield SKIP(), SKIP(), status, SKIP(), new_turns, SKIP(), ack
            return
        n, k = whole_number(event_field(evt, "turn", 0)), whole_number(event_field(evt, "k", -1))
        t = next((t for t in turns or [] if t.n == n), None)
        if action != "suggest" or t is None or not 0 <= k < len(t.suggestions):
            yield SKIP(), SKIP(), status_html("That suggestion is no longer available; please ask it yourself.", "error"), \
                SKIP(), SKIP(), SKIP(), SKIP()
            return
        s = t.suggestions[k]
        for out in answer(s.question, s.scope, turns, conv, restore=None):
            yield *out, SKIP()

    def new_conversation():
        return "", EMPTY, status_html("Started a new conversation."), "", [], None

    def export(turns):
        return conversation_md(list(turns or []), svc.docs, svc.speaker_labels)

    def ask_api(question: str, kinds: list[str] | None = None, doc_id: str = "",
                history: list[str | dict] | None = None) -> dict:
        """Answer a question from the documents, with citations as structured data (as `hcb ask --json`).

        kinds: restrict to these kinds of source (government, parliament, local_government, nhs, sector_body, news, campaign).
        doc_id: restrict to one document (an id from /documents). history: earlier turns, oldest first (questions or
        earlier results).
        """
        try:
            req = svc.check(question, history, kinds, doc_id)
            return svc.result(svc.ask(req), req)
        except Exception as e:  # one line for the client, whatever went wrong
            _, message = failure(e, "/ask")
            raise gr.Error(message, print_exception=False) from None   # a refused request is not a fault

    def documents_api() -> list[dict]:
        """Every document in the corpus: id (for /ask's doc_id), title, publisher, date, kind, url, status."""
        return svc.documents_record()

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        turns_state = gr.State([])
        conv_state = gr.State(None)
        gr.HTML(header_html(svc.documents), elem_id="site-header")
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=3, min_width=300, elem_id="chat-col"):
                gr.HTML('<h2 class="panel-title" id="chat-heading">Conversation</h2>' + EMPTY_CHAT,
                        elem_id="chat-heading-block")
                # the examples show while the conversation is empty (web.css hides them once it is not)
                gr.HTML('<h3 class="examples-title" id="examples-heading">Try a date, a comparison or a follow-up</h3>',
                        elem_id="examples-heading-block")
                with gr.Column(elem_id="examples"):
                    ex_buttons = [(gr.Button(example_label(*ex), size="sm", variant="secondary", elem_classes=["example"]),
                                   ex) for ex in EXAMPLES]
                with gr.Column(elem_id="transcript"):
                    history = gr.HTML('<div id="history-list"></div>', elem_id="history", js_on_load=HISTORY_JS)
                    current = gr.HTML("", elem_id="current", js_on_load=CURRENT_JS)
                status = gr.HTML(status_html(), elem_id="status")
                question = gr.Textbox(label="Your question", placeholder="Ask anything on the White Paper, the Bill, ICSs…",
                                      lines=1, max_lines=6, elem_id="question", autofocus=False,
                                      info=f"Press Enter to ask. Up to {settings.max_question_chars:,} characters.")
                with gr.Row(elem_id="ask-row"):
                    ask_btn = gr.Button("Ask", variant="primary", elem_id="ask", scale=0, min_width=100)
                    new_btn = gr.Button("New conversation", variant="secondary", elem_id="new-conversation", scale=0,
                                        min_width=180)
                    export_btn = gr.Button("Download as Markdown", variant="secondary", elem_id="export", scale=0,
                                           min_width=210)
                with gr.Accordion("Filters: choose which documents to search", open=False, elem_id="filters"):
                    kinds = gr.CheckboxGroup(choices=[(v, k) for k, v in KIND_LABELS.items()], value=[],
                                             label="Only these kinds of source", info="Tick none to search every kind.",
                                             elem_id="filter-kinds")
                    doc = gr.Dropdown(choices=[("All documents", "")] + [(d.title, d.id) for d in held], value="",
                                      label="Only this document", elem_id="filter-doc", filterable=False)
            with gr.Column(scale=2, min_width=300, elem_id="sources-col"):
                gr.HTML('<h2 class="panel-title" id="sources-heading">Sources</h2>', elem_id="sources-heading-block")
                sources = gr.HTML(EMPTY, elem_id="sources")
        ack = gr.HTML("", elem_id="fb-ack", js_on_load=ACK_JS)
        export_text = gr.Textbox(visible=False, elem_id="export-text")

        outputs = [current, sources, status, question, turns_state, conv_state, ack]
        io = dict(inputs=[question, turns_state, conv_state, kinds, doc], outputs=outputs, show_progress="hidden",
                  api_visibility="private")
        question.submit(respond, **io)
        ask_btn.click(respond, **io)
        for b, (_, first, then) in ex_buttons:
            ev = b.click(lambda q=first: q, None, [question], api_visibility="private", show_progress="hidden",
                         queue=False).then(respond, **io)
            if then:
                ev.then(lambda q=then: q, None, [question], api_visibility="private", show_progress="hidden",
                        queue=False).then(respond, **io)
        history.click(on_history, [turns_state, conv_state], outputs, api_visibility="private", show_progress="hidden")
        new_btn.click(new_conversation, None, outputs[:6], js=CLEAR_JS, api_visibility="private", show_progress="hidden")
        export_btn.click(export, [turns_state], [export_text], api_visibility="private", show_progress="hidden").then(
            None, [export_text], None, js=DOWNLOAD_JS, api_visibility="private")
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


def asgi_app(demo: gr.Blocks, svc: Service):
    """The JSON API with the Gradio page mounted on it: one ASGI app, one port."""
    settings = svc.settings
    demo.queue(default_concurrency_limit=settings.web.concurrency, max_size=200)
    return gr.mount_gradio_app(build_api(svc), demo, path="", server_name=settings.web.host,
                               server_port=settings.web.port, footer_links=["api"], run_history=False,
                               show_error=False, max_file_size="1kb", ssr_mode=False, theme=theme(),
                               css_paths=[STATIC / "web.css"], head=HEAD,
                               root_path=os.environ.get("GRADIO_ROOT_PATH") or None)


def serve(demo: gr.Blocks, svc: Service) -> None:
    """Serve page and API on settings.web.host:port until interrupted (no share link, no SSR)."""
    settings = svc.settings
    uvicorn.run(asgi_app(demo, svc), host=settings.web.host, port=settings.web.port, log_level="warning",
                timeout_graceful_shutdown=5)
