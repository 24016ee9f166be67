"""The routing rules are data (assistant/routing/rules.toml): every example is declined by its rule, every
counter-example is retrieved — one parametrised test reads them all."""

from __future__ import annotations

import pytest

from assistant.routing.router import route
from assistant.routing.rules import RULES, load_rules
from assistant.types import RouteKind

EXAMPLES = [(r.name, r.kind, q) for r in RULES for q in r.examples]
COUNTER = [(r.name, q) for r in RULES for q in r.counter_examples]


def test_every_rule_has_examples_and_counter_examples():
    assert {r.kind for r in RULES} == {RouteKind.INJECTION, RouteKind.WRONGDOING, RouteKind.INVENT, RouteKind.OPINION,
                                        RouteKind.OFF_TOPIC}
    for r in RULES:
        assert len(r.examples) >= 3 and len(r.counter_examples) >= 2, r.name


@pytest.mark.parametrize("name, kind, question", EXAMPLES, ids=[f"{n}: {q[:40]}" for n, _, q in EXAMPLES])
def test_examples_are_declined_by_their_rule(fake_assistant, name, kind, question):
    r = route(question, fake_assistant.vocabulary)
    assert r.kind == kind and r.rule == name, (r.kind, r.rule)
    assert r.message.strip()


@pytest.mark.parametrize("name, question", COUNTER, ids=[f"{n}: {q[:40]}" for n, q in COUNTER])
def test_counter_examples_are_retrieved(fake_assistant, name, question):
    assert route(question, fake_assistant.vocabulary).kind == RouteKind.RETRIEVE


def test_a_short_follow_up_is_about_the_conversation_not_off_topic(fake_assistant):
    v = fake_assistant.vocabulary
    assert route("why not?", v).kind == RouteKind.OFF_TOPIC           # alone, it shares nothing with the documents
    assert route("why not?", v, "did ministers agree to pause the white paper").kind == RouteKind.RETRIEVE
    assert route("<script>alert(1)</script>", v, "integrated care boards").kind == RouteKind.OFF_TOPIC


def test_markup_only_and_gibberish_are_redirected(fake_assistant):
    for q in ("<b></b><i>  </i>", "qwxz blorfle snarg", "<img src=x onerror=alert(1)>",
              "<script>alert('nhs')</script>", "<STYLE>.nhs-council { color: red }</STYLE>", "<script>var bill = 1;"):
        assert route(q, fake_assistant.vocabulary).kind == RouteKind.OFF_TOPIC, q


def test_a_question_beside_a_script_is_still_a_question(fake_assistant):
    q = "<script>alert(1)</script> what does the white paper say about councils?"
    assert route(q, fake_assistant.vocabulary).kind == RouteKind.RETRIEVE


def test_the_rules_file_loads_from_elsewhere(tmp_path):
    f = tmp_path / "rules.toml"
    f.write_text('[[rule]]\nkind = "opinion"\nname = "x"\npatterns = [\'\\bplease judge\\b\']\n'
                 'examples = ["please judge this"]\ncounter_examples = ["judge not"]\n', encoding="utf-8")
    (rule,) = load_rules(f)
    assert rule.pattern.search("Please JUDGE it") and not rule.pattern.search("judge not")
