"""Question types are data (assistant/answering/qtypes.toml): one parametrised test reads every example
(must show the type) and counter-example (must not)."""

from __future__ import annotations

import pytest

from assistant.answering.qtypes import TYPES, types_of

EXAMPLES = [(t.name, q) for t in TYPES for q in t.examples]
COUNTER = [(t.name, q) for t in TYPES for q in t.counter_examples]


def test_every_type_has_examples_and_counter_examples():
    assert {t.name for t in TYPES} >= {"date", "number", "money", "who", "list", "definition", "reason", "comparison", "yes_no"}
    for t in TYPES:
        assert len(t.examples) >= 3 and len(t.counter_examples) >= 2, t.name


@pytest.mark.parametrize("name, question", EXAMPLES, ids=[f"{n}: {q[:40]}" for n, q in EXAMPLES])
def test_examples_show_their_type(name, question):
    assert name in [t.name for t in types_of(question)]


@pytest.mark.parametrize("name, question", COUNTER, ids=[f"{n}: {q[:40]}" for n, q in COUNTER])
def test_counter_examples_do_not(name, question):
    assert name not in [t.name for t in types_of(question)]


def test_forms_find_what_the_type_wants():
    by = {t.name: t for t in TYPES}
    assert by["date"].evidence.search("This response was given on 6 August 2021")
    assert by["number"].evidence.search("over 190,000 individual responses")
    assert not by["number"].evidence.search("on 6 August 2021")
    assert by["money"].evidence.search("a £250m fund") and not by["money"].evidence.search("250 people")
    assert by["who"].evidence.search("The debate was led by Margaret Greenwood MP.")
    assert by["list"].evidence.search("comprising a chair, the chief executive, and representatives of councils")
    assert by["list"].evidence.search("It asks the Government to:")
    assert not by["list"].evidence.search("The Bill, which was published in July, sets out the plan.")


def test_a_persons_name_is_one_the_corpus_never_writes_in_lower_case():
    from assistant.answering.qtypes import evidence_forms
    person = evidence_forms(lambda: ["social care and the long term plan", "will they agree?"])["person"]
    names = lambda text: [m.group(0) for m in person.finditer(text)]
    assert names("The debate was led by Margaret Greenwood MP.") == ["Margaret Greenwood MP"]
    assert names("Minister for Health and Secondary Care Will Quince MP replied.") == ["Will Quince MP"]
    assert names("NHS England’s London Regional Director Sir David Sloman wrote.") == ["Sir David Sloman"]
    assert names("Care England backs the Long Term Plan.") == []          # words the corpus writes in lower case
    assert names("Thanks Jayne, it started ages ago.") == []              # a sentence's first word, and one name
