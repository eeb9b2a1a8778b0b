"""Language of each paragraph, so that non-English text is flagged rather than dropped.

py3langid (a maintained fork of langid.py) ships its model inside the package, is deterministic
and classifies a paragraph in well under a millisecond; langdetect is random unless seeded and
lingua's full model is hundreds of megabytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["detect_languages"]

# Below this many letters a language guess is noise; such lines take the document's language.
_MIN_LETTERS = 40
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
UNKNOWN = "und"


# The languages a news corpus realistically holds. Restricting the model to them stops short
# English headlines being taken for Nigerian Pidgin or Volapük.
_LANGUAGES = (
    "ar bg bn ca cs da de el en es et fa fi fr he hi hr hu hy id it ja ka kk ko lt lv mn ms "
    "nl no pl ps pt ro ru sk sl sq sr sv sw ta th tl tr uk ur uz vi zh"
).split()


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_LANGUAGES)
    return identifier


def detect_languages(texts: Sequence[str], fallback: str = "en") -> list[str]:
    """ISO 639-1 code per text ('und' when a long text is too mixed to tell).

    `fallback` is the language expected in the corpus: short texts take it, and a weak guess of
    it is accepted.
    """
    identifier = _identifier()
    result = []
    for text in texts:
        sample = text[:_SAMPLE_CHARS]
        if len(_LETTER.findall(sample)) < _MIN_LETTERS:
            result.append(fallback)
            continue
        tokens = _TOKEN.findall(sample.lower())
        if tokens and sum(t in _ENGLISH_ONLY for t in tokens) / len(tokens) >= _ENGLISH_SHARE:
            result.append("en")
            continue
        language, confidence = identifier.classify(sample)
        # A weak guess of the expected language is taken; a weak guess of another one is not
        # enough to flag the paragraph as foreign.
        if language == fallback or confidence >= _MIN_CONFIDENCE:
            result.append(language)
        else:
            result.append(UNKNOWN)
    return result
