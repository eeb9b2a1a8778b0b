"""Where the heavy steps run: in this process ("local"), on Ray, or on Dask.

The package, not the engine, decides the work: the texts still missing from the embedding cache
are put in a fixed order (longest first, then by hash) and cut into fixed chunks, each with an
id. Every engine embeds exactly those chunks with the same embedder, so a chunk's vectors are
the same bytes whichever engine made them, and results are put back by id because engines need
not keep order. Theme assignment is the same: the model is fitted on the driver and shipped,
and each engine maps it over blocks of vectors that carry their row ids. Reading text
(segmenting documents, duplicate signatures, languages, figures, citations) is a plain map over
parts the package cuts (`Engine.map`), results in the parts' order.

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
- Ray's `from_pandas(override_num_blocks=...)` fails on pandas 3: chunks and vectors go to Ray
  as Arrow tables (`from_arrow`, one block each), which also reach workers on other nodes and
  through Ray Client, where Parquet files in the driver's temp folder would not.
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
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..settings import ENGINES

__all__ = [
    "ENGINES",
    "PART_ROWS",
    "EmbeddingChunk",
    "Engine",
    "EngineError",
    "LocalEngine",
    "engine_from_settings",
    "joined_parts",
    "open_engine",
]

# Paragraphs per part of a map: a few seconds of reading, long enough that shipping a part costs little
# beside it, short enough that a million paragraphs make a hundred parts to share out.
# A corpus below it is one part, read in this process.
PART_ROWS = 10_000
# The analysis package, shipped to Ray and Dask workers.
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
# How long to wait for a cluster named by its address before saying it cannot be reached.
CONNECT_TIMEOUT = "10s"
# Times a Dask map sends parts whose worker was lost before it gives up.
_MAP_ATTEMPTS = 3
# Rows of vectors per block when themes are assigned on an engine.
ASSIGN_BLOCK = 50_000


def cores() -> int:
    """Cores this process may use (a container's CPU limit, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class EngineError(RuntimeError):
    """An engine could not be started or used (not installed, cluster unreachable, ...)."""


@dataclass(frozen=True)
class EmbeddingChunk:
    """Texts embedded together: `id` is the chunk's place in the package's fixed order."""

    id: int
    hashes: tuple[str, ...]
    texts: tuple[str, ...]


ChunkDone = Callable[[EmbeddingChunk, np.ndarray], None]
PartDone = Callable[[int], None]


class Engine:
    """What every engine does: embed chunks, and assign themes to blocks of vectors."""

    name = "engine"

    def embed(self, chunks: Sequence[EmbeddingChunk], embedder, done: ChunkDone) -> None:
        """Embed every chunk with `embedder` and call `done(chunk, vectors)` for each, in
        whatever order the engine finishes them."""
        raise NotImplementedError

    def assign(
        self, model, vectors: np.ndarray, article_scores: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(labels, similarity) of every row of `vectors` under a fitted ThemeModel; with
        `article_scores` (one row per row of `vectors`, see `ThemeModel.assign`) when given."""
        raise NotImplementedError

    def map(self, function: Callable, parts: Sequence, *args, done: PartDone | None = None) -> list:
        """[function(part, *args) for part in parts], computed wherever the engine runs work;
        `function` is a module-level function of this package (shipped by reference), and
        `done(index)` is called as each part finishes, in any order."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop what this engine started (a local cluster); leave a cluster it joined alone."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalEngine(Engine):
    """This machine: chunks embedded one after another in this process (the encoder itself uses
    every core); `map` shares parts among `workers` processes (all cores by default), since
    reading text is plain Python and one process would use one core."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = max(1, int(workers or cores()))

    def embed(self, chunks, embedder, done):
        for chunk in chunks:
            done(chunk, embedder.encode(list(chunk.texts)))

    def assign(self, model, vectors, article_scores=None):
        return model.assign(vectors, article_scores)

    def map(self, function, parts, *args, done=None):
        if len(parts) < 2 or self.workers < 2:  # not worth starting a process for
            results = []
            for index, part in enumerate(parts):
                results.append(function(part, *args))
                if done:
                    done(index)
            return results
        from joblib import Parallel, delayed
        from joblib.externals.loky.process_executor import TerminatedWorkerError

        results = [None] * len(parts)
        # loky workers, not multiprocessing's: a spawned worker would run the caller's script
        # again (a script without a __main__ guard would fail), a forked one would copy the
        # locks of the dashboard's threads in whatever state they are.
        run = Parallel(n_jobs=min(self.workers, len(parts)), backend="loky", return_as="generator_unordered")
        try:
            for index, result in run(
                delayed(_indexed)(index, function, part, *args) for index, part in enumerate(parts)
            ):
                results[index] = result
                if done:
                    done(index)
        except TerminatedWorkerError as error:  # a worker killed, by the kernel's OOM killer say
            raise EngineError(f"a worker process stopped before finishing its part: {error}") from error
        return results


# --- what runs on workers (importable, so engines can ship it by reference) --------------------

_WORKER_EMBEDDERS: dict[tuple, object] = {}


def _worker_embedder(embedder):
    """One loaded model per worker process and embedder configuration, whatever number of
    partitions it is given. Keyed by everything that changes the bytes (model, thread count,
    batch size): a long-lived worker serving several builds never encodes with a previous
    build's settings."""
    key = (
        embedder.model_id,
        getattr(embedder, "revision", ""),
        getattr(embedder, "threads", None),
        getattr(embedder, "batch_size", None),
    )
    if key not in _WORKER_EMBEDDERS:
        _WORKER_EMBEDDERS[key] = embedder
    return _WORKER_EMBEDDERS[key]


def _vector_column(vectors: np.ndarray):
    """Vectors as one Arrow column of fixed-size binary (raw float32 bytes), built from the
    matrix's buffer without a Python object per row; read back bit for bit."""
    import pyarrow as pa

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    width = vectors.shape[1] * 4 if vectors.ndim == 2 else 0
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), len(vectors), [None, pa.py_buffer(vectors)])


def _vectors_of(column) -> np.ndarray:
    """The float32 matrix held by a fixed-size binary column (`_vector_column`)."""
    import pyarrow as pa

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    width = column.type.byte_width // 4
    data = np.frombuffer(
        column.buffers()[1], dtype=np.float32, count=len(column) * width, offset=column.offset * width * 4
    )
    return data.reshape(len(column), width)


def _indexed(index: int, function: Callable, part, *args) -> tuple[int, object]:
    """The local engine's map step: the part's index travels with its result."""
    return index, function(part, *args)


def embed_partition(frame: pd.DataFrame, embedder) -> pd.DataFrame:
    """Dask's map step: one partition is one chunk (rows: chunk, hash, text, in chunk order)."""
    model = _worker_embedder(embedder)
    if frame.empty:
        return pd.DataFrame({"chunk": pd.Series(dtype="int64"), "vector": pd.Series(dtype=object)})
    vectors = np.ascontiguousarray(model.encode(frame["text"].tolist()), dtype=np.float32)
    return pd.DataFrame({"chunk": frame["chunk"].to_numpy(), "vector": [row.tobytes() for row in vectors]})


def assign_block(
    block: tuple[int, np.ndarray, np.ndarray | None], model
) -> tuple[int, np.ndarray, np.ndarray]:
    """Dask's theme step: (first row, labels, similarity) of one block of vectors (with their
    article scores, or None)."""
    start, vectors, article_scores = block
    labels, similarity = model.assign(vectors, article_scores)
    return start, labels, similarity


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
    """Ray Data's callable class for themes: the fitted model is shipped once per actor."""

    def __init__(self, model):
        self.model = model

    def __call__(self, batch):
        import pyarrow as pa

        scores = _vectors_of(batch.column("scores")) if "scores" in batch.column_names else None
        labels, similarity = self.model.assign(_vectors_of(batch.column("vector")), scores)
        return pa.table({"row": batch.column("row"), "label": labels, "similarity": similarity})


# --- Ray ----------------------------------------------------------------------------------------


class RayEngine(Engine):
    """Ray Data: one block per chunk (Arrow tables put in the object store, so workers on
    other nodes and Ray Client reach them; `from_pandas(override_num_blocks=...)` fails on
    pandas 3), `map_batches` on an actor pool, results by chunk id."""

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
            runtime_env = {"py_modules": [str(_PACKAGE_DIR)], "excludes": ["__pycache__"]}
            try:
                if address:
                    ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
                else:
                    ray.init(
                        num_cpus=workers or cores(),
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
        import pyarrow as pa

        by_id = {chunk.id: chunk for chunk in chunks}
        tables = [pa.table({"chunk": [chunk.id], "texts": [list(chunk.texts)]}) for chunk in chunks]
        embedded = self._ray.data.from_arrow(tables).map_batches(
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

    def assign(self, model, vectors, article_scores=None):
        import pyarrow as pa

        n = len(vectors)
        starts = list(range(0, n, ASSIGN_BLOCK)) or [0]

        def block(start: int) -> pa.Table:
            rows = slice(start, start + ASSIGN_BLOCK)
            columns = {"row": np.arange(start, min(start + ASSIGN_BLOCK, n)), "vector": _vector_column(vectors[rows])}
            if article_scores is not None:
                columns["scores"] = _vector_column(article_scores[rows])
            return pa.table(columns)

        tables = [block(start) for start in starts]
        assigned = (
            self._ray.data.from_arrow(tables)
            .map_batches(
                RayThemeAssigner,
                batch_size=None,  # a whole block at a time
                batch_format="pyarrow",
                compute=self._ray.data.ActorPoolStrategy(size=min(self.workers, len(tables))),
                fn_constructor_args=(model,),
                num_cpus=1,
            )
            .to_arrow_refs()
        )
        parts = [self._ray.get(ref) for ref in assigned]
        result = (
            pa.concat_tables(parts).to_pandas()
            if parts
            else pd.DataFrame(columns=["row", "label", "similarity"])
        )
        return _in_row_order(result, n)

    def map(self, function, parts, *args, done=None):
        ray = self._ray
        remote = ray.remote(num_cpus=1)(function)
        shared = [ray.put(arg) for arg in args]  # once in the object store, not once per part
        index_of = {}
        for index, part in enumerate(parts):
            index_of[remote.remote(part, *shared)] = index
        results = [None] * len(parts)
        pending = list(index_of)
        while pending:
            finished, pending = ray.wait(pending, num_returns=1)
            index = index_of[finished[0]]
            results[index] = ray.get(finished[0])
            if done:
                done(index)
        return results

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
        self._dask = dask
        self._cluster = None
        saved = dict(os.environ)
        try:
            if address:
                self._client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
            else:
                # After `import distributed`, which would otherwise put the key back
                # (dask/distributed#8143); None removes it from what the nanny sets before it
                # spawns a worker. Only while this cluster starts (each nanny hands its worker the
                # config of that moment): the process's config stays. Workers try a failed call
                # to the scheduler again (distributed does not by default): on a busy 2-core
                # machine a worker's heartbeat once failed mid-build and printed a traceback,
                # though the build went on and finished.
                spawn_config = {
                    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                    "distributed.comm.retry.count": 3,
                }
                with dask.config.set(spawn_config):
                    self._cluster = distributed.LocalCluster(
                        n_workers=workers or cores(),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        # No dashboard, but the scheduler still serves its health and metrics
                        # pages, by default on port 8787: a second cluster on the machine (two
                        # builds at once) warned "Port 8787 is already in use". Any free port.
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                    )
                self._client = distributed.Client(self._cluster)
        except Exception as error:  # OSError, TimeoutError, ... depending on the cause
            raise EngineError(f"cannot start or reach Dask ({address or 'local'}): {error}") from error
        finally:
            # LocalCluster writes its workers' thread limits into *this* process's environment.
            _restore_environment(saved)
        if address:
            self._ship_package()

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
        # Given, not guessed: without `meta` Dask would run the first chunk once more to learn
        # the columns.
        chunk_meta = pd.DataFrame({"chunk": pd.Series(dtype="int64"), "hash": pd.Series(dtype=object),
                                   "text": pd.Series(dtype=object)})  # fmt: skip
        meta = pd.DataFrame({"chunk": pd.Series(dtype="int64"), "vector": pd.Series(dtype=object)})
        with self._dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_map(_chunk_frame, list(chunks), meta=chunk_meta, enforce_metadata=False)
            embedded = frame.map_partitions(embed_partition, embedder, meta=meta, enforce_metadata=False)
            futures = self._client.compute(embedded.to_delayed())
        for future in as_completed(futures):
            part = future.result()
            if part.empty:
                continue
            chunk = by_id[int(part["chunk"].iloc[0])]
            done(chunk, np.stack([np.frombuffer(row, dtype=np.float32) for row in part["vector"]]))

    def assign(self, model, vectors, article_scores=None):
        n = len(vectors)
        starts = list(range(0, n, ASSIGN_BLOCK)) or [0]
        # Blocks scattered to the workers and the model broadcast once, as any map's parts and
        # shared arguments are (a block whose worker is lost is sent again).
        blocks = [
            (start, vectors[start : start + ASSIGN_BLOCK], None if article_scores is None else article_scores[start : start + ASSIGN_BLOCK])
            for start in starts
        ]
        labels = np.full(n, -1, dtype=np.int64)
        similarity = np.zeros(n, dtype=np.float32)
        seen = 0
        for start, block_labels, block_similarity in self.map(assign_block, blocks, model):
            labels[start : start + len(block_labels)] = block_labels
            similarity[start : start + len(block_labels)] = block_similarity
            seen += len(block_labels)
        if seen != n:
            raise EngineError(f"the engine returned {seen} assignments for {n} paragraphs")
        return labels, similarity

    def map(self, function, parts, *args, done=None):
        from distributed import as_completed

        if not parts:
            return []
        results = [None] * len(parts)
        pending = list(range(len(parts)))
        for _ in range(_MAP_ATTEMPTS):
            # Parts go to workers directly (scatter), not through the scheduler in the task
            # graph; shared arguments once, to every worker, each in a list of its own (scatter()
            # would otherwise send a dict's or a list's items one by one).
            # Under keys of their own (hash=False), never keys named by their content (scatter's
            # default): the previous map's parts are released as it returns, by a message the
            # client batches (10 ms), while a scatter is a direct call. When the next map scatters
            # the same content (prepare's languages are read from the very texts whose duplicate
            # signatures were just computed), the scheduler can take the new scatter first and
            # the old release second: the key loses its only holder and is forgotten, and the
            # map's tasks are cancelled for "lost dependencies". A busy machine widens the gap;
            # that was issue 14's flaky CI.
            scattered = self._client.scatter([parts[index] for index in pending], hash=False)
            shared = [self._client.scatter([arg], broadcast=True, hash=False)[0] for arg in args]
            futures = self._client.map(function, scattered, *[[arg] * len(pending) for arg in shared], pure=False)
            index_of = {future.key: index for future, index in zip(futures, pending, strict=True)}
            lost = []
            for future in as_completed(futures):
                index = index_of[future.key]
                try:
                    results[index] = future.result()
                except CancelledError:
                    # Scattered data has no lineage: when the worker that holds a part is lost
                    # (its process killed or crashed, its nanny restarting it), the part's task is
                    # cancelled. It is sent again.
                    lost.append(index)
                    continue
                if done:
                    done(index)
            if not lost:
                return results
            pending = sorted(lost)
        raise EngineError(f"Dask lost {len(pending)} part(s) with their workers {_MAP_ATTEMPTS} times in a row")

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
    processes (the local engine reads text in `workers` processes)."""
    if name == "local":
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(address, workers)
    if name == "dask":
        return DaskEngine(address, workers)
    raise EngineError(f"unknown engine {name!r}: choose from {', '.join(ENGINES)}")


def engine_from_settings(settings) -> Engine:
    return open_engine(settings.engine, settings.engine_address or None, settings.engine_workers or None)


def joined_parts(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The tables computed for each part, as one table in the parts' order."""
    # Empty parts are left out: their columns have no dtype, and would turn the numbers of the
    # other parts into objects.
    filled = [frame for frame in frames if len(frame)]
    if not filled:
        return frames[0] if frames else pd.DataFrame(columns=columns)
    return pd.concat(filled, ignore_index=True)
