"""Concurrent `hcb corpus add` runs: each reads, edits and rewrites the manifest, so without the corpus lock
the last writer won (before: 1–2 of 4 entries kept in 5 of 5 trials, the other files left orphaned)."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def hcb(settings, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HCB_")}
    env.update(HCB_CORPUS_DIR=str(settings.corpus_dir), HCB_INDEX_DIR=str(settings.index_dir),
               HCB_DATA_DIR=str(settings.data_dir), HCB_EMBEDDER="fake")
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(settings, *args) -> tuple[int, str, str]:
    p = hcb(settings, *args)
    out, err = p.communicate(timeout=300)
    return p.returncode, out, err


def test_four_concurrent_adds_keep_every_document_and_a_fresh_index(workspace, tmp_path):
    procs = []
    for i in range(1, 5):
        note = tmp_path / f"note{i}.md"
        note.write_text(f"# Note {i}\n\nIntegrated care board number {i} will publish a plan for its area every year.\n",
                        encoding="utf-8")
        procs.append(hcb(workspace, "corpus", "add", str(note), "--title", f"Note {i}", "--publisher", "Test",
                         "--date", "2022-01-01", "--kind", "news", "--id", f"note-{i}"))
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outs
    code, out, err = run(workspace, "corpus", "list", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert {f"note-{i}" for i in range(1, 5)} <= set(rows), sorted(rows)
    assert all(rows[f"note-{i}"]["indexed"] == "yes" and rows[f"note-{i}"]["chunks"] == 1 for i in range(1, 5)), rows
    code, out, err = run(workspace, "index", "status")
    assert code == 0 and out.startswith("fresh:"), out + err
