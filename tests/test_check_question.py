"""`check_question`: what cannot be a question is a QuestionError with what to do, before any work."""

from __future__ import annotations

import pytest

from assistant import check_question
from assistant.errors import QuestionError


@pytest.mark.parametrize("question", ["What is an ICB \udcff?", "\ud800", "a \udfff b"])
def test_a_lone_surrogate_is_a_question_error(question):
    """Before the check, the real model's tokenizer raised TypeError deep inside `ask`."""
    with pytest.raises(QuestionError, match="not valid text"):
        check_question(question)


def test_real_non_ascii_text_is_a_question():
    assert check_question(" Qu’est-ce qu’un ICB — 🙂? ") == "Qu’est-ce qu’un ICB — 🙂?"
