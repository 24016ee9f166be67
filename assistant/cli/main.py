"""`hcb`: a thin command line over the public API. Errors print one line and exit non-zero."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .. import (HcbError, Settings, build_index, check_filters, check_question, index_status, load_corpus, make_embedder,
               open_assistant)
from ..errors import ArgumentError
from ..evaluation.bench import bench_synthetic
from ..evaluation.bench import run as run_bench
from ..evaluation.embedding_bench import bench_embedding
from ..types import Filters
from .corpus import corpus_app
from .eval import eval_app
from .feedback import feedback_app
from .chat import chat_cmd, print_answer, print_explain
from .progress import embedding_progress, notice

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
    """Build the index: a no-op when it is fresh and whole; unchanged text is never re-embedded; atomic swap."""
    s = _settings()
    with embedding_progress() as factory:
        report = build_index(load_corpus(s.corpus_dir), s.index_dir, make_embedder(s.embedder), chroma_url=s.chroma_url,
                             force=force, progress=factory, lock_timeout=s.lock_timeout, on_wait=notice)
    if report.changed:
        typer.echo(f"built {report.build_id}: {report.chunks} passages, {report.sentences} sentences; "
                   f"embedded {report.embedded}, reused {report.reused} ({report.reason}) in {report.seconds:.1f}s")
    else:
        typer.echo(f"index is fresh ({report.build_id}, {report.chunks} passages): no rebuild needed; use --force to rebuild anyway")


@index_app.command("status")
def index_status_cmd():
    """Open the live build and say whether it is fresh and whole, and otherwise what is wrong and the fix (exit 1/3/4)."""
    s = _settings()
    st = index_status(load_corpus(s.corpus_dir), s.index_dir, make_embedder(s.embedder).name, s.chroma_url)
    if st.fresh:
        m = st.manifest
        typer.echo(f"fresh: build {m['build_id']}, {m['chunks']} passages, model {m['embedder']}, chunker v{m['chunker_version']}; "
                   "every file and the vector store checked")
        return
    if st.state == "stale":
        typer.echo("stale: " + "; ".join(st.reasons) + " — run: hcb index build")
    else:
        typer.echo(f"{st.state}: " + "; ".join(st.reasons))
    raise typer.Exit(st.exit_code)


def _filters(s: Settings, kind, speaker, doc) -> Filters:
    """The --kind/--speaker/--doc filters, checked against the corpus before anything heavy is loaded."""
    f = Filters(kinds=tuple(kind or ()), speakers=tuple(speaker or ()), doc_ids=tuple(doc or ()))
    return check_filters(f, load_corpus(s.corpus_dir)) if f else f


@app.command("search")
def search_cmd(query: str, k: int = typer.Option(5, "-k", help="How many passages."),
               kind: Optional[list[str]] = typer.Option(None, help="Only documents of this kind (repeatable)."),
               speaker: Optional[list[str]] = typer.Option(None, help="Only this speaker id (repeatable)."),
               doc: Optional[list[str]] = typer.Option(None, help="Only this document id (repeatable)."),
               as_json: bool = typer.Option(False, "--json")):
    """Ranked passages with scores."""
    s = _settings()
    query = check_question(query, s.max_question_chars)
    filters = _filters(s, kind, speaker, doc)
    a = open_assistant(s)
    hits = a.search(query, k=k, filters=filters)
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
    filters = _filters(s, kind, speaker, doc)
    a = open_assistant(s)
    ans, why = a.ask_explained(question, filters=filters) if explain else (a.ask(question, filters=filters), None)
    if as_json:
        out = ans.to_dict()
        if why is not None:
            out["explain"] = why
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print_answer(ans)
    if why is not None:
        print_explain(why)


@app.command("bench")
def bench_cmd(questions: Path = typer.Option(Path("evals/questions.jsonl"), help="Question set for warm ask latency."),
              app_start: bool = typer.Option(False, "--app", help="Also time the web app's cold start to its first answer."),
              synthetic: Optional[int] = typer.Option(None, "--synthetic", metavar="N",
                                                      help="Measure a synthetic corpus of N passages made of the corpus's own sentences."),
              embedder: str = typer.Option("fake", "--embedder", help="With --synthetic: fake (embedding cost excluded), minilm, minilm-onnx-int8, ..."),
              query_embedder: str = typer.Option("", "--query-embedder", help="With --synthetic: also pay this model's cost to embed each question (e.g. minilm over a fake-built index)."),
              code: Optional[Path] = typer.Option(None, "--code", help="With --synthetic: time another checkout of the code (its folder)."),
              rounds: int = typer.Option(3, "--rounds", help="With --synthetic: timed passes over the question set; with --embedding: rounds."),
              keep: Optional[Path] = typer.Option(None, "--keep", help="With --synthetic: copy the corpus and index here."),
              embedding: bool = typer.Option(False, "--embedding", help="Embedding throughput of every backend, in one table.")):
    """Print speed and memory numbers: build, no-change rebuild, warm ask by stage, peak memory.

    With --synthetic N: one JSON object for a corpus of N passages (index open, warm ask p50/p95 by
    stage, peak RSS, build time split into embedding and the rest, embedding throughput).
    With --embedding: one JSON object, texts per second of each embedding backend in one run."""
    if embedding:
        typer.echo(json.dumps(bench_embedding(_settings(), rounds=rounds), indent=2))
        return
    if synthetic is not None:
        for name in filter(None, (embedder, query_embedder)):
            make_embedder(name)    # an unknown name fails here, with the names that exist
        result = bench_synthetic(_settings(), synthetic, embedder=embedder, questions=questions, code=code,
                                 rounds=rounds, keep=keep, query_embedder=query_embedder)
        typer.echo(json.dumps(result))
        return
    results = run_bench(_settings(), questions, app=app_start)
    width = max(map(len, results))
    for k, v in results.items():
        typer.echo(f"{k:{width}}  {v}")


def check_argv(argv: list[str]) -> None:
    """Arguments that are not valid UTF-8 arrive as lone surrogates (PEP 383) and fail deep inside
    the model's tokenizer or the terminal; refuse them first, in one line."""
    for n, arg in enumerate(argv[1:], 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")[:60]
            raise ArgumentError(f"argument {n} ({shown!r}) is not valid UTF-8 text: retype it, "
                                "or set the terminal to UTF-8 (e.g. LANG=C.UTF-8)") from None


def main():
    try:
        check_argv(sys.argv)
        app()
    except HcbError as e:
        typer.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
