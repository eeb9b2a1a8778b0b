"""Counts and names as the pages and the briefing write them, so every page says them alike."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..tables import known_outlets

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "NO_OUTLET_WORDS", "counted", "document_name", "document_origin", "document_outlet", "language_mix",
    "language_name", "name_unknown_outlets", "named_documents", "percent", "reading_order", "shorten",
    "theme_languages", "with_document_names",
]  # fmt: skip

# What an unknown outlet is called wherever one is shown.
NO_OUTLET_WORDS = "outlet not known"


# The least share a whole percent shows as "1%": below it, "0%" would say "none".
_LEAST_PERCENT = 0.005


def percent(share: float) -> str:
    """A share as a whole percent, never rounded to a claim the figures do not make: "<1%" for
    a share above none (169 of a million paragraphs in Other read "0%"), ">99%" below all."""
    share = float(share)
    if 0 < share < _LEAST_PERCENT:
        return "<1%"
    if 1 - _LEAST_PERCENT <= share < 1:
        return ">99%"
    return f"{share:.0%}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and the noun in the right number, thousands separated: "1 paragraph",
    "2,310 paragraphs" ("1 country", "3 countries" with `plural`)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def document_name(title: object, path: object = "") -> str:
    """How a document is named to an analyst: its title, else its file name (the last part of
    its path, never a content hash), else "untitled document"."""
    title = "" if title is None else " ".join(str(title).split())
    if title and title.lower() != "nan":
        return title
    path = "" if path is None else str(path).strip()
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name if name and name.lower() != "nan" else "untitled document"


# Columns an analyst reads, in reading order, and ids that only link rows: a table shows the
# former first, so the paragraph is on screen, and the latter last.
_READ_FIRST = ("file", "document", "kept_document", "text", "sentence", "score", "title", "theme", "outlet", "date", "source", "kind")
_IDS_LAST = ("theme_id", "article", "paragraph", "doc", "kept_article", "kept_paragraph", "kept_doc", "pid", "path", "sha256", "hash")


def reading_order(columns) -> list[str]:
    """The table's columns with what is read first (text, title, theme, outlet, date) and ids
    last (theme_id, doc, pid), the others in their order in between."""
    columns = [str(column) for column in columns]
    first = [c for c in _READ_FIRST if c in columns]
    last = [c for c in _IDS_LAST if c in columns]
    return [*first, *[c for c in columns if c not in first and c not in last], *last]


def _known(value: object) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return "" if text.lower() in ("nan", "none", "nat") else text


def document_outlet(documents, doc: object) -> str:
    """The outlet of document `doc` as shown everywhere: as given, or NO_OUTLET_WORDS when none
    is known (an outlet read only from the file's name is none)."""
    return _outlet_of(_document_rows(documents, doc))


def _outlet_of(rows) -> str:
    """The outlet of a document's rows (None: no such document), as `document_outlet` says it."""
    if rows is None:
        return NO_OUTLET_WORDS
    return _known(known_outlets(rows.head(1)).iloc[0]) or NO_OUTLET_WORDS


def document_origin(documents, doc: object, title: object = "") -> str:
    """"Taipei Times, 2024-06-16, Title" of a document (or of its article, given its `title`):
    the outlet (or NO_OUTLET_WORDS), the date when known, and `document_name`."""
    rows = _document_rows(documents, doc)
    row = rows.iloc[0] if rows is not None else {}
    name = document_name(_known(title) or _known(row.get("title")), doc)
    # The rows found once: each lookup scans every document.
    parts = [_outlet_of(rows), _known(row.get("date")), name]
    return ", ".join(part for part in parts if part)


def _document_rows(documents, doc: object):
    if documents is None or "doc" not in getattr(documents, "columns", ()):
        return None
    rows = documents[documents["doc"].astype(str) == str(doc)]
    return None if rows.empty else rows


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")


def shorten(text: object, limit: int) -> str:
    """`text` in at most `limit` characters, cut where a reader expects a cut: after the last
    whole sentence that fits (when that keeps at least half), else after the last whole word,
    and marked with an ellipsis. Text that fits is returned as is."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    room = text[: max(1, limit - 1)]
    ends = [match.end() for match in _SENTENCE_END.finditer(room + " ")]
    if ends and ends[-1] >= limit // 2:
        return room[: ends[-1]].rstrip() + " …"
    cut = room.rsplit(" ", 1)[0] if " " in room.strip() else room
    return cut.rstrip(" ,;:–—-") + "…"


def name_unknown_outlets(analysis):
    """A copy of the analysis whose paragraphs give NO_OUTLET_WORDS as the outlet of documents
    whose outlet is not known (none given, or only read from the file's name), so that tables,
    filters and charts name them as the page that reads them in context does."""
    import dataclasses

    paragraphs = analysis.paragraphs
    outlet = known_outlets(paragraphs, analysis.documents)
    unknown = outlet == ""
    if not unknown.any():
        return analysis
    return dataclasses.replace(analysis, paragraphs=paragraphs.assign(outlet=outlet.mask(unknown, NO_OUTLET_WORDS)))


def named_documents(documents):
    """The documents table with a first column, `file`, naming each row's file (the last part
    of its path, never a content hash): a row is recognisable without scrolling to its id, and
    its title is the next column. (Named by its title, as other tables' `document` column names
    a document, the title showed twice and the file nowhere in sight; and a `document` column of
    file names over the Articles table's of titles read as one word with two meanings.) Each
    outlet is named as every page names it: a file's name read as its outlet is NO_OUTLET_WORDS
    (with no origin), not the file's name in the outlet column of one table only."""
    if "doc" not in documents:
        return documents
    named = documents.assign(file=[document_name("", doc) for doc in documents["doc"]])
    if "outlet" not in named:
        return named
    unknown = (known_outlets(named) == "").to_numpy()
    if not unknown.any():
        return named
    named = named.assign(outlet=named["outlet"].mask(unknown, NO_OUTLET_WORDS))
    if "outlet_from" in named:
        named = named.assign(outlet_from=named["outlet_from"].mask(unknown, ""))
    return named


def with_document_names(table, documents, columns=(("doc", "document"), ("kept_doc", "kept_document"))):
    """`table` with each of its document-id columns (`doc`, `kept_doc`) named as every page
    names a document (`document_name` of the documents table's title and id) in a column of its
    own (`document`, `kept_document`): an article or a dropped duplicate is recognisable
    without reading a file hash. For a page of rows: only their documents are looked up."""
    import pandas as pd

    present = [(ids, names) for ids, names in columns if ids in table]
    if not present or "doc" not in documents:
        return table
    wanted = set().union(*(table[ids].astype(str) for ids, _ in present))
    rows = documents[documents["doc"].astype(str).isin(wanted)]
    titles = rows["title"] if "title" in rows else pd.Series("", index=rows.index)
    name_of = {str(doc): document_name(title, doc) for title, doc in zip(titles, rows["doc"], strict=True)}
    return table.assign(**{names: [name_of.get(str(d), document_name("", d)) for d in table[ids]] for ids, names in present})


# The codes of a text whose language was not told.
UNTOLD_LANGUAGE = ("und", "")


def language_name(code: str) -> str:
    """A language's English name from its ISO 639 code, as CLDR writes it ("it": Italian);
    "unknown" for a text whose language was not found, the code itself for a code CLDR does not
    know."""
    return "unknown" if code in UNTOLD_LANGUAGE else _english_language_names().get(code, code)


@functools.cache
def _english_language_names() -> dict[str, str]:
    from babel import Locale  # its locale data read once, when a name is first asked for

    return dict(Locale("en").languages)


def theme_languages(paragraphs: pd.DataFrame, theme_id: int) -> str:
    """The languages of a theme's paragraphs with their shares ("" when the corpus is in one
    language, or no paragraph is in the theme)."""
    if paragraphs["lang"].nunique() < 2:
        return ""
    return language_mix(paragraphs.loc[(paragraphs["theme_id"] == theme_id).to_numpy(), "lang"])


def language_mix(languages: pd.Series) -> str:
    """"English 60%, Korean 25%, Russian 15%": the languages of some paragraphs, commonest first.
    A language too rare for a whole percent is counted ("English >99%, Italian: 28 paragraphs"):
    "Italian 0%" beside "English 100%" read as if nothing were in Italian."""
    counts = languages.value_counts()
    total = int(counts.sum())
    parts = []
    for code, count in counts.items():
        name, share = language_name(str(code)), count / total
        if share < _LEAST_PERCENT:
            parts.append(f"{name}: {counted(int(count), 'paragraph')}")
        else:
            parts.append(f"{name} {percent(share)}")
    return ", ".join(parts)
