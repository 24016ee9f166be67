"""The structured answer: answer first, one opener per speaker block, sides in a fixed order, conversations
through the Python API, declines and abstentions that say why, and the explain view."""

from __future__ import annotations

import json

import pytest

from assistant.types import speaker_blocks as blocks
from assistant.text import stem, tokenize, words
from assistant.types import KINDS, Answer, Behaviour, Note, Reason, Role

from .._support import answer_problems


def test_an_answer_is_statements_with_one_answering_statement_first(fake_assistant):
    ans = fake_assistant.ask("Which body sets each integrated care board's allocation?")
    assert ans.behaviour == Behaviour.ANSWER and ans.reason == Reason.ANSWERED
    assert not answer_problems(ans, fake_assistant.corpus)
    first = blocks(list(ans.statements))[0]
    assert any(s.role == Role.ANSWER for s in first)
    d = ans.to_dict()
    assert [s["n"] for s in d["statements"]] == [c["n"] for c in d["citations"]]
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


def test_sides_come_in_the_fixed_order_of_kinds(fake_assistant):
    ans = fake_assistant.ask("Do the campaigners and the Government agree about private companies in the NHS?")
    assert ans.behaviour == Behaviour.ANSWER
    kinds = [s.speaker.kind for s in ans.statements]
    assert list(ans.sides) == [k for k in KINDS if k in kinds]
    lead = blocks(list(ans.statements))[0][0].speaker.kind
    rest = [b[0].speaker.kind for b in blocks(list(ans.statements))[1:] if b[0].speaker.kind != lead]
    assert rest == sorted(rest, key=KINDS.index)
    assert Note.COMPARISON in ans.notes and (Note.CONTESTED in ans.notes or Note.ONE_SIDE in ans.notes)


def test_declines_and_abstentions_say_why(fake_assistant):
    refused = fake_assistant.ask("What's your honest verdict on the Bill?")
    assert refused.behaviour == Behaviour.REFUSE and refused.reason == Reason.OPINION and refused.detail
    assert not refused.statements and not refused.citations


def test_history_may_be_answers_their_json_or_questions(fake_assistant):
    a1 = fake_assistant.ask("Which body sets each integrated care board's allocation?")
    assert a1.behaviour == Behaviour.ANSWER
    by_object = fake_assistant.ask("who said that?", history=[a1])
    by_json = fake_assistant.ask("who said that?", history=[a1.to_dict()])
    assert by_object.behaviour == by_json.behaviour == Behaviour.ANSWER
    lead = next(s for s in a1.statements if s.role == Role.ANSWER)
    for ans in (by_object, by_json):
        assert any(s.citation.quote == lead.citation.quote and s.speaker.id == lead.speaker.id for s in ans.statements)
    by_text = fake_assistant.ask("and why?", history=[a1.question])
    assert a1.question.split()[0] in by_text.retrieval_query


def test_who_said_that_without_an_earlier_answer_is_not_an_invented_attribution(fake_assistant):
    ans = fake_assistant.ask("who said that?")
    assert ans.behaviour in (Behaviour.REFUSE, Behaviour.ABSTAIN) and not ans.statements


def test_explain_prints_features_weights_and_the_threshold(fake_assistant):
    e = fake_assistant.explain("How many responses did the engagement exercise receive?")
    a = e["answerable"]
    assert set(a["features"]) == set(a["weights"]) == set(a["contributions"])
    assert 0 <= a["score"] <= 1 and 0 <= a["threshold"] <= 1
    assert e["candidates"] and all(0 <= c["p"] <= 1 for c in e["candidates"])
    assert "number" in e["types"]


DATE_QUESTIONS = ("When did the Health and Care Bill have its Second Reading?",
                  "On what day was the October Westminster Hall debate on the NHS held?",
                  "When is Committee Stage of the Bill due to begin?",
                  "Which month were the four new integrated care systems announced, according to the blog?")


@pytest.mark.slow
def test_real_date_questions_lead_with_a_dated_sentence_and_mark_the_date(real_assistant):
    answered = 0
    for q in DATE_QUESTIONS:
        ans = real_assistant.ask(q)
        if ans.behaviour != Behaviour.ANSWER:
            continue
        answered += 1
        lead = next(s for s in ans.statements if s.role == Role.ANSWER)
        assert lead.answer_span is not None, (q, lead.citation.quote)
        a, b = lead.answer_span
        assert any(ch.isdigit() for ch in lead.citation.quote[a:b]) or lead.citation.quote[a:b].isalpha(), q
    assert answered >= 3, f"only {answered} of {len(DATE_QUESTIONS)} date questions answered"


@pytest.mark.slow
def test_real_conversation_carries_the_topic_and_switches_party(real_assistant):
    a1 = real_assistant.ask("What do the think tanks object to in the Health and Care Bill?")
    assert a1.behaviour == Behaviour.ANSWER
    a2 = real_assistant.ask("and the LGA?", history=[a1])
    assert a2.behaviour == Behaviour.ANSWER, a2.text
    assert any(s.speaker.id == "lga" for s in a2.statements)
    a3 = real_assistant.ask("Which organisations backed introducing the Bill in July 2021?", history=[a1, a2])
    assert a3.retrieval_query == a3.question, "a new topic is not merged with the old one"


@pytest.mark.slow
def test_real_conversation_hears_other_voices_and_cites_every_source(real_assistant):
    a1 = real_assistant.ask("What did the LGA make of the Secretary of State's new powers?")
    assert a1.behaviour == Behaviour.ANSWER and {s.speaker.id for s in a1.statements} == {"lga"}, a1.text
    a2 = real_assistant.ask("anyone else criticise that?", history=[a1])
    assert a2.behaviour == Behaviour.ANSWER, a2.text
    assert a2.statements and all(s.speaker.id != "lga" for s in a2.statements), "the voices already quoted are not quoted again"
    a3 = real_assistant.ask("source?", history=[a1, a2])
    assert {s.citation.chunk.doc_id for s in a2.statements} <= {s.citation.chunk.doc_id for s in a3.statements}


@pytest.mark.slow
def test_real_conversation_asks_the_same_voice_for_more_and_names_a_list_item_speaker(real_assistant):
    a1 = real_assistant.ask("What does Care England think about the workforce?")
    assert a1.behaviour == Behaviour.ANSWER and any(s.speaker.id == "care_england" for s in a1.statements), a1.text
    a2 = real_assistant.ask("anything else they asked for?", history=[a1])
    assert a2.behaviour == Behaviour.ANSWER and {s.speaker.id for s in a2.statements} == {"care_england"}, a2.text
    assert not {s.citation.quote for s in a2.statements} & {s.citation.quote for s in a1.statements}, "nothing quoted twice"
    item = next(s for s in a1.statements if s.is_item)
    only_item = Answer(a1.question, a1.behaviour, a1.text, (item.citation,), statements=(item,))
    a3 = real_assistant.ask("who is the person behind that?", history=[only_item])
    assert any("Martin Green" in s.citation.quote for s in a3.statements), "a list item's introduction says who"


@pytest.mark.slow
def test_real_who_says_a_described_bit_points_at_that_statement(real_assistant):
    a1 = real_assistant.ask("Do the campaigners and the Government agree about private companies in the NHS?")
    assert a1.behaviour == Behaviour.ANSWER and len({s.speaker.id for s in a1.statements}) > 1, a1.text
    # a statement past the answer's lead, and a word of it that no other statement of the answer uses
    stems_of = [set(tokenize(s.citation.quote)) for s in a1.statements]
    k, word = next((k, w) for k in range(len(a1.statements) - 1, 0, -1) for w in sorted(words(a1.statements[k].citation.quote))
                   if len(w) > 5 and stem(w) in stems_of[k] and not any(stem(w) in o for j, o in enumerate(stems_of) if j != k))
    a2 = real_assistant.ask(f"who says the {word} bit?", history=[a1])
    lead = next(s for s in a2.statements if s.role == Role.ANSWER)
    assert lead.citation.quote == a1.statements[k].citation.quote and lead.speaker.id == a1.statements[k].speaker.id, a2.text


@pytest.mark.slow
def test_real_who_wrote_it_and_when_is_answered_with_the_documents_byline(real_assistant):
    a1 = real_assistant.ask("What did Pulse report about the petition to scrap ICSs?")
    assert a1.behaviour == Behaviour.ANSWER and a1.statements[0].citation.chunk.doc_id == "pulse-petition", a1.text
    a2 = real_assistant.ask("who wrote that article, and when?", history=[a1])
    assert any("Jess Hacker" in s.citation.quote and "2021" in s.citation.quote for s in a2.statements), a2.text
    a3 = real_assistant.ask("who said that?", history=[a1])   # the counter-example: the speaker, no byline asked for
    assert not any("Jess Hacker" in s.citation.quote for s in a3.statements), a3.text
