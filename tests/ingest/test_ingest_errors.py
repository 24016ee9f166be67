"""Bad files get a clear error, and adding one changes nothing."""

from __future__ import annotations

import ingest_fixtures as fx
import pytest

from assistant.ingest.operations import add_document
from assistant.errors import HcbError
from assistant.errors import IngestError
from assistant.ingest.convert import convert

BAD = {
    "corrupt.pdf": (fx.corrupt_pdf, "corrupt or truncated PDF"),
    "encrypted.pdf": (fx.encrypted_pdf, "encrypted and needs a password"),
    "scanned.pdf": (fx.scanned_pdf, "no extractable text on its 2 pages \\(it looks scanned\\)"),
    "empty.txt": (lambda: b"", "is empty"),
    "blank.md": (lambda: b"\n \n\t\n", "is empty"),
    "error-page.pdf": (lambda: b"<html><body>Not found</body></html>", "not a PDF"),
    "nav-only.html": (lambda: fx.NO_MAIN_HTML.encode(), "no main content"),
    "latin1.txt": (lambda: "Caf\u00e9 society".encode("latin-1"), "not UTF-8 text"),
    "title-only.md": (lambda: b"# Just a title\n", "has no text"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_refused_with_a_clear_message(name):
    make, message = BAD[name]
    with pytest.raises(IngestError, match=message):
        convert(make(), "T", name=name)


def test_file_over_the_size_cap_is_refused():
    data = fx.white_paper_pdf(pages=3)
    with pytest.raises(IngestError, match=r"over the 1,000-byte limit"):
        convert(data, "T", name="big.pdf", max_bytes=1000)
    assert convert(data, "T", name="big.pdf", max_bytes=len(data)).pages == 3


@pytest.mark.parametrize("name", [*sorted(BAD), "oversized.pdf"])
def test_adding_a_bad_file_changes_nothing(name, workspace, tmp_path):
    data = fx.white_paper_pdf(pages=3) if name == "oversized.pdf" else BAD[name][0]()
    path = tmp_path / name
    path.write_bytes(data)
    settings = workspace.with_(fetch_max_bytes=1000) if name == "oversized.pdf" else workspace
    before = fx.snapshot(settings.corpus_dir), fx.snapshot(settings.index_dir)
    with pytest.raises(HcbError):
        add_document(settings, str(path), title="Bad", publisher="Test", date="2022-01-01", kind="government")
    assert (fx.snapshot(settings.corpus_dir), fx.snapshot(settings.index_dir)) == before
    assert not [p for p in settings.corpus_dir.iterdir() if p.name.startswith(".staging")]
