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
_MIN_LETTERS = 25
_MIN_CONFIDENCE = 0.5
# A paragraph's language is plain from its first few hundred characters; classifying whole
# paragraphs costs three times as much for the same answer.
_SAMPLE_CHARS = 240
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
UNKNOWN = "und"


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_languages(texts: Sequence[str], fallback: str = "en") -> list[str]:
    """ISO 639-1 code per text ('und' when a long text is too mixed to tell)."""
    identifier = _identifier()
    result = []
    for text in texts:
        sample = text[:_SAMPLE_CHARS]
        if len(_LETTER.findall(sample)) < _MIN_LETTERS:
            result.append(fallback)
            continue
        language, confidence = identifier.classify(sample)
        result.append(language if confidence >= _MIN_CONFIDENCE else UNKNOWN)
    return result
