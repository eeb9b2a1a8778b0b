"""Sentences of a paragraph, split once (with their offsets) and shared by figures and cited sources.

sentencex (Wikimedia, ~300 languages) with a small repair pass for abbreviations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..settings import Settings

# Abbreviations after which a sentence never ends (titles) or ends only before a capital.
_TITLES = {"dr", "mr", "mrs", "ms", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen", "rep", "gov",
           "st", "rev", "hon", "pres", "amb"}  # fmt: skip
_ABBREVIATIONS = {"approx", "est", "ca", "no", "nos", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec", "fig", "vol", "art", "inc", "corp", "ltd", "co"}  # fmt: skip


@dataclass(frozen=True)
class ClaimLimits:
    """What reading one paragraph for figures and sources may take (the build settings'
    defaults; `from_settings` takes an analyst's own). A news paragraph holds a few sentences and
    numbers; a paragraph far past these is a table or a list dumped as text, and reading its
    first sentences and numbers keeps a build's time linear in its text."""

    sentences: int = 200  # sentences of a paragraph read; the rest are not
    numbers: int = 2_000  # numbers of a paragraph read for figures; the rest are not

    @classmethod
    def from_settings(cls, settings: Settings) -> ClaimLimits:
        return cls(sentences=settings.max_paragraph_sentences, numbers=settings.max_paragraph_numbers)


def paragraph_sentences(text: str, limits: ClaimLimits) -> list[tuple[int, int]]:
    """Where the sentences of a paragraph that are read for figures and sources stand in it:
    (start, end) character offsets of its first `limits.sentences`."""
    return sentence_spans(text)[: limits.sentences]


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """The sentences of a paragraph, stripped, as they stand in the text. Never breaks inside
    "U.S.", "U.S.-China", "Dr. Kim", "9.8", "Jan. 5" or "approx. 300"."""
    return [text[start:end] for start, end in sentence_spans(text, lang)]


def sentence_spans(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, as `split_sentences` cuts them."""
    try:
        from sentencex import segment
    except ImportError as error:  # pragma: no cover - a missing requirement, said plainly
        raise ImportError("split_sentences needs the 'sentencex' package: pip install sentencex") from error
    spans: list[list[int]] = []
    position = 0
    for piece in segment(lang or "en", text):
        piece = piece.strip()
        start = text.find(piece, position) if piece else -1
        if start < 0:
            continue
        position = start + len(piece)
        # sentencex splits "anti-U.S. collaboration" and "approx. 300": such pieces are glued back.
        if spans and _continues(text[spans[-1][0] : spans[-1][1]], piece):
            spans[-1][1] = position
        else:
            spans.append([start, position])
    return [(start, end) for start, end in spans]


def _continues(before: str, after: str) -> bool:
    """Whether `after` goes on the sentence that `before` ends with an abbreviation."""
    last = re.search(r"(?:^|[\s(\-])([A-Za-z]{1,6})\.$", before)
    if not last:
        return False
    word = last.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "anti-U." + "S. collaboration", "J." + "W. Kuo"
        return bool(re.match(r"[A-Z]\.|[a-z0-9]", after))
    if word.lower() in _TITLES:
        return True
    return word.lower() in _ABBREVIATIONS and bool(re.match(r"[a-z0-9$€£¥₩]", after))
