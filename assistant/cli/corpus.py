"""`hcb corpus …`: fetch, add, remove and list documents (thin over the corpus operations of the public API)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Optional

import typer

from .. import Settings, add_document, fetch_documents, list_documents, remove_document
from ..errors import FetchError
from .progress import embedding_progress, notice

corpus_app = typer.Typer(no_args_is_help=True, help="Fetch, add, remove and list the corpus documents.")

NO_INDEX = typer.Option(False, "--no-index", help="Change the corpus only; run `hcb index build` later.")


def _run(fn, *args, **kwargs):
    with embedding_progress() as factory:
        return fn(Settings.from_env(), *args, progress=factory, on_wait=notice, **kwargs)


def _print(report) -> None:
    for line in (*report.changed, *report.unchanged):
        typer.echo(line)
    b = report.build
    if b is not None and b.changed:
        typer.echo(f"index updated ({b.build_id}): {b.chunks} passages; embedded {b.embedded} new texts, "
                   f"reused {b.reused} in {b.seconds:.1f}s")


@corpus_app.command("fetch")
def fetch_cmd(ids: Optional[list[str]] = typer.Argument(None, help="Document ids (default: every document with an address)."),
              force: bool = typer.Option(False, "--force", help="Download and convert again even if unchanged."),
              no_index: bool = NO_INDEX):
    """Download documents listed with an address, convert them and update the index incrementally."""
    report = _run(fetch_documents, tuple(ids or ()), force=force, update_index=not no_index)
    _print(report)
    if not (report.changed or report.unchanged or report.failed):
        typer.echo("nothing to fetch: no document in the manifest has an address to fetch from")
    if report.failed:
        raise FetchError(report.failure_message())


@corpus_app.command("add")
def add_cmd(path: str = typer.Argument(..., help="A PDF, HTML, Markdown or text file, or an http(s) address."),
            title: str = typer.Option(..., "--title"), publisher: str = typer.Option(..., "--publisher"),
            date: str = typer.Option(..., "--date", help="Publication date, YYYY-MM-DD."),
            kind: str = typer.Option(..., "--kind", help="government, parliament, local_government, nhs, sector_body, news or campaign."),
            url: str = typer.Option("", "--url", help="Official address (citations link to it, with #page=N for PDFs)."),
            speaker: str = typer.Option("", "--speaker", help="Speaker id: an existing one, or a new one made from the publisher."),
            doc_id: str = typer.Option("", "--id", help="Document id (default: from the file name)."),
            licence: str = typer.Option("", "--licence"), author: str = typer.Option("", "--author"),
            notes: str = typer.Option("", "--notes"), no_index: bool = NO_INDEX):
    """Copy a document into the corpus, record it in the manifest and index only what is new."""
    _print(_run(add_document, path, title=title, publisher=publisher, date=date, kind=kind, url=url, speaker=speaker,
                doc_id=doc_id, licence=licence, author=author, notes=notes, update_index=not no_index))


@corpus_app.command("remove")
def remove_cmd(doc_id: str, no_index: bool = NO_INDEX):
    """Remove a document, its file and its passages from the index."""
    _print(_run(remove_document, doc_id, update_index=not no_index))


@corpus_app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json")):
    """Every document with its kind, date, passage count and whether the index has it."""
    rows = list_documents(Settings.from_env())
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    width = max(len(r.id) for r in rows) if rows else 2
    typer.echo(f"{'id':{width}}  {'kind':16}  {'date':10}  {'status':11}  {'passages':>8}  {'indexed':11}  title")
    for r in rows:
        typer.echo(f"{r.id:{width}}  {r.kind:16}  {r.date:10}  {r.status:11}  {r.chunks:>8}  {r.indexed:11}  {r.title}")
