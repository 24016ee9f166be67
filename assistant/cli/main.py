"""`hcb`: a thin command line over the public API. Errors print one line and exit non-zero."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .. import HcbError, Settings, build_index, check_question, index_status, load_corpus, make_embedder, open_assistant
from ..evaluation.bench import run as run_bench
from ..types import Filters
from .corpus import corpus_app
from .eval import eval_app
from .feedback import feedback_app
from .chat import chat_cmd, print_answer, print_explain
from .progress import embedding_progress

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited, attributed answers about England's 2021–22 NHS reforms.")
index_app = typer.Typer(no_args_is_help=True, help="Build or check the index.")
app.add_typer(index_app, name="index")
app.add_typer(eval_app, name="eval")
app.add_typer(corpus_app, name="corpus")
app.add_typer(feedback_app, name="feedback")
app.command("chat")(chat_cmd)


def _settings(**overrides) -> Settings:
    return Settings.from_env(**overrides)


@index_app.command("build")
def index_build(force: bool = typer.Option(False, "--force", help="Rebuild even if the index is fresh.")):
    """Build the index (idempotent: unchanged text is never re-embedded; atomic swap)."""
    s = _settings()
    with embedding_progress() as factory:
        report = build_index(load_corpus(s.corpus_dir), s.index_dir, make_embedder(s.embedder), chroma_url=s.chroma_url,
                             force=force, progress=factory)
    if report.changed:
        typer.echo(f"built {report.build_id}: {report.chunks} passages, {report.sentences} sentences; "
                   f"embedded {report.embedded}, reused {report.reused} ({report.reason}) in {report.seconds:.1f}s")
    else:
        typer.echo(f"index is fresh ({report.build_id}, {report.chunks} passages): nothing to do; use --force to rebuild")


@index_app.command("status")
def index_status_cmd():
    """Say whether the index is fresh for the corpus and model, and why not."""
    s = _settings()
    st = index_status(load_corpus(s.corpus_dir), s.index_dir, make_embedder(s.embedder).name)
    if st.fresh:
        m = st.manifest
        typer.echo(f"fresh: build {m['build_id']}, {m['chunks']} passages, model {m['embedder']}, chunker v{m['chunker_version']}")
    else:
        typer.echo("stale: " + "; ".join(st.reasons) + " — run: hcb index build")
        raise typer.Exit(1)


def _filters(kind, speaker, doc) -> Filters:
    return Filters(kinds=tuple(kind or ()), speakers=tuple(speaker or ()), doc_ids=tuple(doc or ()))


@app.command("search")
def search_cmd(query: str, k: int = typer.Option(5, "-k", help="How many passages."),
               kind: Optional[list[str]] = typer.Option(None, help="Only documents of this kind (repeatable)."),
               speaker: Optional[list[str]] = typer.Option(None, help="Only this speaker id (repeatable)."),
               doc: Optional[list[str]] = typer.Option(None, help="Only this document id (repeatable)."),
               as_json: bool = typer.Option(False, "--json")):
    """Ranked passages with scores."""
    s = _settings()
    a = open_assistant(s)
    hits = a.search(check_question(query, s.max_question_chars), k=k, filters=_filters(kind, speaker, doc))
    if as_json:
        typer.echo(json.dumps([{"rank": h.rank, "score": h.score, "chunk_id": h.chunk.id, "doc_id": h.chunk.doc_id,
                                "speaker": h.chunk.speaker, "section": h.chunk.section, "text": h.chunk.text} for h in hits],
                              ensure_ascii=False, indent=2))
        return
    for h in hits:
        d = a.docs[h.chunk.doc_id]
        typer.echo(f"{h.rank}. [{h.score:.4f}] {d.title} — {a.corpus.speakers[h.chunk.speaker].name}"
                   f"{' › ' + h.chunk.section if h.chunk.section else ''} (dense {h.dense_score:.3f}, bm25 {h.lexical_score or 0:.2f})")
        typer.echo("   " + " ".join(h.chunk.text.split())[:300] + "\n")


@app.command("ask")
def ask_cmd(question: str, as_json: bool = typer.Option(False, "--json", help="Print the machine-readable answer."),
            explain: bool = typer.Option(False, "--explain", help="Also print the evidence: likely sentences, the abstention features and weights."),
            kind: Optional[list[str]] = typer.Option(None), speaker: Optional[list[str]] = typer.Option(None),
            doc: Optional[list[str]] = typer.Option(None)):
    """Answer a question with cited, attributed sentences from the documents."""
    s = _settings()
    check_question(question, s.max_question_chars)   # a bad question fails fast, before loading anything
    a = open_assistant(s)
    filters = _filters(kind, speaker, doc)
    ans = a.ask(question, filters=filters)
    if as_json:
        out = ans.to_dict()
        if explain:
            out["explain"] = a.explain(question, filters=filters)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print_answer(ans)
    if explain:
        print_explain(a.explain(question, filters=filters))


@app.command("bench")
def bench_cmd(questions: Path = typer.Option(Path("evals/questions.jsonl"), help="Question set for warm ask latency."),
              app_start: bool = typer.Option(False, "--app", help="Also time the web app's cold start to its first answer.")):
    """Print speed and memory numbers: build, no-change rebuild, warm ask by stage, peak memory."""
    results = run_bench(_settings(), questions, app=app_start)
    width = max(map(len, results))
    for k, v in results.items():
        typer.echo(f"{k:{width}}  {v}")


def main():
    try:
        app()
    except HcbError as e:
        typer.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
