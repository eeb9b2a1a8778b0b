"""An analyst's own table file, read as text with every way it can be unusable said in one line."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

__all__ = ["read_table_file"]


def read_table_file(source: str | Path | bytes, name: str, header: str) -> tuple[pd.DataFrame, str]:
    """(the CSV table in `source`, every cell text, and how to name the file in a message).

    `source` is a path or a file's bytes (an upload); `name` says what table it is ("source
    kinds", "states") and `header` the header row it needs. Raises ValueError with a one-line
    reason when the file is missing, not UTF-8, empty or not a CSV table."""
    upload = isinstance(source, bytes)
    where = f"uploaded {name} file" if upload else f"{name} file {Path(source).name}"
    try:
        data = io.BytesIO(source) if upload else Path(source)
        table = pd.read_csv(data, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ValueError(f"{name} file not found: {source}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{where} is not UTF-8 text") from None
    except pd.errors.EmptyDataError:
        raise ValueError(f"{where} is empty (it needs a header row: {header})") from None
    except (pd.errors.ParserError, OSError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"{where} is not a readable CSV table: {reason}") from None
    return table, where
