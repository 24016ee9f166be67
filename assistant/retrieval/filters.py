"""Checking filters against the corpus before any search: a filter that matches nothing is a mistake
to report (naming the valid values), not a question to abstain on.

    check_filters(Filters(kinds=("bogus",)), corpus)   # FilterError: unknown kind 'bogus': use one of government, ...
"""

from __future__ import annotations

from ..corpus.manifest import Corpus
from ..errors import FilterError
from ..types import KINDS, Filters


CLI_NAMES = {"kinds": "--kind", "speakers": "--speaker", "doc_ids": "--doc", "speaker_kinds": "speaker_kinds"}


def check_filters(filters: Filters, corpus: Corpus, names: dict[str, str] = CLI_NAMES) -> Filters:
    """`filters` unchanged if every value exists in `corpus`; otherwise FilterError naming the valid values
    (and the option or field, by `names`, that holds the bad value).

    Documents listed but not yet fetched are not valid `doc_ids`: they have no passages to search.
    """
    held = [d.id for d in corpus.available]
    for label, field, values, valid in (("kind", "kinds", filters.kinds, list(KINDS)),
                                        ("speaker", "speakers", filters.speakers, sorted(corpus.speakers)),
                                        ("document", "doc_ids", filters.doc_ids, held),
                                        ("speaker kind", "speaker_kinds", filters.speaker_kinds, list(KINDS))):
        option = names.get(field, field)
        for v in values:
            if field == "doc_ids" and any(d.id == v for d in corpus.documents) and v not in valid:
                raise FilterError(f"document {v!r} ({option}) is listed but its text is not fetched: "
                                  f"run: hcb corpus fetch {v}, or use one of {', '.join(valid)}")
            if not isinstance(v, str) or v not in valid:
                raise FilterError(f"unknown {label} {v!r} ({option}): use one of {', '.join(valid)}")
    return filters
