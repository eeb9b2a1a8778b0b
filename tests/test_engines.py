"""The same ~200 paragraphs through the local build, Ray (a local cluster of 2 CPUs) and Dask
(a local cluster of 2 workers), with the real model: bitwise-identical vectors and identical
themes, plus each engine trap the module handles.

One Ray cluster and one Dask cluster serve the whole module (`ray_engine`, `dask_engine`): on a
2-core machine, starting a cluster and loading torch and the model in its workers is most of the
time these tests take, and twice as long with the cores busy. The tests that are about starting
a cluster (its environment, the command line's) still start their own."""

from __future__ import annotations

import json
import operator
import os
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import (
    Pipeline,
    Settings,
    ThemeModel,
    build_analysis,
    load_corpus,
    prepare,
    read_claims,
    save_analysis,
    split_sentences,
    text_hash,
)
from analysis.run import ASSIGN_BLOCK, EmbeddingChunk, EngineError, open_engine

from .conftest import SAMPLE, run_cli
from .small_parts import SmallParts

pytestmark = pytest.mark.model
ENGINES = ("local", "ray", "dask")


@pytest.fixture(scope="module")
def corpus_csv(tmp_path_factory):
    """~200 distinct news paragraphs: runs of one, two and three consecutive sentences of the
    sample corpus (the project ships no larger corpus, and the benchmarks' may not be used)."""
    paragraphs = prepare(load_corpus([SAMPLE / "corpus"]), Settings()).paragraphs["text"]
    sentences = [s for text in paragraphs for s in split_sentences(text) if len(s) > 30]
    texts = [" ".join(sentences[i : i + n]) for n in (1, 2, 3) for i in range(len(sentences) - n + 1)]
    path = tmp_path_factory.mktemp("engines") / "paragraphs.csv"
    pd.DataFrame({"text": texts, "outlet": "Sample"}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def ray_engine():
    """A local Ray cluster of 2 CPUs for the module (an engine opened while it runs joins it).

    Ray Data's `read_parquet` reads file footers on a pool of 32 actors, each a process that
    imports Ray and pyarrow, whatever the number of files: for the one small file a test reads,
    that was minutes of start-ups on a busy 2-core machine. One is enough; the variable is read
    where the read is planned, so it is set before the cluster (and its workers) start."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_DATA_PARQUET_FOOTER_NUM_ACTORS", "1")
        with open_engine("ray", workers=2) as engine:
            yield engine


@pytest.fixture(scope="module")
def dask_engine():
    """A local Dask cluster of 2 worker processes for the module."""
    with open_engine("dask", workers=2) as engine:
        yield engine


@pytest.fixture(scope="module")
def caches(tmp_path_factory):
    """Each engine's build's own embedding cache, empty before its build."""
    return {name: tmp_path_factory.mktemp(f"cache-{name}") for name in ENGINES}


@pytest.fixture(scope="module")
def builds(corpus_csv, real_embedder, ray_engine, dask_engine, caches):
    """One build per engine, each with its own empty cache (so each embeds everything), and a
    theme sample smaller than the corpus, so that themes are assigned on the engine. Documents
    are read, duplicate signatures and languages computed, figures and sources read (one claims
    stage) in parts of about 40 paragraphs on each engine."""
    settings = Settings(themes_file=str(SAMPLE / "themes.toml"), theme_sample_size=120)
    engines = {"local": open_engine("local", workers=2), "ray": ray_engine, "dask": dask_engine}
    results = {}
    for name in ENGINES:
        pipeline = Pipeline(
            settings.replace(engine=name, engine_workers=2), embedder=real_embedder, cache_dir=caches[name]
        )
        engine = SmallParts(engines[name])  # not closed here: the module's clusters stay up
        prepared = pipeline.prepare(load_corpus([corpus_csv]), engine)
        vectors, embedded = pipeline.embed(prepared, engine)
        results[name] = pipeline.analyse(prepared, vectors, embedded, engine)
        # documents, signatures, languages, figures and sources (one claims stage): each in several parts
        assert len(engine.parts) == 4 and min(engine.parts) >= 3, (name, engine.parts)
    return results


def test_every_engine_embeds_the_same_bytes_and_finds_the_same_themes(builds):
    local = builds["local"]
    assert 180 <= len(local.paragraphs) <= 220
    assert local.provenance.counts["embedded_now"] == len(local.paragraphs)
    for name in ("ray", "dask"):
        other = builds[name]
        assert other.provenance.counts["embedded_now"] == len(other.paragraphs)
        assert np.array_equal(other.embeddings, local.embeddings), name
        assert other.embeddings.tobytes() == local.embeddings.tobytes(), name
        assert list(other.paragraphs["theme_id"]) == list(local.paragraphs["theme_id"]), name
        pd.testing.assert_frame_equal(other.themes, local.themes)
        assert other.provenance.settings.engine == name


def test_every_engine_prepares_the_same_tables(builds):
    local = builds["local"]
    assert len(local.documents) >= 3  # read in several parts
    for name in ("ray", "dask"):
        for table in ("documents", "articles", "duplicates", "removed"):
            pd.testing.assert_frame_equal(
                getattr(builds[name], table), getattr(local, table), obj=f"{name} {table}"
            )
        pd.testing.assert_frame_equal(builds[name].paragraphs, local.paragraphs, obj=name)


def test_every_engine_reads_the_figures_and_sources_of_one_pass(builds):
    local = builds["local"]
    paragraphs = local.paragraphs.drop(columns=["theme"])
    expected = read_claims(paragraphs)
    expected_sources, expected_citations = expected.sources, expected.citations
    assert len(expected_citations) >= 20 and len(local.figures) >= 5  # something to compare
    for name in ENGINES:
        built = builds[name]
        pd.testing.assert_frame_equal(built.figures, expected.figures, obj=name)
        pd.testing.assert_frame_equal(built.citations, expected_citations, obj=name)
        pd.testing.assert_frame_equal(
            built.sources.drop(columns="themes"), expected_sources.drop(columns="themes")
        )
        pd.testing.assert_frame_equal(built.sources, local.sources, obj=name)


def test_themes_were_fitted_on_a_sample_and_assigned_to_every_paragraph(builds):
    local = builds["local"]
    assert len(local.paragraphs) > 120  # larger than the theme sample: the assign path ran
    assert set(local.paragraphs["theme_id"]) >= {0, 1, 2}  # the three seeded themes
    assert local.themes["size"].sum() == len(local.paragraphs)


def test_every_engine_places_paragraphs_with_their_articles_as_this_process_does(ray_engine, dask_engine):
    # A fitted model told where its themes lie with articles in view (as a sampled fit is), and
    # more rows than one block, so that blocks of article scores travel beside their rows.
    rng = np.random.default_rng(5)
    centres = np.eye(8, dtype=np.float32)[:3]
    fitted = np.repeat(centres, 40, axis=0) + 0.1 * rng.normal(size=(120, 8)).astype(np.float32)
    model = ThemeModel(n_themes=3, random_state=0).fit(fitted / np.linalg.norm(fitted, axis=1, keepdims=True))
    model.grouping_centroids_ = model.centroids_.copy()
    rows = ASSIGN_BLOCK + 500
    vectors = centres[rng.integers(0, 3, rows)] + 0.4 * rng.normal(size=(rows, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = rng.uniform(0, 1.5, size=(rows, 3)).astype(np.float32)
    expected = model.assign(vectors, scores)
    assert (expected[0] != model.assign(vectors)[0]).mean() > 0.1  # the articles decide
    for engine in (open_engine("local", workers=2), ray_engine, dask_engine):
        labels, similarity = engine.assign(model, vectors, scores)
        assert np.array_equal(labels, expected[0]), engine.name
        assert similarity.tobytes() == expected[1].tobytes(), engine.name


def test_the_cache_carries_over_between_engines(builds, caches, corpus_csv, real_embedder, tmp_path):
    # The Dask build embedded everything into its own empty cache; a local build reads it.
    first = builds["dask"]
    cache = shutil.copytree(caches["dask"], tmp_path / "cache")
    second = build_analysis(load_corpus([corpus_csv]), Settings(theme_sample_size=120),
                            embedder=real_embedder, cache_dir=cache)  # fmt: skip
    assert first.provenance.settings.engine == "dask"
    assert first.provenance.counts["embedded_now"] == len(first.paragraphs)
    assert second.provenance.counts["embedded_now"] == 0
    assert second.embeddings.tobytes() == first.embeddings.tobytes()


def test_a_builds_tables_and_vectors_are_read_by_dask_as_they_are(builds, tmp_path):
    import dask.array as da
    import dask.dataframe as dd

    folder = save_analysis(builds["dask"], tmp_path / "build")
    frame = dd.read_parquet(folder / "paragraphs.parquet").compute()
    assert frame["pid"].tolist() == builds["dask"].paragraphs["pid"].tolist()
    assert frame["text"].tolist() == builds["dask"].paragraphs["text"].tolist()
    vectors = da.from_array(np.load(folder / "vectors.npy", mmap_mode="r"), chunks=(64, -1))
    assert vectors.compute().tobytes() == builds["dask"].embeddings.astype(np.float16).tobytes()


def test_dask_workers_run_without_malloc_trim_and_leave_this_process_alone():
    from distributed import default_client

    before = dict(os.environ)
    with open_engine("dask", workers=2):
        # The nanny's MALLOC_TRIM_THRESHOLD_ slows torch encoding; it is not set on workers.
        seen = default_client().run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert len(seen) == 2 and set(seen.values()) == {None}
        # Creating the LocalCluster wrote OMP_NUM_THREADS=1 here; it was put back.
        assert dict(os.environ) == before
    assert dict(os.environ) == before


def test_ray_reports_no_usage_and_uses_the_actor_pool_without_deprecated_arguments(
    real_embedder, builds, ray_engine, tmp_path
):
    saved_paragraphs = save_analysis(builds["local"], tmp_path / "build") / "paragraphs.parquet"
    texts = ["North Korea supplied shells.", "Russia paid in food and fuel.", "Seoul watches closely."]
    chunks = [EmbeddingChunk(i, (text_hash(t),), (t,)) for i, t in enumerate(texts)]
    done = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with open_engine("ray", workers=2) as engine:  # joins the module's cluster
            from ray._common.usage import usage_lib

            assert os.environ["RAY_USAGE_STATS_ENABLED"] == "0"
            assert not usage_lib.usage_stats_enabled()
            # Chunks go through Parquet, not ray.data.from_pandas (which fails on pandas 3).
            assert int(pd.__version__.split(".")[0]) >= 3
            engine.embed(chunks, real_embedder, lambda chunk, vectors: done.setdefault(chunk.id, vectors))
            # A build's tables are read by Ray as they are.
            import ray

            rows = ray.data.read_parquet(str(saved_paragraphs)).take(2)
            assert len(rows) == 2 and rows[0]["pid"] == builds["local"].paragraphs["pid"].iloc[0]
    assert sorted(done) == [0, 1, 2]
    expected = real_embedder.encode(texts[1:2])
    assert done[1].tobytes() == expected.tobytes()
    assert not [w for w in caught if "concurrency" in str(w.message)]


def test_an_unknown_or_unreachable_engine_is_one_clear_error(monkeypatch):
    with pytest.raises(EngineError, match="unknown engine 'spark'"):
        open_engine("spark")
    # A refused connection is tried again until the timeout: 1 s, not the analyst's 10 s (the
    # command line's test below waits those).
    monkeypatch.setattr("analysis.run._engines.CONNECT_TIMEOUT", "1s")
    with pytest.raises(EngineError, match="cannot start or reach Dask"):
        open_engine("dask", address="tcp://127.0.0.1:9")


def test_the_local_dask_clusters_workers_try_a_failed_call_to_the_scheduler_again(dask_engine):
    import dask

    # Their heartbeat, say: on a busy machine one failed once mid-build and printed a traceback.
    assert dask_engine.map(dask.config.get, ["distributed.comm.retry.count"] * 2) == [3, 3]
    assert dask.config.get("distributed.comm.retry.count") == 0  # this process's config as it was


def test_the_command_line_builds_on_dask_behind_its_main_guard(corpus_csv, tmp_path):
    result = run_cli(
        "build", corpus_csv, "--out", tmp_path / "out", "--engine", "dask", "--workers", "2",
        "--embed-threads", "1", "--quiet", cache=tmp_path / "cache", check=False, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out" / "paragraphs.csv").is_file()
    provenance = json.loads((tmp_path / "out" / "build.json").read_text())
    assert provenance["settings"]["embed_threads"] == 1 and provenance["settings"]["engine"] == "dask"
    zero = run_cli("build", corpus_csv, "--out", tmp_path / "x", "--embed-threads", "0", check=False)
    assert zero.returncode == 2 and zero.stderr == "error: embed_threads must be at least 1, not 0\n"
    bad = run_cli("build", corpus_csv, "--out", tmp_path / "x", "--engine", "dask", "--address",
                  "tcp://127.0.0.1:9", cache=tmp_path / "cache", check=False)  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("error: cannot start or reach Dask")


def test_a_dask_map_over_the_parts_of_the_map_before_loses_none_of_them(dask_engine, monkeypatch):
    """Issue 14's flaky CI. prepare reads the languages of the very texts whose duplicate
    signatures it has just computed: two maps in a row scatter the same parts. The first map's
    parts are released as it returns, by a message the client batches; on a busy machine that
    message reached the scheduler after the second map's scatter (a direct call), took the parts
    from under it, and its tasks were cancelled for "lost dependencies". Holding the client's
    batched messages back 0.1 s, as a starved machine does, made that happen every time. With one
    attempt, a part lost fails the map."""
    monkeypatch.setattr("analysis.run._engines._MAP_ATTEMPTS", 1)
    monkeypatch.setattr(dask_engine._client.scheduler_comm, "interval", 0.1)
    for attempt in range(3):
        parts = [[f"paragraph {attempt}.{i}.{j}" for j in range(40)] for i in range(5)]
        assert dask_engine.map(operator.add, parts, ["end"]) == [[*part, "end"] for part in parts]
        assert dask_engine.map(len, parts) == [40] * 5


def test_a_dask_map_sends_again_the_parts_of_a_lost_worker(dask_engine, tmp_path):
    """A worker that dies takes the parts scattered to it: their tasks are cancelled, as they
    would be for a worker killed on a busy machine. The engine sends those parts again (to the
    other worker, or to the dead one's replacement the nanny starts). Last in the module, since
    it kills a worker of the module's cluster."""
    from .dying_worker import double_or_die_once

    parts = [[i, i + 1] for i in range(0, 40, 2)]
    results = dask_engine.map(double_or_die_once, parts, str(tmp_path / "died"))
    assert (tmp_path / "died").exists()  # a worker did die
    assert results == [[2 * x for x in part] for part in parts]


def test_the_multilingual_model_embeds_the_same_bytes_on_every_engine(ray_engine, dask_engine):
    from analysis import MultilingualE5Embedder, embed_with_cache
    from analysis.embed import multilingual_model_problem

    if multilingual_model_problem():
        pytest.skip(multilingual_model_problem())
    subjects = ["artillery shells sent by rail", "a satellite launch", "a football match in Seoul"]
    texts = [
        f"{opening} {subject}, officials said on day {day}."
        for opening in ("Reports describe", "A ministry statement covers", "Analysts discuss")
        for subject in subjects
        for day in (1, 2)
    ] + ["북한은 포탄을 러시아로 보냈다.", "Северная Корея отправила снаряды.", "朝鲜向俄罗斯运送了炮弹。"]
    embedder = MultilingualE5Embedder()
    local, _ = embed_with_cache(texts, embedder, chunk_size=7)
    for engine in (ray_engine, dask_engine):
        vectors, embedded = embed_with_cache(texts, embedder, chunk_size=7, engine=engine)
        assert embedded == len(texts) and np.array_equal(vectors, local), type(engine).__name__
