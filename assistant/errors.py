"""The exception tree. Every message ends with what to do next.

    HcbError
    ├── CorpusError          the corpus or its manifest is broken
    ├── IndexMissingError    no index has been built yet
    ├── IndexCorruptError    the index on disk cannot be read
    ├── StoreUnavailableError  the Chroma server cannot be reached
    ├── QuestionError        a question is empty, too long or not text
    └── EvalFileError        an evaluation file cannot be read at all
"""


class HcbError(Exception):
    """Base class: the CLI prints `str(err)` on one line and exits non-zero."""

    exit_code = 1


class CorpusError(HcbError):
    pass


class IndexMissingError(HcbError):
    exit_code = 3


class IndexCorruptError(HcbError):
    exit_code = 3


class StoreUnavailableError(HcbError):
    exit_code = 4


class QuestionError(HcbError):
    exit_code = 2


class EvalFileError(HcbError):
    exit_code = 2
