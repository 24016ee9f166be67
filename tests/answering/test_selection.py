"""Selection (pure): answer first, and every side — a voice the question names is heard even when its best
sentence is far less likely than the answer's."""

from __future__ import annotations

from assistant.answering.features import Candidate
from assistant.answering.intent import Intent
from assistant.answering.selection import select
from assistant.settings import AnswerWeights
from assistant.types import Role

KINDS = {"think_tanks": "sector_body", "lga": "local_government", "blog": "campaign"}


def cand(i: int, speaker: str, text: str) -> Candidate:
    return Candidate(i, 0, f"c{i}", 0, len(text), text, speaker, False, {})


CANDS = [cand(0, "think_tanks", "Think tanks criticised the clause giving the Secretary of State new powers."),
         cand(1, "lga", "These proposals greatly increase the power of the Secretary of State."),
         cand(2, "blog", "The blog says something else about the plans entirely.")]
PROBS = [0.64, 0.03, 0.025]   # both others under the runner-up bar (0.05 of the best) and under side_min


def intent(parties: tuple[str, ...]) -> Intent:
    return Intent("Do the think tanks and the LGA share a worry about the new powers?", ("comparison",), parties, (), True)


def test_a_named_voice_is_heard_at_the_lower_bar():
    picks = select(intent(("think_tanks", "lga")), CANDS, PROBS, KINDS, AnswerWeights())
    assert [p.candidate.speaker for p in picks] == ["think_tanks", "lga"]
    assert picks[0].role == Role.ANSWER and picks[1].role == Role.SIDE


def test_an_unnamed_voice_needs_the_side_bar():
    picks = select(intent(("think_tanks",)), CANDS, PROBS, KINDS, AnswerWeights())
    assert [p.candidate.speaker for p in picks] == ["think_tanks"]    # 0.03 and 0.025 are under side_min


def test_the_sentence_with_the_asked_for_form_answers_first():
    a = Candidate(0, 0, "c0", 0, 10, "A petition to scrap the boards passed 50,000 signers.", "pulse", False, {"type_hit": 0.0})
    b = Candidate(0, 1, "c0", 11, 20, "It was handed in on 27 October.", "pulse", False, {"type_hit": 1.0})
    when = Intent("when was the petition handed in?", ("date",), (), (), False)
    picks = select(when, [a, b], [0.6, 0.3], {"pulse": "news"}, AnswerWeights())
    assert [(p.candidate.text, p.role) for p in picks] == [(b.text, Role.ANSWER), (a.text, Role.CONTEXT)]
    what = Intent("what did the petition ask?", (), (), (), False)    # no form asked for: the likelier answers
    assert select(what, [a, b], [0.6, 0.3], {"pulse": "news"}, AnswerWeights())[0].candidate is a


def test_the_likeliest_sentence_stays_when_a_long_answer_with_the_form_takes_the_budget():
    long = " ".join(["word"] * 100)
    a = Candidate(0, 0, "c0", 0, 10, "The scheme was announced in the spring.", "wp", False, {"type_hit": 0.0})
    b = Candidate(1, 0, "c1", 0, 10, f"On 6 July 2021 the Local Government Association said {long}.", "lga", False, {"type_hit": 1.0})
    when = Intent("when was it announced?", ("date",), (), (), False)
    picks = select(when, [a, b], [0.24, 0.2], {"wp": "government", "lga": "local_government"}, AnswerWeights())
    assert picks[0].candidate is b and picks[0].role == Role.ANSWER     # the date answers first…
    assert a in [p.candidate for p in picks]                            # …and the likeliest is not dropped


def test_a_who_question_is_answered_by_the_likeliest_sentence_not_by_any_capitalised_title():
    a = Candidate(0, 0, "c0", 0, 10, "Members could include housing providers and charities.", "wp", False, {"type_hit": 0.0})
    b = Candidate(1, 0, "c1", 0, 10, "The Secretary of State for Health and Social Care gains powers.", "wp", False, {"type_hit": 1.0})
    who = Intent("who could be members?", ("who",), (), (), False)
    assert select(who, [a, b], [0.3, 0.25], {"wp": "government"}, AnswerWeights())[0].candidate is a


def test_one_list_item_answers_with_its_introduction_and_a_list_question_gets_every_item():
    def line(j: int, text: str, item: bool) -> Candidate:
        return Candidate(0, j, "c0", 10 * j, 10 * j + 9, text, "lga", item, {})
    passage = [line(0, "The paper proposes to:", False), line(1, "- share data across care", True),
               line(2, "- set a capital limit for trusts", True), line(3, "- repeal the procurement rules", True)]
    probs = [0.05, 0.01, 0.7, 0.01]
    one = select(Intent("can trusts still borrow?", (), (), (), False), passage, probs, {"lga": "local_government"}, AnswerWeights())
    assert [(p.candidate.position, p.role) for p in one] == [(0, Role.CONTEXT), (2, Role.ANSWER)]
    every = select(Intent("what does the paper propose?", ("list",), (), (), False), passage, probs,
                   {"lga": "local_government"}, AnswerWeights())
    assert [p.candidate.position for p in every] == [0, 1, 2, 3]


def test_a_list_question_is_answered_by_the_lists_introduction_colon_or_not():
    def line(j: int, text: str, item: bool) -> Candidate:
        return Candidate(0, j, "c0", 10 * j, 10 * j + 9, text, "ce", item, {})
    passage = [line(0, "The group named three changes it wants.", False), line(1, "1. Seats on the boards.", True),
               line(2, "2. A workforce plan.", True), line(3, "3. A say in assessments.", True)]
    picks = select(Intent("which three changes do they want?", ("list",), (), (), False), passage,
                   [0.2, 0.4, 0.3, 0.3], {"ce": "sector_body"}, AnswerWeights())
    assert [(p.candidate.position, p.role) for p in picks] == [(0, Role.ANSWER), (1, Role.LIST_ITEM),
                                                                (2, Role.LIST_ITEM), (3, Role.LIST_ITEM)]


def test_the_evidence_not_the_wording_brings_in_other_sides():
    """A plain question naming no party, with no comparison words, still hears another kind of voice whose best
    sentence speaks to the point; a request for one party's own words does not."""
    probs = [0.64, 0.2, 0.025]
    plain = Intent("what are the new powers?", (), (), (), False)
    picks = select(plain, CANDS, probs, KINDS, AnswerWeights(keep_ratio=0.5))
    assert [(p.candidate.speaker, p.role) for p in picks] == [("think_tanks", Role.ANSWER), ("lga", Role.SIDE)]
    own = Intent("what exactly did the think tanks say?", (), ("think_tanks",), ("think_tanks",), False)
    assert [p.candidate.speaker for p in select(own, CANDS, probs, KINDS, AnswerWeights(keep_ratio=0.5))] == ["think_tanks"]


def test_a_comparison_gets_the_larger_budget_for_each_sides_point():
    """Four 40-word sentences of one voice: a plain question fills 105 words (two), a comparison 150 (three)."""
    words = " ".join(["point"] * 38)
    cs = [Candidate(i, 0, f"c{i}", 0, 10, f"Claim {i} {words}.", "lga", False, {}) for i in range(4)]
    probs = [0.5, 0.4, 0.3, 0.2]
    plain = Intent("what does the LGA think of the plans?", (), (), (), False)
    compare = Intent("how does the LGA's view compare with the plans?", ("comparison",), (), (), False)
    w = AnswerWeights(word_budget=105, comparison_budget=150)
    assert len(select(plain, cs, probs, {"lga": "local_government"}, w)) == 2
    assert len(select(compare, cs, probs, {"lga": "local_government"}, w)) == 3


def test_a_side_is_heard_up_to_the_cap_not_past_it():
    """Two 40-word sentences fill 80 of 105 words; another kind of voice's 60-word sentence would take the answer past
    the cap (105 + 50 side words) and is left out, a 30-word one is heard."""
    words = " ".join(["point"] * 38)
    mine = [Candidate(i, 0, f"c{i}", 0, 10, f"Claim {i} {words}.", "lga", False, {}) for i in range(2)]
    kinds = {"lga": "local_government", "blog": "campaign"}
    plain = Intent("what does the plan change?", (), (), (), False)
    for n, heard in ((78, False), (28, True)):
        side = Candidate(9, 0, "c9", 0, 10, "Side " + " ".join(["view"] * n) + ".", "blog", False, {})
        picks = select(plain, mine + [side], [0.5, 0.4, 0.3], kinds, AnswerWeights(word_budget=105, side_words=50))
        assert ("blog" in [p.candidate.speaker for p in picks]) is heard, n


def test_a_likely_side_is_heard_before_the_answers_weaker_runners_up_fill_the_room():
    """A 60-word answer; another kind of voice's 60-word sentence (p 0.3) is likelier than the answer's two 20-word
    runners-up (0.1, 0.08). It is heard (120 words, within the cap of 155); were the runners-up taken first (100
    words), it would take the answer past the cap and be left out."""
    answer = Candidate(0, 0, "c0", 0, 10, "Claim " + " ".join(["point"] * 58) + ".", "ynny", False, {})
    side = Candidate(1, 0, "c1", 0, 10, "Reply " + " ".join(["view"] * 58) + ".", "dhsc", False, {})
    weak = [Candidate(i, 0, f"c{i}", 0, 10, f"Aside {i} " + " ".join(["more"] * 17) + ".", "ynny", False, {}) for i in (2, 3)]
    kinds = {"ynny": "campaign", "dhsc": "government"}
    picks = select(Intent("who decides the money?", (), (), (), False), [answer, side] + weak, [0.7, 0.3, 0.1, 0.08],
                   kinds, AnswerWeights(word_budget=105, side_words=50))
    assert [(p.candidate.speaker, p.role) for p in picks] == [("ynny", Role.ANSWER), ("dhsc", Role.SIDE)]


def test_a_sentence_that_only_asks_is_never_quoted():
    # a passage's rhetorical question ("Who gains?") states nothing: the likelier of the two is passed over
    cands = [cand(0, "blog", "Who gains from the new boards?"),
             cand(1, "blog", "The blog says contracts go to a variety of providers."),
             cand(2, "lga", "Is this the end of local say? We think not.")]
    picks = select(intent(()), cands, [0.9, 0.6, 0.5], KINDS, AnswerWeights())
    assert [p.candidate.text for p in picks][0] == cands[1].text
    assert all(not p.candidate.text.endswith("from the new boards?") for p in picks)
    assert cands[2].text in [p.candidate.text for p in picks]   # a question mark inside a sentence is no question
    assert select(intent(()), cands[:1], [0.9], KINDS, AnswerWeights()) == []
