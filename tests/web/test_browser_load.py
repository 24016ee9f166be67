"""Twenty people asking at once through the page itself (streamed answers, the real queue)."""

from __future__ import annotations

import json

import pytest

from load_check import QUESTIONS, percentile
from webhelpers import ARTIFACTS, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

USERS = 20
TIMERS = """() => {
  const t = document.querySelector('#transcript');
  new MutationObserver(() => {
    const now = performance.now();
    if (window.__first === undefined && t.querySelector('#ans-1 .unit')) window.__first = now;
    if (window.__done === undefined && t.querySelector("#ans-1 .answer[aria-busy='false']")) window.__done = now;
  }).observe(t, {subtree: true, childList: true, attributes: true});
}"""


def test_twenty_simultaneous_page_users_all_get_answers(chromium, web_app):
    opened = []
    try:
        for i in range(USERS):
            context, page, rec = open_page(chromium, web_app, 1024, 768)
            opened.append((context, page, rec))
            page.fill("#question textarea", QUESTIONS[i % len(QUESTIONS)])
            page.evaluate(TIMERS)
        for _, page, _ in opened:            # as close to simultaneous as one driver can click
            page.evaluate("() => { window.__t0 = performance.now(); document.querySelector('#ask').click(); }")
        total, first, errors = [], [], []
        for i, (_, page, rec) in enumerate(opened):
            try:
                page.wait_for_function("window.__done !== undefined", timeout=120_000)
            except Exception as e:  # noqa: BLE001 - a page that never finished is an error, reported below
                errors.append(f"user {i}: no answer ({type(e).__name__})")
                continue
            behaviour = page.locator("#ans-1").get_attribute("class")
            if "answer" not in behaviour.split() or page.locator("#status .error, .toast-body.error").count():
                errors.append(f"user {i}: {behaviour}: {page.locator('#status').inner_text()}")
            errors += [f"user {i}: page error {e}" for e in rec.errors]
            t = page.evaluate("[window.__t0, window.__first, window.__done]")
            first.append((t[1] - t[0]) / 1000)
            total.append((t[2] - t[0]) / 1000)
        report = {"users": USERS, "answered": len(total), "errors": len(errors), "error_messages": errors,
                  "first_sentence_p50_s": round(percentile(first, 50), 3), "first_sentence_p95_s": round(percentile(first, 95), 3),
                  "complete_p50_s": round(percentile(total, 50), 3), "complete_p95_s": round(percentile(total, 95), 3),
                  "complete_max_s": round(max(total), 3) if total else None}
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "load-browser.json").write_text(json.dumps(report, indent=2))
        print("load via the page:", report)
        assert errors == [] and len(total) == USERS
    finally:
        for context, _, rec in opened:
            context.close()
            assert rec.foreign() == [] and rec.dialogs == []
