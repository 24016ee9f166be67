"""Conversation resolution (pure): each kind of follow-up, and what must not be carried over."""

from __future__ import annotations

import pytest

from assistant.answering.followups import MAX_CARRIED, NOT_X, FollowUp, Past, leaned, resolve, topic_index


@pytest.fixture(scope="module")
def speakers(corpus):
    return corpus.speakers


@pytest.fixture(scope="module")
def glossary():
    from assistant.glossary import load_glossary
    return load_glossary()


def past(q, **kw):
    return Past(q, **kw)


def test_no_history_is_a_new_question(speakers):
    r = resolve("and the LGA?", [], speakers)
    assert r.kind == FollowUp.NEW and r.query == "and the LGA?"


@pytest.mark.parametrize("q", ["who said that?", "Who says so?", "whose words are those?", "who's that from?",
                               "who is the woman behind that?", "ok who's the person making that",
                               "who says the private clinics bit?", "so who made that point about councils"])
def test_who_said_refers_to_the_last_answer(speakers, q):
    h = [past("What is the politically driven clause?", query="politically driven clause"), past("something", declined=True)]
    r = resolve(q, h, speakers)
    assert r.kind == FollowUp.WHO_SAID and r.refers_to == 0


@pytest.mark.parametrize("q", ["source?", "Source and date?", "where does it say that?", "which document is that from?"])
def test_source_refers_to_the_last_answer(speakers, q):
    r = resolve(q, [past("When was the LGA briefing written?")], speakers)
    assert r.kind == FollowUp.SOURCE and r.refers_to == 0


def test_party_switch_asks_the_last_question_for_that_party(speakers):
    h = [past("What does the Government say about social care?", parties=("dhsc",))]
    r = resolve("and Care England?", h, speakers)
    assert r.kind == FollowUp.PARTY and r.parties == ("care_england",)
    assert "social care" in r.question and "Care England" not in "What does the Government say"


@pytest.mark.parametrize("q", ["what's the LGA?", "whats the LGA", "whos the LGA then", "what is the LGA?",
                               "which think tanks", "which of the campaigners?"])
def test_a_question_naming_a_party_is_its_own_question_however_it_is_typed(speakers, q):
    # "whats the LGA" asks what the LGA is: not the last question again for the LGA, the apostrophe or no
    h = [past("What does the Government say about social care?", parties=("dhsc",))]
    assert resolve(q, h, speakers).kind != FollowUp.PARTY
    assert resolve("and the LGA?", h, speakers).kind == FollowUp.PARTY   # the counter-example: no question of its own


def test_correction_replaces_the_party_it_names(speakers):
    h = [past("What did the think tanks make of the new powers?", parties=("think_tanks",))]
    r = resolve("no sorry, I meant the LGA not the think tanks", h, speakers)
    assert r.kind == FollowUp.CORRECTION and r.parties == ("lga",)
    assert "new powers" in r.query and "think tanks" not in r.query.lower()


def test_a_correction_with_a_question_of_its_own_is_asked_with_the_earlier_topic(speakers):
    h = [past("When did the petition close, and how many signed it?")]
    r = resolve("oops, I meant the other petition - which group started it and when was it submitted?", h, speakers)
    assert r.kind == FollowUp.CONTINUE and r.parties == ()
    assert r.question.startswith("oops, I meant the other petition") and "how many signed it" in r.context


def test_a_correction_with_its_own_question_drops_the_voice_it_rules_out(speakers):
    h = [past("What did the Government say about the new powers?", parties=("dhsc",))]
    r = resolve("sorry, I meant the LGA, not the Government. What does it think of the Secretary of State's powers?", h, speakers)
    assert r.kind == FollowUp.CONTINUE and r.voices == ("lga",)
    assert "government" not in r.query.lower() and "new powers" in r.query
    # the counter-example: ruling nothing out keeps the earlier question whole
    r = resolve("oops, I meant the other petition - which group started it and when was it submitted?",
                [past("When did the Government petition close?")], speakers)
    assert "Government petition" in r.query and r.voices == ()


def test_a_party_named_by_a_glossary_term_is_swapped_not_kept(speakers, glossary):
    h = [past("how did the govt justify the new boards?", parties=("dhsc",))]
    r = resolve("and Care England?", h, speakers, glossary)
    assert r.kind == FollowUp.PARTY and "govt" not in r.query and "new boards" in r.query
    # the voice the question names is swapped, not a topic word that is also one of a voice's names
    h = [past("how did the LGA see councils' new duties?", parties=("lga",))]
    r = resolve("no, I meant Care England", h, speakers, glossary)
    assert "councils" in r.query and "LGA" not in r.query and r.parties == ("care_england",)


def test_a_correction_ruling_a_voice_out_keeps_its_own_short_question(speakers, glossary):
    h = [past("how did the govt justify the new boards?", parties=("dhsc",))]
    r = resolve("oops, Care England is who I meant, not the govt. which staffing points do they raise?", h, speakers, glossary)
    assert r.kind == FollowUp.CONTINUE and r.voices == ("care_england",)
    assert "staffing" in r.query and "govt" not in r.query and "new boards" in r.query
    # with no topic word of its own, the last question is what is asked, for the voice it names
    r = resolve("oops, Care England is who I meant, not the govt", h, speakers, glossary)
    assert r.kind == FollowUp.CORRECTION and "new boards" in r.query and "govt" not in r.query


def test_a_dash_ends_the_voice_a_correction_rules_out(speakers, glossary):
    h = [past("how did the govt justify the new boards?", parties=("dhsc",))]
    for q in ("oops, Care England is who I meant not the govt — which staffing points do they raise",
              "oops, Care England is who I meant not the govt - which staffing points do they raise"):
        r = resolve(q, h, speakers, glossary)
        assert r.kind == FollowUp.CONTINUE and r.voices == ("care_england",), q
        assert "staffing" in r.query and "govt" not in r.query and "new boards" in r.query, q
    # a hyphen inside a word is no dash: "not the pre-existing…" rules out the whole phrase
    assert NOT_X.findall("not the pre-existing duties, the new one") == ["pre-existing duties"]


def test_an_abstained_follow_up_hands_the_topic_back_to_the_turn_it_leaned_on(speakers):
    first = past("Will foundation trusts lose the freedom to borrow?", query="Will foundation trusts lose the freedom to borrow?")
    missed = past("is that the same in cornwall?", query="is that the same in cornwall? Will foundation trusts lose the freedom to borrow?",
                  answered=False)
    r = resolve("and what does the LGA think of it?", [first, missed], speakers)
    assert r.refers_to == 0 and "cornwall" not in r.query and "borrow" in r.query
    # counter-examples: an abstained question of its own is still the topic, and so is an answered follow-up
    new_topic = past("how big is the cap in pounds?", query="how big is the cap in pounds?", answered=False)
    assert resolve("and what does the LGA think of it?", [first, new_topic], speakers).refers_to == 1
    answered = past("is that the same in cornwall?", query=missed.query)
    assert resolve("and what does the LGA think of it?", [first, answered], speakers).refers_to == 1


def test_why_leans_on_the_last_topic(speakers):
    h = [past("Will the Government pause the reforms?", speakers=("dhsc",))]
    r = resolve("why not?", h, speakers)
    assert r.kind == FollowUp.WHY and "pause the reforms" in r.query and r.context


def test_why_asks_the_reasons_of_the_voice_the_last_question_was_about(speakers):
    # the last answer quoted the petitioners first, but the question was about Care England
    h = [past("Did Care England accept the plan?", parties=("care_england",), speakers=("petitioners", "care_england"))]
    assert resolve("why not?", h, speakers).voices == ("care_england",)
    # the counter-example: a question naming no one, and "why?" asks the voice the answer quoted first
    h = [past("Was the plan accepted?", speakers=("petitioners", "care_england"))]
    assert resolve("why not?", h, speakers).voices == ("petitioners",)


@pytest.mark.parametrize("q", ["anything else she asked for?", "what else is he after? they want more?", "what else do they say"])
def test_more_asks_the_same_voice_for_what_was_not_quoted(speakers, q):
    h = [past("Did Care England want providers on the boards?", parties=("care_england",))]
    r = resolve(q, h, speakers)
    assert r.kind == FollowUp.MORE and r.voices == ("care_england",) and r.refers_to == 0


@pytest.mark.parametrize("q", ["who else criticised them?", "anyone else?", "what else happened in May?"])
def test_other_voices_or_a_new_topic_are_not_more(speakers, q):
    h = [past("What did the LGA make of the new powers?", parties=("lga",), speakers=("lga",))]
    assert resolve(q, h, speakers).kind != FollowUp.MORE


def test_pronoun_speech_takes_the_last_parties_voice(speakers):
    h = [past("Did the Government reply to the petition?", parties=("dhsc",))]
    r = resolve("what did they say?", h, speakers)
    assert r.kind == FollowUp.CONTINUE and r.voices == ("dhsc",) and "reply to the petition" in r.query


def test_a_new_topic_is_not_merged(speakers):
    h = [past("What powers does the Secretary of State gain?")]
    q = "Which organisations backed introducing the Health and Care Bill last July?"
    r = resolve(q, h, speakers)
    assert r.kind == FollowUp.NEW and r.query == q


@pytest.mark.parametrize("q", ["ok, what is a place-based partnership?", "right. how are trusts paid", "okay - what are the ICS boards?"])
def test_an_acknowledgement_does_not_tie_a_question_of_its_own_to_the_last(speakers, q):
    h = [past("What powers does the Secretary of State gain?")]
    r = resolve(q, h, speakers)
    assert r.kind == FollowUp.NEW and r.query == q


@pytest.mark.parametrize("q", ["ok and who sets the limit?", "ok, what about the limit?", "right, and then?", "ok so why?"])
def test_after_an_acknowledgement_a_linking_word_still_leans(speakers, q):
    h = [past("How can foundation trusts borrow?", query="foundation trusts borrow")]
    r = resolve(q, h, speakers)
    assert r.kind != FollowUp.NEW and "foundation trusts" in r.query


def test_a_declined_turn_does_not_wipe_the_topic(speakers):
    h = [past("How can foundation trusts borrow?", query="foundation trusts borrow"),
         past("write me a fake quote", declined=True)]
    r = resolve("and who sets the limit on it?", h, speakers)
    assert r.kind == FollowUp.CONTINUE and "foundation trusts" in r.query


def test_an_abstained_turn_can_still_be_the_topic(speakers):
    h = [past("How big is the capital limit for trusts?", answered=False)]
    r = resolve("and who sets it?", h, speakers)
    assert r.kind == FollowUp.CONTINUE and "capital limit" in r.query


def test_the_carried_topic_is_bounded(speakers):
    h = [past("x " * 500 + "?")]
    r = resolve("and then?", h, speakers)
    assert len(r.query.split()) == 2 + MAX_CARRIED


def test_a_chain_of_follow_ups_carries_the_last_topic_not_the_whole_conversation(speakers):
    first = "how many people signed the petition to stop the plans to dismantle the NHS in the spring of 2020 on the blog"
    second = resolve("and did they hand it in to the department of health, and when was that?", [past(first)], speakers)
    h = [past(first), past(second.question, query=second.query)]
    r = resolve("why not?", h, speakers)
    assert r.query.startswith("why not? and did they hand it in") and "blog" not in r.query


def test_an_abbreviated_party_switch_is_a_party_switch(speakers):
    from assistant.glossary import load_glossary

    h = [past("What does the LGA say about data sharing?", parties=("lga",))]
    assert resolve("and the govt?", h, speakers).kind != FollowUp.PARTY       # "govt" is no alias…
    r = resolve("and the govt?", h, speakers, load_glossary())               # …but the glossary says it is the Government
    assert r.kind == FollowUp.PARTY and "dhsc" in r.parties


@pytest.mark.parametrize("q", ["ok. back to the boards - who decides how much each one gets?",
                               "going back to the boards, who decides how much each one gets?"])
def test_back_to_returns_to_the_earlier_topic_it_names(speakers, q):
    h = [past("What will integrated care boards do?", query="What will integrated care boards do?"),
         past("be honest, should I back the bill?", declined=True),
         past("How long do petitions stay open?", query="How long do petitions stay open?")]
    r = resolve(q, h, speakers)
    assert r.kind == FollowUp.CONTINUE and r.refers_to == 0 and "integrated care boards" in r.query


def test_back_to_something_never_asked_is_resolved_as_usual(speakers):
    h = [past("How long do petitions stay open?", query="How long do petitions stay open?")]
    r = resolve("back to the weather: is it raining in Leeds today?", h, speakers)
    assert r.refers_to is None and r.kind == FollowUp.NEW


@pytest.mark.parametrize("q", ["anyone else criticise that?", "who else says so?", "any other views?",
                               "anybody apart from the LGA unhappy?", "anyone besides them object?"])
def test_others_asks_the_last_topic_of_voices_not_yet_quoted(speakers, q):
    h = [past("What did the LGA make of the new powers?", query="What did the LGA make of the new powers?",
              parties=("lga",), speakers=("lga",))]
    r = resolve(q, h, speakers)
    assert r.kind == FollowUp.CONTINUE and r.others_than == ("lga",)
    assert "new powers" in r.query and "LGA" not in r.query        # its name would only find it again


def test_they_are_the_voice_the_last_question_named_first(speakers):
    from assistant.glossary import load_glossary

    g = load_glossary()
    q = "did the govt ever reply to that press pause petition?"
    from assistant.answering.intent import named_speakers
    h = [past(q, query=q, parties=named_speakers(q, speakers, g))]
    r = resolve("what did they say", h, speakers, g)
    assert "dhsc" in r.voices and "petitioners" not in r.voices      # the subject, not the petition it replied to


def test_a_yes_no_question_naming_a_party_is_not_a_party_switch(speakers):
    from assistant.glossary import load_glossary

    h = [past("is there a petition to stop the white paper?", parties=("petitioners",))]
    r = resolve("did the govt listen to them", h, speakers, load_glossary())
    assert r.kind == FollowUp.CONTINUE and r.query.startswith("did the govt listen to them")


def test_an_abstained_new_question_is_the_topic_even_when_its_spelling_was_written_out():
    # "pls" is searched as "please": query and question differ, yet the turn leaned on nothing — the recorded
    # resolution says so, and the next turn leans on it, not on the turn before
    first = Past("who sits on an ICB board", answered=True, query="who sits on an ICB board")
    asked = Past("whats a place based partnership pls", answered=False,
                 query="what's a place based partnership please", leaned=leaned("new", "whats…", "what's…"))
    assert topic_index([first, asked]) == 1
    leaning = Past("and how many are there", answered=False, query="and how many are there who sits on an ICB board",
                   leaned=leaned("continue", "", ""))
    assert topic_index([first, leaning]) == 0   # an abstained follow-up hands the topic back
    # an answer without a recorded resolution (an older client's JSON) is judged by its query
    assert leaned("", "and why?", "and why? who sits on an ICB board") and not leaned("", "why", "why")


def nouns_of(*nouns):
    """A deterministic tagger: these words are nouns, whatever the text."""
    return lambda text: frozenset(w for w in nouns if w in text.lower())


@pytest.mark.parametrize("earlier,turn,asked", [
    ("who leads the ICS's board?", "and the trusts?", "who leads the trusts?"),
    ("what is an ICB?", "and an ICP?", "what is an ICP?"),
    # two things asked about: the glossary term gives way to the glossary term
    ("will GPs get places on the boards?", "and CCGs?", "will CCGs get places on the boards?"),
])
def test_a_thing_swapped_in_asks_the_last_question_about_it(speakers, glossary, earlier, turn, asked):
    tag = nouns_of("ics", "board", "boards", "trusts", "icb", "icp", "gps", "ccgs", "places")
    r = resolve(turn, [past(earlier)], speakers, glossary, tag)
    assert (r.kind, r.question, r.query) == (FollowUp.TOPIC, asked, asked)


@pytest.mark.parametrize("earlier,turn", [
    ("what does the LGA say about the duties of the Secretary of State?", "and the trusts?"),  # which thing: unclear
    ("who leads the board?", "and could the boards close wards too?"),   # a question of its own, not a thing
    ("who leads the board?", "and why?"),
])
def test_no_swap_where_the_thing_or_its_place_is_unclear(speakers, glossary, earlier, turn):
    tag = nouns_of("duties", "secretary", "state", "trusts", "board", "boards", "wards")
    assert resolve(turn, [past(earlier)], speakers, glossary, tag).kind != FollowUp.TOPIC


def test_a_voice_is_never_the_thing_swapped_out(speakers, glossary):
    r = resolve("and the trusts?", [past("what does the LGA want from the board?")], speakers, glossary,
                nouns_of("lga", "board", "trusts"))
    assert r.kind == FollowUp.TOPIC and r.question == "what does the LGA want from the trusts?"


def test_the_real_tagger_swaps_the_thing(speakers, glossary):
    from assistant.answering.tagging import load_tagger
    r = resolve("and the trusts?", [past("who leads the ICS board")], speakers, glossary, load_tagger())
    assert (r.kind, r.question) == (FollowUp.TOPIC, "who leads the trusts")


def test_a_swap_keeps_what_the_last_turn_carried_from_before_it(speakers, glossary):
    h = [past("who leads the board?", query="who leads the board? integrated care systems")]
    r = resolve("and the trusts?", h, speakers, glossary, nouns_of("board", "trusts", "systems"))
    assert r.question == "who leads the trusts?" and r.context == "integrated care systems"


PERSONS = {"simon_stevens": "Sir Simon Stevens", "patricia_hewitt": "Patricia Hewitt"}


@pytest.mark.parametrize("turn", ["and where did she work before?", "how old is he", "anything on his pay?"])
def test_he_or_she_is_searched_with_the_person_the_last_answer_quoted(speakers, turn):
    h = [past("which NHS figure backed the merger plan?", speakers=("pulse", "patricia_hewitt", "simon_stevens"))]
    r = resolve(turn, h, speakers, persons=PERSONS)
    assert r.kind == FollowUp.CONTINUE and "Patricia Hewitt" in r.query and "Patricia Hewitt" in r.context
    assert "Simon Stevens" not in r.query


@pytest.mark.parametrize("turn, quoted", [
    ("and what did they decide?", ("patricia_hewitt",)),     # no "he" or "she"
    ("how old is he", ("lga",)),                              # the last answer quoted no person
])
def test_no_person_is_added_without_a_personal_pronoun_and_a_quoted_person(speakers, turn, quoted):
    r = resolve(turn, [past("which body backed the merger plan?", speakers=quoted)], speakers, persons=PERSONS)
    assert "Hewitt" not in r.query and "Stevens" not in r.query


def test_a_name_already_in_the_carried_question_is_not_added_twice(speakers):
    h = [past("what did Sir Simon Stevens promise?", speakers=("simon_stevens",))]
    r = resolve("was he right?", h, speakers, persons=PERSONS)
    assert r.query.count("Simon Stevens") == 1


@pytest.mark.slow
def test_the_voices_that_are_people_are_read_from_their_labels(real_assistant):
    people = real_assistant.answering.persons
    assert people["simon_stevens"] == "Sir Simon Stevens" and people["patricia_hewitt"] == "Patricia Hewitt"
    assert not {"lga", "pulse", "dhsc", "the_lowdown", "your_nhs_needs_you", "think_tanks"} & set(people)


def test_a_turn_naming_a_voice_with_a_word_of_its_own_that_is_no_noun_asks_its_own_question(speakers, glossary):
    # "parliament" names a voice (UK Parliament), but "introduced" asks about something, not for that voice's view
    from assistant.answering.tagging import load_tagger
    h = [past("royal assent?")]
    assert resolve("introduced to parliament?", h, speakers, glossary, load_tagger()).kind != FollowUp.PARTY
    h = [past("What does the Government say about social care?", parties=("dhsc",))]
    r = resolve("and the LGA on funding?", h, speakers, glossary, load_tagger())   # the counter-example: a noun of topic
    assert r.kind == FollowUp.PARTY and r.parties == ("lga",)
