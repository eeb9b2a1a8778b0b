"""Themes that last: how many earlier paragraphs keep their theme id when a build is updated with
15% more documents, against building again from scratch.

    python benchmarks/theme_updates.py [--data ../shared/benchmarks] [--articles 1000] [--share 0.15]
        [--splits 0 1 2] [--seed 0] [--corpora bbc claims] [--new-subject CATEGORY ...]

Two corpora: a sample of BBC articles (one text file each, in a temporary folder) and the 50 real
news pages of the claims benchmark (North Korea, Russia, Ukraine, off-topic pages among them).
Each is split at random: a build on 85% of its documents, then all of them built over it as
`python -m analysis build ... --out DIR` does (an update), and again from scratch (`--refit`). Everything runs through the `Pipeline`
the command line runs, with the real model and the project's embedding cache (GEONEWS_CACHE_DIR
or ~/.cache/geonews: only the first run embeds).

Printed per split: the share of earlier paragraphs keeping their theme id after the update and
after the rebuild, the adjusted Rand index between the earlier build's themes and each one's on
those paragraphs (1: the same partition, whatever the ids), where the new paragraphs went
(existing themes, new themes, Other), the change record's tally, the paragraph-level V-measure
of both builds against BBC's categories (each paragraph labelled by its article), and seconds.

Measured on this 2-core machine while shared (seed 0, splits 0-2, 15% of the documents added),
with discovery seeing each paragraph's article (`discovery_context` 1.5, the default since
2026-12-04; the numbers before it in brackets), and newcomers placed as discovery grouped the
earlier paragraphs, with their article in view (since 2026-12-05; before it in braces):

| corpus | earlier paragraphs keeping their id: update / rebuild | adjusted Rand to the earlier build: update / rebuild | adjusted Rand, update to rebuild, all paragraphs | new paragraphs: existing themes / new themes / Other | V-measure: update / rebuild |
|---|---|---|---|---|---|
| BBC, 1,000 articles (850 + 150; ~3,800 + ~700 paragraphs) | 100% / 19-99.5% (41-99%) | 1.0 / 0.98-0.99 (0.97-0.98) | 0.984-0.989 {0.969-0.976} | 621-719 / 0-8 / 10-23 | 0.836-0.838 {0.820-0.823} / 0.838 (0.714-0.718 / 0.719) |
| claims pages, 50 news pages (42 + 8; ~285 + ~60 paragraphs) | 100% / 14-92% (15-27%) | 1.0 / 0.79-0.97 (0.58-0.60) | 0.78-0.95 {0.75-0.91} | 50-61 / 0 / 3-6 | - |

A subject new to the corpus (`--new-subject CATEGORY ...`: the 1,000 BBC articles built without
one category, then all of them over that build; 2026-12-05). The update's new themes are chosen
by the credited silhouette of the grown corpus with the earlier themes' centres held fixed; before
that (in brackets), newcomers joined any earlier theme they cleared the outlier test for and only
the rest were clustered:

| category added | its paragraphs: earlier themes / new themes / Other | themes after the update | V-measure: earlier build / update / rebuild |
|---|---|---|---|
| tech (858) | 76 / 765 / 17 (629 / 227 / 2) | 6 (12) | 0.819 / 0.815 (0.664) / 0.838 |
| business (990) | 130 / 842 / 18 (796 / 188 / 6) | 7 (12) | 0.786 / 0.775 (0.625) / 0.838 |
| sport (917) | 28 / 853 / 36 (696 / 188 / 33) | 6 (8) | 0.767 / 0.804 (0.627) / 0.838 |
| politics (967) | 89 / 860 / 18 (833 / 129 / 5) | 7 (12) | 0.746 / 0.761 (0.612) / 0.838 |
| entertainment (773) | 50 / 714 / 9 (514 / 248 / 11) | 7 (7) | 0.784 / 0.779 (0.650) / 0.838 |

The random splits above gave the same numbers with it (BBC update V-measure 0.836, 0.839, 0.837;
no new themes; news pages 0.95, 0.93, 0.78 adjusted Rand to the rebuild).

Earlier paragraphs keep their id by construction; what the numbers show is that a rebuild does
not (on the news pages, a refit's change record reads as one or two merges), and that an update
costs nothing in quality on BBC: its V-measure is the rebuild's. Placed by their own vectors
alone, new paragraphs scattered where their articles would have kept them together, and the
update's V-measure was 0.02 under the rebuild's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _news import write_articles  # noqa: E402

from analysis import Pipeline, Settings, load_corpus  # noqa: E402
from analysis.tables import OTHER_ID  # noqa: E402


def kept_share(before: pd.DataFrame, after: pd.DataFrame) -> tuple[float, float, int]:
    """(share keeping their theme id, adjusted Rand of the two partitions, paragraphs compared)
    over the paragraphs both builds hold."""
    from sklearn.metrics import adjusted_rand_score

    both = before[["pid", "theme_id"]].merge(after[["pid", "theme_id"]], on="pid", suffixes=("_before", "_after"))
    same = float((both["theme_id_before"] == both["theme_id_after"]).mean())
    rand = float(adjusted_rand_score(both["theme_id_before"], both["theme_id_after"]))
    return same, rand, len(both)


def v_measure(paragraphs: pd.DataFrame, categories: dict[str, str]) -> float:
    from sklearn.metrics import v_measure_score

    return float(v_measure_score(paragraphs["doc"].map(categories), paragraphs["theme_id"]))


def write_pages(pages: list[Path], folder: Path, manifest: pd.DataFrame | None) -> dict[str, str]:
    """Copies of the pages (and their manifest rows, so outlets and dates come along); no
    categories."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (folder / page.name).write_bytes(page.read_bytes())
    if manifest is not None:
        names = {p.name for p in folder.iterdir() if p.name != "manifest.csv"}
        manifest[manifest.iloc[:, 0].isin(names)].to_csv(folder / "manifest.csv", index=False)
    return {}


def write_bbc(items: list[pd.DataFrame], folder: Path) -> dict[str, str]:
    """BBC articles (one-row frames) as text files; their categories by file name."""
    return write_articles(pd.concat(items), folder)


def run_split(
    items, write, split: int, share: float, settings: Settings, work: Path, added: np.ndarray | None = None
) -> dict:
    """Build on a random (1 - share) of `items`, then on all of them over that build (an update)
    and afresh; `write(items, folder)` puts items into the corpus folder and returns their
    categories by file name (empty when there are none). With `added` (a mask over `items`),
    those items are the ones the update adds, whatever `share` and `split`."""
    order = np.random.default_rng(split).permutation(len(items))
    cut = round(len(items) * (1 - share))
    if added is not None:
        order = np.concatenate([np.flatnonzero(~added), np.flatnonzero(added)])
        cut = int((~added).sum())
    folder = work / f"split{split}"
    categories = write([items[i] for i in order[:cut]], folder)
    pipeline = Pipeline(settings)
    started = time.perf_counter()
    earlier = pipeline.run(load_corpus([folder]))
    first_s = time.perf_counter() - started
    categories |= write([items[i] for i in order[cut:]], folder)
    corpus = load_corpus([folder])

    started = time.perf_counter()
    updated = Pipeline(settings, earlier=earlier).run(corpus)
    update_s = time.perf_counter() - started
    started = time.perf_counter()
    rebuilt = Pipeline(settings, earlier=earlier, refit=True).run(corpus)
    rebuild_s = time.perf_counter() - started

    kept, kept_rand, compared = kept_share(earlier.paragraphs, updated.paragraphs)
    rebuilt_kept, rebuilt_rand, _ = kept_share(earlier.paragraphs, rebuilt.paragraphs)
    _, update_vs_rebuild, _ = kept_share(updated.paragraphs, rebuilt.paragraphs)
    new = updated.paragraphs[~updated.paragraphs["pid"].isin(set(earlier.paragraphs["pid"]))]
    earlier_ids = set(earlier.themes["theme_id"]) - {OTHER_ID}
    result = {
        "split": split,
        "documents": f"{cut}+{len(items) - cut}",
        "earlier_paragraphs": compared,
        "new_paragraphs": len(new),
        "kept_id_update": round(kept, 4),
        "kept_id_rebuild": round(rebuilt_kept, 4),
        "rand_update": round(kept_rand, 4),
        "rand_rebuild": round(rebuilt_rand, 4),
        "rand_update_vs_rebuild_all": round(update_vs_rebuild, 4),
        "new_to_existing": int(new["theme_id"].isin(earlier_ids).sum()),
        "new_to_new_themes": int((~new["theme_id"].isin(earlier_ids) & (new["theme_id"] != OTHER_ID)).sum()),
        "new_to_other": int((new["theme_id"] == OTHER_ID).sum()),
        "themes": f"{len(earlier_ids)}->{len(set(updated.themes['theme_id']) - {OTHER_ID})}"
        f" (rebuild {len(set(rebuilt.themes['theme_id']) - {OTHER_ID})})",
        "changes": " ".join(f"{c}:{n}" for c, n in updated.theme_changes["change"].value_counts().sort_index().items()),
        "refit_changes": " ".join(
            f"{c}:{n}" for c, n in rebuilt.theme_changes["change"].value_counts().sort_index().items()
        ),
    }
    if categories and added is not None:  # where the added subject went, by theme
        arrived = new[new["doc"].map(categories) == categories[new["doc"].iloc[0]]] if len(new) else new
        result["added_subject_by_theme"] = " ".join(
            f"{theme}:{count}" for theme, count in arrived["theme_id"].value_counts().items()
        )
    if categories:
        result |= {
            "v_earlier": round(v_measure(earlier.paragraphs, categories), 4),
            "v_update": round(v_measure(updated.paragraphs, categories), 4),
            "v_rebuild": round(v_measure(rebuilt.paragraphs, categories), 4),
        }
    result["seconds"] = f"build {first_s:.0f}, update {update_s:.0f}, rebuild {rebuild_s:.0f}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--articles", type=int, default=1000, help="BBC articles sampled (0: all 2,127)")
    parser.add_argument("--share", type=float, default=0.15, help="share of the documents added by the update")
    parser.add_argument("--splits", type=int, nargs="+", default=[0, 1, 2], help="seeds of the random splits")
    parser.add_argument("--seed", type=int, default=0, help="the builds' random seed")
    parser.add_argument("--corpora", nargs="+", default=["bbc", "claims"], choices=["bbc", "claims"])
    parser.add_argument(
        "--new-subject", nargs="+", default=[], metavar="CATEGORY",
        help="BBC only: the first build lacks this category, the update adds all of it (one run each)",
    )  # fmt: skip
    args = parser.parse_args()

    frame = pd.read_csv(args.data / "bbc_news_dedup.csv")
    if args.articles:
        frame = frame.sample(n=min(args.articles, len(frame)), random_state=0)
    articles = [frame.iloc[[i]] for i in range(len(frame))]
    pages_folder = args.data / "claims" / "pages"
    pages = sorted(p for p in pages_folder.glob("*.txt"))
    manifest = pd.read_csv(pages_folder / "manifest.csv") if (pages_folder / "manifest.csv").is_file() else None
    datasets = {
        f"BBC ({len(articles)} articles)": (articles, write_bbc),
        f"claims pages ({len(pages)} news pages)": (pages, lambda items, folder: write_pages(items, folder, manifest)),
    }
    datasets = {name: value for name, value in datasets.items() if name.split()[0].lower() in args.corpora}
    settings = Settings(random_seed=args.seed)
    if args.new_subject:
        with tempfile.TemporaryDirectory(prefix="theme-updates-") as work:
            for category in args.new_subject:
                added = (frame["label"] == category).to_numpy()
                result = run_split(articles, write_bbc, 0, 0.0, settings, Path(work) / category, added=added)
                print(f"BBC ({len(articles)} articles), {category} added: " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="theme-updates-") as work:
        for name, (items, write) in datasets.items():
            results = []
            for split in args.splits:
                result = run_split(items, write, split, args.share, settings, Path(work) / name.split()[0])
                print(f"{name}: " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
                results.append(result)
            kept = [r["kept_id_update"] for r in results]
            rebuilt = [r["kept_id_rebuild"] for r in results]
            print(
                f"{name}: earlier paragraphs keeping their theme id: update {min(kept):.1%}-{max(kept):.1%}, "
                f"rebuild {min(rebuilt):.1%}-{max(rebuilt):.1%} ({len(results)} splits)",
                flush=True,
            )

if __name__ == "__main__":
    main()
