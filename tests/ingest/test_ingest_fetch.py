"""fetch.download against a local server on 127.0.0.1: limits, redirects, conditional requests."""

from __future__ import annotations

import hashlib

import ingest_fixtures as fx
import pytest

from assistant.errors import FetchError
from assistant.ingest.fetch import MAX_REDIRECTS, download


@pytest.fixture
def served(server):
    base, www = server
    data = fx.white_paper_pdf(pages=2)
    (www / "white-paper.pdf").write_bytes(data)
    return base, data


def test_download_records_provenance(served):
    base, data = served
    d = download(f"{base}/white-paper.pdf", max_bytes=10**7)
    assert not d.not_modified and d.data == data
    assert d.sha256 == hashlib.sha256(data).hexdigest()
    assert d.content_type == "application/pdf" and d.last_modified and d.retrieved.endswith("Z")


def test_conditional_request_gets_not_modified(served):
    base, _ = served
    first = download(f"{base}/white-paper.pdf", max_bytes=10**7)
    again = download(f"{base}/white-paper.pdf", max_bytes=10**7, last_modified=first.last_modified)
    assert again.not_modified and again.data == b""


def test_redirect_is_followed_and_recorded(served):
    base, data = served
    d = download(f"{base}/moved.pdf", max_bytes=10**7)
    assert d.data == data and d.final_url == f"{base}/white-paper.pdf"


@pytest.mark.parametrize("path, cap, message", [
    ("/huge", 10**6, r"is 1,000,000,000 bytes, over the 1,000,000-byte limit"),
    ("/stream", 10_000, r"over the 10,000-byte limit"),
    ("/loop", 10**6, rf"redirected more than {MAX_REDIRECTS} times"),
    ("/to-file", 10**6, r"not an http\(s\) address"),
    ("/missing.pdf", 10**6, r"answered HTTP 404"),
])
def test_limits_and_errors(server, path, cap, message):
    base, _ = server
    with pytest.raises(FetchError, match=message):
        download(base + path, max_bytes=cap)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.pdf", "white-paper.pdf"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match=r"only http and https"):
        download(url, max_bytes=10**6)


def test_no_network_is_one_clear_error(closed_port):
    with pytest.raises(FetchError, match=r"^cannot connect to 127\.0\.0\.1:\d+ \(no network\?\)$"):
        download(f"http://127.0.0.1:{closed_port}/white-paper.pdf", max_bytes=10**6, timeout=5)


def test_timeout(server):
    base, _ = server
    with pytest.raises(FetchError, match=r"did not answer within 1 s"):
        download(f"{base}/slow", max_bytes=10**6, timeout=1)
