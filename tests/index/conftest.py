"""Fixtures of the index tests: a real `chroma run` server on a free loopback port."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .._support import free_port, require


class ServerURL(str):
    """The address of a `chroma run` server; `.stop()` and `.start()` it for outage tests (same data, same port)."""

    def __new__(cls, url: str, args: list[str], folder: Path):
        self = super().__new__(cls, url)
        self.args, self.folder, self.proc = args, folder, None
        return self

    def start(self) -> None:
        with (self.folder / "chroma.log").open("ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        up, deadline = False, time.monotonic() + 60
        while not up and self.proc.poll() is None and time.monotonic() < deadline:
            try:
                up = httpx.get(f"{self}/api/v2/heartbeat", timeout=2).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        require(up, f"`chroma run` did not start: {(self.folder / 'chroma.log').read_text(errors='replace')[-500:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def chroma_server(tmp_path):
    exe = Path(sys.executable).parent / "chroma"
    require(exe.exists(), f"{exe} not installed (pip install chromadb)")
    port = free_port()
    server = ServerURL(f"http://127.0.0.1:{port}",
                       [str(exe), "run", "--path", str(tmp_path / "chroma-data"), "--port", str(port)], tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()
