"""Lookup tables the analyst can extend: the kinds of cited sources (state media, think tank,
government, military, intelligence agency, international organisation, news outlet, person,
other), shipped in `analysis/resources/`, and how an analyst's own table file is read."""

from ._files import read_table_file
from ._source_kinds import (
    NATIONALITIES,
    ORG_KINDS,
    SHIPPED_KINDS,
    KindTable,
    check_source_kinds,
    kind_table_for,
    load_source_kinds,
    merge_source_kinds,
    read_source_kinds,
    shipped_kind_table,
    source_kinds_csv,
    usable_source_kinds,
)

__all__ = [
    "NATIONALITIES",
    "ORG_KINDS",
    "SHIPPED_KINDS",
    "KindTable",
    "check_source_kinds",
    "kind_table_for",
    "load_source_kinds",
    "merge_source_kinds",
    "read_source_kinds",
    "read_table_file",
    "shipped_kind_table",
    "source_kinds_csv",
    "usable_source_kinds",
]
