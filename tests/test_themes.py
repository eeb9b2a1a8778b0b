"""Theme model and labels, on vectors whose structure is known."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import OTHER_ID, SeedTheme, Settings, ThemeModel, fit_themes, load_seed_themes, theme_terms
from analysis.themes import split_unlike_themes


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


def test_many_small_tight_groups_do_not_push_k_to_the_end_of_its_range():
    # Four broad themes of 60 paragraphs each, and each theme made of 12 "articles" whose five
    # paragraphs sit close together: plain silhouette keeps rising with k, towards one cluster
    # per article. Knowing the articles, clusters of one article earn nothing.
    rng = np.random.default_rng(4)
    dim, themes, articles, per = 32, 4, 12, 5
    means = rng.normal(size=(themes, dim))
    rows, truth, groups = [], [], []
    for theme in range(themes):
        for article in range(articles):
            centre = means[theme] + 0.35 * rng.normal(size=dim)
            for _ in range(per):
                rows.append(centre + 0.05 * rng.normal(size=dim))
                truth.append(theme)
                groups.append(f"{theme}-{article}")
    X = np.asarray(rows)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    model = ThemeModel(random_state=0).fit(X, groups=np.asarray(groups))
    assert 2 <= model.n_discovered_ <= 6
    assert max(model.k_scores_) <= 12  # the search range is a readable one


def test_seeds_leave_discovery_the_rest_of_a_readable_total():
    X, truth, means = _blobs(30, 6)
    model = ThemeModel(n_seeds=2, random_state=0, max_auto_themes=6).fit(X, seed_vectors=means[:2])
    assert set(model.labels_[truth == 0].tolist()) == {0} and set(model.labels_[truth == 1].tolist()) == {1}
    # With six themes in all, discovery searches at most four, and each group the seeds left
    # is one discovered theme of its own: seeding does not fragment the rest.
    assert max(model.k_scores_) <= 4
    left = [set(model.labels_[truth == g].tolist()) for g in range(2, 6)]
    discovered = [ids for ids in left if min(ids) >= 2]
    assert all(len(ids) == 1 for ids in discovered) and len(set.union(*discovered)) == len(discovered) >= 3


def test_labels_are_noun_phrases_from_several_paragraphs_without_filler():
    texts = [
        "The sanctions monitoring panel said the oil shipments broke the rules.",
        "Officials told reporters the sanctions monitoring panel would end in April.",
        "A new sanctions monitoring team was created, according to diplomats.",
        "The wheat harvest fell as the drought hit farms across the plains.",
        "Farmers said the wheat harvest was the worst in years after the drought.",
        "The drought also raised grain prices, and the wheat harvest shrank.",
    ]
    vectors = np.eye(6)[[0, 0, 1, 2, 2, 3]] + 0.1
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    terms = theme_terms(texts, [0, 0, 0, 1, 1, 1], top_n=4, vectors=vectors)
    assert terms[0][0] == "sanctions monitoring panel" or terms[0][0] == "sanctions monitoring"
    assert terms[1][0] in ("wheat harvest", "drought")
    banned = {"said", "told", "according", "created", "also", "the", "would"}
    for phrases in terms.values():
        for phrase in phrases:
            assert not set(phrase.split()) & banned, phrase
            assert 1 <= len(phrase.split()) <= 3
    # A phrase of a single paragraph ("oil shipments", "grain prices") is not the theme's.
    assert "oil shipments" not in terms[0] and "grain prices" not in terms[1]
    # The same input gives the same labels.
    assert theme_terms(texts, [0, 0, 0, 1, 1, 1], top_n=4, vectors=vectors) == terms
    # Forms of "do" are filler too ("did / home / company" named a theme of a large build).
    did = [text + " Officials did confirm it." for text in texts]
    assert not any("did" in phrase.split() for phrases in theme_terms(did, [0, 0, 0, 1, 1, 1]).values() for phrase in phrases)
    # So are months, as days are: they say when, not what.
    dated = [text + " It happened in December." for text in texts]
    assert not any("december" in phrase for phrases in theme_terms(dated, [0, 0, 0, 1, 1, 1]).values() for phrase in phrases)


def test_labels_end_in_a_noun_not_a_verb_and_nouns_in_ly_are_kept():
    texts = [
        "The National Assembly voted on the budget as the economy grew in the quarter.",
        "Opposition members of the National Assembly said the economy grew too slowly.",
        "The National Assembly passed the arms supply bill after the economy grew.",
        "Rebels reported shelling near the border as weapons supplied by Italy arrived.",
        "Weapons supplied by Italy reached the border, the rebels reported.",
        "Italy said more weapons supplied to the border would follow.",
    ]
    vectors = np.eye(6)[[0, 0, 0, 1, 1, 1]] + 0.1 * np.eye(6)[[2, 3, 4, 2, 3, 4]]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    terms = theme_terms(texts, [0, 0, 0, 1, 1, 1], top_n=20, vectors=vectors)
    # Words in -ly that are nouns are labels ("national assembly", "italy"); an adverb is not.
    assert "national assembly" in terms[0] and "italy" in terms[1] and "slowly" not in terms[0]
    # A past form, regular or not, ends no label ("economy grew", "rebels reported").
    phrases = [phrase for found in terms.values() for phrase in found]
    assert "economy" in terms[0] and "weapons" in terms[1]
    assert not [p for p in phrases if p.split()[-1] in ("grew", "reported", "supplied", "voted", "arrived")]


def test_a_name_opened_by_a_filler_word_is_one_label():
    texts = [
        "Officials in New Delhi signed new rules on the export of rice.",
        "The talks in New Delhi covered new rules for exporters.",
        "Exporters said New Delhi would relax the rules soon.",
        "New Delhi was quiet. New rules take effect next month.",
    ]
    terms = theme_terms(texts, [0, 0, 0, 0], top_n=20)
    assert "new delhi" in terms[0] and "delhi" not in terms[0]
    # "new" in lower case, or opening a sentence, is filler as before; never a label alone.
    assert not [phrase for phrase in terms[0] if phrase.startswith("new ") and phrase != "new delhi"]
    assert "new" not in terms[0]


def test_a_dateline_and_a_broken_entity_are_no_labels():
    texts = [
        "NEW YORK (Newswire) - Oil prices rose as refiners bought crude, quot;analysts quot; said.",
        "NEW YORK (Newswire) - Oil prices eased after refiners cut orders.",
        "LONDON (Newswire) - Oil prices held steady as refiners waited.",
    ]
    terms = theme_terms(texts, [0, 0, 0], top_n=20)
    assert "oil prices" in terms[0] and "refiners" in terms[0]
    assert not {"york", "new york", "newswire", "london", "quot"} & set(terms[0])


def test_two_themes_never_share_a_name():
    from analysis.themes import keyword_name

    taken = {"New Cold War"}  # a seeded theme's name is taken as given
    keywords = ["world", "best", "government", "film", "match"]
    assert keyword_name(keywords, taken, "Theme 1") == "world / best / government"
    # A theme whose three best keywords are another's takes its next keyword as the third.
    assert keyword_name(["world", "best", "government", "market"], taken, "Theme 2") == "world / best / market"
    assert keyword_name(["world", "best", "government", "market"], taken, "Theme 3") == "world / best / government (2)"
    assert keyword_name(["new cold war"], taken, "Theme 4") == "new cold war"  # names compare as written
    assert keyword_name([], taken, "Theme 5") == "Theme 5"
    assert len(taken) == 6


def test_teasers_and_excerpts_beside_an_article_stay_out_of_themes(tmp_path):
    import pandas as pd

    from analysis import Settings, fit_themes
    from analysis.themes import paragraph_kinds

    X, truth, _ = _blobs(20, 3)
    n = len(X)
    # Document "a" holds one full article (paragraphs 0-39) and a teaser (40-44); document "b"
    # is one truncated story: its only article is an excerpt, and it is the corpus, not clutter.
    docs = ["a"] * 45 + ["b"] * (n - 45)
    article = [1] * 40 + [2] * 5 + [1] * (n - 45)
    paragraphs = pd.DataFrame({"doc": docs, "article": article, "text": ["the words of a paragraph"] * n})
    articles = pd.DataFrame(
        {"doc": ["a", "a", "b"], "article": [1, 2, 1], "kind": ["article", "teaser", "excerpt"]}
    )
    kinds = paragraph_kinds(paragraphs, articles)
    assert (
        kinds[:40] == ["article"] * 40 and kinds[40:45] == ["teaser"] * 5 and set(kinds[45:]) == {"article"}
    )
    # A line too short to be about anything ("Details", a photo credit) is a fragment.
    short = paragraphs.assign(text=["Details"] + ["the words of a paragraph"] * (n - 1))
    assert paragraph_kinds(short, articles)[:2] == ["fragment", "article"]
    texts = [f"theme{t} topic{t} words" for t in truth]
    keys = [f"{d}#{a}" for d, a in zip(docs, article, strict=True)]
    apart = fit_themes(texts, X, [], X[:0], Settings(n_themes=3), articles=keys, kinds=kinds)
    assert (apart.labels[40:45] == OTHER_ID).all() and (apart.similarity[40:45] == 0).all()
    assert (apart.labels[:40] != OTHER_ID).all()
    themed = fit_themes(
        texts, X, [], X[:0], Settings(n_themes=3, teasers="themed"), articles=keys, kinds=kinds
    )
    assert (themed.labels[40:45] != OTHER_ID).all()


def test_article_context_draws_a_paragraph_towards_its_article_and_nothing_else():
    from analysis import themes as fit

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(7, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    articles = ["a", "a", "a", "b", "c", "c", "d"]
    assert fit.with_article_context(vectors, articles, 0.0) is vectors
    blended = fit.with_article_context(vectors, articles, 1.0)
    assert blended.dtype == np.float32 and np.allclose(np.linalg.norm(blended, axis=1), 1, atol=1e-6)
    # A one-paragraph article is its own mean: its direction does not change.
    assert np.allclose(blended[[3, 6]], vectors[[3, 6]], atol=1e-6)
    # The others move towards their article's mean, and other articles do not count.
    mean_a = vectors[:3].mean(axis=0)
    assert all(blended[i] @ mean_a > vectors[i] @ mean_a for i in range(3))
    assert np.allclose(blended[4:6], fit.with_article_context(vectors[4:6], ["c", "c"], 1.0), atol=1e-6)


def test_group_sums_and_moved_rows_read_in_blocks_equal_the_whole_computation():
    from analysis.embed import group_sums, moved_unit_rows

    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(20_000, 6)).astype(np.float32)  # more rows than one block
    codes = rng.integers(0, 3, size=len(vectors))
    expected = np.stack([vectors[codes == g].astype(np.float64).sum(axis=0) for g in range(3)])
    assert np.allclose(group_sums(vectors, codes, 3), expected)
    moves = rng.normal(size=(3, 6))
    moved = vectors.astype(np.float64) + moves[codes]
    moved /= np.linalg.norm(moved, axis=1, keepdims=True)
    assert np.allclose(moved_unit_rows(vectors, codes, moves), moved, atol=1e-6)


def _stories(articles_per_topic: int = 12, seed: int = 0):
    """Articles on two topics, four paragraphs each: three plainly on the article's topic and
    one that says almost nothing of it (mostly what every story shares, "officials declined to
    comment"). Returns vectors, article keys, each paragraph's topic and whether it is the vague one."""
    rng = np.random.default_rng(seed)
    dim = 32
    topics, shared = rng.normal(size=(2, dim)), rng.normal(size=dim)
    rows, articles, topic, vague = [], [], [], []
    for t in range(2):
        for a in range(articles_per_topic):
            for p in range(4):
                v = (0.05 * topics[t] + shared if p == 3 else topics[t]) + 0.3 * rng.normal(size=dim)
                rows.append(v / np.linalg.norm(v))
                articles.append(f"topic{t}-article{a}")
                topic.append(t)
                vague.append(p == 3)
    return np.asarray(rows, np.float32), np.asarray(articles, object), np.asarray(topic), np.asarray(vague)


def test_discovery_groups_a_vague_paragraph_with_its_articles_subject():
    X, articles, topic, vague = _stories()

    def mixed_themes(model):
        themes = set(model.labels_.tolist()) - {OTHER_ID}
        return [t for t in themes if len(set(topic[model.labels_ == t].tolist())) > 1]

    alone = ThemeModel(random_state=0, discovery_context=0.0).fit(X, groups=articles)
    in_context = ThemeModel(random_state=0, discovery_context=1.5).fit(X, groups=articles)
    # Alone, the vague paragraphs of both topics make one theme of their own ...
    assert mixed_themes(alone) and vague[alone.labels_ == mixed_themes(alone)[0]].all()
    # ... with their article in view, each stays with its own topic, and none goes to Other.
    assert mixed_themes(in_context) == [] and (in_context.labels_ != OTHER_ID).all()
    # A paragraph's similarity is still its own vector's to its theme's centre.
    centres = in_context.centroids_[in_context.labels_]
    assert np.allclose(in_context.similarity_, np.einsum("ij,ij->i", X, centres), atol=1e-5)


def test_a_corpus_of_few_articles_is_discovered_paragraph_by_paragraph():
    X, articles, _, _ = _stories(articles_per_topic=9)  # 18 articles: fewer than 20
    alone = ThemeModel(random_state=0, discovery_context=0.0).fit(X, groups=articles)
    in_context = ThemeModel(random_state=0, discovery_context=1.5).fit(X, groups=articles)
    assert np.array_equal(alone.labels_, in_context.labels_)


def _two_subjects_in_one_theme(seed: int = 0):
    """Four themes of one subject each, sharing what the corpus is mostly about, and a fifth
    made of two unlike subjects off that (A and B). Returns vectors, labels, articles and which
    rows are B's."""
    rng = np.random.default_rng(seed)
    dim = 32
    shared = rng.normal(size=dim)
    subjects = rng.normal(size=(6, dim))
    rows, labels, articles = [], [], []
    for subject in range(6):
        for row in range(20):
            v = subjects[subject] + (shared if subject < 4 else 0) + 0.3 * rng.normal(size=dim)
            rows.append(v / np.linalg.norm(v))
            labels.append(min(subject, 4))  # subjects 4 (A) and 5 (B) are theme 4
            articles.append(f"s{subject}-a{row % 4}")
    return np.asarray(rows, np.float32), np.asarray(labels), np.asarray(articles, object), np.arange(120) >= 100


def test_a_theme_of_two_unlike_subjects_is_split_and_alike_themes_are_not():
    X, labels, articles, b_rows = _two_subjects_in_one_theme()
    split = split_unlike_themes(X, labels, articles, most=12, smallest=3)
    assert np.array_equal(split[~b_rows], labels[~b_rows])  # A keeps the theme and the rest are whole
    assert set(split[b_rows].tolist()) == {5}  # B is the next theme
    assert np.array_equal(split_unlike_themes(X, labels, articles, most=12, smallest=3), split)
    # Rows in no theme stay there, and split themes are not split again.
    labels_with_other = labels.copy()
    labels_with_other[:5] = OTHER_ID
    assert np.array_equal(split_unlike_themes(X, labels_with_other, articles, most=12, smallest=3)[:5], labels_with_other[:5])
    assert np.array_equal(split_unlike_themes(X, split, articles, most=12, smallest=3), split)


def test_a_theme_is_not_split_into_one_articles_rest_a_tiny_part_or_past_the_readable_number():
    X, labels, articles, b_rows = _two_subjects_in_one_theme()
    one_article = articles.copy()
    one_article[b_rows] = "b-only"
    assert np.array_equal(split_unlike_themes(X, labels, one_article, most=12, smallest=3), labels)
    assert np.array_equal(split_unlike_themes(X, labels, articles, most=12, smallest=21), labels)
    assert np.array_equal(split_unlike_themes(X, labels, articles, most=5, smallest=3), labels)
    # Without articles, a part's size is all that is asked of it.
    assert set(split_unlike_themes(X, labels, None, most=12, smallest=3)[b_rows].tolist()) == {5}


@pytest.mark.filterwarnings("error::sklearn.exceptions.ConvergenceWarning")
def test_a_theme_of_copies_of_one_vector_is_left_whole_and_the_fit_goes_on():
    """Paragraphs the model reads alike (long ones that differ only past its window) share one
    vector; their theme cannot be halved, and 2-means leaves one half empty: the fit failed with
    an IndexError, a traceback for the whole build."""
    X, labels, articles, _ = _two_subjects_in_one_theme()
    copies = np.tile(X[0], (30, 1))
    X, labels = np.vstack([X, copies]), np.concatenate([labels, np.full(30, 5)])
    articles = np.concatenate([articles, np.array([f"copy-{i % 3}" for i in range(30)], object)])
    split = split_unlike_themes(X, labels, articles, most=12, smallest=3)
    assert set(split[-30:].tolist()) == {5}
    model = ThemeModel(random_state=0).fit(X, groups=articles)
    assert len(set(model.labels_[-30:].tolist())) == 1


def test_discovery_splits_a_theme_the_number_of_themes_joined_from_two_unlike_subjects():
    """Two small subjects off what the corpus is about, each mostly one article's paragraphs,
    score nothing as themes of their own when the number of themes is chosen (a theme of one
    article is none), so discovery joins them; each spans two articles, so they are two themes."""
    rng = np.random.default_rng(1)
    dim = 32
    shared = rng.normal(size=dim)
    subjects = rng.normal(size=(6, dim))
    rows, articles, subject_of = [], [], []
    for subject in range(6):
        count, parts = (40, 8) if subject < 4 else (10, 2)
        for row in range(count):
            v = subjects[subject] + (shared if subject < 4 else 0) + 0.3 * rng.normal(size=dim)
            rows.append(v / np.linalg.norm(v))
            # The small subjects: seven paragraphs of one article and three of another.
            articles.append(f"s{subject}-a{row % parts if subject < 4 else int(row >= 7)}")
            subject_of.append(subject)
    X, articles, subject_of = np.asarray(rows, np.float32), np.asarray(articles, object), np.asarray(subject_of)
    model = ThemeModel(random_state=0).fit(X, groups=articles)
    themes_of = [set(model.labels_[subject_of == s].tolist()) for s in range(6)]
    assert all(len(themes) == 1 for themes in themes_of)
    assert len(set().union(*themes_of)) == 6, "each subject its own theme"
    assert model.n_discovered_ == 6


def test_a_news_outlets_name_is_no_label_or_keyword():
    texts = [
        "Ferry crossings resumed at the harbour on Monday, Reuters reported.",
        "Reuters said ferry crossings were full at the harbour all week.",
        "The harbour authority told Reuters that ferry crossings would double.",
        "Wheat prices fell in the grain market after the harvest.",
        "The grain market saw wheat prices drop again this week.",
    ]
    terms = theme_terms(texts, [0, 0, 0, 1, 1], top_n=10)
    assert "ferry crossings" in terms[0] and "reuters" not in terms[0], terms[0]


def test_the_corpus_outlets_names_are_no_labels_nor_are_their_words_alone():
    texts = [
        "Ferry crossings resumed at the harbour on Monday, the Tidewater Gazette reported.",
        "The Tidewater Gazette said ferry crossings at the harbour were full all week.",
        "Tidewater Gazette reporters saw ferry crossings double at the harbour.",
        "Wheat prices fell in the grain market after the harvest.",
        "The grain market saw wheat prices drop again this week.",
    ]
    assert "tidewater gazette" in theme_terms(texts, [0, 0, 0, 1, 1], top_n=10)[0]
    named = theme_terms(texts, [0, 0, 0, 1, 1], top_n=10, outlets=["The Tidewater Gazette (gazette.example)"])[0]
    assert {"ferry crossings", "harbour"} <= set(named), named
    assert not {"tidewater gazette", "tidewater", "gazette"} & set(named), named


def test_a_themes_representative_paragraphs_come_from_as_many_articles_as_it_has():
    from analysis import Settings, fit_themes

    X, truth, _ = _blobs(12, 2, noise=0.02)
    # Theme of blob 0: its three most central paragraphs are all in article "op-ed", which holds
    # 8 of its 12; the other 4 are one article each.
    centre = X[truth == 0].mean(axis=0)
    central = np.argsort(-(X @ centre) * (truth == 0))
    articles = np.array([f"blob{t}-{i}" for i, t in enumerate(truth)], dtype=object)
    articles[central[:8]] = "op-ed"
    texts = [f"theme{t} topic{t} words" for t in truth]
    fitted = fit_themes(texts, X, [], X[:0], Settings(n_themes=2), articles=list(articles))
    theme = fitted.themes[fitted.themes["theme_id"] == fitted.labels[central[0]]].iloc[0]
    shown = theme["representative"]
    assert shown[0] == central[0]  # the most central first
    assert len({articles[i] for i in shown}) == 3, [articles[i] for i in shown]
    # Without articles, the three most central, whichever piece they are from.
    plain = fit_themes(texts, X, [], X[:0], Settings(n_themes=2))
    theme = plain.themes[plain.themes["theme_id"] == plain.labels[central[0]]].iloc[0]
    assert {articles[i] for i in theme["representative"]} == {"op-ed"}


def test_paragraphs_outside_a_large_corpuss_theme_sample_are_placed_with_their_article():
    # 120 articles of three paragraphs on three themes, fitted on a sample of 100 paragraphs; in
    # five harbour articles one paragraph says more of missiles than of the harbour (its own
    # vector is nearer the missile theme, and like the harbour theme too).
    rng = np.random.default_rng(2)
    axes = np.eye(16, dtype=np.float32)
    texts, vectors, articles = [], [], []
    for theme, topic in enumerate(["harbour freight cranes", "missile radar launch", "ballots turnout polling"]):
        for article in range(40):
            for paragraph in range(3):
                mixed = theme == 0 and article < 5 and paragraph == 2
                texts.append(f"The {topic} story, part {article}.{paragraph}.")
                vectors.append(0.55 * axes[0] + 0.75 * axes[1] if mixed else axes[theme])
                articles.append(f"{topic}#{article}")
    vectors = np.asarray(vectors) + 0.1 * rng.normal(size=(len(vectors), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    mixed = [i for i, text in enumerate(texts) if text.startswith("The harbour") and text.endswith(".2.")][:5]

    def themes(discovery_context: float) -> tuple[np.ndarray, int]:
        settings = Settings(n_themes=3, theme_sample_size=100, outlier_threshold=0.3, discovery_context=discovery_context)
        result = fit_themes(texts, vectors, [], np.zeros((0, 16), np.float32), settings, articles=articles)
        harbour = int(np.bincount(result.labels[:120][result.labels[:120] >= 0]).argmax())
        return result.labels[mixed], harbour

    labels, harbour = themes(1.5)
    assert (labels == harbour).all()  # placed as discovery grouped the sample: with its article
    labels, harbour = themes(0.0)
    assert (labels != harbour).all()  # by its own vector alone, with the missiles


def test_article_scores_rank_themes_as_the_vectors_discovery_grouped_would():
    # (x + w.m).c = x.c + w.(m.c): a paragraph's own cosines plus its article's scores order the
    # grouping centres as its grouping vector does, without a second copy of every vector.
    rng = np.random.default_rng(7)
    X = rng.normal(size=(600, 12)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    articles = [f"a{i // 4}" for i in range(len(X))]  # 150 articles of four paragraphs
    model = ThemeModel(n_themes=5, random_state=0, discovery_context=1.5).fit(X, groups=articles)
    assert model.grouping_centroids_ is not None and len(model.grouping_centroids_) == model.n_discovered_
    scores = model.article_scores(X, articles)
    by_scores = (X.astype(np.float64) @ model.grouping_centroids_.T + scores).argmax(axis=1)
    by_vectors = (model.grouping_vectors(X, articles) @ model.grouping_centroids_.T).argmax(axis=1)
    assert (by_scores == by_vectors).mean() > 0.999
    # Articles of one paragraph each, or paragraphs alone, bring no scores.
    assert model.article_scores(X, [f"a{i}" for i in range(len(X))]) is None
    assert ThemeModel(n_themes=5, random_state=0).fit(X).article_scores(X, articles) is None


class _PhraseVectors:
    """An `embed_phrases` stand-in: given vectors for some phrases (others orthogonal to both
    themes), keeping what it was asked."""

    def __init__(self, known: dict[str, np.ndarray], dim: int):
        self.known, self.dim, self.asked, self.language_of = known, dim, [], {}

    def __call__(self, phrases, languages):
        self.asked.append((list(phrases), list(languages)))
        self.language_of.update(zip(phrases, languages, strict=True))
        out = np.zeros((len(phrases), self.dim))
        for row, phrase in enumerate(phrases):
            out[row] = self.known.get(phrase, np.eye(self.dim)[-1])
        return out


def test_a_label_phrase_is_ranked_by_its_own_meaning_when_the_model_can_embed_it():
    # "alpha" and "bravo" are in the same paragraphs of theme 0: as distinctive, and the mean
    # of the paragraphs using them is one vector. Embedded, "bravo" means the theme and "alpha"
    # does not (as "report" or "december" say nothing of a theme they fill).
    texts = ["alpha, bravo."] * 3 + ["charlie, delta."] * 3
    labels = np.array([0, 0, 0, 1, 1, 1])
    dim = 4
    vectors = np.repeat(np.eye(dim)[:2], 3, axis=0)
    assert theme_terms(texts, labels, vectors=vectors)[0] == ["alpha", "bravo"]  # a tie, by spelling
    embed = _PhraseVectors({"bravo": np.eye(dim)[0], "delta": np.eye(dim)[1]}, dim)
    terms = theme_terms(texts, labels, vectors=vectors, embed_phrases=embed)
    assert terms[0] == ["bravo", "alpha"] and terms[1] == ["delta", "charlie"]
    assert sorted(embed.asked[0][0]) == ["alpha", "bravo"]


def test_phrases_are_embedded_in_their_paragraphs_language_and_english_words_as_english():
    texts = ["Сеул и Токио, саммит.", "Сеул и Токио, саммит.", "Seoul, Tokyo summit.", "Seoul, Tokyo summit."]
    texts += ["Баскетбол и футбол, спорт."] * 2 + ["basketball, football, sport."] * 2
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    languages = ["ru", "ru", "en", "en"] * 2
    vectors = np.repeat(np.eye(4)[:2], 4, axis=0)
    embed = _PhraseVectors({}, 4)
    theme_terms(texts, labels, vectors=vectors, languages=languages, embed_phrases=embed)
    assert embed.language_of["сеул"] == "ru" and embed.language_of["tokyo summit"] == "en"
    # A Latin-script word inside paragraphs of another script is taken as English.
    latin_in_cyrillic = ["Сеул и Токио, NATO.", "Сеул и Токио, NATO.", "Спорт, футбол.", "Спорт, футбол."]
    embed = _PhraseVectors({}, 4)
    theme_terms(latin_in_cyrillic, np.array([0, 0, 1, 1]), vectors=np.repeat(np.eye(4)[:2], 2, axis=0),
                languages=["ru"] * 4, embed_phrases=embed)  # fmt: skip
    assert embed.language_of["nato"] == "en" and embed.language_of["сеул"] == "ru"


def test_a_word_and_its_plural_are_one_label():
    texts = [
        "The striker scored two goals and the goal of the season in the cup final.",
        "Another goal in the cup final: three goals for the striker this season.",
        "Goals decided the cup final, the goal in extra time above all.",
    ]
    terms = theme_terms(texts, [0, 0, 0], top_n=6)
    assert not {"goal", "goals"} <= set(terms[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 90),
    st.integers(1, 4),
    st.booleans(),
    st.integers(1, 6),
    st.integers(0, 2**16),
)
@pytest.mark.filterwarnings("error::sklearn.exceptions.ConvergenceWarning")
def test_discovery_takes_degenerate_vectors(rows, distinct, with_zeros, article_count, seed):
    """Vectors as a hostile or odd corpus makes them: a few copies of a few vectors (texts the
    model reads alike), zero vectors (the stand-in embedder's for text in other scripts), one
    article or many. The fit never fails and every paragraph has a theme or Other."""
    rng = np.random.default_rng(seed)
    atoms = rng.normal(size=(distinct, 8))
    if with_zeros:
        atoms[0] = 0.0
    X = atoms[rng.integers(0, distinct, rows)] + (rng.random() < 0.5) * 1e-6 * rng.normal(size=(rows, 8))
    X = (X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    articles = np.array([f"a{i}" for i in rng.integers(0, article_count, rows)], dtype=object)
    model = ThemeModel(random_state=seed % 7).fit(X, groups=articles)
    assert model.labels_.shape == (rows,)
    assert set(model.labels_.tolist()) <= {OTHER_ID, *range(model.n_discovered_)}
