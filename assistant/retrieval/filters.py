"""Checking filters against the corpus before any search: a filter that matches nothing is a mistake
to report (naming the valid values), not a question to abstain on.

    check_filters(Filters(kinds=("bogus",)), corpus)   # FilterError: unknown kind 'bogus': use one of government, ...
"""

from __future__ import annotations

from ..corpus.manifest import Corpus
from ..errors import FilterError
from ..types import KINDS, Filters


def check_filters(filters: Filters, corpus: Corpus) -> Filters:
    """`filters` unchanged if every value exists in `corpus`; otherwise FilterError naming the valid values.

    Documents listed but not yet fetched are not valid `doc_ids`: they have no passages to search.
    """
    held = [d.id for d in corpus.available]
    for label, values, valid, option in (("kind", filters.kinds, list(KINDS), "--kind"),
                                         ("speaker", filters.speakers, sorted(corpus.speakers), "--speaker"),
                                         ("document", filters.doc_ids, held, "--doc"),
                                         ("speaker kind", filters.speaker_kinds, list(KINDS), "speaker_kinds")):
        for v in values:
            if option == "--doc" and any(d.id == v for d in corpus.documents) and v not in valid:
                raise FilterError(f"document {v!r} (--doc) is listed but its text is not fetched: "
                                  f"run: hcb corpus fetch {v}, or use one of {', '.join(valid)}")
            if not isinstance(v, str) or v not in valid:
                raise FilterError(f"unknown {label} {v!r} ({option}): use one of {', '.join(valid)}")
    return filters
