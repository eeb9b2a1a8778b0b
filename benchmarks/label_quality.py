"""Theme labels on labelled news: does a theme's name say what the theme is about?

    python benchmarks/label_quality.py [--data ../shared/benchmarks] [--seed 0]
        [--bbc-sample 1500] [--ag-sample 2000]

Each corpus's themes are found once (BBC and AG News items as one paragraph each, as
theme_quality.py fits them; the claims pages and the six-language pages built as
`python -m analysis build` builds them), then named twice from the same themes: with each
phrase's closeness to its theme's centre measured by the mean of the paragraphs that use it
("paragraphs", the labelling before 2026-12-05), and by the phrase's own vector from the build's
model ("phrase", now). Printed per corpus and labelling:

- name finds its theme: the share of themes whose name (its three phrases, embedded together)
  is nearer to its own theme's centre than to any other theme's, and the mean margin in cosine
  over the nearest other theme. Judged by multilingual-e5-small on English corpora, which were
  themed with all-MiniLM-L6-v2, so that the judge is not the model the new labelling used; the
  six-language pages are themed with e5 and can only be judged by it (said in the output);
- name finds its gold class (BBC, AG News): the share of themes whose name is nearer, by the
  judge, to the name of the gold class most of its items have than to the other classes' names;
- names and the first keywords, to read.

Embeddings go through the project's cache (GEONEWS_CACHE_DIR or ~/.cache/geonews).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import (  # noqa: E402
    MODEL_ID,
    EmbeddingCache,
    LanguageCentres,
    Pipeline,
    Settings,
    ThemeModel,
    embed_with_cache,
    load_corpus,
    make_embedder,
)
from analysis.embed import model_key  # noqa: E402
from analysis.settings import MULTILINGUAL_MODEL_ID, default_cache_dir  # noqa: E402
from analysis.tables import OTHER_ID  # noqa: E402
from analysis.themes import keyword_name, phrase_embedder, theme_terms  # noqa: E402

# What each gold class is, in words the judge embeds.
GOLD_NAMES = {
    "BBC": {
        "business": "business", "entertainment": "entertainment", "politics": "politics",
        "sport": "sport", "tech": "technology",
    },
    "AG News": {"World": "world news", "Sports": "sports", "Business": "business", "Sci/Tech": "science and technology"},
}  # fmt: skip


class Embedded:
    """A model with its cache, and the texts' vectors centred as a build centres them."""

    def __init__(self, model_id: str):
        self.embedder = make_embedder(model_id)
        self.cache = EmbeddingCache(default_cache_dir(), model_key(self.embedder))
        self.centres_languages = getattr(self.embedder, "centres_languages", False)

    def vectors(self, texts: list[str], languages: list[str]) -> tuple[np.ndarray, LanguageCentres | None]:
        X, _ = embed_with_cache(texts, self.embedder, self.cache)
        if not self.centres_languages:
            return X, None
        centres = LanguageCentres.fit(X, languages)
        return centres.apply(X, languages), centres


def _unit(X: np.ndarray) -> np.ndarray:
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)


def namings(texts, labels, vectors, languages, embed) -> dict[str, dict[int, list[str]]]:
    """Each theme's keywords under the old and the new labelling."""
    found = {}
    for how, phrases in (("paragraphs", None), ("phrase", embed)):
        found[how] = theme_terms(texts, labels, vectors=vectors, languages=languages, embed_phrases=phrases)
    return found


def judged(terms: dict[int, list[str]], labels, judge_vectors, judge_centres, judge: Embedded, gold=None, gold_names=None):
    """Share of themes whose name is nearest its own theme (and mean margin), and with gold
    classes, share whose name is nearest its majority class's name."""
    themes = [t for t in sorted(terms) if t != OTHER_ID and terms[t]]
    taken: set[str] = set()
    names = [keyword_name(terms[t], taken, str(t)).replace(" / ", ", ") for t in themes]
    name_vectors, _ = embed_with_cache(names, judge.embedder, judge.cache)
    if judge_centres is not None:
        name_vectors = judge_centres.apply(name_vectors, ["en"] * len(names))
    centres = _unit(np.stack([judge_vectors[labels == t].mean(axis=0) for t in themes]))
    similarity = _unit(np.asarray(name_vectors, dtype=np.float64)) @ centres.T
    own = np.diag(similarity)
    others = np.where(np.eye(len(themes), dtype=bool), -np.inf, similarity).max(axis=1) if len(themes) > 1 else own
    result = {"own_theme": f"{int((own > others).sum())}/{len(themes)}", "margin": round(float((own - others).mean()), 3)}
    if gold is not None:
        classes = sorted(gold_names)
        class_vectors, _ = embed_with_cache([gold_names[c] for c in classes], judge.embedder, judge.cache)
        if judge_centres is not None:
            class_vectors = judge_centres.apply(class_vectors, ["en"] * len(classes))
        nearest = (_unit(np.asarray(name_vectors, dtype=np.float64)) @ _unit(np.asarray(class_vectors, np.float64)).T).argmax(axis=1)
        majority = [pd.Series(gold[labels == t]).mode().iloc[0] for t in themes]
        hits = sum(classes[n] == m for n, m in zip(nearest, majority, strict=True))
        result["gold_class"] = f"{hits}/{len(themes)}"
    return result, names


def report(name: str, texts, labels, vectors, languages, builder: Embedded, judge: Embedded, centres=None, gold=None):
    """Print both labellings' scores and names. `vectors` are the build's (centred by `centres`
    when its model centres them), `builder` its model."""
    labels = np.asarray(labels)
    embed = phrase_embedder(builder.embedder, builder.cache, centres)
    judge_vectors, judge_centres = judge.vectors(texts, languages)
    print(f"{name}: {len(texts)} paragraphs, {len(set(labels.tolist()) - {OTHER_ID})} themes, judged by {judge.embedder.model_id}", flush=True)
    for how, terms in namings(texts, labels, vectors, languages, embed).items():
        scores, names = judged(terms, labels, judge_vectors, judge_centres, judge, gold, GOLD_NAMES.get(name))
        print(f"  {how:10s} " + " ".join(f"{k}={v}" for k, v in scores.items()))
        print("    " + "; ".join(names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bbc-sample", type=int, default=1500, help="BBC rows (0: all 2,127)")
    parser.add_argument("--ag-sample", type=int, default=2000, help="AG News rows (0: all 7,600)")
    args = parser.parse_args()

    minilm, e5 = Embedded(MODEL_ID), Embedded(MULTILINGUAL_MODEL_ID)
    for name, file, rows in (("BBC", "bbc_news_dedup.csv", args.bbc_sample), ("AG News", "ag_news_test.csv", args.ag_sample)):
        frame = pd.read_csv(args.data / file)
        if rows:
            frame = frame.sample(n=min(rows, len(frame)), random_state=0)
        texts = frame["text"].astype(str).tolist()
        languages = ["en"] * len(texts)
        X, _ = minilm.vectors(texts, languages)
        labels = ThemeModel(random_state=args.seed).fit(X).labels_
        report(name, texts, labels, X, languages, minilm, e5, gold=frame["label"].to_numpy())

    for name, folder, judge in (
        ("claims pages", args.data / "claims" / "pages", e5),
        ("six-language pages", args.data / "multilingual" / "pages", e5),
    ):
        with tempfile.TemporaryDirectory() as copy:
            for page in sorted(folder.glob("*.txt")):  # the pages without their manifest
                shutil.copy(page, Path(copy) / page.name)
            analysis = Pipeline(Settings(random_seed=args.seed)).run(load_corpus(copy))
        paragraphs = analysis.paragraphs
        builder = minilm if analysis.provenance.model_id == MODEL_ID else e5
        texts, languages = paragraphs["text"].tolist(), paragraphs["lang"].tolist()
        centres = LanguageCentres.from_lists(analysis.provenance.language_centres or None)
        report(name, texts, paragraphs["theme_id"].to_numpy(), analysis.embeddings, languages, builder, judge, centres)


if __name__ == "__main__":
    main()
