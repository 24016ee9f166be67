"""Number formatting shared by the terminal tables and report.md.

    >>> fmt(0.8712), fmt(None), fmt_ci(0.8, 0.9)
    ('0.871', '—', '[0.800, 0.900]')
"""

from __future__ import annotations


def fmt(v, digits: int = 3) -> str:
    if v is None:
        return "—"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def fmt_ci(lo, hi, digits: int = 3) -> str:
    return "—" if lo is None else f"[{lo:.{digits}f}, {hi:.{digits}f}]"
