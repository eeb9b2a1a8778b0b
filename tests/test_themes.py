"""Theme model and labels, on vectors whose structure is known."""

import numpy as np
import pytest

from analysis import OTHER_ID, SeedTheme, ThemeModel, load_seed_themes, theme_terms


def _blobs(n_per: int, centres: int, dim: int = 32, noise: float = 0.05, seed: int = 0):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(centres, dim))
    X = np.concatenate([means[c] + noise * rng.normal(size=(n_per, dim)) for c in range(centres)])
    truth = np.repeat(np.arange(centres), n_per)
    return (
        X / np.linalg.norm(X, axis=1, keepdims=True),
        truth,
        means / np.linalg.norm(means, axis=1, keepdims=True),
    )


def test_number_of_themes_is_found_automatically():
    X, truth, _ = _blobs(40, 5)
    model = ThemeModel(random_state=0).fit(X)
    assert model.n_discovered_ == 5
    # Each true group is one theme.
    for group in range(5):
        assert len(set(model.labels_[truth == group].tolist())) == 1
    assert model.other_share_ == 0.0


def test_seeds_take_their_paragraphs_and_the_rest_is_discovered():
    X, truth, means = _blobs(30, 4)
    model = ThemeModel(n_seeds=1, random_state=0).fit(X, seed_vectors=means[:1])
    assert (model.labels_[truth == 0] == 0).all()
    assert set(model.labels_[truth != 0].tolist()) == {1, 2, 3}
    # Discovered ids follow the seeds and are ordered by size.


def test_fixed_number_of_themes_and_determinism():
    X, _, _ = _blobs(30, 4)
    a = ThemeModel(n_themes=3, random_state=7).fit(X)
    b = ThemeModel(n_themes=3, random_state=7).fit(X)
    assert a.n_discovered_ == 3
    assert np.array_equal(a.labels_, b.labels_)


def test_misfits_go_to_other_and_small_themes_dissolve():
    X, _, _ = _blobs(30, 3)
    rng = np.random.default_rng(1)
    stray = rng.normal(size=(2, X.shape[1]))
    X = np.vstack([X, stray / np.linalg.norm(stray, axis=1, keepdims=True)])
    model = ThemeModel(n_themes=4, min_theme_size=3, outlier_threshold=0.3, random_state=0).fit(X)
    assert (model.labels_[-2:] == OTHER_ID).all()
    assert 0 < model.other_share_ <= 0.25


def test_theme_terms_are_distinctive():
    texts = [
        "missile launch test missile",
        "missile test ballistic launch",
        "tariff trade export",
        "trade tariff negotiations export",
    ]
    terms = theme_terms(texts, [0, 0, 1, 1], top_n=3)
    assert terms[0][0] == "missile" and "tariff" in terms[1] + ["trade"] and "missile" not in terms[1]


def test_seed_file(tmp_path):
    good = tmp_path / "themes.toml"
    good.write_text(
        '[[theme]]\nname = "A"\ndescription = "about a"\nkeywords = ["x", "y"]\n[[theme]]\nname = "B"\n'
    )
    assert load_seed_themes(good) == [SeedTheme("A", "about a", ("x", "y")), SeedTheme("B")]
    bad = tmp_path / "bad.toml"
    for content, message in [
        ("not toml [", "not valid TOML"),
        ("title = 'x'", r"no \[\[theme\]\]"),
        ('[[theme]]\ndescription = "x"', "has no name"),
        ('[[theme]]\nname = "Other"', "reserved"),
    ]:
        bad.write_text(content)
        with pytest.raises(ValueError, match=message):
            load_seed_themes(bad)


def test_a_model_fitted_on_a_sample_assigns_every_paragraph_row_by_row():
    X, truth, means = _blobs(200, 4, seed=3)
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(len(X), 200, replace=False))
    model = ThemeModel(n_seeds=1, random_state=0).fit(X[sample], seed_vectors=means[:1])
    labels, similarity = model.assign(X)
    # The seeded group goes to the seed; each other group to one discovered theme of its own.
    assert (labels[truth == 0] == 0).all()
    found = [set(labels[truth == group].tolist()) for group in (1, 2, 3)]
    assert all(len(ids) == 1 for ids in found) and len(set.union(*found)) == 3
    # Row by row: assigning in blocks (as engines do) gives the same answer.
    blocks = [model.assign(X[i : i + 97]) for i in range(0, len(X), 97)]
    assert np.array_equal(np.concatenate([b[0] for b in blocks]), labels)
    assert np.array_equal(np.concatenate([b[1] for b in blocks]), similarity)
    # Something unlike every theme is "Other".
    orthogonal = np.zeros((1, X.shape[1]), dtype=np.float32)
    assert model.assign(orthogonal)[0][0] == OTHER_ID
