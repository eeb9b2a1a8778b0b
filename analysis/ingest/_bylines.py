"""Bylines and datelines: author, place and agency from the first lines of a document."""

from __future__ import annotations

import re

from ..lookups import shipped_kind_table

# --- bylines and datelines -----------------------------------------------------------------

_PERSON = r"[A-Z][\w'’.\-]*(?:\s+(?:(?:de|van|von|bin|al|da|di|le)\s+)?[A-Z][\w'’.\-]*){1,3}"
_BYLINE = re.compile(
    rf"^[Bb][Yy]:?\s+(?P<names>{_PERSON}(?:\s*(?:,|and|&)\s*{_PERSON})*?)"
    r"\s*(?:(?:,|\||/|—|–|-|\bof\b)\s*(?P<rest>[^|/]{1,80}))?$"
)
_STAFF_ROLE = (
    r"(?:(?:Staff|Senior|Chief|Political|Diplomatic|Defense|Defence|Foreign|North Korea|China|"
    r"Seoul|Beijing|Washington|Tokyo|Taipei|Moscow|Special|Contributing|Associate|Managing|Deputy|"
    r"Bureau)\s+){0,3}(?:Reporter|Writer|Correspondent|Editor|Columnist|Contributor|Journalist|"
    r"Analyst)s?"
)
_STAFF_LINE = re.compile(
    rf"^(?P<name>{_PERSON}),\s+(?P<role>{_STAFF_ROLE})(?:\s*[,|/]\s*(?P<rest>.{{1,60}}))?$", re.I
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}(?=,\s*\w+\.?\s+\d))"
    r"(?:,\s*(?P<extra>[A-Z][\w.]*(?:\s+[\w.]+){0,2}))?\s*(?:\((?P<agency>[^)]{2,40})\))?\s*(?:--|—|–|-|:)\s+\S"
)


def _leading_dateline(text: str) -> re.Match | None:
    """The dateline opening `text` ("SEOUL, Oct. 11 (Yonhap) --", "MOSCOW (Reuters) -"), if any."""
    dateline = _DATELINE.match(text[:200])
    # A dateline opens a paragraph of running text; "NORTH KOREA - RUSSIA TIES" is a headline.
    running = dateline and re.search(r"\b[a-z]{2,}\b", text[dateline.end() - 1 :][:60])
    if running and (dateline.group("place").isupper() or dateline.group("agency")):
        return dateline
    return None


def dateline_length(text: str) -> int:
    """How many characters of `text` a dateline opening it takes, separator included (0 when it
    opens with none): where a story was filed, not what it is about."""
    dateline = _leading_dateline(text)
    return dateline.end() - 1 if dateline else 0


def _person_case(name: str) -> str:
    """ "JANE DOE" -> "Jane Doe"; names already in mixed case are kept as written."""
    return name.title() if name.isupper() else name


def _agency_name(text: str) -> str:
    text = text.strip(" .,-—–|/")
    row = shipped_kind_table().lookup(text)
    if row:
        return row[0]
    words = text.split()
    if 1 <= len(words) <= 6 and all(w[0].isupper() or w in ("of", "the", "and") for w in words):
        return text
    return ""


def _author_match(line: str) -> re.Match | None:
    """The byline or staff-line match of a line that names an article's author, if it is one."""
    if len(line.split()) > 16:
        return None
    return _BYLINE.match(line) or _STAFF_LINE.match(line)


def is_author_line(line: str) -> bool:
    """A line that names an article's author and nothing more ("By Jane Doe", "BY JOHN SMITH |
    The Korea Herald", "Kim Min-seo, Staff Reporter")."""
    return _author_match(line.strip()) is not None


def infer_byline(text: str) -> dict[str, str]:
    """{'author': ..., 'dateline_place': ..., 'agency': ...} from the first lines of a document
    ("By Jane Doe", "Jane Doe, Staff Reporter", "SEOUL, Oct. 11 (Yonhap) --"); keys found only."""
    found: dict[str, str] = {}
    lines = [line.strip() for line in text.splitlines()[:40] if line.strip()][:15]
    for line in lines:
        if "author" not in found:
            byline = _author_match(line)
            if byline:
                names = byline.group("names") if "names" in byline.groupdict() else byline.group("name")
                people = [
                    _person_case(n.strip()) for n in re.split(r"\s*(?:,|\band\b|&)\s*", names) if n.strip()
                ]
                found["author"] = "; ".join(people)
                rest = byline.group("rest") or ""
                if rest and not re.fullmatch(_STAFF_ROLE, rest.strip(), re.I) and "agency" not in found:
                    agency = _agency_name(rest)
                    if agency:
                        found["agency"] = agency
                continue
        if "dateline_place" not in found:
            dateline = _leading_dateline(line)
            if dateline:
                place = dateline.group("place").strip()
                found["dateline_place"] = place.title() if place.isupper() else place
                if dateline.group("agency") and "agency" not in found:
                    agency = _agency_name(dateline.group("agency"))
                    if agency:
                        found["agency"] = agency
        if len(found) == 3:
            break
    return found
