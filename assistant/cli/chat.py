"""`hcb chat`: a conversation in the terminal, and the plain-text printing `hcb ask` shares with it.

Each turn is asked with the earlier answers as history, exactly as the web chat passes them.
`/new` starts over, `/quit` (or Ctrl-D) leaves.
"""

from __future__ import annotations

import typer

from .. import Answer, HcbError, Note, Settings, open_assistant

NOTE_LINES = {
    Note.CONTESTED: "Contested: the documents hold more than one side on this; each is quoted above.",
    Note.ONE_SIDE: "Only one side found: the documents quoted here give one side's view on this point.",
    Note.SUMMARY_OF_OTHER: "Some of these words are another party's summary, introduced as such.",
}


def print_answer(ans: Answer) -> None:
    typer.echo(ans.text)
    for n in ans.notes:
        if n in NOTE_LINES:
            typer.echo(f"\n({NOTE_LINES[n]})")
    if ans.citations:
        typer.echo("\nSources:")
        for c in ans.citations:
            d = c.to_dict()
            where = f", p. {d['page']}" if d["page"] else ""
            typer.echo(f"[{c.n}] {d['title']} — {d['publisher']}, {d['date']}{where}; {d['speaker']}"
                       f"{' › ' + d['section'] if d['section'] else ''}{' <' + d['url'] + '>' if d['url'] else ''}")


PAIRS_SHOWN = 10   # the pair terms ("a*b") that weigh most on this question; a model has over a hundred


def print_explain(e: dict) -> None:
    typer.echo(f"\n--- explain: resolved as {e['resolved_as'] or '—'}; types {', '.join(e['types']) or '—'}; "
               f"searched for: {e['retrieval_query']!r}")
    a = e.get("answerable") or {}
    if a:
        typer.echo(f"answerable score {a['score']} (threshold {a['threshold']}; bias {a['bias']})")
        typer.echo(f"  {'feature':28} {'value':>8} {'weight':>8} {'contrib':>8}")
        pairs = sorted((f for f in a["features"] if "*" in f), key=lambda f: -abs(a["contributions"][f]))
        for f in [f for f in a["features"] if "*" not in f] + pairs[:PAIRS_SHOWN]:
            typer.echo(f"  {f:28} {a['features'][f]:>8.3f} {a['weights'][f]:>8.3f} {a['contributions'][f]:>8.3f}")
        if len(pairs) > PAIRS_SHOWN:   # every term is in `hcb ask --explain --json`
            rest = sum(a["contributions"][f] for f in pairs[PAIRS_SHOWN:])
            typer.echo(f"  … {len(pairs) - PAIRS_SHOWN} smaller pair terms, contributing {rest:.3f} together")
    for c in e.get("candidates", []):
        typer.echo(f"  p={c['p']:.3f} [{c['speaker']}] {c['text'][:110]}")


def chat_cmd():
    """A conversation in the terminal: follow-ups lean on earlier answers; /new starts over, /quit leaves."""
    a = open_assistant(Settings.from_env())
    history: list[Answer] = []
    typer.echo("Ask about England's 2021–22 NHS reforms. /new starts a new conversation, /quit leaves.")
    while True:
        try:
            q = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if q in ("/quit", "/exit"):
            return
        if q == "/new":
            history = []
            typer.echo("(new conversation)")
            continue
        if not q:
            continue
        try:
            ans = a.ask(q, history=history)
        except HcbError as e:   # a bad question is a message, not the end of the conversation
            typer.echo(f"error: {e}")
            continue
        typer.echo("")
        print_answer(ans)
        history.append(ans)
