"""Themes across languages on labelled real pages: a plain build, scored against gold themes.

    python benchmarks/multilingual_quality.py [--data ../shared/benchmarks/multilingual]
        [--model auto|MODEL] [--seeds 0 1 2] [--article-context WEIGHT]

The pages (Korean, English, Russian, Chinese, Ukrainian, Japanese; see the data's README) are
copied, without their manifest, into a temporary folder and built exactly as
`python -m analysis build FOLDER` builds it (default settings: model `auto`, themes chosen
automatically), once per seed. Printed per build:

- language tags: paragraphs whose language is their page's, and pages whose most common
  paragraph language is theirs;
- page-level V-measure: each page's most common theme (of its paragraphs that have one; Other
  when none has) against its gold theme;
- same-event pairs (two pages in two languages on one event) in one theme, and found by search
  (the page whose mean vector is nearest to the other's, both ways: out of twice the pairs);
- the model the build chose, its number of themes, its share in "Other", and its timings;
- labels: theme names whose three phrases an English reader can read (Latin script), and
  keywords holding a function word of the pages' languages (the stop-words package's lists and
  scikit-learn's English one), with the names.

Embeddings go through the project's cache (GEONEWS_CACHE_DIR or ~/.cache/geonews).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import OTHER_ID, Pipeline, Settings, load_corpus  # noqa: E402


def page_majority(themes: pd.Series) -> int:
    """A page's theme: the most common theme of its paragraphs that have one (Other only when
    none has; ties to the lower id)."""
    themed = themes[themes != OTHER_ID]
    counts = (themed if len(themed) else themes).value_counts()
    return int(counts[counts == counts.max()].index.min())


def page_scores(analysis, manifest: pd.DataFrame, pairs: pd.DataFrame) -> dict:
    from sklearn.metrics import v_measure_score

    paragraphs = analysis.paragraphs
    gold_language = paragraphs["doc"].map(manifest["lang"])
    page_theme = paragraphs.groupby("doc")["theme_id"].agg(page_majority)
    page_language = paragraphs.groupby("doc")["lang"].agg(lambda s: s.value_counts().index[0])
    pages = page_theme.index
    vectors = pd.DataFrame(analysis.embeddings).groupby(paragraphs["doc"].to_numpy()).mean()
    unit = vectors.to_numpy() / np.linalg.norm(vectors.to_numpy(), axis=1, keepdims=True)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    row = {page: i for i, page in enumerate(vectors.index)}
    found = sum(
        vectors.index[similarity[row[a]].argmax()] == b
        for first, second in zip(pairs["file_a"], pairs["file_b"], strict=True)
        for a, b in ((first, second), (second, first))
    )
    return {
        "paragraph_language": round(float((paragraphs["lang"] == gold_language).mean()), 3),
        "page_language": round(float((page_language == manifest.loc[pages, "lang"]).mean()), 3),
        "page_v": round(v_measure_score(manifest.loc[pages, "gold_theme"], page_theme), 3),
        "pairs_one_theme": int(
            sum(page_theme.get(a) == page_theme.get(b) for a, b in zip(pairs["file_a"], pairs["file_b"], strict=True))
        ),
        "pairs_by_search": f"{found}/{2 * len(pairs)}",
    }


def label_scores(analysis, languages) -> dict:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from stop_words import safe_get_stop_words

    function_words = set(ENGLISH_STOP_WORDS).union(*(safe_get_stop_words(code) for code in languages))
    themes = analysis.themes[analysis.themes["theme_id"] != OTHER_ID]
    latin = sum(all(any("a" <= c <= "z" for c in phrase) for phrase in name.split(" / ")) for name in themes["theme"])
    keywords = [k for line in themes["keywords"] for k in str(line).split(", ") if k]
    holding = [k for k in keywords if set(k.split()) & function_words]
    return {"names_latin": f"{latin}/{len(themes)}", "keywords_function_words": f"{len(holding)}/{len(keywords)}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks" / "multilingual")
    parser.add_argument("--model", default="auto")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--article-context", type=float, default=None, help="the article_context setting (default: the settings' own)"
    )
    args = parser.parse_args()

    manifest = pd.read_csv(args.data / "pages" / "manifest.csv").set_index("file")
    pairs = pd.read_csv(args.data / "pairs.csv")
    with tempfile.TemporaryDirectory() as folder:
        for page in manifest.index:
            shutil.copy(args.data / "pages" / page, Path(folder) / page)
        corpus = load_corpus(folder)
        for seed in args.seeds:
            settings = Settings(model_id=args.model, random_seed=seed)
            if args.article_context is not None:
                settings = settings.replace(article_context=args.article_context)
            started = time.perf_counter()
            analysis = Pipeline(settings).run(corpus)
            seconds = time.perf_counter() - started
            provenance = analysis.provenance
            scores = page_scores(analysis, manifest, pairs) | label_scores(analysis, set(manifest["lang"]))
            print(
                f"seed={seed} model={provenance.model_id} themes={provenance.discovered_themes} "
                f"other={provenance.other_share:.3f} pages={len(manifest)} "
                f"paragraphs={len(analysis.paragraphs)} "
                + " ".join(f"{k}={v}" for k, v in scores.items())
                + f" build_s={seconds:.1f} timings={provenance.timings}",
                flush=True,
            )
            labels = analysis.themes[["theme_id", "theme"]].itertuples(index=False)
            print("  themes:", "; ".join(f"{t}: {name}" for t, name in labels))


if __name__ == "__main__":
    main()
