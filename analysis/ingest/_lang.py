"""Language of each paragraph, so that non-English text is embedded, themed and read for what it is.

The writing system decides most of it before any model is asked: Hangul is Korean, kana is
Japanese, Han characters without kana are Chinese, and Cyrillic letters that only Ukrainian
(і ї є ґ) or only Russian (ы э ъ ё) uses tell those two apart. Only what the script leaves open
goes to py3langid (a maintained fork of langid.py: its model ships inside the package, it is
deterministic and takes well under a millisecond a paragraph; langdetect is random unless
seeded and lingua's full model is hundreds of megabytes).

A line too short to tell (a headline, "AI要約", a caption) takes the most common language of its
document's other paragraphs: a Japanese page's short headline is Japanese, not the corpus's
default.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Sequence
from functools import lru_cache

__all__ = ["UNKNOWN", "detect_languages", "paragraph_languages", "query_language", "settle_short_texts"]

UNKNOWN = "und"

# Below this many letters of an alphabet a language guess is noise. Characters of Chinese,
# Japanese and Korean carry a word or a syllable each, so far fewer are enough, and the script
# itself already narrows the choice to one or two languages.
_MIN_LETTERS = 40
_MIN_CJK_CHARACTERS = 6
_MIN_CONFIDENCE = 0.5
# A paragraph's language is plain from its first few hundred characters; classifying whole
# paragraphs costs three times as much for the same answer.
_SAMPLE_CHARS = 240
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# English function words that no other common language shares. A paragraph in which they
# make up a large share of the words is English without asking the classifier: most corpora
# here are mostly English, and this halves the cost of the step.
_ENGLISH_ONLY = frozenset(
    "the of and that with for was were from this which have has been would their said "
    "they there these those about after because could should".split()
)
_ENGLISH_SHARE = 0.15
_TOKEN = re.compile(r"[a-z]+")

# Letters only one of the two largest Cyrillic-script languages of the region writes.
_UKRAINIAN_ONLY = frozenset("іїєґ")
_RUSSIAN_ONLY = frozenset("ыэъё")
# Share of a paragraph's letters in a script above which the script decides its language. A
# Korean article quotes English names and Chinese characters; a share, not "any", is needed.
_SCRIPT_SHARE = 0.3

# The languages a news corpus realistically holds. Restricting the model to them stops short
# English headlines being taken for Nigerian Pidgin or Volapük.
_LANGUAGES = (
    "ar bg bn ca cs da de el en es et fa fi fr he hi hr hu hy id it ja ka kk ko lt lv mn ms "
    "nl no pl ps pt ro ru sk sl sq sr sv sw ta th tl tr uk ur uz vi zh"
).split()
_CYRILLIC_LANGUAGES = ["bg", "kk", "mn", "ru", "sr", "uk"]


@lru_cache(maxsize=2)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


def _script(character: str) -> str:
    """'hangul', 'kana', 'han', 'cyrillic' or 'other' for one letter."""
    code = ord(character)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    return "other"


def _by_script(letters: list[str], shortest: int = _MIN_CJK_CHARACTERS) -> str | None:
    """The language the writing system settles, None when it settles nothing, UNKNOWN when the
    script is plain but the text too short (below `shortest` characters) to be sure of more."""
    scripts = Counter(_script(letter) for letter in letters)
    total = len(letters)
    hangul, kana, han = scripts["hangul"], scripts["kana"], scripts["han"]
    cjk = hangul + kana + han
    if cjk >= _SCRIPT_SHARE * total and cjk:
        if cjk < shortest:
            return UNKNOWN
        if hangul >= kana + han * 0.5:
            return "ko"
        # Japanese is written in kanji and kana together; a run of Han characters with no kana
        # at all is Chinese (a kanji-only Japanese headline is short and takes its document's).
        if kana >= 0.05 * cjk:
            return "ja"
        return "zh" if han >= 2 * shortest else UNKNOWN
    if scripts["cyrillic"] >= _SCRIPT_SHARE * total and scripts["cyrillic"]:
        lowered = {letter.lower() for letter in letters}
        ukrainian, russian = bool(lowered & _UKRAINIAN_ONLY), bool(lowered & _RUSSIAN_ONLY)
        if ukrainian != russian and total >= shortest * 3:
            return "uk" if ukrainian else "ru"
    return None


def query_language(text: str, fallback: str = "en") -> str:
    """The language of a search query: a few words, so the script decides when it can (two
    Hangul syllables are Korean; Cyrillic with no letter of its own is taken for Russian, the
    commoner), and the classifier or `fallback` otherwise."""
    letters = _LETTER.findall(unicodedata.normalize("NFC", text[:_SAMPLE_CHARS]))
    by_script = _by_script(letters, shortest=1)
    if by_script not in (None, UNKNOWN):
        return by_script
    if sum(_script(letter) == "cyrillic" for letter in letters) >= _SCRIPT_SHARE * max(len(letters), 1) > 0:
        return "ru"
    return _one_language(text, fallback) or fallback


def _one_language(text: str, fallback: str) -> str | None:
    """The language of one text, None when it is too short to tell."""
    sample = unicodedata.normalize("NFC", text[:_SAMPLE_CHARS])
    letters = _LETTER.findall(sample)
    by_script = _by_script(letters)
    if by_script is not None:
        return None if by_script == UNKNOWN else by_script
    if len(letters) < _MIN_LETTERS:
        return None
    tokens = _TOKEN.findall(sample.lower())
    if tokens and sum(t in _ENGLISH_ONLY for t in tokens) / len(tokens) >= _ENGLISH_SHARE:
        return "en"
    cyrillic = sum(_script(letter) == "cyrillic" for letter in letters) >= _SCRIPT_SHARE * len(letters)
    languages = _CYRILLIC_LANGUAGES if cyrillic else _LANGUAGES
    language, confidence = _identifier(tuple(languages)).classify(sample)
    # A weak guess of the expected language is taken; a weak guess of another one is not
    # enough to flag the paragraph as foreign.
    if language == fallback or confidence >= _MIN_CONFIDENCE:
        return language
    return UNKNOWN


def paragraph_languages(texts: Sequence[str], fallback: str = "en") -> list[str | None]:
    """ISO 639-1 code per text, 'und' when a long text is too mixed to tell, and None when a
    text is too short to tell (see `detect_languages` for how those are settled)."""
    return [_one_language(text, fallback) for text in texts]


def detect_languages(
    texts: Sequence[str], fallback: str = "en", documents: Sequence[Hashable] | None = None
) -> list[str]:
    """ISO 639-1 code per text ('und' when a long text is too mixed to tell).

    A text too short to tell takes the most common language of the other texts of its document
    (`documents`: one id per text), and `fallback` (the language expected in the corpus) when
    its document has no text long enough either. A weak guess of `fallback` is accepted.
    """
    return settle_short_texts(paragraph_languages(texts, fallback), fallback, documents)


def settle_short_texts(
    languages: Sequence[str | None], fallback: str = "en", documents: Sequence[Hashable] | None = None
) -> list[str]:
    """`paragraph_languages`' None (too short to tell) replaced by its document's most common
    language (ties: the first of them in the document), else by `fallback`."""
    documents = documents if documents is not None else [None] * len(languages)
    by_document: dict[Hashable, Counter] = {}
    for document, language in zip(documents, languages, strict=True):
        if language is not None and language != UNKNOWN:
            by_document.setdefault(document, Counter())[language] += 1
    settled = {document: counts.most_common(1)[0][0] for document, counts in by_document.items()}
    return [
        language if language is not None else settled.get(document, fallback)
        for document, language in zip(documents, languages, strict=True)
    ]
