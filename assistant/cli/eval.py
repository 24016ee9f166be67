"""`hcb eval ...`: validate a question set, evaluate it (with baselines), compare two saved runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from .. import Settings, load_corpus, open_assistant
from ..evaluation.fit import FIT_FILES, fit as fit_models
from ..evaluation.fit_screen import SCREEN_FILES, fit_screen
from ..evaluation.formatting import fmt, fmt_ci
from ..evaluation.questions import load_questions, skipped_rows
from ..evaluation.report import diff_cell, write_outputs
from ..evaluation.runner import RATES
from ..evaluation.runs import check_floors_file, compare_runs, load_run
from ..evaluation.session import evaluate_file
from ..evaluation.split_tables import split_tables

eval_app = typer.Typer(no_args_is_help=True, help="Evaluate on a JSONL question set; compare saved runs.")


def _print_problems(file: Path, problems, valid: int) -> None:
    for p in problems:
        typer.echo(f"{file}:{p.line}: {p.message}", err=True)
    if problems:
        typer.echo(f"skipped {skipped_rows(problems)} invalid row(s); {valid} valid", err=True)


@eval_app.command("validate")
def validate(file: Path):
    """Check a question file against the format and the corpus; list every problem with its line number."""
    rows, problems = load_questions(file, load_corpus(Settings.from_env().corpus_dir))
    _print_problems(file, problems, len(rows))
    typer.echo(f"{file}: {len(rows)} valid question(s), {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


def _console(stderr: bool = False):
    stream = sys.stderr if stderr else sys.stdout
    # a log file or CI capture has no width: use one wide enough for the comparison tables
    return Console(highlight=False, stderr=stderr, width=None if stream.isatty() else 130)


EXTRA = ("median_answer_words", "latency_p50_ms", "latency_p95_ms")


def _metrics_tables(summary: dict) -> list:
    """Values (the pipeline with its interval, baselines beside it), then differences with intervals."""
    names = list(summary["systems"])
    p = names[0]
    t = Table(title=f"{summary['metrics']['questions']} questions — 95% bootstrap intervals", title_justify="left")
    for col in ["metric", p, "95% CI", "n", *names[1:]]:
        t.add_column(col, justify="left" if col == "metric" else "right")
    for m in RATES + EXTRA:
        ci = fmt_ci(*summary["intervals"][m]) if m in RATES else ""
        n = str(summary["n"][m]) if m in RATES else ""
        digits = 3 if m in RATES else 1
        t.add_row(m, fmt(summary["metrics"][m], digits), ci, n,
                  *[fmt(summary["systems"][s]["metrics"][m], digits) for s in names[1:]])
    if len(names) == 1:
        return [t]
    d = Table(title=f"Δ = {p} − baseline, paired bootstrap 95% CI; ✱ = interval excludes 0", title_justify="left")
    for col in ["metric", *[f"Δ vs {s}" for s in names[1:]]]:
        d.add_column(col, justify="left" if col == "metric" else "right")
    for m in RATES:
        d.add_row(m, *[diff_cell(summary["comparison"][s][m], m) for s in names[1:]])
    return [t, d]


@eval_app.command("run")
def run(file: Path,
        out: Optional[Path] = typer.Option(None, "--out", help="Write per-question results, summary.json, report.md and charts here."),
        compare: bool = typer.Option(False, "--compare", help="Also run the baselines: BM25 only, dense only, LangChain."),
        resamples: int = typer.Option(2000, min=100, help="Bootstrap resamples for the 95% intervals."),
        seed: int = typer.Option(0, help="Bootstrap seed (same seed, same intervals)."),
        floors: Optional[Path] = typer.Option(None, "--floors", help="Exit 1 if a headline metric is below these floors (evals/floors.json)."),
        ):
    """Evaluate a question set or conversations: metrics with 95% intervals, dev beside test."""
    settings = Settings.from_env()
    a = open_assistant(settings)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=_console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def loaded(es):
            for p in es.skipped:
                typer.echo(f"{file}:{p.line}: {p.message}", err=True)
            for p in es.warnings:
                typer.echo(f"{file}:{p.line}: warning: {p.message}", err=True)
            n = len(es.singles) + sum(len(c["turns"]) for c in es.conversations)
            if es.skipped:
                typer.echo(f"skipped {skipped_rows(es.skipped)} invalid row(s); {n} valid", err=True)
            bar.update(task, total=n, description="evaluating")

        results, summary = evaluate_file(a, file, compare=compare, cache_dir=settings.data_dir / "eval-cache",
                                         seeds_dir=settings.seeds_dir, resamples=resamples, seed=seed,
                                         progress=lambda: bar.advance(task), on_loaded=loaded)
    con = _console()
    for title, head, rows in split_tables(summary["by_split"]):
        t = Table(title=title, title_justify="left")
        for col in head:
            t.add_column(col, justify="left" if col in ("metric", "measure", "type") else "right")
        for r in rows:
            t.add_row(*r)
        con.print(t)
    if compare:
        for table in _metrics_tables(summary):
            con.print(table)
    if out:
        write_outputs(out, results, summary)
        typer.echo(f"wrote {out}/report.md, summary.json, results.jsonl/.csv and charts")
    q = summary["questions"]
    what = f"{q['singles']} questions" + (f", {q['conversations']} conversations ({q['turns']} turns)" if q["conversations"] else "")
    typer.echo(f"{what} × {len(results)} system(s) in {summary['elapsed_s']:.1f} s")
    if floors:
        failed = check_floors_file(summary, floors, file)
        for f in failed:
            typer.echo(f"below floor: {f}", err=True)
        if failed:
            raise typer.Exit(1)


@eval_app.command("fit")
def fit_cmd(files: Optional[list[Path]] = typer.Argument(None, help="Question files for the scorers (default: every round of blind singles and conversations)."),
            max_wrong: float = typer.Option(0.05, help="Highest share of answerable dev questions the threshold may abstain on."),
            c: Optional[float] = typer.Option(None, "-C", help="Inverse regularisation strength of the sentence scorer (default: chosen by question-grouped cross-validation on dev)."),
            c_answerable: Optional[float] = typer.Option(None, "--c-answerable",
                                                         help="…and of the answerability scorer (default: chosen by cross-validated AUC on dev)."),
            max_extra: float = typer.Option(0.005, help="Highest share of genuine dev questions the routing screen may decline (out of fold).")):
    """Fit on the dev split (never test): the routing screen (every blind set and routing probe; writes
    assistant/routing/screen.json), then, with it in place, the sentence and answerability scorers (writes
    assistant/answering/model.json)."""
    paths = files or [Path(f) for f in FIT_FILES]
    assistant = open_assistant(Settings.from_env())
    assistant.screen = fit_screen(assistant, [Path(f) for f in SCREEN_FILES], max_extra=max_extra)
    prov = fit_models(assistant, paths, max_wrong=max_wrong, c=c, c_answerable=c_answerable)
    typer.echo(json.dumps({"screen": assistant.screen.provenance, "scorers": prov}, indent=2))


@eval_app.command("compare")
def compare_cmd(run_a: Path, run_b: Path,
                system: Optional[str] = typer.Option(None, help="Which system's rows to compare (default: each run's pipeline)."),
                resamples: int = typer.Option(2000, min=100), seed: int = typer.Option(0)):
    """Diff two saved runs (B − A), flagging changes whose 95% interval excludes zero."""
    ra, rb = load_run(run_a), load_run(run_b)
    changes, setup = compare_runs(ra, rb, system, resamples, seed)
    na, nb, shared = setup.pop("questions")
    t = Table(title=f"B − A on {shared} shared questions (A: {na}, B: {nb}); paired bootstrap, 95% CI", title_justify="left")
    for col in ("metric", "A", "B", "Δ (B − A)", "95% CI", "flag"):
        t.add_column(col, justify="left" if col == "metric" else "right")
    for c in changes:
        mark = "" if not c.flagged else ("[green]▲ better[/]" if c.better else "[red]▼ worse[/]")
        ci = "—" if c.diff.lo is None else f"[{c.diff.lo:+.3f}, {c.diff.hi:+.3f}]"
        t.add_row(c.metric, fmt(c.a), fmt(c.b), "—" if c.diff.value is None else f"{c.diff.value:+.3f}", ci, mark)
    ma, mb = (r.summary.get("systems", {}).get(system, {}).get("metrics") if system else r.summary.get("metrics")
              for r in (ra, rb))
    for m in EXTRA:   # no interval: latency depends on the machine's load as much as on the code
        va, vb = (ma or {}).get(m), (mb or {}).get(m)
        diff = f"{vb - va:+.1f}" if isinstance(va, (int, float)) and isinstance(vb, (int, float)) else "—"
        t.add_row(m, fmt(va, 1), fmt(vb, 1), diff, "", "")
    con = _console()
    con.print(t)
    for key, (va, vb) in setup.items():
        con.print(f"differs: {key}: A={va} B={vb}")
    flagged = [c.metric for c in changes if c.flagged]
    con.print(f"{len(flagged)} change(s) larger than their interval{': ' + ', '.join(flagged) if flagged else ''}")
