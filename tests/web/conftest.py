"""Fixtures for the web tests: the real app as a subprocess, Debian's Chromium through Playwright.

The app is started exactly as a person would (`python app.py --port N`) against an index built
with the real model (the `real_settings` fixture), with feedback going to a temporary data folder.
Every page records every request it makes; a request to any host but the app's fails the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webhelpers import AXE, CHROMIUM, CHROMIUM_ARGS, open_page, require, start_app


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


WIDTHS = {"desktop": (1366, 900), "phone": (375, 812)}


@pytest.fixture(params=sorted(WIDTHS))
def sized_page(request, chromium, web_app):
    """A fresh page at 1366 x 900 ("desktop") and at 375 x 812 ("phone"); the same checks as `page`."""
    width, height = WIDTHS[request.param]
    context, pg, rec = open_page(chromium, web_app, width, height)
    pg.recorder, pg.width_name = rec, request.param
    yield pg
    context.close()
    assert rec.foreign() == [], f"requests to other hosts: {rec.foreign()}"
    assert rec.dialogs == [] and rec.errors == [], (rec.dialogs, rec.errors)


@pytest.fixture(scope="session")
def axe_available(request):
    require(request.config, AXE.exists(), "axe-core is not installed: run: cd tests/web && npm ci")
