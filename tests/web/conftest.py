"""Fixtures for the web tests: the real app as a subprocess, Debian's Chromium through Playwright.

The app is started exactly as a person would (`python app.py --port N`) against an index built
with the real model (the `real_settings` fixture), with feedback going to a temporary data folder.
Every page records every request it makes; a request to any host but the app's fails the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webhelpers import AXE, CHROMIUM, CHROMIUM_ARGS, ROOT, open_page, start_app


def require(config, condition: bool, reason: str) -> None:
    """The root conftest's `require` (skip locally, fail under CI=true).

    Two conftest.py files share the module name "conftest", so it is found among pytest's plugins.
    """
    root = (ROOT / "tests" / "conftest.py").resolve()
    for plugin in config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == root:
            return plugin.require(condition, reason)
    raise RuntimeError("tests/conftest.py is not loaded")


@pytest.fixture(scope="session")
def web_app(real_settings, tmp_path_factory):
    """The real app over the real-model index; feedback in a temporary data folder."""
    app = start_app({"HCB_INDEX_DIR": str(real_settings.index_dir), "HCB_CORPUS_DIR": str(real_settings.corpus_dir),
                     "HCB_EMBEDDER": "minilm"}, tmp_path_factory.mktemp("web-data"))
    yield app
    app.stop()


@pytest.fixture(scope="session")
def chromium(request):
    require(request.config, Path(CHROMIUM).exists() or bool(shutil.which("chromium")),
            "Debian's chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, web_app):
    """A fresh desktop-sized page on the app; fails if it contacted any other host or opened a dialog."""
    context, pg, rec = open_page(chromium, web_app)
    pg.recorder = rec
    yield pg
    context.close()
    assert rec.foreign() == [], f"requests to other hosts: {rec.foreign()}"
    assert rec.dialogs == [], f"JavaScript dialogs opened: {rec.dialogs}"


@pytest.fixture(scope="session")
def axe_available(request):
    require(request.config, AXE.exists(), "axe-core is not installed: run: cd tests/web && npm ci")
