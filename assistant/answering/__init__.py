"""Stage 6, answering: an attributed, cited answer from the documents' own sentences, or an honest abstention.

    intent.py       what the question asks for
    patterns.py     the regular expressions it is read with
    scoring.py      every sentence of the top passages, scored
    selection.py    the most direct sentence first, then what completes it, each side, runners-up
    sufficiency.py  does the evidence hold the asked-for fact? if not, abstain
    compose.py      the answer record and its text; the abstention
    followups.py    a follow-up resolved against the previous turn
"""
