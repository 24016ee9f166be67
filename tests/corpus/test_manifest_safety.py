"""The manifest is data, not a licence: ids and file names are checked on load, files stay inside corpus/,
and malformed documents are refused with the document named. Each test failed on the code before the checks."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import httpx
import pytest
import tomlkit

from assistant.corpus.manifest import load_corpus
from assistant.errors import CorpusError
from assistant.ingest.operations import fetch_documents

from .._support import assert_one_line_error, copy_corpus, fake_settings_for, hcb

LOCK_FILE = ".hcb-write.lock"   # the (empty) write-lock file is not content; named here so this file imports on older code


@pytest.fixture
def box(tmp_path):
    """box/victim.md beside box/inner/corpus (a copy): `../../victim.md` from the corpus reaches the victim."""
    corpus_dir = copy_corpus(tmp_path / "box" / "inner" / "corpus")
    victim = tmp_path / "box" / "victim.md"
    victim.write_text("# Not part of the corpus\n\nAn operator's own file.\n", encoding="utf-8")
    return corpus_dir, victim


def tree(folder: Path, skip: Path) -> dict[str, str]:
    """sha256 of every file under `folder` outside `skip`: what a refused operation must leave alone."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_relative_to(skip) and p.name != LOCK_FILE}


def edit_entry(corpus_dir: Path, doc_id: str, **values) -> None:
    path = corpus_dir / "manifest.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    entry = next(e for e in doc["documents"] if e["id"] == doc_id)
    for k, v in values.items():
        entry[k] = v
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def test_remove_refuses_a_file_outside_the_corpus(box, tmp_path):
    corpus_dir, victim = box
    edit_entry(corpus_dir, "campaign-blog", file="../../victim.md")
    before = tree(tmp_path, corpus_dir)
    p = hcb("corpus", "remove", "campaign-blog", "--no-index", index_dir=tmp_path / "index", corpus_dir=corpus_dir)
    assert_one_line_error(p, "campaign-blog", "../../victim.md")
    assert victim.exists() and tree(tmp_path, corpus_dir) == before
    with pytest.raises(CorpusError, match="not a plain name inside the corpus folder"):
        load_corpus(corpus_dir)


def test_fetch_refuses_an_id_that_is_a_path(box, tmp_path):
    corpus_dir, _ = box
    edit_entry(corpus_dir, "white-paper", id="../../x", url="http://docs.example/x.html")
    before = tree(tmp_path, corpus_dir)
    html = "<html><body><main><h1>T</h1><p>" + "Integrated care boards will commission services. " * 20 + "</p></main></body></html>"
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: httpx.Response(200, text=html, headers={"Content-Type": "text/html"})))
    with pytest.raises(CorpusError, match="document id '../../x' must be lower-case"):
        fetch_documents(fake_settings_for(tmp_path / "index", corpus_dir), client=client, update_index=False)
    assert tree(tmp_path, corpus_dir) == before and not (tmp_path / "box" / "x.md").exists()


def test_a_symlink_out_of_the_corpus_is_refused_on_load(box):
    corpus_dir, victim = box
    (corpus_dir / "petition.md").unlink()
    (corpus_dir / "petition.md").symlink_to(victim)
    with pytest.raises(CorpusError, match="leads outside the corpus folder") as e:
        load_corpus(corpus_dir)
    assert "petition" in str(e.value)


def test_corpus_add_refuses_a_symlink_to_a_system_file(tmp_path):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    link = tmp_path / "notes.txt"
    link.symlink_to("/etc/passwd")
    before = tree(corpus_dir, tmp_path / "nothing")
    p = hcb("corpus", "add", str(link), "--title", "Notes", "--publisher", "Someone", "--date", "2022-01-01",
            "--kind", "news", "--no-index", index_dir=tmp_path / "index", corpus_dir=corpus_dir)
    assert_one_line_error(p, "symbolic link", "/etc/passwd")
    assert tree(corpus_dir, tmp_path / "nothing") == before


@pytest.mark.parametrize("doc_id", ["Bad", "a/b", "-x", "a b"])
def test_ids_must_be_lower_case_letters_digits_and_hyphens(tmp_path, doc_id):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    edit_entry(corpus_dir, "campaign-blog", id=doc_id)
    with pytest.raises(CorpusError, match="lower-case letters, digits and hyphens"):
        load_corpus(corpus_dir)


@pytest.mark.parametrize("marker", ["<!-- speaker lga -->", "<!-- speaker: -->", "<!-- speaker: the lga -->",
                                    "<!-- Speaker: lga", "<!-- page 3 -->"])
def test_a_malformed_marker_is_an_error_not_body_text(tmp_path, marker):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    path = corpus_dir / "campaign-blog.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4:4] = ["", marker, ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_dir)
    assert "campaign-blog" in str(e.value) and "line 6" in str(e.value) and "malformed marker" in str(e.value)


@pytest.mark.parametrize("body", ["", "\n  \n", "# Only a title\n\n<!-- speaker: lga -->\n"])
def test_an_empty_corpus_file_is_an_error_naming_the_document(tmp_path, body):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    (corpus_dir / "campaign-blog.md").write_text(body, encoding="utf-8")
    with pytest.raises(CorpusError, match="campaign-blog") as e:
        load_corpus(corpus_dir)
    assert "hcb corpus remove campaign-blog" in str(e.value)


@pytest.mark.parametrize("field, value", [("title", 5), ("publisher", ["a"]), ("file", 3), ("url", True)])
def test_manifest_text_fields_must_be_text(tmp_path, field, value):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    edit_entry(corpus_dir, "campaign-blog", **{field: value})
    with pytest.raises(CorpusError, match=f"campaign-blog.*{field}"):
        load_corpus(corpus_dir)


def test_the_shipped_corpus_passes_every_check():
    corpus = load_corpus(Path(__file__).resolve().parents[2] / "corpus")
    assert len(corpus.available) == 7 and all(os.sep not in d.id for d in corpus.documents)
