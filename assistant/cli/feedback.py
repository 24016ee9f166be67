"""`hcb feedback export`: the web app's ratings as CSV or JSONL for researchers."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import Settings
from ..errors import FeedbackError
from ..feedback.store import FeedbackStore, db_path, export

feedback_app = typer.Typer(no_args_is_help=True, help="Export the feedback people gave on answers in the web app.")


@feedback_app.command("export")
def export_cmd(fmt: str = typer.Option("jsonl", "--format", help="csv or jsonl."),
               out: Path = typer.Option(..., "--out", help="File to write.")):
    """Write every stored rating (question, answer, citations, settings, rating, comment, time) to a file."""
    path = db_path(Settings.from_env().data_dir)
    if fmt not in ("csv", "jsonl"):
        raise FeedbackError(f"unknown format {fmt!r}: use --format csv or --format jsonl")
    if not path.exists():
        raise FeedbackError(f"no feedback database at {path}: set HCB_DATA_DIR to the web app's data folder")
    n = export(FeedbackStore(path).rows(), fmt, out)
    typer.echo(f"wrote {n} feedback row{'s' if n != 1 else ''} to {out}")
