"""Fetch, add, remove, list on a corpus copy with a fake-embedder index: provenance, the
unchanged / changed / offline paths, incremental index updates and chunk counts."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import ingest_fixtures as fx
import pytest

from assistant.errors import IndexUpdateError
from assistant.ingest.operations import add_document, fetch_documents, list_documents, remove_document
from assistant.index.embed import FakeEmbedder
from assistant.errors import CorpusError
from assistant.corpus.manifest import load_corpus


def _entry(settings, doc_id) -> dict:
    manifest = tomllib.loads((Path(settings.corpus_dir) / "manifest.toml").read_text(encoding="utf-8"))
    return next(e for e in manifest["documents"] if e["id"] == doc_id)


def _current(settings) -> str:
    return (Path(settings.index_dir) / "CURRENT").read_text()


@pytest.fixture
def fixture_doc(workspace, server):
    """A multi-page PDF served locally and listed for fetching as `wp-fixture`."""
    base, www = server
    (www / "white-paper.pdf").write_bytes(fx.white_paper_pdf(pages=5))
    fx.register(workspace.corpus_dir, "wp-fixture", f"{base}/white-paper.pdf", title="Fixture White Paper")
    return workspace, base, www


def test_fetch_writes_text_provenance_and_indexes_incrementally(fixture_doc):
    settings, base, www = fixture_doc
    before = fx.live_chunks(settings)
    report = fetch_documents(settings, ("wp-fixture",), embedder=FakeEmbedder())
    assert report.changed == ("wp-fixture: fetched (pdf, 5 pages, headings: outline)",) and not report.failed
    text = (settings.corpus_dir / "wp-fixture.md").read_text(encoding="utf-8")
    assert text.startswith("# Fixture White Paper\n\n<!-- page: 1 -->") and fx.PAGE3_SENTENCE in text
    e = _entry(settings, "wp-fixture")
    assert e["status"] == "fetched" and e["file"] == "wp-fixture.md"
    assert e["sha256"] == fx.hashlib.sha256((www / "white-paper.pdf").read_bytes()).hexdigest()
    assert e["content_type"] == "application/pdf" and e["size"] == (www / "white-paper.pdf").stat().st_size
    assert e["retrieved"].endswith("Z") and e["last_modified"] and e["pages"] == 5 and e["headings"] == "outline"
    # incremental: the old passages are all reused, only the new document's text is embedded
    after = fx.live_chunks(settings)
    new = [c for c in after if c["doc_id"] == "wp-fixture"]
    assert len(after) == len(before) + len(new) and new
    assert {c["page"] for c in new} == {1, 2, 3, 4, 5}
    assert report.build.embedded > 0 and report.build.reused >= len(before)
    old_texts = {c["text"] for c in before}
    assert old_texts <= {c["text"] for c in after}
    assert load_corpus(settings.corpus_dir).doc("wp-fixture").status == "fetched"


def test_refetch_unchanged_does_nothing(fixture_doc):
    settings, base, www = fixture_doc
    fetch_documents(settings, embedder=FakeEmbedder())          # no ids: every document with an address
    manifest, build = (settings.corpus_dir / "manifest.toml").read_bytes(), _current(settings)
    report = fetch_documents(settings, ("wp-fixture",), embedder=FakeEmbedder())
    assert report.changed == () and report.build is None
    assert report.unchanged[0].startswith("wp-fixture: unchanged since ")
    assert (settings.corpus_dir / "manifest.toml").read_bytes() == manifest and _current(settings) == build


def test_refetch_unchanged_by_hash_when_server_ignores_conditions(fixture_doc):
    settings, base, www = fixture_doc
    fx.set_url(settings.corpus_dir, "wp-fixture", f"{base}/nocond/white-paper.pdf")
    fetch_documents(settings, ("wp-fixture",), embedder=FakeEmbedder())
    snap = fx.snapshot(settings.corpus_dir)
    report = fetch_documents(settings, ("wp-fixture",), embedder=FakeEmbedder())
    assert report.changed == () and len(report.unchanged) == 1 and fx.snapshot(settings.corpus_dir) == snap


def test_changed_document_is_replaced_and_reindexed(fixture_doc):
    settings, base, www = fixture_doc
    fetch_documents(settings, ("wp-fixture",), embedder=FakeEmbedder())
    old_sha = _entry(settings, "wp-fixture")["sha256"]
    path = www / "white-paper.pdf"
    path.write_bytes(fx.white_paper_pdf(pages=4, sentence_page=2))      # new edition: one page fewer
    later = path.stat().st_mtime + 10
    os.utime(path, (later, later))
    report = fetch_documents(settings, ("wp-fixture",), embedder=FakeEmbedder())
    assert report.changed == ("wp-fixture: replaced (pdf, 4 pages, headings: outline)",)
    assert _entry(settings, "wp-fixture")["sha256"] != old_sha
    new = [c for c in fx.live_chunks(settings) if c["doc_id"] == "wp-fixture"]
    assert {c["page"] for c in new} == {1, 2, 3, 4}
    assert [c["page"] for c in new if fx.PAGE3_SENTENCE in c["text"]] == [2]


def test_offline_fetch_names_documents_and_writes_nothing(workspace, closed_port):
    fx.set_url(workspace.corpus_dir, "white-paper", f"http://127.0.0.1:{closed_port}/white-paper.pdf")
    fx.register(workspace.corpus_dir, "bill", f"http://127.0.0.1:{closed_port}/bill.pdf")
    before = fx.snapshot(workspace.corpus_dir), fx.snapshot(workspace.index_dir)
    report = fetch_documents(workspace, embedder=FakeEmbedder())
    assert [i for i, _ in report.failed] == ["white-paper", "bill"] and not report.changed
    message = report.failure_message()
    assert "\n" not in message and message.startswith("could not fetch 2 documents (white-paper: cannot connect")
    assert message.endswith("run `hcb corpus fetch white-paper bill` where the address can be reached")
    assert (fx.snapshot(workspace.corpus_dir), fx.snapshot(workspace.index_dir)) == before


def test_partial_failure_keeps_the_documents_that_worked(fixture_doc, closed_port):
    settings, base, www = fixture_doc
    fx.set_url(settings.corpus_dir, "white-paper", f"http://127.0.0.1:{closed_port}/white-paper.pdf")
    report = fetch_documents(settings, embedder=FakeEmbedder())
    assert [i for i, _ in report.failed] == ["white-paper"] and report.changed[0].startswith("wp-fixture: fetched")
    assert _entry(settings, "white-paper")["status"] == "not_fetched"


def test_a_bad_download_is_refused_and_nothing_written(fixture_doc):
    settings, base, www = fixture_doc
    (www / "white-paper.pdf").write_bytes(fx.scanned_pdf())
    before = fx.snapshot(settings.corpus_dir)
    report = fetch_documents(settings, ("wp-fixture",), embedder=FakeEmbedder())
    assert "it looks scanned" in report.failed[0][1] and fx.snapshot(settings.corpus_dir) == before


def test_curated_documents_are_not_fetched(workspace):
    with pytest.raises(CorpusError, match="'petition' is curated"):
        fetch_documents(workspace, ("petition",), embedder=FakeEmbedder())


def test_add_local_pdf_indexes_only_it(workspace, tmp_path):
    pdf = tmp_path / "Health and Care Act.pdf"
    pdf.write_bytes(fx.white_paper_pdf(pages=3))
    before = fx.live_chunks(workspace)
    manifest_before = (workspace.corpus_dir / "manifest.toml").read_text(encoding="utf-8")
    report = add_document(workspace, str(pdf), title="Health and Care Act 2022", publisher="The Stationery Office",
                          date="2022-04-28", kind="parliament", url="https://example.org/act.pdf",
                          embedder=FakeEmbedder())
    assert report.changed == ("health-and-care-act: added (pdf, 3 pages, headings: outline; speaker stationery_office, new)",)
    manifest_after = (workspace.corpus_dir / "manifest.toml").read_text(encoding="utf-8")
    assert manifest_after.startswith(manifest_before.rstrip("\n"))         # comments and layout kept; appended
    corpus = load_corpus(workspace.corpus_dir)
    doc, speaker = corpus.doc("health-and-care-act"), corpus.speakers["stationery_office"]
    assert doc.status == "added" and doc.file == "health-and-care-act.md" and doc.url == "https://example.org/act.pdf"
    assert speaker.attribution == "The Stationery Office document says" and speaker.kind == "parliament"
    e = _entry(workspace, "health-and-care-act")
    assert e["sha256"] == fx.hashlib.sha256(pdf.read_bytes()).hexdigest() and e["origin"] == pdf.name
    after = fx.live_chunks(workspace)
    new = [c for c in after if c["doc_id"] == "health-and-care-act"]
    assert len(after) == len(before) + len(new) and new
    sentences = sum(len(c["sentences"]) for c in new)
    assert report.build.embedded <= len(new) + sentences     # nothing of the old corpus re-embedded


def test_add_with_existing_speaker_and_text_file(workspace, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("The department will publish guidance on joint committees.\n\nIt will consult first.\n", encoding="utf-8")
    add_document(workspace, str(path), title="A note", publisher="Department of Health and Social Care",
                 date="2022-01-01", kind="government", speaker="dhsc", embedder=FakeEmbedder())
    doc = load_corpus(workspace.corpus_dir).doc("note")
    assert doc.speaker == "dhsc" and doc.text.startswith("# A note\n\nThe department will publish")
    assert "[speakers.department" not in (workspace.corpus_dir / "manifest.toml").read_text(encoding="utf-8")


def test_add_refuses_duplicates_and_bad_fields(workspace, tmp_path):
    path = tmp_path / "petition.md"
    path.write_text("Some text that is long enough to be a paragraph of a document.\n", encoding="utf-8")
    snap = fx.snapshot(workspace.corpus_dir)
    common = dict(title="T", publisher="P", date="2022-01-01", kind="news", embedder=FakeEmbedder())
    with pytest.raises(CorpusError, match="'petition' is already in the corpus"):
        add_document(workspace, str(path), **common)
    with pytest.raises(CorpusError, match="unknown kind 'blog'"):
        add_document(workspace, str(path), doc_id="x", **{**common, "kind": "blog"})
    with pytest.raises(CorpusError, match="not an ISO date"):
        add_document(workspace, str(path), doc_id="x", **{**common, "date": "May 2022"})
    with pytest.raises(CorpusError, match="undefined speaker"):     # caught by the staged load, not by luck
        path.write_text("<!-- speaker: nobody -->\n\nText by an unknown voice.\n", encoding="utf-8")
        add_document(workspace, str(path), doc_id="x", speaker="dhsc", **common)
    assert fx.snapshot(workspace.corpus_dir) == snap


def test_add_then_remove_restores_the_manifest_byte_for_byte(workspace, tmp_path):
    path = tmp_path / "briefing.md"
    path.write_text("# Own title\n\n## Summary\n\nThe committee met twice and agreed the plan.\n", encoding="utf-8")
    before = fx.snapshot(workspace.corpus_dir)
    add_document(workspace, str(path), title="Briefing", publisher="Local Government Association", date="2022-03-01",
                 kind="local_government", speaker="lga", update_index=False)
    assert (workspace.corpus_dir / "briefing.md").read_text(encoding="utf-8") == (
        "# Briefing\n\n## Summary\n\nThe committee met twice and agreed the plan.\n")
    remove_document(workspace, "briefing", update_index=False)
    assert fx.snapshot(workspace.corpus_dir) == before


def test_add_from_an_address(workspace, server):
    base, www = server
    (www / "guidance.html").write_text(fx.GOVUK_HTML, encoding="utf-8")
    add_document(workspace, f"{base}/guidance.html", title="Health and care guidance", publisher="NHS England",
                 date="2022-07-14", kind="nhs", embedder=FakeEmbedder())
    e = _entry(workspace, "guidance")
    assert e["status"] == "fetched" and e["url"] == f"{base}/guidance.html" and e["content_type"].startswith("text/html")
    assert "cookies" not in (workspace.corpus_dir / "guidance.md").read_text(encoding="utf-8")
    assert fetch_documents(workspace, ("guidance",), embedder=FakeEmbedder()).unchanged   # re-checkable later


def test_remove_leaves_no_chunks(workspace):
    before = fx.live_chunks(workspace)
    gone = [c for c in before if c["doc_id"] == "pulse-petition"]
    assert gone
    report = remove_document(workspace, "pulse-petition", embedder=FakeEmbedder())
    after = fx.live_chunks(workspace)
    assert len(after) == len(before) - len(gone)
    assert not [c for c in after if c["doc_id"] == "pulse-petition"]
    assert report.build.embedded == 0                        # removal embeds nothing
    assert not (workspace.corpus_dir / "pulse-petition.md").exists()
    text = (workspace.corpus_dir / "manifest.toml").read_text(encoding="utf-8")
    assert 'id = "pulse-petition"' not in text and "# Source corpus manifest." in text
    assert "# The title contains a no-break space" in text
    with pytest.raises(CorpusError, match="no document 'pulse-petition'"):
        remove_document(workspace, "pulse-petition", embedder=FakeEmbedder())


def test_list_shows_counts_and_index_state(fixture_doc):
    settings, base, www = fixture_doc
    rows = {r.id: r for r in list_documents(settings)}
    assert rows["wp-fixture"].indexed == "not fetched" and rows["wp-fixture"].chunks == 0
    assert rows["white-paper"].indexed == "not fetched"
    expected = {}
    for c in fx.live_chunks(settings):
        expected[c["doc_id"]] = expected.get(c["doc_id"], 0) + 1
    assert {i: r.chunks for i, r in rows.items() if r.chunks} == expected
    assert rows["lga-briefing"].indexed == "yes" and rows["lga-briefing"].kind == "local_government"
    fetch_documents(settings, ("wp-fixture",), update_index=False)
    assert {r.id: r.indexed for r in list_documents(settings)}["wp-fixture"] == "no"
    fetch_documents(settings, ("wp-fixture",), force=True, embedder=FakeEmbedder())
    row = {r.id: r for r in list_documents(settings)}["wp-fixture"]
    assert row.indexed == "yes" and row.chunks > 0


def test_failed_index_update_keeps_the_previous_build_serving(fixture_doc):
    """The atomic swap still holds: an embedding failure leaves CURRENT on the old, complete build."""
    settings, base, www = fixture_doc

    class Broken(FakeEmbedder):
        def embed(self, texts):
            raise RuntimeError("model crashed")

    build = _current(settings)
    with pytest.raises(RuntimeError):
        fetch_documents(settings, ("wp-fixture",), embedder=Broken())
    assert _current(settings) == build
    assert {r.id: r.indexed for r in list_documents(settings)}["wp-fixture"] == "no"
    with pytest.raises(IndexUpdateError, match="run: hcb index build"):
        settings2 = settings.with_(embedder="no-such-model")
        fetch_documents(settings2, ("wp-fixture",), force=True)
