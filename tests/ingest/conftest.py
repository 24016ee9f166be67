"""Fixtures for fetching and ingestion: a local HTTP server on 127.0.0.1 and throw-away corpus copies.

Nothing here writes to the shipped corpus/ or index/: every test works on copies under tmp_path.
"""

from __future__ import annotations

import shutil
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


class Handler(SimpleHTTPRequestHandler):
    """Static files (with Last-Modified / If-Modified-Since) plus a few misbehaving addresses."""

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/loop"):
            n = int(path.removeprefix("/loop") or 0)
            return self._redirect(f"/loop{n + 1}")
        if path == "/to-file":
            return self._redirect("file:///etc/passwd")
        if path == "/moved.pdf":
            return self._redirect("/white-paper.pdf")
        if path == "/huge":           # declares a body over any small cap
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            return
        if path == "/stream":         # no Content-Length: the cap must be enforced while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 1024)
            return
        if path == "/slow":
            time.sleep(3)
            return self._redirect("/white-paper.pdf")
        if path.startswith("/nocond/"):   # ignores conditional headers: the hash decides
            del self.headers["If-Modified-Since"]
            self.path = path.removeprefix("/nocond")
        return super().do_GET()

    def _redirect(self, to: str):
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server(tmp_path):
    """(base_url, folder): files written to `folder` are served at base_url/NAME."""
    folder = tmp_path / "www"
    folder.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", folder
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port():
    """A loopback port with nothing listening: connecting fails at once, like a machine without network."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def workspace(tmp_path, fake_settings) -> Settings:
    """A copy of the shipped corpus and of a fake-embedder index of it, with settings pointing at them."""
    corpus_dir, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(ROOT / "corpus", corpus_dir)
    shutil.copytree(fake_settings.index_dir, index_dir, ignore=shutil.ignore_patterns("data"))
    return Settings.from_env(env={}, corpus_dir=corpus_dir, index_dir=index_dir, data_dir=tmp_path / "data",
                             embedder="fake", fetch_timeout=5)
