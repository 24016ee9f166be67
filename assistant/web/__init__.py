"""The web chat and the JSON API (consumers of the public API), served together on one port.

    app.py           the Gradio page (chat, sources, follow-ups, feedback, export), Gradio's /ask, and `serve`
    api.py           the plain JSON API: POST /api/ask, GET /api/documents, /api/openapi.json; the body limit
    service.py       what both share: check a request, ask, the JSON result
    limits.py        every request part checked before any work; failures as one line (store down → 503)
    conversation.py  a chat's server-side record: Turn, Scope, Suggestion, the history window
    view.py          one exchange as escaped HTML, from the answer's statements
    sources.py       the in-place citation panels and the Sources cards (one per passage)
    front.py         the first screen: scope line, documents, examples
    suggest.py       follow-ups made from the corpus (another side, the next section)
    export.py        the conversation as Markdown
    markup.py        shared escaping helpers
"""
