"""An engine that cuts the package's parts smaller: the sample corpus is far below the package's
parts (about 10,000 paragraphs), so without it everything would be read in one part."""

from __future__ import annotations

import pandas as pd

from analysis.claims import article_parts
from analysis.run import Engine


class SmallParts(Engine):
    """`engine`, mapping over parts of at most `rows` documents, texts or paragraphs: each part
    the package cuts is cut again, lists into slices and paragraphs where articles end (as the
    package cuts them). Results come back in order, as many as the smaller parts."""

    def __init__(self, engine: Engine, rows: int = 40):
        self.engine, self.rows, self.name = engine, rows, engine.name
        self.parts: list[int] = []  # how many parts each map had

    def embed(self, chunks, embedder, done):
        self.engine.embed(chunks, embedder, done)

    def assign(self, model, vectors, article_scores=None):
        return self.engine.assign(model, vectors, article_scores)

    def map(self, function, parts, *args, done=None):
        smaller = [piece for part in parts for piece in self._cut(part)]
        self.parts.append(len(smaller))
        results = self.engine.map(function, smaller, *args)
        for index in range(len(parts)) if done else ():
            done(index)
        return results

    def _cut(self, part) -> list:
        if isinstance(part, pd.DataFrame):
            return list(article_parts(part, self.rows))
        return [part[start : start + self.rows] for start in range(0, len(part), self.rows)]

    def close(self):
        self.engine.close()
