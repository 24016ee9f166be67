"""Fixtures of the index tests: a real `chroma run` server on a free loopback port."""

from __future__ import annotations

import pytest

from .._support import chroma_server as running_chroma_server


@pytest.fixture
def chroma_server(tmp_path):
    """A `ServerURL` (tests/_support.py): `.stop()` and `.start()` it for outage tests."""
    with running_chroma_server(tmp_path) as server:
        yield server
