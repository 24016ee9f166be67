"""`hcb corpus …` as an operator runs it (subprocess), on corpus and index copies."""

from __future__ import annotations

import os
import subprocess
import sys

import ingest_fixtures as fx


def hcb(settings, *args, **env):
    full = {**os.environ, "HCB_CORPUS_DIR": str(settings.corpus_dir), "HCB_INDEX_DIR": str(settings.index_dir),
            "HCB_DATA_DIR": str(settings.data_dir), "HCB_EMBEDDER": "fake", **env}
    return subprocess.run([sys.executable, "-m", "assistant.cli", "corpus", *args], capture_output=True, text=True,
                          env=full, timeout=300)


def test_fetch_without_network_one_line_nonzero_and_untouched(workspace, closed_port):
    """The shipped White Paper entry, its real address, and no way out (a dead proxy stands in for no network)."""
    before = fx.snapshot(workspace.corpus_dir), fx.snapshot(workspace.index_dir)
    proxy = f"http://127.0.0.1:{closed_port}"
    r = hcb(workspace, "fetch", HTTPS_PROXY=proxy, HTTP_PROXY=proxy, ALL_PROXY=proxy, NO_PROXY="")
    assert r.returncode == 5 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: could not fetch white-paper: cannot connect to ")
    assert (fx.snapshot(workspace.corpus_dir), fx.snapshot(workspace.index_dir)) == before


def test_add_list_remove(workspace, tmp_path):
    pdf = tmp_path / "guidance.pdf"
    pdf.write_bytes(fx.white_paper_pdf(pages=3))
    r = hcb(workspace, "add", str(pdf), "--title", "ICS guidance", "--publisher", "NHS England", "--date", "2022-06-01",
            "--kind", "nhs", "--url", "https://example.org/g.pdf")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "guidance: added (pdf, 3 pages, headings: outline; speaker nhs_england, new)"
    assert r.stdout.splitlines()[1].startswith("index updated (")
    rows = [line.split() for line in hcb(workspace, "list").stdout.splitlines()]
    assert rows[0][:6] == ["id", "kind", "date", "status", "passages", "indexed"]
    row = next(x for x in rows if x[0] == "guidance")
    assert row[1:4] == ["nhs", "2022-06-01", "added"] and int(row[4]) > 0 and row[5] == "yes"
    assert next(x for x in rows if x[0] == "white-paper")[4:7] == ["0", "not", "fetched"]
    r = hcb(workspace, "remove", "guidance")
    assert r.returncode == 0 and r.stdout.startswith("guidance: removed (and guidance.md)")
    assert "guidance" not in [x[0] for x in (line.split() for line in hcb(workspace, "list").stdout.splitlines())]


def test_bad_file_one_line_error(workspace, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(fx.scanned_pdf())
    r = hcb(workspace, "add", str(path), "--title", "T", "--publisher", "P", "--date", "2022-01-01", "--kind", "news")
    assert r.returncode == 2
    assert r.stderr == ("error: scan.pdf has no extractable text on its 2 pages (it looks scanned): "
                        "run OCR on it first (e.g. ocrmypdf) and add the result\n")
