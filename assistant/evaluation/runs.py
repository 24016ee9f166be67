"""Saved runs: read one back, compare two, check one against regression floors.

A comparison pairs the two runs' per-question metric values by question id and
bootstraps the difference (B − A), so "hit@5 moved by +0.03 [−0.01, +0.07]"
says whether a change is larger than its noise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import EvalFileError
from .runner import LOWER_IS_BETTER, RATES
from .splits import headline
from .metrics import Estimate, paired_bootstrap, resample_indices


@dataclass(frozen=True)
class Run:
    folder: Path
    summary: dict
    results: dict[str, list[dict]]      # system → rows

    @property
    def primary(self) -> str:
        return self.summary.get("primary", "hcb")


def load_run(folder: Path) -> Run:
    folder = Path(folder)
    path = folder / "summary.json"
    if not path.is_file():
        raise EvalFileError(f"no summary.json in {folder}: point at a folder written by `hcb eval run FILE --out DIR`")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise EvalFileError(f"{path} is not valid JSON ({e.msg}): re-run the evaluation") from None
    primary = summary.get("primary", "hcb")
    results = {}
    for f in sorted(folder.glob("results*.jsonl")):
        system = primary if f.stem == "results" else f.stem.removeprefix("results-")
        try:
            results[system] = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise EvalFileError(f"{f} has a line that is not JSON ({e.msg}): re-run the evaluation") from None
    return Run(folder, summary, results)


@dataclass(frozen=True)
class Change:
    metric: str
    a: float | None
    b: float | None
    diff: Estimate            # b − a, paired by question id
    flagged: bool             # the interval excludes zero
    better: bool | None       # the direction is an improvement (None when not flagged)


def compare_runs(a: Run, b: Run, system: str | None = None, resamples: int = 2000, seed: int = 0) -> tuple[list[Change], dict]:
    """Per metric: both values and the paired difference with its interval; plus what differs in the setup."""
    sa = system or a.primary
    sb = system or b.primary
    if sa not in a.results or sb not in b.results:
        raise EvalFileError(f"system {system or sa!r} is not in both runs (A has {', '.join(a.results) or 'none'}; "
                            f"B has {', '.join(b.results) or 'none'}): pick one with --system")
    rows_b = {r["id"]: r for r in b.results[sb]}
    shared = [r for r in a.results[sa] if r["id"] in rows_b]
    idx = resample_indices(len(shared), resamples, seed, "compare")
    changes = []
    for m in RATES:
        va = [r.get("metrics", {}).get(m) for r in shared]
        vb = [rows_b[r["id"]].get("metrics", {}).get(m) for r in shared]
        d = paired_bootstrap(va, vb, idx)
        xa = [v for v in va if v is not None]
        xb = [v for v in vb if v is not None]
        flagged = d.lo is not None and (d.lo > 0 or d.hi < 0)
        better = ((d.value > 0) != (m in LOWER_IS_BETTER)) if flagged else None
        changes.append(Change(m, sum(xa) / len(xa) if xa else None, sum(xb) / len(xb) if xb else None, d, flagged, better))
    setup = {}
    for key in ("corpus_hash", "index_build", "model", "git_commit", "question_file_sha256"):
        if a.summary.get(key) != b.summary.get(key):
            setup[key] = (a.summary.get(key), b.summary.get(key))
    setup["questions"] = (len(a.results[sa]), len(b.results[sb]), len(shared))
    return changes, setup


def read_floors(floors_file: Path, key: str | None = None) -> dict:
    """The floors file, parsed once; EvalFileError (one line, with the fix) when it cannot be used."""
    try:
        data = json.loads(Path(floors_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise EvalFileError(f"cannot read floors from {floors_file} ({type(e).__name__}): check the path") from None
    return _valid(data, floors_file, key)


def _valid(data, floors_file: Path, key: str | None = None) -> dict:
    wanted = (key,) if key else ("sets", "floors")
    if not isinstance(data, dict) or not any(isinstance(data.get(k), dict) for k in wanted):
        raise EvalFileError(f"cannot read floors from {floors_file}: it needs a {' or '.join(repr(k) for k in wanted)} object")
    return data


def _parsed(floors: "Path | dict", key: str) -> dict:
    return read_floors(floors, key) if isinstance(floors, (str, Path)) else floors   # parsed: checked by the caller


def check_floors(metrics: dict, floors: "Path | dict") -> list[str]:
    """Every headline metric that fell below its floor (a floors file, or its parsed contents), as a readable
    line; [] when all pass."""
    out = []
    for name, floor in _parsed(floors, "floors")["floors"].items():
        v = metrics.get(name)
        if v is None or v < floor:
            out.append(f"{name} = {v} is below its floor {floor}")
    return out


def check_floors_file(summary: dict, floors_file: Path, question_file: Path) -> list[str]:
    """`hcb eval run --floors`: per-set floors ("sets") when the file has them, else flat headline floors."""
    floors = read_floors(floors_file)            # read once, checked for the part it is used for
    if "sets" in floors:
        return check_set_floors(summary, _valid(floors, floors_file, "sets"), question_file)
    return check_floors(summary["metrics"], _valid(floors, floors_file, "floors"))


def check_set_floors(summary: dict, floors: "Path | dict", question_file: Path) -> list[str]:
    """Floors for one question file, on one split (`evals/floors.json` "sets"); [] when all pass.

    Each floor is named `part.metric` (part: singles, first_turns, follow_ups; metric: a rate) or
    `paraphrase.rate` / `conversations.rate`; "ceilings" hold the same for lower-is-better rates.
    A file with no entry passes.
    """
    entry = _parsed(floors, "sets")["sets"].get(Path(question_file).name)
    if entry is None:
        return []
    split = summary["by_split"]["splits"].get(entry["split"])
    if split is None:
        return [f"the file has no {entry['split']!r} split to check floors on"]

    def value(name: str):
        part, metric = name.split(".", 1)
        return headline(split.get(part), metric)

    out = []
    for name, floor in entry.get("floors", {}).items():
        v = value(name)
        if v is None or v < floor:
            out.append(f"{entry['split']} {name} = {v} is below its floor {floor}")
    for name, ceiling in entry.get("ceilings", {}).items():
        v = value(name)
        if v is None or v > ceiling:
            out.append(f"{entry['split']} {name} = {v} is above its ceiling {ceiling}")
    return out

