"""The whole exception tree. Every message ends with what to do next.

    HcbError                     base: the CLI prints `str(err)` on one line and exits with `exit_code`
    ├── CorpusError              the corpus or its manifest is broken                         (1)
    │   └── IngestError          a file cannot become a corpus document; nothing was changed  (2)
    ├── IndexMissingError        no index has been built yet                                  (3)
    ├── IndexCorruptError        the index on disk cannot be read                             (3)
    ├── IndexUpdateError         the corpus changed but the index could not be updated        (3)
    ├── StoreUnavailableError    the Chroma server cannot be reached                          (4)
    ├── FetchError               a document could not be downloaded; nothing was changed      (5)
    ├── BusyError                another command is changing the index or corpus              (6)
    ├── QuestionError            a question is empty, too long or not text                    (2)
    ├── FilterError              a filter names an unknown kind, speaker or document          (2)
    ├── ArgumentError            a command-line argument is not valid UTF-8                   (2)
    ├── EvalFileError            an evaluation file cannot be read at all                     (2)
    └── FeedbackError            the feedback store or its export cannot be used              (2)

    >>> try:
    ...     raise IndexMissingError("no index in index: run: hcb index build")
    ... except HcbError as e:
    ...     (str(e), e.exit_code)
    ('no index in index: run: hcb index build', 3)
"""


class HcbError(Exception):
    """Base class: the CLI prints `str(err)` on one line and exits non-zero."""

    exit_code = 1


class CorpusError(HcbError):
    pass


class IngestError(CorpusError):
    """A file cannot become a corpus document; nothing was changed."""

    exit_code = 2


class IndexMissingError(HcbError):
    exit_code = 3


class IndexCorruptError(HcbError):
    exit_code = 3


class IndexUpdateError(HcbError):
    exit_code = 3


class StoreUnavailableError(HcbError):
    exit_code = 4


class FetchError(HcbError):
    """A document could not be downloaded; nothing was changed."""

    exit_code = 5


class BusyError(HcbError):
    """Another command holds the write lock of the index or the corpus."""

    exit_code = 6


class QuestionError(HcbError):
    exit_code = 2


class FilterError(HcbError):
    exit_code = 2


class ArgumentError(HcbError):
    exit_code = 2


class EvalFileError(HcbError):
    exit_code = 2


class FeedbackError(HcbError):
    exit_code = 2
