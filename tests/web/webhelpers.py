"""Helpers for the web tests: start the real app, open pages that record their requests, ask, screenshot.

The app is started exactly as a person would (`python app.py --port N`) against an index built
with the real model (the `real_settings` fixture), with feedback going to a temporary data folder.
Every page records every request it makes; a request to any host but the app's fails the test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def require(config, condition: bool, reason: str) -> None:
    """The root conftest's `require` (skip locally, fail under CI=true).

    Two conftest.py files share the module name "conftest", so it is found among pytest's plugins.
    """
    root = (ROOT / "tests" / "conftest.py").resolve()
    for plugin in config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == root:
            return plugin.require(condition, reason)
    raise RuntimeError("tests/conftest.py is not loaded")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningApp:
    url: str
    port: int
    data_dir: Path
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen | None) -> None:
    """Terminate a process this test started (kill it if it does not stop within 20 s)."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def start_app(env_extra: dict[str, str], data_dir: Path, timeout: float = 240) -> RunningApp:
    """Run `python app.py --port N` and wait until it serves its page (or fail with its log)."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / f"app-{port}.log"   # replicas may share one data folder
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_DISABLE_TELEMETRY": "1",
           "HCB_DATA_DIR": str(data_dir), **env_extra}
    env.pop("HCB_HOST", None)
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    app = RunningApp(f"http://127.0.0.1:{port}/", port, data_dir, proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"app.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(app.url, timeout=2).status_code == 200:
                return app
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    app.stop()
    pytest.fail(f"app.py did not serve within {timeout}s:\n{log.read_text()[-3000:]}")


@dataclass
class Recorder:
    """What a page did: every request URL, every JavaScript dialog, every page error."""

    allowed_host: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).netloc != self.allowed_host]


def open_page(browser, app: RunningApp, width: int = 1366, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    rec = Recorder(f"127.0.0.1:{app.port}")
    context.on("request", lambda r: rec.requests.append(r.url))
    page.on("dialog", lambda d: (rec.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: rec.errors.append(str(e)))
    page.goto(app.url)
    page.wait_for_selector("#question textarea", timeout=60_000)
    return context, page, rec


def ask(page, question: str, *, press_enter: bool = True, timeout: float = 30_000) -> int:
    """Type a question, submit it and wait until its answer is complete; return the answer's number."""
    page.wait_for_function("!document.querySelector('#current article.turn')", timeout=timeout)   # none in progress
    before = page.locator("#transcript article.turn").count()
    page.fill("#question textarea", question)
    if press_enter:
        page.press("#question textarea", "Enter")
    else:
        page.click("#ask")
    n = before + 1
    page.wait_for_selector(f"#ans-{n} .answer[aria-busy='false']", timeout=timeout)
    return n


def in_viewport(page, selector: str) -> bool:
    """Whether the element's box is at least partly inside the window."""
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; }""", selector)


def shot(page, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path
