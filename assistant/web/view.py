"""One exchange of the chat as HTML, built from the structured `Answer` (its statements), never from `text`.

Layout of an answer: the answer's speaker block first, in larger type — the answering phrase (date,
figure, name) of its answering statement in bold — then the other voices, one block per speaker, each
headed once by the speaker with a kind badge and the document's date. A one-line marker says when the
question is contested ("Contested: 2 sides found") or only one side was found. Every `[n]` opens its
passage in place. Abstentions and refusals are labelled as such. Pure functions; all text escaped.
"""

from __future__ import annotations


from ..types import NOT_COVERED_TEXT, Answer, Behaviour, Note, Role, Statement, speaker_blocks
from .conversation import Scope, Turn
from .markup import badge, cap, esc, kind_label, message_html, time_tag
from .sources import cite_button, cite_panel, sources_here

# Drawn, not emoji: a machine without an emoji font would show empty boxes.
_THUMB = ('<svg class="thumb" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="18" height="18"{t}>'
          '<path fill="currentColor" d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.5-1.1L13.2 1 '
          '6.6 7.6A2 2 0 0 0 6 9v10a2 2 0 0 0 2 2h9a2 2 0 0 0 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"/></svg>')
THUMB_UP = _THUMB.format(t="")
THUMB_DOWN = _THUMB.format(t=' style="transform: rotate(180deg)"')
BEHAVIOUR_NOTES = {   # shown after "Answer n" so a non-answer is never mistaken for one
    Behaviour.ABSTAIN: "not found in the documents",
    Behaviour.REFUSE: "declined",
}
SUMMARY_OF_OTHER_TEXT = "Some of these words are another source's summary, not the asked-for speaker's own."
EMPTY_CHAT = ('<div class="empty-chat"><p>Every sentence of an answer is quoted verbatim from a document. '
              'Select a number such as <span class="cite-chip">[1]</span> to show the quoted passage in place, who said it '
              'and when.</p></div>')


# ---- statements

def quote_html(s: Statement) -> str:
    """The verbatim sentence in quotation marks, its answering phrase in bold."""
    q = s.citation.quote
    span = s.answer_span
    if span and 0 <= span[0] < span[1] <= len(q):
        a, b = span
        inner = f'{esc(q[:a])}<strong class="answer-phrase">{esc(q[a:b])}</strong>{esc(q[b:])}'
    else:
        inner = esc(q)
    return f'<q class="quote">{inner}</q>'


def statement_html(turn: int, s: Statement, tag: str = "p") -> str:
    """The quote and its [n] marker, then (hidden) its passage; `tag` is "div" inside a list item."""
    cls = "unit stmt" + (" answer-stmt" if s.role == Role.ANSWER else "") + f" role-{esc(s.role)}"
    return (f'<{tag} class="{cls}">{quote_html(s)} {cite_button(turn, s.citation)}</{tag}>'
            + cite_panel(turn, s.citation))


def block_html(turn: int, i: int, block: list[Statement]) -> str:
    sp = block[0].speaker
    dates = list(dict.fromkeys(s.citation.document.date for s in block))
    when = ", ".join(time_tag(d) for d in dates)
    head_id = f"b-{turn}-{i}"
    body, items = [], []

    def flush():
        if items:
            body.append('<ul class="items">' + "".join(f"<li>{x}</li>" for x in items) + "</ul>")
            items.clear()

    for s in block:
        if s.is_item:
            items.append(statement_html(turn, s, "div"))
        else:
            flush()
            body.append(statement_html(turn, s))
    flush()
    kind = "lead" if i == 1 else "side"
    # a plain group under its heading, not a landmark: one speaker may have two blocks with the same name
    return (f'<div class="voice {kind}">'
            f'<h3 class="block-head" id="{head_id}"><span class="speaker">{esc(cap(sp.label))}</span> '
            f'<span class="sr-only">kind of speaker:</span>{badge(sp.kind)} <span class="when">{when}</span></h3>'
            f'{"".join(body)}</div>')


def sides_marker(answer: Answer) -> str:
    """The one-line contested / one-side marker, from the answer stage's notes."""
    kinds = ", ".join(kind_label(k) for k in answer.sides)
    if Note.CONTESTED in answer.notes:
        return (f'<p class="sides-note contested" role="note"><strong>Contested: {len(answer.sides)} sides found</strong>'
                f' — {esc(kinds)}.</p>')
    if Note.ONE_SIDE in answer.notes:
        return (f'<p class="sides-note one-side" role="note"><strong>Only one side found</strong> — every passage quoted '
                f'comes from {esc(kinds or "one kind of")} sources; the documents may not give another side\'s view on '
                f'this point.</p>')
    return ""


def other_summary_note(answer: Answer) -> str:
    if Note.SUMMARY_OF_OTHER not in answer.notes:
        return ""
    return f'<p class="note summary-of-other" role="note">{esc(SUMMARY_OF_OTHER_TEXT)}</p>'


def abstention_html(answer: Answer, docs: dict) -> str:
    items = []
    for h in answer.hits[:3]:
        d = docs.get(h.chunk.doc_id)
        if d is None:
            continue
        snippet = " ".join(h.chunk.text.split()[:30])
        items.append(f'<li><cite>{esc(d.title)}</cite> ({esc(d.publisher)}, {time_tag(d.date)}): '
                     f'<q>{esc(snippet)}…</q></li>')
    closest = ('<p>These are the closest passages I found — they are <strong>not an answer</strong> to your question:</p>'
               f'<ul class="closest">{"".join(items)}</ul>') if items else ""
    return f'<p class="unit">{esc(NOT_COVERED_TEXT)}</p>{closest}'


def body_html(turn: Turn, docs: dict, upto: int | None = None) -> str:
    a = turn.answer
    if a.behaviour == Behaviour.ABSTAIN:
        return abstention_html(a, docs)
    if not a.statements:        # a refusal, or the documents held: the assistant's own message
        return f'<div class="unit message">{message_html(a.text)}</div>'
    shown = a.statements if upto is None else a.statements[:upto]
    return "".join(block_html(turn.n, i, b) for i, b in enumerate(speaker_blocks(shown), 1))


def units(answer: Answer) -> int:
    """How many pieces an answer streams in: its statements (or one message)."""
    return len(answer.statements) or 1


# ---- the rest of an exchange

def scope_line(scope: Scope, doc_titles: dict[str, str], speaker_labels: dict[str, str]) -> str:
    parts = []
    if scope.kinds:
        parts.append("only " + ", ".join(kind_label(k) for k in scope.kinds) + " sources")
    if scope.doc_id:
        parts.append("only “" + doc_titles.get(scope.doc_id, scope.doc_id) + "”")
    if scope.speakers:
        parts.append("only " + ", ".join(speaker_labels.get(s, s) for s in scope.speakers))
    return f'<p class="filters-used">Searched {esc("; ".join(parts))}.</p>' if parts else ""


def followups_html(turn: Turn) -> str:
    if not turn.suggestions:
        return ""
    items = "".join(f'<li><button type="button" class="suggest" data-turn="{turn.n}" data-k="{k}">{esc(s.label)}</button></li>'
                    for k, s in enumerate(turn.suggestions))
    return (f'<nav class="followups" aria-label="Suggested follow-ups for answer {turn.n}">'
            f'<p class="fu-title">Follow up, from the documents:</p><ul>{items}</ul></nav>')


def feedback_html(turn: Turn) -> str:
    n = turn.n
    if turn.feedback:
        word = "helpful" if turn.feedback == "up" else "not helpful"
        return (f'<div class="feedback-slot" data-turn="{n}"><p class="feedback-done" role="status">'
                f'Thank you — your feedback ({word}) was saved.</p></div>')
    return (f'<div class="feedback-slot" data-turn="{n}"><div class="feedback" role="group" aria-label="Feedback on answer {n}">'
            f'<label for="fb-comment-{n}">Comment on answer {n} (optional)</label>'
            f'<textarea id="fb-comment-{n}" rows="1" maxlength="1000"></textarea>'
            f'<div class="feedback-buttons">'
            f'<button type="button" class="rate" data-turn="{n}" data-rate="up">{THUMB_UP} Helpful</button>'
            f'<button type="button" class="rate" data-turn="{n}" data-rate="down">{THUMB_DOWN} Not helpful</button>'
            f'</div></div></div>')


def question_html(n: int, question: str) -> str:
    return (f'<div class="question"><span class="who">You asked</span>'
            f'<p id="q-{n}" class="q-text">{esc(question)}</p></div>')


def pending_html(n: int, question: str) -> str:
    """The exchange while the documents are searched."""
    return (f'<article class="turn pending" id="ans-{n}" aria-labelledby="q-{n}">{question_html(n, question)}'
            f'<div class="answer" aria-busy="true"><p class="who">Answer {n}</p>'
            f'<p class="searching">Searching the documents…</p></div></article>')


def turn_html(turn: Turn, docs: dict, speaker_labels: dict[str, str], upto: int | None = None) -> str:
    """One exchange: the question as asked, then the answer (partial while streaming)."""
    a, n = turn.answer, turn.n
    done = upto is None or upto >= units(a)
    note = BEHAVIOUR_NOTES.get(a.behaviour, "")
    titles = {k: d.title for k, d in docs.items()}
    return (f'<article class="turn {esc(a.behaviour)}" id="ans-{n}" aria-labelledby="q-{n}">{question_html(n, a.question)}'
            f'<div class="answer" aria-busy="{"false" if done else "true"}"><p class="who">Answer {n}'
            + (f' — <span class="behaviour-note">{esc(note)}</span>' if note else "") + '</p>'
            + sides_marker(a) + body_html(turn, docs, None if done else upto)
            + (other_summary_note(a) if done else "")
            + scope_line(turn.scope, titles, speaker_labels)
            + (followups_html(turn) + feedback_html(turn) + sources_here(n, a) if done else "")
            + "</div></article>")


def status_html(message: str = "", kind: str = "info") -> str:
    """A polite live region for friendly messages (empty question, too long, saved feedback, store down)."""
    cls = "status-msg " + ("error" if kind == "error" else "info")
    return f'<div class="{cls}" role="status" aria-live="polite">{esc(message)}</div>'
