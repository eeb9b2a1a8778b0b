"""Dates as the views read them: a corpus's date column parsed once per distinct value."""

from __future__ import annotations

import pandas as pd

__all__ = ["parsed_dates"]


def parsed_dates(values: pd.Series) -> pd.Series:
    """`values` (dates written as text, in any of the forms pandas reads) as timestamps, NaT where
    a value is no date; the index of `values` kept.

    A million paragraphs carry a few thousand distinct dates: each is parsed once and the result
    spread back. The same as `pd.to_datetime(values, errors="coerce", format="mixed")`, whose
    cost grows with the rows instead of the distinct values (1.5 to 2 times slower here at
    100,000 rows)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    parsed = pd.to_datetime(pd.Series(distinct, dtype=object), errors="coerce", format="mixed")
    spread = parsed.to_numpy()[codes]
    return pd.Series(spread, index=values.index, dtype=parsed.dtype).where(codes >= 0)
