"""The sample corpus with the real model: the themes an analyst was promised."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis import OTHER_NAME, load_analysis
from analysis.views import BUILD_VIEWS, name_unknown_outlets, read_build_views

from .conftest import ROOT, SAMPLE, run_cli

pytestmark = pytest.mark.model


def _theme_of(build, opening: str) -> str:
    rows = build.paragraphs[build.paragraphs["text"].str.contains(opening, regex=False)]
    assert len(rows) == 1, opening
    return rows["theme"].iloc[0]


def test_promised_paragraphs_land_in_their_seeded_themes(sample_build):
    assert _theme_of(sample_build, "Regarding South Korea’s diplomatic strategy") == "South Korean strategy"
    assert _theme_of(sample_build, "the sharing or transfer of military technology") == "Technology transfer"
    assert _theme_of(sample_build, "a deepening of the new Cold War order") == "New Cold War"
    # The off-topic teasers fit no theme at all.
    assert _theme_of(sample_build, "gum disease") == "Other"
    assert _theme_of(sample_build, "K-pop girl group ILLIT") == "Other"


def test_sample_build_is_sane(sample_build):
    assert sample_build.provenance.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert sample_build.embeddings.shape == (len(sample_build.paragraphs), 384)
    assert sample_build.other_share <= 0.25
    assert 1 <= sample_build.provenance.discovered_themes <= 20
    assert (sample_build.paragraphs["lang"] == "en").all()
    for row in sample_build.themes.itertuples():
        if row.theme != "Other":
            assert row.keywords and 1 <= len(row.representative) <= 3


def test_command_line_builds_are_identical(tmp_path):
    # Separate caches: both builds embed, cluster and lay out from scratch in their own process.
    for out in ("one", "two"):
        run_cli(
            "build",
            SAMPLE / "corpus",
            "--out",
            tmp_path / out,
            "--themes",
            SAMPLE / "themes.toml",
            "--seed",
            3,
            cache=tmp_path / f"cache-{out}",
        )
    for name in [
        "paragraphs.csv",
        "themes.csv",
        "skipped.csv",
        "documents.csv",
        "duplicates.csv",
        "removed.csv",
        "figures.csv",
        "sources.csv",
        "citations.csv",
    ]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
        stored = name.replace(".csv", ".parquet")  # the tables the build folder is reopened from
        assert (tmp_path / "one" / stored).read_bytes() == (tmp_path / "two" / stored).read_bytes(), stored
    paragraphs = pd.read_csv(tmp_path / "one" / "paragraphs.csv")
    assert len(paragraphs) > 20
    one, two = (np.load(tmp_path / out / "vectors.npy") for out in ("one", "two"))
    assert one.shape == (len(paragraphs), 384) and np.array_equal(one, two)
    one, two = (json.loads((tmp_path / out / "build.json").read_text()) for out in ("one", "two"))
    for key in ("model_key", "settings", "corpus_hash", "seed_themes", "counts", "k_scores"):
        assert one[key] == two[key], key
    assert one["settings"]["random_seed"] == 3
    # The views stored with each build are what the dashboard counts from it, and the same twice.
    stored = [read_build_views(load_analysis(tmp_path / out, with_texts=False), tmp_path / out) for out in ("one", "two")]
    assert set(stored[0]) == set(BUILD_VIEWS) and len(stored[0]["theme backing"]) > 3
    shown = name_unknown_outlets(load_analysis(tmp_path / "one", with_texts=False))
    for name, view in BUILD_VIEWS.items():
        pd.testing.assert_frame_equal(stored[0][name], view.compute(shown), obj=name)
        pd.testing.assert_frame_equal(stored[0][name], stored[1][name], obj=name)


def test_second_build_embeds_nothing(tmp_path):
    cache = tmp_path / "cache"
    first = run_cli("build", SAMPLE / "corpus", "--out", tmp_path / "a", "--quiet", cache=cache)
    second = run_cli("build", SAMPLE / "corpus", "--out", tmp_path / "b", "--quiet", cache=cache)
    assert "(0 embedded now)" in second.stderr and "(0 embedded now)" not in first.stderr
    # Themes counted as the Overview counts them ("Other" is none), every count in its number.
    themes = int((load_analysis(tmp_path / "a", with_texts=False).themes["theme"] != OTHER_NAME).sum())
    assert f", {themes} themes (" in first.stderr and "0 files skipped" in first.stderr
    # Quiet means the closing line alone: no bar from loading the model's weights either.
    assert first.stderr.strip().splitlines() == [first.stderr.strip()], first.stderr[-500:]


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "no/such/folder", "--out", "{tmp}/o"], "no such file or folder"),
        (["build", "{empty}", "--out", "{tmp}/o"], "no readable text"),
        (
            ["build", str(SAMPLE / "corpus"), "--out", "{tmp}/o", "--themes", "{tmp}/missing.toml"],
            "themes file not found",
        ),
        (["build", str(SAMPLE / "corpus"), "--out", "{tmp}/o", "--themes", "{badtoml}"], "not valid TOML"),
        (
            ["build", str(SAMPLE / "corpus"), "--out", "{tmp}/o", "--n-themes", "0"],
            "n_themes must be at least 1, not 0",
        ),
        (
            ["build", str(SAMPLE / "corpus"), "--out", "{tmp}/o", "--threshold", "1.5"],
            "seed_threshold must be at most 1.0, not 1.5",
        ),
        (
            ["build", str(SAMPLE / "corpus"), "--out", "{tmp}/o", "--seed", "-1"],
            "random_seed must be at least 0, not -1",
        ),
        (
            ["build", str(SAMPLE / "corpus"), "--out", "{tmp}/o", "--theme-sample", "5"],
            "theme_sample_size must be at least 100, not 5",
        ),
    ],
)
def test_unusable_input_exits_2_with_one_line(tmp_path, args, message):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("   \n")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[theme]\nname=")
    args = [a.format(tmp=tmp_path, empty=empty, badtoml=bad) for a in args]
    result = run_cli(*args, cache=tmp_path / "cache", check=False)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("error: ") and message in lines[-1]
    assert "Traceback" not in result.stderr
    if "must be" in message:  # a bad setting is refused before anything is read
        assert lines == [f"error: {message}"]
        assert not (tmp_path / "o").exists() and not (tmp_path / "cache").exists()


def test_a_query_embedded_without_torch_is_the_models_own_vector(real_embedder):
    from analysis.embed import MiniLMQueryEncoder

    texts = [
        "grain shipments across the Black Sea",
        # Longer than the model reads (256 tokens): both cut it at the same token.
        "The envoy said the talks would resume after the holiday, and that both sides had agreed. " * 30,
        "독일이 탄약을 보냈다",  # another script: the same word pieces
        "«Sanctions» cost 12% — and £3bn!",
        "",
    ]
    mine, models = MiniLMQueryEncoder().encode(texts), real_embedder.encode(texts)
    assert mine.dtype == np.float32 and mine.shape == models.shape
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    assert (mine * models).sum(axis=1).min() > 0.99999


def test_a_dashboard_search_never_loads_torch():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from analysis.settings import MODEL_ID\n"
        "from ui.loaders import search_embedder\n"
        "vector = search_embedder(MODEL_ID).encode(['artillery shells sent by rail'])\n"
        "assert vector.shape == (1, 384), vector.shape\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["False", "False"]
