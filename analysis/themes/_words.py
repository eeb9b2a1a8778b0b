"""Content words of Korean, Chinese and Japanese text, for labels and keywords.

These languages do not separate words the way English does: Chinese and Japanese write no spaces,
and a Korean word carries its particles ("러시아에", to Russia; "북한은", North Korea + topic). Split
on spaces, a theme's keywords would be whole clauses or particle-laden forms. So:

- Korean goes through Kiwi (kiwipiepy: a maintained morphological analyser, model in its own
  package, deterministic), keeping nouns, names and words in Latin script or Hanja;
- Chinese through jieba's dictionary and part-of-speech tags (rjieba, the maintained Rust port:
  a 5 MB wheel), keeping nouns and names;
- Japanese by its scripts: content words are written in kanji or katakana and the grammar
  between them in hiragana, so runs of kanji or katakana are its nouns and verb stems (a
  dictionary analyser such as Janome takes 200 MB installed for little better keywords).

Each text gives runs of consecutive content words: a label phrase is one to three words of one
run ("韩国 国防部", "캠프 데이비드"), never words across a particle or a verb.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["SEGMENTED_LANGUAGES", "content_runs"]

SEGMENTED_LANGUAGES = frozenset({"ko", "zh", "ja"})

# Kiwi's tags of words that can name something: common and proper nouns, foreign words in Latin
# script, Hanja. Everything else (particles, endings, verbs, numbers) ends a run.
_KOREAN_CONTENT = ("NNG", "NNP", "SL", "SH")
# jieba's tags of nouns and names (n, nr, ns, nt, nz, ...) and of English words.
_CHINESE_CONTENT = re.compile(r"^(n[a-z]*|eng)$")
# Runs of kanji, or of katakana (with its long-vowel mark): Japanese content words.
_JAPANESE_WORD = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々]{2,}|[\u30a0-\u30ff]{2,}|[A-Za-z][A-Za-z-]+")
_HIRAGANA_OR_BREAK = re.compile(r"[^\u4e00-\u9fff\u3400-\u4dbf々\u30a0-\u30ffA-Za-z-]+")


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    # Its smaller context model: loads in 2.8 s and reads 1.5 ms a paragraph here, against 4.0 s
    # and 6.8 ms for the largest, with the same nouns on news text.
    return Kiwi(model_type="cong-global")


def content_runs(text: str, language: str) -> list[list[str]]:
    """Runs of consecutive content words of `text` in `language` (ko, zh or ja), lower case."""
    if language == "ko":
        runs: list[list[str]] = [[]]
        for token in _kiwi().tokenize(text):
            if token.tag in _KOREAN_CONTENT and len(token.form) >= 2:
                runs[-1].append(token.form.lower())
            elif runs[-1]:
                runs.append([])
        return [run for run in runs if run]
    if language == "zh":
        import rjieba

        runs = [[]]
        for word, tag in rjieba.tag(text):
            if _CHINESE_CONTENT.match(tag) and len(word) >= 2:
                runs[-1].append(word.lower())
            elif runs[-1]:
                runs.append([])
        return [run for run in runs if run]
    if language == "ja":
        # A run of content words ends where hiragana, punctuation or a space comes between two.
        return [
            [word.lower() for word in _JAPANESE_WORD.findall(chunk)]
            for chunk in _HIRAGANA_OR_BREAK.split(text)
            if _JAPANESE_WORD.search(chunk)
        ]
    raise ValueError(f"no word segmenter for {language!r}")
