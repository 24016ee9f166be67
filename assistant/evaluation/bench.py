"""`hcb bench`: speed and memory, printed as numbers (not a timed test).

Measures: index build from scratch (new process: imports + model load + embedding),
rebuild with nothing changed (the `hcb index build` command, and a forced rebuild that
reuses every vector), warm `ask` latency p50/p95 over a question set by stage, peak
memory of a process serving those answers, and — if asked — cold start of the web app
to its first answer. `bench_synthetic` measures a synthetic corpus of N passages (synthetic.py),
building and serving it in fresh processes (scale_worker.py), for this or another checkout.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .. import HcbError, Settings, load_corpus, open_assistant
from .metrics import percentile
from .scale_worker import timed_asks
from .synthetic import write_synthetic_corpus


def _hcb() -> list[str]:
    exe = Path(sys.executable).parent / "hcb"
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from assistant.cli import main; main()"]


def _timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def bench_build(settings: Settings, repeats: int = 3) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="hcb-bench-"))
    env = {**os.environ, "HCB_INDEX_DIR": str(tmp), "HCB_CORPUS_DIR": str(settings.corpus_dir)}
    try:
        scratch = _timed(_hcb() + ["index", "build"], env)
        nochange = [_timed(_hcb() + ["index", "build"], env) for _ in range(repeats)]
        forced = [_timed(_hcb() + ["index", "build", "--force"], env) for _ in range(repeats)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"build_from_scratch_s": round(scratch, 2), "rebuild_nothing_changed_s": round(statistics.median(nochange), 2),
            "rebuild_forced_reusing_vectors_s": round(statistics.median(forced), 2)}


def bench_ask(settings: Settings, questions: Path, rounds: int = 3) -> dict:
    """Warm latency: one untimed pass, then `rounds` timed passes over the set."""
    t0 = time.perf_counter()
    a = open_assistant(settings)
    qs = [json.loads(line)["question"] for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    a.ask(qs[0])
    load_s = time.perf_counter() - t0
    for q in qs:
        a.ask(q)
    per_stage = timed_asks(a, qs, rounds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"questions": len(qs), "asks_timed": len(per_stage["total"]), "assistant_load_s": round(load_s, 2),
           "serving_peak_rss_mb": round(peak_mb)}
    for s, v in per_stage.items():
        if v:
            out[f"{s}_p50_ms"] = round(percentile(v, 50), 2)
            out[f"{s}_p95_ms"] = round(percentile(v, 95), 2)
    return out


def bench_app_cold_start(settings: Settings, port: int = 7869, timeout: float = 180) -> dict:
    """Seconds from launching the web app (index already built) to its first answer, and its peak memory."""
    from gradio_client import Client  # test extra: only `hcb bench --app` needs it

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "HCB_PORT": str(port), "HCB_INDEX_DIR": str(settings.index_dir)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(root / "app.py")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError("the app did not answer in time")
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
                client.predict("Who allocates Integrated Care Boards' money?", api_name="/ask")
                break
            except Exception:
                time.sleep(0.5)
        first = time.perf_counter() - t0
        hwm = 0
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                hwm = int(line.split()[1]) // 1024
        return {"app_cold_start_to_first_answer_s": round(first, 2), "app_peak_rss_mb": hwm}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run(settings: Settings, questions: Path, app: bool = False) -> dict:
    results = {}
    results.update(bench_build(settings))
    results.update(bench_ask(settings, questions))
    if app:
        results.update(bench_app_cold_start(settings))
    return results


WORKER = Path(__file__).resolve().with_name("scale_worker.py")


def _worker(mode: str, env: dict, questions: Path | None = None) -> dict:
    """Run one measurement in a fresh process (so peak memory is its own); its last line is JSON."""
    cmd = [sys.executable, "-P", str(WORKER), mode] + ([str(questions)] if questions else [])
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=env["HCB_INDEX_DIR"])
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise HcbError(f"the {mode} measurement failed ({last}): check --code, or rerun with --keep DIR to inspect")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_synthetic(settings: Settings, passages: int, *, embedder: str = "fake", questions: Path,
                    code: Path | None = None, rounds: int = 3, keep: Path | None = None, seed: int = 0,
                    query_embedder: str = "") -> dict:
    """Build a synthetic corpus of `passages` passages, index it and serve it, each in a fresh process.

    `code` times another checkout of the package (its folder goes on PYTHONPATH) with this same
    corpus and measurement code: the "before" numbers of a change. `query_embedder` (e.g. minilm)
    adds that model's cost of embedding each question to a fake-embedded index (scale_worker.py).
    """
    tmp = Path(tempfile.mkdtemp(prefix="hcb-scale-"))
    try:
        info = write_synthetic_corpus(load_corpus(settings.corpus_dir), tmp / "corpus", passages,
                                      source_dir=settings.corpus_dir, seed=seed)
        (tmp / "index").mkdir()
        env = {**os.environ, "HCB_CORPUS_DIR": str(tmp / "corpus"), "HCB_INDEX_DIR": str(tmp / "index"),
               "HCB_DATA_DIR": str(tmp / "data"), "HCB_EMBEDDER": embedder, "HCB_BENCH_ROUNDS": str(rounds),
               "HCB_BENCH_QUERY_EMBEDDER": query_embedder}
        if code:
            env["PYTHONPATH"] = str(Path(code).resolve())
        out = {"passages_asked": passages, "embedder": embedder, "code": str(Path(code).resolve()) if code else "this checkout",
               "seed": seed, "documents": info["documents"]}
        out.update(_worker("build", env))
        out.update(_worker("serve", env, questions.resolve()))
        out["load_average"] = [round(x, 2) for x in os.getloadavg()]
        return out
    finally:
        if keep:
            shutil.copytree(tmp, keep, dirs_exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
