"""What `hcb index build` and `hcb corpus fetch/add/remove` show on stderr while they work: the embedding
progress bar, and notices such as "waiting for the running build"."""

from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
import typer


def notice(message: str) -> None:
    """A line for the person waiting (stderr, so scripts reading stdout are not disturbed)."""
    typer.echo(message, err=True)


@contextmanager
def embedding_progress():
    """Yields `factory(total) -> advance(n)` for the index build; the bar (if one was started) is stopped on exit."""
    bars: list[Progress] = []

    def factory(total: int):
        p = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                     console=Console(stderr=True), transient=False)
        p.start()
        task = p.add_task("embedding", total=total)
        bars.append(p)
        return lambda n: p.advance(task, n)

    try:
        yield factory
    finally:
        for p in bars:
            p.stop()
