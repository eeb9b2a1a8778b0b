"""Where the heavy steps run: in this process ("local"), on Ray, or on Dask.

The package, not the engine, decides the work: the texts still missing from the embedding cache
are put in a fixed order (longest first, then by hash) and cut into fixed chunks, each with an
id. Every engine embeds exactly those chunks with the same embedder, so a chunk's vectors are
the same bytes whichever engine made them, and results are put back by id because engines need
not keep order. Theme assignment is the same: the model is fitted on the driver and shipped,
and each engine maps it over blocks of vectors that carry their row ids.

The engines are optional extras (requirements-engines.txt); they are imported only here, and
only when asked for. The dashboard never starts one: it reads built results.

Traps this module handles (each has a test):
- Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in its workers, which slows torch encoding by up to
  40%; it is unset through dask.config, after `distributed` is imported (importing it restores
  removed keys).
- A Dask LocalCluster writes OMP_NUM_THREADS=1 (and friends) into the environment of the
  process that creates it, which would make torch in *this* process single-threaded for the
  rest of its life: the environment is restored after the cluster starts. Worker processes are
  spawned, so a script that starts one needs an `if __name__ == "__main__":` guard (the command
  line has one).
- Ray's `from_pandas(override_num_blocks=...)` fails on pandas 3: chunks are written to Parquet
  and read with `read_parquet` instead.
- `map_batches(concurrency=...)` is deprecated: the actor pool is `compute=ActorPoolStrategy`.
- A Ray cluster reports usage statistics unless told not to: RAY_USAGE_STATS_ENABLED=0 is set
  before Ray is imported (and `ray start --disable-usage-stats` in the README).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "ADDRESS_ENV",
    "ENGINES",
    "ENGINE_ENV",
    "EmbeddingChunk",
    "Engine",
    "EngineError",
    "LocalEngine",
    "engine_from_settings",
    "open_engine",
]

ENGINES = ("local", "ray", "dask")
ENGINE_ENV = "GEONEWS_ENGINE"
ADDRESS_ENV = "GEONEWS_ENGINE_ADDRESS"
_PACKAGE_DIR = Path(__file__).resolve().parent
# How long to wait for a cluster named by its address before saying it cannot be reached.
CONNECT_TIMEOUT = "10s"
# Rows of vectors per block when themes are assigned on an engine.
ASSIGN_BLOCK = 50_000


class EngineError(RuntimeError):
    """An engine could not be started or used (not installed, cluster unreachable, ...)."""


@dataclass(frozen=True)
class EmbeddingChunk:
    """Texts embedded together: `id` is the chunk's place in the package's fixed order."""

    id: int
    hashes: tuple[str, ...]
    texts: tuple[str, ...]


ChunkDone = Callable[[EmbeddingChunk, np.ndarray], None]


class Engine:
    """What every engine does: embed chunks, and assign themes to blocks of vectors."""

    name = "engine"

    def embed(self, chunks: Sequence[EmbeddingChunk], embedder, done: ChunkDone) -> None:
        """Embed every chunk with `embedder` and call `done(chunk, vectors)` for each, in
        whatever order the engine finishes them."""
        raise NotImplementedError

    def assign(self, model, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(labels, similarity) of every row of `vectors` under a fitted ThemeModel."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop what this engine started (a local cluster); leave a cluster it joined alone."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalEngine(Engine):
    """This process: chunks one after another (the encoder itself uses every core)."""

    name = "local"

    def embed(self, chunks, embedder, done):
        for chunk in chunks:
            done(chunk, embedder.encode(list(chunk.texts)))

    def assign(self, model, vectors):
        return model.assign(vectors)


# --- what runs on workers (importable, so engines can ship it by reference) --------------------

_WORKER_EMBEDDERS: dict[str, object] = {}


def _worker_embedder(embedder):
    """One loaded model per worker process, whatever number of partitions it is given."""
    from ._embed import model_key

    key = model_key(embedder)
    if key not in _WORKER_EMBEDDERS:
        _WORKER_EMBEDDERS[key] = embedder
    return _WORKER_EMBEDDERS[key]


def _vector_bytes(vectors: np.ndarray) -> list[bytes]:
    # Raw float32 bytes: what comes back is bit for bit what the encoder produced.
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    return [row.tobytes() for row in vectors]


def _from_bytes(rows: Iterable[bytes]) -> np.ndarray:
    return np.stack([np.frombuffer(row, dtype=np.float32) for row in rows])


def embed_partition(frame: pd.DataFrame, embedder) -> pd.DataFrame:
    """Dask's map step: one partition is one chunk (rows: chunk, hash, text, in chunk order)."""
    model = _worker_embedder(embedder)
    if frame.empty:
        return pd.DataFrame({"chunk": pd.Series(dtype="int64"), "vector": pd.Series(dtype=object)})
    vectors = model.encode(frame["text"].tolist())
    return pd.DataFrame({"chunk": frame["chunk"].to_numpy(), "vector": _vector_bytes(vectors)})


def assign_partition(frame: pd.DataFrame, model) -> pd.DataFrame:
    """Dask's and Ray's theme step: rows carry their id and their vector's bytes."""
    if frame.empty:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "label": pd.Series(dtype="int64"),
                             "similarity": pd.Series(dtype="float32")})  # fmt: skip
    labels, similarity = model.assign(_from_bytes(frame["vector"]))
    return pd.DataFrame({"row": frame["row"].to_numpy(), "label": labels, "similarity": similarity})


class RayChunkEmbedder:
    """Ray Data's callable class: built once per actor (the model loads once per worker),
    called with batches of whole chunks."""

    def __init__(self, embedder):
        self.embedder = _worker_embedder(embedder)

    def __call__(self, batch: dict) -> dict:
        ids, vectors = [], []
        for chunk_id, texts in zip(batch["chunk"], batch["texts"], strict=True):
            encoded = self.embedder.encode([str(t) for t in texts])
            ids.append(int(chunk_id))
            vectors.append(np.ascontiguousarray(encoded, dtype=np.float32).tobytes())
        return {"chunk": np.array(ids, dtype=np.int64), "vectors": np.array(vectors, dtype=object)}


class RayThemeAssigner:
    def __init__(self, model):
        self.model = model

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        return assign_partition(batch, self.model)


# --- Ray ----------------------------------------------------------------------------------------


class RayEngine(Engine):
    """Ray Data: chunks in Parquet, `map_batches` on an actor pool, results by chunk id."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None):
        # Before Ray is imported: a cluster started from here reports nothing.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            import ray
        except ImportError as error:
            raise EngineError("the Ray engine needs `pip install -r requirements-engines.txt`") from error
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            # The package goes to the workers with the job, so a cluster needs only the
            # dependencies installed, not this project.
            runtime_env = {"py_modules": [str(_PACKAGE_DIR)]}
            try:
                if address:
                    ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
                else:
                    ray.init(
                        num_cpus=workers or os.cpu_count() or 1,
                        include_dashboard=False,
                        runtime_env=runtime_env,
                        log_to_driver=False,
                    )
            except Exception as error:  # ConnectionError, RuntimeError, ... depending on the cause
                raise EngineError(f"cannot start or reach Ray ({address or 'local'}): {error}") from error
            self._started = True
        # The build has its own progress bar; Ray Data's would interleave with it.
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        self.workers = max(1, int(workers or ray.cluster_resources().get("CPU", 1)))

    def embed(self, chunks, embedder, done):
        if not chunks:
            return
        by_id = {chunk.id: chunk for chunk in chunks}
        with tempfile.TemporaryDirectory(prefix="geonews-ray-") as folder:
            frame = pd.DataFrame({"chunk": [c.id for c in chunks], "texts": [list(c.texts) for c in chunks]})
            path = Path(folder) / "chunks.parquet"
            frame.to_parquet(path, index=False)
            # Read before the actors start: a pool holding every CPU would leave none for the
            # read tasks, and the pipeline would wait forever.
            data = self._ray.data.read_parquet(str(path)).repartition(len(chunks)).materialize()
            embedded = data.map_batches(
                RayChunkEmbedder,
                batch_size=1,
                batch_format="numpy",
                compute=self._ray.data.ActorPoolStrategy(size=min(self.workers, len(chunks))),
                fn_constructor_args=(embedder,),
                num_cpus=1,
            )
            for batch in embedded.iter_batches(batch_size=1, batch_format="numpy", prefetch_batches=0):
                for chunk_id, payload in zip(batch["chunk"], batch["vectors"], strict=True):
                    chunk = by_id[int(chunk_id)]
                    done(chunk, np.frombuffer(payload, dtype=np.float32).reshape(len(chunk.texts), -1))

    def assign(self, model, vectors):
        n = len(vectors)
        with tempfile.TemporaryDirectory(prefix="geonews-ray-") as folder:
            path = Path(folder) / "vectors.parquet"
            pd.DataFrame({"row": np.arange(n), "vector": _vector_bytes(vectors)}).to_parquet(
                path, index=False
            )
            blocks = max(1, -(-n // ASSIGN_BLOCK))
            data = self._ray.data.read_parquet(str(path)).repartition(blocks).materialize()
            assigned = data.map_batches(
                RayThemeAssigner,
                batch_size=ASSIGN_BLOCK,
                batch_format="pandas",
                compute=self._ray.data.ActorPoolStrategy(size=min(self.workers, blocks)),
                fn_constructor_args=(model,),
                num_cpus=1,
            ).to_pandas()
        return _in_row_order(assigned, n)

    def close(self):
        if self._started:
            self._ray.shutdown()
            self._started = False


# --- Dask ---------------------------------------------------------------------------------------


class DaskEngine(Engine):
    """Dask: one partition per chunk (`from_map`), `map_partitions` with a function of this
    module, results by chunk id as partitions finish."""

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            import dask
            import distributed
        except ImportError as error:
            raise EngineError("the Dask engine needs `pip install -r requirements-engines.txt`") from error
        # After `import distributed`, which would otherwise put the key back (dask/distributed
        # #8143). None removes it from what the nanny sets before spawning a worker.
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
        self._dask = dask
        self._cluster = None
        saved = dict(os.environ)
        try:
            if address:
                self._client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                self._client = distributed.Client(self._cluster)
        except Exception as error:  # OSError, TimeoutError, ... depending on the cause
            raise EngineError(f"cannot start or reach Dask ({address or 'local'}): {error}") from error
        finally:
            # LocalCluster writes its workers' thread limits into *this* process's environment.
            _restore_environment(saved)
        if address:
            self._ship_package()
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or (workers or 1))

    def _ship_package(self) -> None:
        """A remote cluster gets this package as a zip on every worker's path."""
        with tempfile.TemporaryDirectory(prefix="geonews-dask-") as folder:
            archive = shutil.make_archive(
                str(Path(folder) / "geonews_analysis"), "zip", _PACKAGE_DIR.parent, _PACKAGE_DIR.name
            )
            self._client.upload_file(archive)

    def embed(self, chunks, embedder, done):
        if not chunks:
            return
        import dask.dataframe as dd
        from distributed import as_completed

        by_id = {chunk.id: chunk for chunk in chunks}
        meta = pd.DataFrame({"chunk": pd.Series(dtype="int64"), "vector": pd.Series(dtype=object)})
        with self._dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_map(_chunk_frame, list(chunks), enforce_metadata=False)
            embedded = frame.map_partitions(embed_partition, embedder, meta=meta, enforce_metadata=False)
            futures = self._client.compute(embedded.to_delayed())
        for future in as_completed(futures):
            part = future.result()
            if part.empty:
                continue
            chunk = by_id[int(part["chunk"].iloc[0])]
            done(chunk, _from_bytes(part["vector"]))

    def assign(self, model, vectors):
        import dask.dataframe as dd

        n = len(vectors)
        starts = list(range(0, n, ASSIGN_BLOCK)) or [0]
        blocks = [(start, vectors[start : start + ASSIGN_BLOCK]) for start in starts]
        meta = pd.DataFrame({"row": pd.Series(dtype="int64"), "label": pd.Series(dtype="int64"),
                             "similarity": pd.Series(dtype="float32")})  # fmt: skip
        with self._dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_map(_vector_frame, blocks, enforce_metadata=False)
            assigned = frame.map_partitions(assign_partition, model, meta=meta, enforce_metadata=False)
            result = self._client.compute(assigned).result()
        return _in_row_order(result, n)

    def close(self):
        with contextlib.suppress(Exception):
            self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None


def _chunk_frame(chunk: EmbeddingChunk) -> pd.DataFrame:
    return pd.DataFrame(
        {"chunk": np.full(len(chunk.texts), chunk.id, dtype=np.int64), "hash": list(chunk.hashes),
         "text": list(chunk.texts)}
    )  # fmt: skip


def _vector_frame(block: tuple[int, np.ndarray]) -> pd.DataFrame:
    start, vectors = block
    return pd.DataFrame({"row": np.arange(start, start + len(vectors)), "vector": _vector_bytes(vectors)})


def _in_row_order(assigned: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    assigned = assigned.sort_values("row")
    if len(assigned) != n or not np.array_equal(assigned["row"].to_numpy(), np.arange(n)):
        raise EngineError(f"the engine returned {len(assigned)} assignments for {n} paragraphs")
    return assigned["label"].to_numpy(np.int64), assigned["similarity"].to_numpy(np.float32)


def _restore_environment(saved: dict[str, str]) -> None:
    for key in set(os.environ) - set(saved):
        del os.environ[key]
    for key, value in saved.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


# --- choosing -----------------------------------------------------------------------------------


def open_engine(name: str = "local", address: str | None = None, workers: int | None = None) -> Engine:
    """An engine by name; `address` joins a running cluster (Ray: "ray://host:10001" or
    "auto"; Dask: "tcp://host:8786"), without it a local one is started with `workers`
    processes."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        return RayEngine(address, workers)
    if name == "dask":
        return DaskEngine(address, workers)
    raise EngineError(f"unknown engine {name!r}: choose from {', '.join(ENGINES)}")


def engine_from_settings(settings) -> Engine:
    return open_engine(settings.engine, settings.engine_address or None, settings.engine_workers or None)
