"""News corpora the benchmarks write. At scale, synthetic news: sentences of real news (BBC)
recombined at random (seeded), two to four to a paragraph; nothing measured with them depends on
what the paragraphs mean, only on their being news-like text of news-like length. For theme
quality, labelled articles as they are, one text file each."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd


def bbc_sentences(data: Path) -> np.ndarray:
    """The sentences of eight words or more of the BBC articles in `data` (bodies only)."""
    bbc = pd.read_csv(data / "bbc_news_dedup.csv")
    return np.array(
        [
            s.strip().rstrip(".") + "."
            for text in bbc["text"]
            for s in text.partition("\n\n")[2].replace("\n", " ").split(". ")
            if len(s.split()) >= 8
        ],
        dtype=object,
    )


def recombined(sentences: np.ndarray, n: int, rng: np.random.Generator) -> list[str]:
    """`n` paragraphs of two to four sentences drawn from `sentences` with `rng`."""
    counts = rng.integers(2, 5, size=n)
    picks = rng.integers(0, len(sentences), size=int(counts.sum()))
    bounds = np.concatenate([[0], np.cumsum(counts)])
    return [" ".join(sentences[picks[a:b]]) for a, b in itertools.pairwise(bounds)]


def paragraph_frame(texts: list[str], doc: str = "part-000") -> pd.DataFrame:
    """The texts as prepare() lays paragraphs out, each an article of its own."""
    return pd.DataFrame(
        {
            "doc": doc,
            "article": np.arange(len(texts)),
            "paragraph": 0,
            "pid": [f"{doc}|{article}|0" for article in range(len(texts))],
            "text": texts,
            "lang": "en",
        }
    )


def write_articles(frame: pd.DataFrame, folder: Path) -> dict[str, str]:
    """One text file per labelled article of `frame` (text, label) in `folder`; returns file
    name -> label (BBC's category)."""
    folder.mkdir(parents=True, exist_ok=True)
    categories = {}
    for index, text, label in zip(frame.index, frame["text"].astype(str), frame["label"].astype(str), strict=True):
        name = f"bbc_{index:04d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        categories[name] = label
    return categories
