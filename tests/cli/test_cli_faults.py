"""Hostile or mistaken command lines: one line and a non-zero exit, never a traceback or a silent abstention.
Each test failed on the code before the checks."""

from __future__ import annotations

import subprocess

import pytest

from .._support import HCB, ROOT, assert_one_line_error, hcb

QUESTION = "What will Integrated Care Boards do?"


@pytest.mark.parametrize("args", [["ask", b"What \xff is an ICB?"], ["search", b"care \xc3 boards"],
                                  ["ask", "What is an ICB?", "--doc", b"\xfe\xff"]])
def test_invalid_utf8_on_the_command_line_is_one_line(fake_settings, args):
    env = {"HCB_INDEX_DIR": str(fake_settings.index_dir), "HCB_EMBEDDER": "fake", "PATH": "/usr/bin:/bin",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    p = subprocess.run([str(HCB), *args], cwd=ROOT, env=env, capture_output=True, timeout=120)
    p.stdout, p.stderr = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    assert_one_line_error(p, "not valid UTF-8")
    assert p.returncode == 2


@pytest.mark.parametrize("command", ["ask", "search"])
@pytest.mark.parametrize("option, value, valid", [("--kind", "bogus", "government, parliament"),
                                                  ("--doc", "nope", "lga-briefing"),
                                                  ("--speaker", "nope", "lga")])
def test_unknown_filters_are_errors_naming_the_valid_values(fake_settings, command, option, value, valid):
    p = hcb(command, QUESTION, option, value, index_dir=fake_settings.index_dir)
    assert_one_line_error(p, f"unknown", repr(value), option, valid)
    assert p.returncode == 2 and p.stdout == ""


def test_a_listed_but_unfetched_document_filter_says_how_to_fetch_it(fake_settings):
    p = hcb("ask", QUESTION, "--doc", "white-paper", index_dir=fake_settings.index_dir)
    assert_one_line_error(p, "hcb corpus fetch white-paper")


def test_valid_filters_still_answer(fake_settings):
    p = hcb("ask", QUESTION, "--kind", "government", "--doc", "govt-response", "--json", index_dir=fake_settings.index_dir)
    assert p.returncode == 0 and '"doc_id": "govt-response"' in p.stdout, p.stderr
