"""The index: idempotent builds, embedding cache, staleness, clear errors, atomic swap, no ONNX download, server mode."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from assistant.index.embed import FakeEmbedder
from assistant.errors import IndexCorruptError, IndexMissingError, StoreUnavailableError
from assistant.index.build import build, open_index, status
from assistant.corpus.manifest import load_corpus
from assistant import open_assistant

from .._support import ROOT, CountingEmbedder, copy_corpus, drop_document, edit_file, fake_settings_for, free_port

CHANGED_OLD = "Staff and patients have also adopted new technologies to deliver better care."
CHANGED_NEW = "Staff and patients have also adopted new digital tools to deliver better care."
ONNX_CACHE = Path.home() / ".cache" / "chroma" / "onnx_models"


def current(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text().strip()


def builds(index_dir: Path) -> set[str]:
    return {p.name for p in (index_dir / "builds").iterdir()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A fake-embedder index of the real corpus that tests copy before damaging."""
    index_dir = tmp_path_factory.mktemp("core-index")
    report = build(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder())
    return index_dir, report


def copy_index(built, dest: Path) -> Path:
    shutil.copytree(built[0], dest)
    return dest


# ---------------------------------------------------------------- idempotence and the embedding cache

def test_build_is_fresh_and_a_second_build_embeds_nothing(tmp_path, corpus):
    emb = CountingEmbedder()
    first = build(corpus, tmp_path, emb)
    total = first.chunks + first.sentences
    assert first.changed and first.chunks >= 20
    assert 0 < emb.texts == first.embedded <= total
    assert first.embedded + first.reused == total
    st = status(corpus, tmp_path, emb.name)
    assert st.fresh and st.reasons == ()

    emb.texts = 0
    again = build(corpus, tmp_path, emb)
    assert not again.changed and emb.texts == 0 and again.build_id == first.build_id
    assert current(tmp_path) == first.build_id

    forced = build(corpus, tmp_path, emb, force=True)
    assert forced.changed and forced.build_id != first.build_id
    assert emb.texts == 0 and forced.embedded == 0, "a forced rebuild reuses every cached vector"
    assert current(tmp_path) == forced.build_id
    idx = open_index(tmp_path)
    assert len(idx.chunks) == forced.chunks == idx.store.count()
    assert idx.chunk_vectors.shape == (forced.chunks, emb.dim)
    assert idx.sentence_vectors.shape == (forced.sentences, emb.dim)
    assert status(corpus, tmp_path, emb.name).fresh


def test_rebuilds_within_one_second_get_distinct_build_folders(tmp_path, corpus, monkeypatch):
    """A rebuild must never write into the live build's folder (or its Chroma collection)."""
    import assistant.index.build

    monkeypatch.setattr(assistant.index.build.time, "strftime", lambda fmt, *a: "20990101-000000")  # a fast machine
    ids = [build(corpus, tmp_path, FakeEmbedder(), force=True).build_id for _ in range(3)]
    assert len(set(ids)) == 3, f"build ids collide: {ids}"
    assert builds(tmp_path) == set(ids[1:]), "the live build and the one before it are kept"
    assert len(open_index(tmp_path).chunks) > 0


def test_status_names_a_changed_document_and_rebuild_embeds_only_its_changes(tmp_path):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    emb = CountingEmbedder()
    first = build(load_corpus(corpus_dir), index_dir, emb)
    total = first.chunks + first.sentences

    edit_file(corpus_dir / "bill-summary.md", CHANGED_OLD, CHANGED_NEW)
    changed = load_corpus(corpus_dir)
    st = status(changed, index_dir, emb.name)
    assert not st.fresh
    assert any("bill-summary" in r for r in st.reasons), st.reasons
    assert not any(other in " ".join(st.reasons) for other in ("lga-briefing", "petition", "campaign-blog"))

    emb.texts = 0
    second = build(changed, index_dir, emb)
    assert second.changed and "bill-summary" in second.reason
    assert 0 < emb.texts == second.embedded < 0.1 * total, f"re-embedded {emb.texts} of {total} texts"
    assert status(changed, index_dir, emb.name).fresh
    assert any(CHANGED_NEW in c.text for c in open_index(index_dir).chunks)


def test_other_embedder_or_speaker_change_makes_the_index_stale(tmp_path, built):
    index_dir = copy_index(built, tmp_path / "index")
    assert not status(load_corpus(ROOT / "corpus"), index_dir, "another-model").fresh
    corpus_dir = copy_corpus(tmp_path / "corpus")
    edit_file(corpus_dir / "bill-summary.md", "<!-- speaker: simon_stevens -->", "<!-- speaker: bill_article -->")
    st = status(load_corpus(corpus_dir), index_dir, FakeEmbedder.name)
    assert not st.fresh and any("bill-summary" in r for r in st.reasons)


def test_removing_a_document_removes_its_chunks(tmp_path):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build(load_corpus(corpus_dir), index_dir, FakeEmbedder())
    before = open_index(index_dir)
    blog = [c for c in before.chunks if c.doc_id == "campaign-blog"]
    assert blog

    drop_document(corpus_dir, "campaign-blog")
    smaller = load_corpus(corpus_dir)
    st = status(smaller, index_dir, FakeEmbedder.name)
    assert not st.fresh and any("removed" in r and "campaign-blog" in r for r in st.reasons), st.reasons
    build(smaller, index_dir, FakeEmbedder())
    after = open_index(index_dir)
    assert not [c for c in after.chunks if c.doc_id == "campaign-blog"]
    assert len(after.chunks) == len(before.chunks) - len(blog)
    assert after.store.count() == len(after.chunks)
    assert not set(after.store.ids()) & {c.id for c in blog}
    assert not set(after.lexical.ids) & {c.id for c in blog}


# ---------------------------------------------------------------- errors that say what to do

def test_missing_index_says_how_to_build_it(tmp_path):
    for d in (tmp_path / "never-made", tmp_path):
        with pytest.raises(IndexMissingError) as e:
            open_index(d)
        assert "hcb index build" in str(e.value)
    st = status(load_corpus(ROOT / "corpus"), tmp_path, FakeEmbedder.name)
    assert not st.fresh and st.reasons


def test_corrupt_manifest_is_reported(tmp_path, built):
    index_dir = copy_index(built, tmp_path / "index")
    (index_dir / "builds" / current(index_dir) / "manifest.json").write_text('{"build_id": "trunc')
    with pytest.raises(IndexCorruptError) as e:
        open_index(index_dir)
    assert "hcb index build" in str(e.value)
    st = status(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder.name)
    assert not st.fresh and "corrupt" in " ".join(st.reasons)


@pytest.mark.parametrize("cut", ["mid-line", "whole-lines"])
def test_truncated_chunks_file_is_reported(tmp_path, built, cut):
    index_dir = copy_index(built, tmp_path / "index")
    path = index_dir / "builds" / current(index_dir) / "chunks.jsonl"
    data = path.read_bytes()
    if cut == "mid-line":
        data = data[: len(data) // 2]
    else:
        data = b"".join(data.splitlines(keepends=True)[:5])
    path.write_bytes(data)
    (path.parent / "chunks.marshal").unlink()     # the fast copy is gone: chunks.jsonl is read
    with pytest.raises(IndexCorruptError) as e:
        open_index(index_dir)
    assert "hcb index build" in str(e.value)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "missing"])
def test_a_damaged_fast_copy_of_the_chunks_falls_back_to_the_json(tmp_path, built, damage):
    index_dir = copy_index(built, tmp_path / "index")
    expected = open_index(index_dir).chunks
    path = index_dir / "builds" / current(index_dir) / "chunks.marshal"
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[:100] if damage == "truncated" else b"\x00not marshal data")
    assert open_index(index_dir).chunks == expected


def test_missing_vectors_or_build_folder_is_reported(tmp_path, built):
    index_dir = copy_index(built, tmp_path / "a")
    (index_dir / "builds" / current(index_dir) / "sentence_vectors.npy").unlink()
    with pytest.raises(IndexCorruptError):
        open_index(index_dir)
    index_dir = copy_index(built, tmp_path / "b")
    shutil.rmtree(index_dir / "builds" / current(index_dir))
    with pytest.raises(IndexCorruptError):
        open_index(index_dir)


def test_a_corrupt_live_build_is_replaced_by_a_normal_build(tmp_path, built):
    index_dir = copy_index(built, tmp_path / "index")
    (index_dir / "builds" / current(index_dir) / "manifest.json").write_text("not json")
    report = build(load_corpus(ROOT / "corpus"), index_dir, FakeEmbedder())
    assert report.changed
    assert len(open_index(index_dir).chunks) == report.chunks


def test_unreachable_chroma_server_is_reported(tmp_path, built):
    with pytest.raises(StoreUnavailableError) as e:
        open_index(built[0], chroma_url=f"http://127.0.0.1:{free_port()}")
    assert "chroma run" in str(e.value)


# ---------------------------------------------------------------- atomic swap, for real

KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from assistant.index.embed import FakeEmbedder
    from assistant.index.build import build
    from assistant.corpus.manifest import load_corpus
    import assistant.index.vectors as store

    corpus_dir, index_dir, marker, where = sys.argv[1:5]

    def stall():
        Path(marker).write_text("stalled")
        time.sleep(600)

    class StallingEmbedder(FakeEmbedder):
        def embed(self, texts):
            if where == "embedding":
                stall()
            return super().embed(texts)

    if where == "writing":
        add = store.VectorStore.add
        def stalling_add(self, *a, **kw):
            add(self, *a, **kw)   # some vectors are written, then the process dies
            stall()
        store.VectorStore.add = stalling_add

    build(load_corpus(Path(corpus_dir)), Path(index_dir), StallingEmbedder())
    print("finished without stalling", file=sys.stderr)
""")


@pytest.mark.parametrize("where", ["embedding", "writing"])
def test_a_killed_build_leaves_the_previous_index_serving(tmp_path, where):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    old = build(load_corpus(corpus_dir), index_dir, FakeEmbedder())
    edit_file(corpus_dir / "bill-summary.md", CHANGED_OLD, CHANGED_NEW)   # so the next build has work to do

    marker = tmp_path / "stalled"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(corpus_dir), str(index_dir), str(marker), where],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), f"the build never reached the {where} stage: {proc.communicate(timeout=5)[1].decode()[-2000:]}"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    assert current(index_dir) == old.build_id, "CURRENT must still name the previous build"
    orphans = builds(index_dir) - {old.build_id}
    if where == "writing":
        assert len(orphans) == 1, "the killed build had started writing its folder"
        assert not (index_dir / "builds" / orphans.pop() / "manifest.json").exists()
    settings = fake_settings_for(index_dir, corpus_dir)
    a = open_assistant(settings, FakeEmbedder())
    assert a.index.manifest["build_id"] == old.build_id
    hits = a.search("What will Integrated Care Boards do?", k=5)
    assert len(hits) == 5
    assert not any(CHANGED_NEW in c.text for c in a.index.chunks), "the old build serves the old text"

    new = build(load_corpus(corpus_dir), index_dir, FakeEmbedder())
    assert new.changed and current(index_dir) == new.build_id
    assert builds(index_dir) == {old.build_id, new.build_id}, "the orphaned folder is cleaned up"
    assert any(CHANGED_NEW in c.text for c in open_index(index_dir).chunks)


# ---------------------------------------------------------------- Chroma never downloads its ONNX model

def onnx_snapshot() -> tuple[bool, set[str]]:
    if not ONNX_CACHE.exists():
        return False, set()
    return True, {str(p) for p in ONNX_CACHE.rglob("*")}


def assert_no_new_onnx_files(before):
    existed, files = before
    now_exists, now_files = onnx_snapshot()
    if not existed:
        assert not now_exists, f"{ONNX_CACHE} was created: Chroma's default embedding function ran"
    assert not now_files - files, f"new files under {ONNX_CACHE}: {sorted(now_files - files)[:5]}"


def test_no_onnx_model_download_with_the_fake_embedder(tmp_path):
    before = onnx_snapshot()
    build(load_corpus(ROOT / "corpus"), tmp_path, FakeEmbedder())
    a = open_assistant(fake_settings_for(tmp_path), FakeEmbedder())
    assert a.search("integrated care boards", k=3)
    assert a.ask("What will Integrated Care Boards do?").behaviour in ("answer", "abstain")
    assert_no_new_onnx_files(before)


@pytest.mark.slow
def test_no_onnx_model_download_with_the_real_model(tmp_path, real_settings, real_embedder, real_assistant):
    before = onnx_snapshot()
    index_dir = shutil.copytree(real_settings.index_dir, tmp_path / "index")
    emb = CountingEmbedder(real_embedder)
    report = build(load_corpus(ROOT / "corpus"), index_dir, emb, force=True)   # new Chroma collection, cached vectors
    assert report.changed and emb.texts == 0
    a = open_assistant(real_settings.with_(index_dir=index_dir), real_embedder)
    assert a.search("What will Integrated Care Boards do?", k=3)
    assert real_assistant.ask("What will Integrated Care Boards do?").behaviour == "answer"
    assert_no_new_onnx_files(before)


# ---------------------------------------------------------------- Chroma server mode

def server_collections(url: str) -> set[str]:
    r = httpx.get(f"{url}/api/v2/tenants/default_tenant/databases/default_database/collections", timeout=10)
    r.raise_for_status()
    return {c["name"] for c in r.json()}


@pytest.mark.slow
@pytest.mark.server
def test_chroma_server_mode_matches_embedded_mode(tmp_path, chroma_server, fake_assistant):
    corpus = load_corpus(ROOT / "corpus")
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, FakeEmbedder(), chroma_url=chroma_server)
    m = json.loads((index_dir / "builds" / first.build_id / "manifest.json").read_text())
    assert m["chroma"]["mode"] == "server"
    assert not (index_dir / "builds" / first.build_id / "chroma").exists(), "server mode stores no vectors locally"
    assert server_collections(chroma_server) == {m["chroma"]["collection"]}

    idx = open_index(index_dir, chroma_url=chroma_server)
    assert idx.store.count() == first.chunks
    served = open_assistant(fake_settings_for(index_dir, chroma_url=chroma_server), FakeEmbedder())
    for q in ("What will Integrated Care Boards do?", "How many signatures did the petition get?",
              "What does the LGA think about ICS NHS bodies?"):
        remote = served.search(q, k=5)
        local = fake_assistant.search(q, k=5)
        assert remote and remote[0].chunk.id == local[0].chunk.id, q
        assert [h.chunk.id for h in remote] == [h.chunk.id for h in local], q

    second = build(corpus, index_dir, FakeEmbedder(), chroma_url=chroma_server, force=True)
    third = build(corpus, index_dir, FakeEmbedder(), chroma_url=chroma_server, force=True)
    live = server_collections(chroma_server)
    assert m["chroma"]["collection"] not in live, "a rebuild drops the collection of an old build"
    assert live == {f"hcb-{second.build_id}", f"hcb-{third.build_id}"}   # the live build and the one before it
    assert open_index(index_dir, chroma_url=chroma_server).store.count() == third.chunks


# ---------------------------------------------------------------- format 3: stored statistics, memory-mapped vectors

def test_vectors_are_memory_mapped_and_idf_is_stored_by_the_build(tmp_path, built):
    from assistant.index.arrays import passage_idf, passage_words

    idx = open_index(copy_index(built, tmp_path / "index"))
    assert isinstance(idx.chunk_vectors.base, np.memmap) and isinstance(idx.sentence_vectors.base, np.memmap)
    assert not idx.sentence_vectors.flags.writeable, "a serving process never writes its index"
    assert idx.idf == pytest.approx(passage_idf(idx.chunks))
    assert idx.words == tuple(passage_words(idx.chunks)) and "integrated" in idx.words
    # each passage's sentences sit at its offsets, as the answer stage reads them
    emb = FakeEmbedder()
    for r in (0, len(idx.chunks) // 2, len(idx.chunks) - 1):
        c = idx.chunks[r]
        rows = idx.sentence_vectors[idx.sentence_offsets[r]:idx.sentence_offsets[r + 1]]
        assert np.allclose(rows, emb.embed(c.sentence_texts()), atol=1e-6)
        assert (idx.sentence_owner[idx.sentence_offsets[r]:idx.sentence_offsets[r + 1]] == r).all()


def to_format_1(folder: Path) -> None:
    """Rewrite a build as format 1 wrote it: one vectors.npz (each distinct text's vector once, rows
    pointing into it), no stored IDF, no fast copy of the chunks, no format field."""
    keys = [k.decode() for k in np.load(folder / "text_keys.npy").tolist()]
    n = len(np.load(folder / "sentence_counts.npy"))
    vectors = np.concatenate([np.load(folder / "chunk_vectors.npy"), np.load(folder / "sentence_vectors.npy")])
    first_row = dict(zip(reversed(keys), reversed(range(len(keys)))))   # key → first row holding it
    position = {k: i for i, k in enumerate(first_row)}
    np.savez(folder / "vectors.npz", keys=np.array(list(first_row)), vectors=vectors[list(first_row.values())],
             chunk_rows=np.array([position[k] for k in keys[:n]], dtype=np.int64),
             sentence_rows=np.array([position[k] for k in keys[n:]], dtype=np.int64),
             sentence_counts=np.load(folder / "sentence_counts.npy"))
    for name in ("chunk_vectors.npy", "sentence_vectors.npy", "sentence_counts.npy", "text_keys.npy", "idf.json",
                 "words.json", "chunks.marshal"):
        (folder / name).unlink()
    m = json.loads((folder / "manifest.json").read_text())
    del m["format"]
    (folder / "manifest.json").write_text(json.dumps(m))


def test_a_build_in_the_older_format_is_stale_serves_and_its_vectors_are_reused(tmp_path, corpus, built):
    index_dir = copy_index(built, tmp_path / "index")
    new = open_index(index_dir)
    to_format_1(index_dir / "builds" / current(index_dir))

    st = status(corpus, index_dir, FakeEmbedder.name)
    assert (st.state, st.reasons, st.exit_code) == ("stale", ("index format changed (1 → 3)",), 1)
    old = open_index(index_dir)                 # stale, like a changed corpus: it serves until rebuilt
    assert old.chunks == new.chunks and old.idf == pytest.approx(new.idf) and old.words == new.words
    assert np.array_equal(old.chunk_vectors, new.chunk_vectors) and np.array_equal(old.sentence_vectors, new.sentence_vectors)
    emb = CountingEmbedder()
    report = build(corpus, index_dir, emb)
    assert report.changed and emb.texts == 0 and report.embedded == 0, "the old build's vectors are reused"
    assert report.reason == "index format changed (1 → 3)"
    assert status(corpus, index_dir, FakeEmbedder.name).state == "fresh"
    assert np.array_equal(open_index(index_dir).sentence_vectors, new.sentence_vectors)


def test_a_format_2_build_without_stored_words_is_stale_and_serves(tmp_path, corpus, built):
    index_dir = copy_index(built, tmp_path / "index")
    new = open_index(index_dir)
    folder = index_dir / "builds" / current(index_dir)
    (folder / "words.json").unlink()
    m = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**m, "format": 2}))
    st = status(corpus, index_dir, FakeEmbedder.name)
    assert (st.state, st.reasons) == ("stale", ("index format changed (2 → 3)",))
    assert open_index(index_dir).words == new.words          # listed from the passages instead
    report = build(corpus, index_dir, CountingEmbedder())
    assert report.changed and report.embedded == 0 and (index_dir / "builds" / current(index_dir) / "words.json").is_file()


def test_a_damaged_build_in_the_older_format_is_broken(tmp_path, corpus, built):
    index_dir = copy_index(built, tmp_path / "index")
    folder = index_dir / "builds" / current(index_dir)
    to_format_1(folder)
    (folder / "vectors.npz").write_bytes((folder / "vectors.npz").read_bytes()[:1000])
    st = status(corpus, index_dir, FakeEmbedder.name)
    assert st.state == "broken" and "vectors.npz cannot be read" in st.reasons[0], st.reasons
    emb = CountingEmbedder()
    report = build(corpus, index_dir, emb)
    assert emb.texts == report.embedded > 0, "damaged vectors are embedded again, never reused"


def test_a_build_embeds_texts_longest_first_in_large_calls(tmp_path, corpus):
    emb = CountingEmbedder()
    calls = []
    inner = emb.inner.embed
    emb.inner.embed = lambda texts: calls.append(list(texts)) or inner(texts)
    report = build(corpus, tmp_path, emb)
    lengths = [len(t) for call in calls for t in call]
    assert lengths == sorted(lengths, reverse=True), "padding stays small when lengths are sorted"
    assert len(calls) == -(-report.embedded // 256), "calls of 256 texts: sentence-transformers batches within a call"
