"""Faults of the index, reproduced for real: concurrent builds, damaged files, a stopped Chroma server,
a read-only index. Each test failed on the code before the write lock and the whole-build status check."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.corpus.manifest import load_corpus
from assistant.errors import IndexCorruptError
from assistant.index.build import build, open_index, status
from assistant.index.embed import FakeEmbedder
from assistant.index.files import FIX
from assistant.index.vectors import VectorStore

from .._support import ROOT, CountingEmbedder, assert_one_line_error, fake_settings_for, hcb, require

QUESTION = "What will Integrated Care Boards do?"
ARRAYS = ("chunk_vectors.npy", "sentence_vectors.npy", "sentence_counts.npy", "text_keys.npy")
LIVE_FILES = {"manifest.json", "chunks.jsonl", "chunks.marshal", *ARRAYS, "idf.json", "words.json", "bm25", "chroma"}


def live(index_dir: Path) -> Path:
    return index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A whole fake-embedder index of the real corpus; tests damage copies of it."""
    index_dir = tmp_path_factory.mktemp("faults-index")
    build(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder())
    return index_dir


def damaged_copy(built: Path, dest: Path, damage) -> Path:
    shutil.copytree(built, dest)
    damage(live(dest))
    return dest


def assert_status_names(index_dir: Path, *needles: str, code: int = 3) -> str:
    p = hcb("index", "status", index_dir=index_dir)
    assert p.returncode == code, (p.returncode, p.stdout, p.stderr)
    assert "Traceback" not in p.stdout + p.stderr
    for n in needles:
        assert n in p.stdout, (n, p.stdout)
    return p.stdout


def assert_build_repairs(index_dir: Path) -> None:
    """A plain `hcb index build` (no --force) rebuilds a broken index; then status is fresh and ask answers."""
    p = hcb("index", "build", index_dir=index_dir)
    assert p.returncode == 0 and p.stdout.startswith("built "), p.stdout + p.stderr
    assert hcb("index", "status", index_dir=index_dir).stdout.startswith("fresh:")
    a = hcb("ask", QUESTION, "--json", index_dir=index_dir)
    assert a.returncode == 0 and '"citations": [' in a.stdout, a.stderr


# ---------------------------------------------------------------- concurrent writers

def test_three_concurrent_forced_builds_leave_a_whole_live_index(tmp_path):
    """Before the lock, 3 of 4 trials left the live build without chunks.jsonl, its vectors and bm25,
    while status said "fresh" (exit 0) and ask failed."""
    for trial in range(3):
        index_dir = tmp_path / f"trial-{trial}"
        assert hcb("index", "build", index_dir=index_dir).returncode == 0
        procs = [subprocess.Popen([str(Path(os.sys.executable).parent / "hcb"), "index", "build", "--force"], cwd=ROOT,
                                  env={**{k: v for k, v in os.environ.items() if not k.startswith("HCB_")},
                                       "HCB_INDEX_DIR": str(index_dir), "HCB_EMBEDDER": "fake"},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], outs
        assert LIVE_FILES <= {p.name for p in live(index_dir).iterdir()}, f"trial {trial}"
        st = hcb("index", "status", index_dir=index_dir)
        assert st.returncode == 0 and st.stdout.startswith("fresh:"), st.stdout
        a = hcb("ask", QUESTION, "--json", index_dir=index_dir)
        assert a.returncode == 0 and '"citations": [' in a.stdout, a.stderr


def test_a_second_writer_exits_naming_the_running_command(tmp_path, built):
    from assistant.index.lock import writer_lock   # here, so the other tests of this file run on code without it
    index_dir = tmp_path / "index"
    shutil.copytree(built, index_dir)
    before = live(index_dir).name
    with writer_lock(index_dir, "hcb index build --force", timeout=5):
        p = hcb("index", "build", "--force", index_dir=index_dir, HCB_LOCK_TIMEOUT="0")
    assert_one_line_error(p, "hcb index build --force", f"pid {os.getpid()}")
    assert p.returncode == 6
    assert live(index_dir).name == before, "the refused build changed nothing"


def test_a_second_writer_waits_for_the_first_then_runs(tmp_path, built):
    from assistant.index.lock import writer_lock   # as above
    index_dir = tmp_path / "index"
    shutil.copytree(built, index_dir)
    held = threading.Event()

    def hold():
        with writer_lock(index_dir, "hcb corpus add report.pdf", timeout=5):
            held.set()
            time.sleep(12)   # longer than a loaded machine takes to start `hcb`, so the second writer must wait

    t = threading.Thread(target=hold)
    t.start()
    held.wait(10)
    t0 = time.monotonic()
    p = hcb("index", "build", "--force", index_dir=index_dir, HCB_LOCK_TIMEOUT="60")
    waited = time.monotonic() - t0
    t.join()
    assert p.returncode == 0 and p.stdout.startswith("built "), p.stderr
    assert "waiting up to 60 s for `hcb corpus add report.pdf`" in p.stderr
    assert waited >= 1.0


def test_a_build_never_deletes_an_unfinished_build_of_a_running_process(tmp_path, built):
    index_dir = tmp_path / "index"
    shutil.copytree(built, index_dir)
    other = index_dir / "builds" / f"20990101-000000-{os.getpid()}-abcdef-000000"   # this (running) process
    other.mkdir()
    (other / "chunks.jsonl").write_text("")
    build(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder(), force=True)
    build(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder(), force=True)
    assert (other / "chunks.jsonl").exists()


# ---------------------------------------------------------------- status opens what it reports on

def corrupt_sqlite(folder: Path) -> None:
    db = folder / "chroma" / "chroma.sqlite3"
    data = bytearray(db.read_bytes())
    for i in range(100, len(data), 997):
        data[i] = 0x5A
    db.write_bytes(bytes(data))


def test_corrupt_chroma_sqlite_makes_status_fail_with_the_fix(tmp_path, built):
    index_dir = damaged_copy(built, tmp_path / "index", corrupt_sqlite)
    assert_status_names(index_dir, "chroma.sqlite3", "run: hcb index build")
    assert_build_repairs(index_dir)


def test_emptied_chroma_sqlite_is_reported_and_left_as_it_was(tmp_path, built):
    index_dir = damaged_copy(built, tmp_path / "index", lambda f: (f / "chroma" / "chroma.sqlite3").write_bytes(b""))
    assert_status_names(index_dir, "chroma.sqlite3 is empty", "run: hcb index build")
    assert (live(index_dir) / "chroma" / "chroma.sqlite3").stat().st_size == 0, "status must not re-create the store"
    assert_build_repairs(index_dir)


def test_truncated_bm25_file_makes_status_fail_with_the_fix(tmp_path, built):
    def cut(folder: Path) -> None:
        p = folder / "bm25" / "data.csc.index.npy"
        p.write_bytes(p.read_bytes()[:10])
    index_dir = damaged_copy(built, tmp_path / "index", cut)
    assert_status_names(index_dir, "BM25", "run: hcb index build")
    assert_build_repairs(index_dir)


def test_empty_bm25_vocabulary_makes_status_fail(tmp_path, built):
    index_dir = damaged_copy(built, tmp_path / "index", lambda f: (f / "bm25" / "vocab.index.json").write_text("{}"))
    assert_status_names(index_dir, "vocabulary is empty", "run: hcb index build")
    p = hcb("ask", QUESTION, index_dir=index_dir)
    assert_one_line_error(p, "vocabulary is empty")


@pytest.mark.parametrize("missing", ["chunks.jsonl", "sentence_vectors.npy", "bm25"])
def test_a_live_build_missing_a_file_is_not_fresh(tmp_path, built, missing):
    """What the concurrent builds left behind: status said "fresh" and build said "no rebuild needed"."""
    def remove(folder: Path) -> None:
        p = folder / missing
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    index_dir = damaged_copy(built, tmp_path / "index", remove)
    assert_status_names(index_dir, missing.split(".")[0], "run: hcb index build")
    assert_build_repairs(index_dir)


def cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])


def overwrite_middle(path: Path) -> None:
    """Same size, a block in the middle overwritten (as a bad disk or a stray write would)."""
    data = bytearray(path.read_bytes())
    at, n = len(data) // 2, min(4096, len(data) // 4)
    data[at:at + n] = b"Z" * n
    path.write_bytes(bytes(data))


def missing(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize("name", [*ARRAYS, "idf.json", "words.json", "chunks.marshal"])
@pytest.mark.parametrize("damage", [missing, cut_short, overwrite_middle], ids=["missing", "cut-short", "overwritten"])
def test_every_file_of_the_format_is_checked_by_status_and_repaired_by_a_build(tmp_path, built, name, damage):
    """In-process (the CLI's path is covered below): status names the file, serving refuses what it
    reads, and a plain build repairs the index without reusing vectors from a damaged file."""
    index_dir = damaged_copy(built, tmp_path / "index", lambda f: damage(f / name))
    corpus = load_corpus(ROOT / "corpus")
    st = status(corpus, index_dir, FakeEmbedder.name)
    assert (st.state, st.exit_code) == ("broken", 3) and f"{name} " in st.reasons[0] and FIX in st.reasons[0], st.reasons
    served = name not in ("text_keys.npy", "chunks.marshal") and damage is not overwrite_middle
    if served:   # text_keys.npy only feeds rebuilds; a damaged chunks.marshal falls back to chunks.jsonl
        with pytest.raises(IndexCorruptError, match=re.escape(name)):
            open_index(index_dir)
    emb = CountingEmbedder()
    report = build(corpus, index_dir, emb)
    assert report.changed and status(corpus, index_dir, FakeEmbedder.name).state == "fresh"
    distinct = len(set(np.load(live(built) / "text_keys.npy").tolist()))
    # vectors are reused from whole arrays only; a damaged idf.json, words.json or fast copy costs no embedding
    assert emb.texts == report.embedded == (distinct if name in ARRAYS else 0)
    assert open_index(index_dir).chunks


@pytest.mark.parametrize("name, damage", [("sentence_vectors.npy", cut_short), ("idf.json", cut_short),
                                          ("chunk_vectors.npy", overwrite_middle)])
def test_a_damaged_array_or_idf_makes_hcb_index_status_fail_with_the_fix(tmp_path, built, name, damage):
    index_dir = damaged_copy(built, tmp_path / "index", lambda f: damage(f / name))
    assert_status_names(index_dir, f"{name} ", "run: hcb index build")
    if damage is cut_short:
        assert_one_line_error(hcb("ask", QUESTION, index_dir=index_dir), name, "run: hcb index build")
    assert_build_repairs(index_dir)


def test_chroma_count_and_vectors_must_match_the_passages(tmp_path, built):
    index_dir = tmp_path / "index"
    shutil.copytree(built, index_dir)
    corpus = load_corpus(ROOT / "corpus")
    folder = live(index_dir)
    store = VectorStore.open(f"hcb-{folder.name}", path=folder / "chroma")
    ids = store.ids()
    store._c.delete(ids=ids[:2])
    st = status(corpus, index_dir, FakeEmbedder.name)
    assert st.state == "broken" and f"holds {len(ids) - 2} passages, not {len(ids)}" in " ".join(st.reasons)

    index_dir = tmp_path / "index2"
    shutil.copytree(built, index_dir)
    npy = live(index_dir) / "chunk_vectors.npy"
    np.save(npy, np.load(npy)[::-1].copy())      # every passage now has another's vector
    st = status(corpus, index_dir, FakeEmbedder.name)
    assert st.state == "broken" and "vectors differ" in " ".join(st.reasons)


@pytest.mark.slow
@pytest.mark.server
def test_a_stopped_chroma_server_is_reported_by_status(tmp_path, chroma_server):
    index_dir = tmp_path / "index"
    build(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder(), chroma_url=chroma_server)
    assert hcb("index", "status", index_dir=index_dir, HCB_CHROMA_URL=chroma_server).returncode == 0
    chroma_server.stop()
    out = assert_status_names(index_dir, "cannot reach the Chroma server", chroma_server, "chroma run", code=4)
    assert out.startswith("unreachable:")


@pytest.mark.slow
@pytest.mark.server
def test_a_server_outage_mid_session_is_a_store_error_and_recovers(tmp_path, chroma_server):
    """Before: the raw connection error escaped `ask` (the web chat stayed on "Searching the documents…")."""
    from assistant import open_assistant
    from assistant.errors import StoreUnavailableError

    index_dir = tmp_path / "index"
    build(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder(), chroma_url=chroma_server)
    a = open_assistant(fake_settings_for(index_dir, chroma_url=chroma_server), FakeEmbedder())
    assert a.ask(QUESTION).citations
    chroma_server.stop()
    with pytest.raises(StoreUnavailableError, match="not reachable.*try again shortly"):
        a.ask(QUESTION)
    chroma_server.start()
    assert a.ask(QUESTION).citations, "the same assistant answers again once the server is back"


# ---------------------------------------------------------------- a read-only index

@pytest.fixture
def read_only_copy(tmp_path, built):
    """The index on a read-only bind mount (as root) — where Chroma cannot write its SQLite file."""
    require(hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount"), "needs root to bind-mount read-only")
    src, mnt = tmp_path / "index", tmp_path / "ro"
    shutil.copytree(built, src)
    mnt.mkdir()
    ok = subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True).returncode == 0
    ok = ok and subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], capture_output=True).returncode == 0
    try:
        require(ok, "bind mounts are not allowed here")
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_read_only_index_serves(read_only_copy):
    before = {p: p.stat().st_mtime_ns for p in read_only_copy.rglob("*")}
    a = hcb("ask", QUESTION, "--json", index_dir=read_only_copy)
    assert a.returncode == 0 and '"citations": [' in a.stdout, a.stderr
    st = hcb("index", "status", index_dir=read_only_copy)
    assert st.returncode == 0 and st.stdout.startswith("fresh:"), st.stdout + st.stderr
    assert {p: p.stat().st_mtime_ns for p in read_only_copy.rglob("*")} == before
    p = hcb("index", "build", "--force", index_dir=read_only_copy)
    assert_one_line_error(p, "Read-only file system", "writable")


def test_a_relative_index_dir_is_checked_not_crashed_on(tmp_path, monkeypatch):
    """`HCB_INDEX_DIR=index hcb index status`: SQLite's URI needs an absolute path."""
    import sqlite3

    from assistant.index.vectors import SQLITE, sqlite_problem

    store = tmp_path / "store"
    store.mkdir()
    sqlite3.connect(store / SQLITE).execute("create table t (x)").connection.commit()
    monkeypatch.chdir(tmp_path)
    assert sqlite_problem(Path("store")) == ""
