"""Theme labels: each theme's most distinctive terms."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..tables import OTHER_ID

# c-TF-IDF reads at most this many paragraphs per theme: plenty to rank its terms, and it
# keeps labelling a million-paragraph corpus cheap.
_TERMS_SAMPLE = 500


def theme_terms(texts: Sequence[str], labels: Sequence[int], top_n: int = 10) -> dict[int, list[str]]:
    """Each theme's most distinctive terms by class-based TF-IDF.

    All paragraphs of a theme are treated as one document; a term scores by its frequency in the
    theme times log(1 + average words per theme / the term's frequency across themes), as in
    BERTopic's c-TF-IDF. "Other" is scored with the rest (so that its words do not look
    distinctive elsewhere) but gets no terms.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    labels = np.asarray(labels)
    themes = sorted(set(labels.tolist()))
    joined = []
    for theme in themes:
        members = np.flatnonzero(labels == theme)
        if len(members) > _TERMS_SAMPLE:  # evenly spaced, so the sample is deterministic
            members = members[np.linspace(0, len(members) - 1, _TERMS_SAMPLE).astype(int)]
        joined.append(" ".join(texts[i] for i in members))
    if not any(j.strip() for j in joined):
        return {theme: [] for theme in themes}
    vectorizer = CountVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b[^\W\d_][\w'’-]*[^\W_]\b",
        lowercase=True,
    )
    try:
        counts = vectorizer.fit_transform(joined).astype(np.float64)
    except ValueError:  # only stop words
        return {theme: [] for theme in themes}
    terms = vectorizer.get_feature_names_out()
    tf = counts.multiply(1.0 / np.maximum(counts.sum(axis=1), 1)).tocsr()
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    average_words = counts.sum() / len(themes)
    idf = np.log1p(average_words / np.maximum(frequency, 1))
    scores = tf.multiply(idf).tocsr()
    result: dict[int, list[str]] = {}
    for row, theme in enumerate(themes):
        if theme == OTHER_ID:
            result[theme] = []
            continue
        values = scores[row].toarray().ravel()
        # Sort by score, then by term so that ties cannot reorder between runs.
        ranked = sorted((i for i in np.flatnonzero(values)), key=lambda i: (-values[i], terms[i]))
        chosen: list[str] = []
        for i in ranked:
            term = terms[i]
            # Skip a unigram already inside a chosen bigram, and vice versa: "new", "cold war"
            # and "new cold war" say one thing.
            if any(term in c.split() or c in term.split() for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == top_n:
                break
        result[theme] = chosen
    return result
