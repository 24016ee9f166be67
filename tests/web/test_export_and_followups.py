"""The Markdown export keeps every quote and citation; follow-ups come only from the corpus."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from assistant.types import Answer, Behaviour, Chunk, Citation, Hit, Note, Role, Statement
from assistant.web.conversation import Scope, Turn, history_for
from assistant.web.export import conversation_md, md
from assistant.web.suggest import Outline, heading_words, suggest


def answer_from(corpus, chunks, picks, question="What does the LGA say about the duty to collaborate?", hits=None):
    docs = {d.id: d for d in corpus.documents}
    statements = []
    for n, (chunk, quote, role) in enumerate(picks, 1):
        statements.append(Statement(role, Citation(n, chunk, quote, docs[chunk.doc_id], corpus.speakers[chunk.speaker]),
                                    (0, 3) if role == Role.ANSWER else None))
    hits = hits if hits is not None else [Hit(c, 1.0, i) for i, c in enumerate(chunks, 1)]
    return Answer(question, Behaviour.ANSWER, "text", tuple(s.citation for s in statements), hits=tuple(hits),
                  statements=tuple(statements), notes=(Note.CONTESTED,), sides=("local_government", "government"),
                  retrieval_query=question)


def lga_chunks():
    view = Chunk("c1", "lga-briefing", "The LGA have long called for a shared duty. We are keen to work with DHSC.", 100, 180,
                 "Duty to collaborate › LGA view", "lga")
    summary = Chunk("c2", "lga-briefing", "There will be a duty to collaborate across the NHS.", 50, 100,
                    "Duty to collaborate", "white_paper")
    place = Chunk("c3", "lga-briefing", "Place will be the engine.", 200, 230, "The role of place", "white_paper")
    gov = Chunk("c4", "govt-response", "Integrated Care Boards will be public bodies.", 0, 50, "Government responded", "dhsc")
    camp = Chunk("c5", "campaign-blog", "Who benefits? Private companies.", 0, 30, "", "campaign_blog")
    return view, summary, place, gov, camp


def test_export_has_every_quote_citation_document_date_and_url(corpus):
    view, summary, place, gov, camp = lga_chunks()
    ans = answer_from(corpus, [view, gov], [(view, "The LGA have long called for a shared duty.", Role.ANSWER),
                                           (gov, "Integrated Care Boards will be public bodies.", Role.SIDE)])
    refusal = Answer("Who should I vote for?", Behaviour.REFUSE, "I don't give opinions.")
    about = Answer("What documents do you have?", Behaviour.ANSWER, "I answer from:\n\n- *A title* — LGA, 2021")
    abstain = Answer("How many beds?", Behaviour.ABSTAIN, "x", hits=(Hit(camp, 1.0, 1),))
    turns = [Turn(1, ans), Turn(2, refusal), Turn(3, abstain, Scope(kinds=("campaign",))), Turn(4, about)]
    text = conversation_md(turns, {d.id: d for d in corpus.documents}, {k: s.label for k, s in corpus.speakers.items()},
                           now=datetime(2024, 1, 2, 3, 4, tzinfo=timezone.utc))
    assert text.startswith("# NHS reform documents: cited answers") and "2024-01-02 03:04 UTC" in text
    assert "## 1. What does the LGA say about the duty to collaborate?" in text
    assert "“**The** LGA have long called for a shared duty.” \\[1\\]" not in text     # markers are real [n]
    assert "- “**The** LGA have long called for a shared duty.” [1]" in text           # answer phrase in bold
    assert "*Contested: 2 sides found (Local government, Government).*" in text
    lines = [ln for ln in text.splitlines() if re.match(r"- \[\d\] ", ln)]
    assert len(lines) == 2
    assert "Local Government Association (Local government)" in lines[0] and "11 February 2021" in lines[0]
    assert "section “Duty to collaborate › LGA view”" in lines[0] and "(no official web address)" in lines[0]
    assert "6 August 2021" in lines[1] and "<https://petition.parliament.uk/petitions/581077>" in lines[1]
    assert "**Declined.**\n\nI don't give opinions." in text
    assert "**Not found in the documents.**" in text and "*Searched only: Campaign.*" in text
    assert "I answer from:\n\n- A title — LGA, 2021" in text


def test_export_escapes_markdown_from_questions_and_documents():
    assert md("[click](javascript:alert(1)) <b>x</b> *y*") == \
        "\\[click\\]\\(javascript:alert\\(1\\)\\) \\<b\\>x\\</b\\> \\*y\\*"


def test_follow_ups_offer_another_kind_of_voice_and_the_next_section(corpus):
    view, summary, place, gov, camp = lga_chunks()
    outline = Outline.of([view, summary, place, gov, camp])
    assert outline.sections["lga-briefing"] == ("Duty to collaborate", "The role of place")
    ans = answer_from(corpus, [view, summary, gov, camp], [(view, "The LGA have long called for a shared duty.", Role.ANSWER),
                                                           (summary, "There will be a duty to collaborate across the NHS.",
                                                            Role.SIDE)])
    got = suggest(ans, corpus.speakers, outline)
    sides = [s for s in got if s.why == "another side"]
    # the LGA's summary of the White Paper already gives a Government-kind voice: the DHSC is not "another side"
    assert [s.scope.speakers for s in sides] == [("campaign_blog",)]
    assert all(s.question == ans.question for s in sides)
    assert sides[0].label == "Another side: a campaign blog post (Campaign)"
    (nxt,) = [s for s in got if s.why == "next section"]
    assert nxt.scope.doc_id == "lga-briefing" and nxt.question == "What is said about the role of place?"
    assert heading_words("ICS Health and Care Partnership") == "ICS Health and Care Partnership"
    # every suggestion's words come from the question, a speaker's label or a heading in the corpus
    for s in got:
        assert s.question == ans.question or "the role of place" in s.question


def test_no_follow_ups_for_abstentions_and_a_voice_already_searched(corpus):
    view, summary, place, gov, camp = lga_chunks()
    outline = Outline.of([view, summary, place, gov, camp])
    assert suggest(Answer("q", Behaviour.ABSTAIN, "x", hits=(Hit(gov, 1.0, 1),)), corpus.speakers, outline) == ()
    ans = answer_from(corpus, [place, gov], [(place, "Place will be the engine.", Role.ANSWER)])
    got = suggest(ans, corpus.speakers, outline, Scope(speakers=("dhsc",)))
    assert [s.why for s in got] == []            # the Government was what this turn searched; no section after place


def test_the_next_answer_reads_only_the_latest_turns(corpus):
    turns = [Turn(i, Answer(f"q{i}", Behaviour.ANSWER, "t")) for i in range(1, 31)]
    assert [a.question for a in history_for(turns, 20)] == [f"q{i}" for i in range(11, 31)]
    assert history_for(turns, 0) == []


def test_export_says_when_words_are_another_sources_summary_as_the_chat_does(corpus):
    from dataclasses import replace

    from assistant.web.view import other_summary_note

    view, summary, *_ = lga_chunks()
    ans = answer_from(corpus, [summary], [(summary, "There will be a duty to collaborate across the NHS.", Role.ANSWER)])
    docs, speakers = {d.id: d for d in corpus.documents}, {k: s.label for k, s in corpus.speakers.items()}
    plain = conversation_md([Turn(1, ans)], docs, speakers)
    noted = conversation_md([Turn(1, replace(ans, notes=(Note.SUMMARY_OF_OTHER,)))], docs, speakers)
    line = "*Some of these words are another source's summary, not the asked-for speaker's own.*"
    assert line not in plain and line in noted
    assert "another source&#x27;s summary" in other_summary_note(replace(ans, notes=(Note.SUMMARY_OF_OTHER,)))
