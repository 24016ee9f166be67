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
    """The server's address; `.stop()` stops it (a test of an outage)."""

    def __new__(cls, url: str, proc: subprocess.Popen):
        self = super().__new__(cls, url)
        self.proc = proc
        return self

    def stop(self) -> None:
        if self.proc.poll() is None:
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
    log = (tmp_path / "chroma.log").open("wb")
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "chroma-data"), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        up, deadline = False, time.monotonic() + 60
        while not up and proc.poll() is None and time.monotonic() < deadline:
            try:
                up = httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        log.flush()
        require(up, f"`chroma run` did not start: {(tmp_path / 'chroma.log').read_text(errors='replace')[-500:]}")
        yield ServerURL(url, proc)
    finally:
        ServerURL(url, proc).stop()
        log.close()
