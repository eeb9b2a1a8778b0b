"""The pipeline end to end with the stand-in embedder: fast, and exact about caching."""

import dataclasses
import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import (
    OTHER_ID,
    CorpusError,
    EmbeddingCache,
    HashingEmbedder,
    Pipeline,
    Settings,
    build_analysis,
    embed_with_cache,
    load_analysis,
    load_corpus,
    save_analysis,
    semantic_search,
)
from analysis.views import cosine_scores

from .conftest import SAMPLE

SETTINGS = Settings(themes_file=str(SAMPLE / "themes.toml"))


def test_one_folder_as_a_string_is_one_path(tmp_path):
    (tmp_path / "a.txt").write_text("Seoul and Tokyo met on Tuesday to talk about shipping lanes.\n")
    corpus = load_corpus(str(tmp_path))
    assert [doc.doc_id for doc in corpus.documents] == ["a.txt"]


def test_sample_build_with_stand_in(tmp_path):
    embedder = HashingEmbedder()
    corpus = load_corpus([SAMPLE / "corpus"])
    result = build_analysis(corpus, SETTINGS, embedder=embedder, cache_dir=tmp_path)
    paragraphs = result.paragraphs
    # The caption appears twice in the file (escaped and curly quotes): one paragraph remains,
    # and the dropped copy is recorded.
    captions = paragraphs[paragraphs["text"].str.startswith("The Rodong Sinmun, the official newspaper")]
    assert len(captions) == 1
    assert len(result.duplicates) == 1 and result.duplicates["similarity"].iloc[0] == 1.0
    # No navigation, date or tag line is a paragraph.
    for debris in [
        "Check Out Our Content",
        "Check Out Other Tags:",
        "Most Popular Articles",
        "Friday, December 5, 2025",
    ]:
        assert debris not in set(paragraphs["text"])
    assert not paragraphs["text"].str.startswith("NorthKorea").any()
    # Offsets point at the paragraph's span in the shipped file.
    for row in paragraphs.itertuples():
        raw = (SAMPLE / "corpus" / row.doc).read_text(encoding="utf-8")[row.start : row.end]
        assert row.text[:20].replace("'", "") in raw.replace("\\'", "'").replace("'", "")
    # Metadata: manifest first, then the text (bio line), then the file name.
    docs = result.documents.set_index("doc")
    taipei = docs.loc["003_3ce09a6e3fc36edf.txt"]
    assert (taipei["outlet"], taipei["outlet_from"]) == ("Taipei Times", "manifest")
    assert (taipei["date"], taipei["author"], taipei["author_from"]) == ("2024-06-16", "Jaewook Jung", "text")
    kinds = result.articles.groupby("doc")["kind"].apply(list).to_dict()
    assert kinds["000_6b2157e3909b2b42.txt"] == ["teaser", "teaser", "teaser", "article"]
    assert kinds["003_3ce09a6e3fc36edf.txt"] == ["article", "excerpt", "excerpt", "excerpt", "excerpt"]
    # A page with no title given is named by its main article's headline, not by a teaser's;
    # the teasers keep their own, and no untitled excerpt takes one read from the text.
    scraped = docs.loc["000_6b2157e3909b2b42.txt"]
    main = result.articles[(result.articles["doc"] == scraped.name) & (result.articles["kind"] == "article")]
    assert (scraped["title"], scraped["title_from"]) == (main["title"].iloc[0], "text") and scraped["title"]
    teasers = paragraphs[(paragraphs["doc"] == scraped.name) & (paragraphs["article"] < main["article"].iloc[0])]
    assert not (teasers["title"] == scraped["title"]).any()
    assert (taipei["title"], taipei["title_from"]) == ("", "")  # its one article has no headline
    assert set(paragraphs.loc[paragraphs["doc"] == taipei.name, "title"]) == {""}
    assert set(result.themes["theme"]) >= {"New Cold War", "Technology transfer", "South Korean strategy"}
    assert result.provenance.model_id == embedder.model_id


class RecordingEmbedder(HashingEmbedder):
    """The stand-in, keeping every text it was asked to embed (paragraphs, and the label
    phrases of themes not named before)."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts):
        self.texts += list(texts)
        return super().encode(texts)


def test_cache_embeds_only_new_paragraphs(tmp_path, derived_steps):
    computed = derived_steps
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for f in (SAMPLE / "corpus").glob("*.txt"):
        (corpus_dir / f.name).write_bytes(f.read_bytes())
    first = RecordingEmbedder()
    result = build_analysis(load_corpus([corpus_dir]), SETTINGS, embedder=first, cache_dir=tmp_path / "cache")
    assert first.encoded >= len(result.paragraphs)
    # Label phrases are embedded by the build's model (and cached: the next build embeds none).
    discovered = result.themes[~result.themes["seeded"] & (result.themes["theme_id"] != OTHER_ID)]
    keywords = {k for line in discovered["keywords"] for k in line.split(", ") if k}
    assert keywords and keywords <= set(first.texts)
    assert result.provenance.counts["embedded_now"] == len(result.paragraphs)
    assert sorted(computed) == ["claims", "layout", "prepare", "themes"]
    computed.clear()

    second = HashingEmbedder()
    again = build_analysis(load_corpus([corpus_dir]), SETTINGS, embedder=second, cache_dir=tmp_path / "cache")
    assert second.encoded == 0 and again.provenance.counts["embedded_now"] == 0
    # The prepared corpus, themes, layout, figures and sources come from the derived cache
    # (nothing is computed again), and are the same.
    assert computed == []
    assert (tmp_path / "cache" / "derived").is_dir()
    pd.testing.assert_frame_equal(again.paragraphs, result.paragraphs)
    pd.testing.assert_frame_equal(again.themes, result.themes)
    pd.testing.assert_frame_equal(again.figures, result.figures, check_dtype=False)
    pd.testing.assert_frame_equal(again.sources, result.sources, check_dtype=False)
    pd.testing.assert_frame_equal(again.citations, result.citations, check_dtype=False)

    (corpus_dir / "new.txt").write_text(
        "Pyongyang shipped another consignment of artillery shells to Moscow, officials said.\n\n"
        "The shipment was the largest since the start of the year, according to the ministry.\n"
    )
    third = RecordingEmbedder()
    grown = build_analysis(load_corpus([corpus_dir]), SETTINGS, embedder=third, cache_dir=tmp_path / "cache")
    assert grown.provenance.counts["embedded_now"] == 2
    # The two new paragraphs, and no earlier one, were embedded (with the phrases of any theme
    # the new paragraphs renamed).
    new_texts = set(grown.paragraphs["text"]) - set(result.paragraphs["text"])
    assert len(new_texts) == 2 and set(third.texts) & set(grown.paragraphs["text"]) == new_texts
    # A changed corpus is prepared and analysed again.
    assert sorted(computed) == ["claims", "layout", "prepare", "themes"]


def test_cache_returns_identical_vectors(tmp_path):
    embedder = HashingEmbedder()
    cache = EmbeddingCache(tmp_path, embedder.model_id)
    texts = ["alpha beta gamma", "delta epsilon", "alpha beta gamma"]
    cold, embedded = embed_with_cache(texts, embedder, cache)
    warm, again = embed_with_cache(texts, embedder, cache)
    assert (embedded, again) == (2, 0)
    assert np.array_equal(cold, warm) and np.array_equal(cold[0], cold[2])
    cache.compact()
    assert len(cache) == 2 and np.array_equal(embed_with_cache(texts, embedder, cache)[0], cold)


def test_build_folder_round_trip(tmp_path):
    result = build_analysis(load_corpus([SAMPLE / "corpus"]), SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path)
    out = save_analysis(result, tmp_path / "out")
    for name in ["paragraphs.csv", "themes.csv", "skipped.csv", "figures.csv", "build.json", "vectors.npy"]:
        assert (out / name).exists()
    # Each table once as Parquet; no other copy of the vectors or texts.
    for name in ["paragraphs", "themes", "documents", "articles", "duplicates", "removed", "skipped",
                 "figures", "sources", "citations", "texts"]:  # fmt: skip
        assert (out / f"{name}.parquet").is_file(), name
    assert not (out / "vectors.parquet").exists() and not (out / "texts.json").exists()
    # No half-written folder is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    columns = pd.read_csv(out / "paragraphs.csv").columns.tolist()
    for column in [
        "doc",
        "article",
        "paragraph",
        "outlet",
        "date",
        "title",
        "text",
        "lang",
        "theme",
        "theme_id",
        "x",
        "y",
        "start",
        "end",
    ]:
        assert column in columns
    assert pd.read_csv(out / "themes.csv").columns.tolist()[:5] == [
        "theme_id",
        "theme",
        "size",
        "keywords",
        "seeded",
    ]
    reopened = load_analysis(out)
    assert reopened.provenance == result.provenance
    assert reopened.paragraphs["pid"].tolist() == result.paragraphs["pid"].tolist()
    assert np.allclose(reopened.embeddings, result.embeddings, atol=1e-3)  # stored as float16
    assert reopened.themes["representative"].tolist() == result.themes["representative"].tolist()
    assert reopened.texts == result.texts
    # The dashboard leaves the documents' whole text unread; everything else is the same.
    lean = load_analysis(out, with_texts=False)
    assert lean.texts == {} and lean.paragraphs.equals(reopened.paragraphs)
    pd.testing.assert_frame_equal(reopened.figures, result.figures, check_dtype=False)
    assert (reopened.figures["kind"] == "flow").sum() == 2
    pd.testing.assert_frame_equal(reopened.sources, result.sources, check_dtype=False)
    pd.testing.assert_frame_equal(reopened.citations, result.citations, check_dtype=False)
    assert {"Lee Sung-yoon", "Rodong Sinmun", "Kremlin", "Sejong Institute"} <= set(
        reopened.sources["source"]
    )


def test_bad_files_are_listed_and_the_rest_loads(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (folder / "table.csv").write_text("id,headline_only\n1,Nothing here\n")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "good.txt").write_text(
        "Moscow and Pyongyang signed a new defence pact on Wednesday, state media reported.\n"
    )
    (folder / "copy.txt").write_bytes((folder / "good.txt").read_bytes())
    corpus = load_corpus([folder])
    reasons = {Path(s.path).name: s.reason for s in corpus.skipped}
    assert reasons["empty.txt"].startswith("empty")
    assert reasons["binary.txt"].startswith("binary")
    assert reasons["table.csv"].startswith("no text column")
    assert reasons["image.png"].startswith("unsupported type")
    assert reasons["good.txt"] == "duplicate of copy.txt"  # sorted order: copy.txt is read first
    result = build_analysis(corpus, Settings(), embedder=HashingEmbedder(), cache_dir=tmp_path / "c")
    assert len(result.paragraphs) == 1
    assert len(result.skipped) == len(corpus.skipped)


PREVIEW = (
    "Seoul Weighs a Quieter Line on Chip Exports\n\n"
    "South Korean officials are weighing new limits on the export of advanced chip-making tools, according to "
    "three people briefed on the talks in Seoul this week.\n\n"
    "The discussions, which began after a visit by trade negotiators from Washington, centre on whether older "
    "equipment should be covered as well, and on how long firms would have to adapt their supply chains before the rules\n"
)
SECOND_PREVIEW = (
    "Tokyo Revisits Its Rare Earth Stockpile\n\n"
    "Japanese planners have begun a review of the country's rare earth reserves after a year of sharp price swings, "
    "a ministry spokesman told reporters in Tokyo.\n\n"
    "The review will look at how many months of supply the reserves should cover and whether private firms should be "
    "asked to hold part of them under contracts that would run for\n"
)


def test_a_document_without_a_given_title_is_named_by_its_own_piece_only(tmp_path):
    (tmp_path / "preview.txt").write_text(PREVIEW, encoding="utf-8")
    (tmp_path / "digest.txt").write_text(PREVIEW + "\n" + SECOND_PREVIEW, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    result = build_analysis(corpus, Settings(), embedder=HashingEmbedder(), cache_dir=tmp_path / "c")
    kinds = result.articles.groupby("doc")["kind"].apply(list).to_dict()
    assert kinds == {"preview.txt": ["excerpt"], "digest.txt": ["excerpt", "excerpt"]}
    # A page's main article is themed whatever segmenting called it, a second piece beside it is
    # kept apart, and a piece whose paragraphs were all copies of another's is a duplicate. The
    # Corpus page shows it beside the kind, so that "excerpt" does not read as "left out".
    in_themes = result.articles.groupby("doc")["in_themes"].apply(sorted).to_dict()
    assert in_themes == {"preview.txt": ["duplicate"], "digest.txt": ["kept apart", "yes"]}
    assert load_analysis(save_analysis(result, tmp_path / "build")).articles["in_themes"].tolist() == (
        result.articles["in_themes"].tolist()
    )
    themed = build_analysis(corpus, Settings(teasers="themed"), embedder=HashingEmbedder(), cache_dir=tmp_path / "c")
    assert sorted(themed.articles["in_themes"]) == ["duplicate", "yes", "yes"]
    documents = result.documents.set_index("doc")
    # A page that is one piece's preview is named by it; a page of previews of two is named by neither.
    assert tuple(documents.loc["preview.txt", ["title", "title_from"]]) == (PREVIEW.split("\n")[0], "text")
    assert tuple(documents.loc["digest.txt", ["title", "title_from"]]) == ("", "")


def test_nothing_readable_is_a_clear_error(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CorpusError, match="no readable text"):
        build_analysis(load_corpus([tmp_path]), Settings(), embedder=HashingEmbedder(), cache_dir=tmp_path / "c")


def test_non_english_paragraphs_are_flagged_not_dropped(tmp_path):
    (tmp_path / "mixed.txt").write_text(
        "North Korea has supplied artillery shells and missiles to Russia, officials said on Monday.\n\n"
        "Der Bundeskanzler hat heute in Berlin eine lange Rede über die Sicherheitspolitik gehalten.\n",
        encoding="utf-8",
    )
    result = build_analysis(load_corpus([tmp_path]), Settings(), embedder=HashingEmbedder(), cache_dir=tmp_path / "c")
    assert result.paragraphs["lang"].tolist() == ["en", "de"]
    assert result.provenance.counts["non_english"] == 1


def test_uploads_are_read_like_files(tmp_path):
    uploads = [
        ("a.txt", b"Seoul and Tokyo agreed to share missile warning data in real time, officials said."),
        ("a.txt", b"Seoul and Tokyo agreed to share missile warning data in real time, officials said."),
        ("b.txt", b""),
    ]
    corpus = load_corpus(uploads=uploads)
    assert len(corpus.documents) == 1
    assert sorted(s.reason.split(" ")[0] for s in corpus.skipped) == ["duplicate", "empty"]


def test_vectors_are_saved_once_as_npy(tmp_path):
    result = build_analysis(load_corpus([SAMPLE / "corpus"]), SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path)
    out = save_analysis(result, tmp_path / "out")
    saved = np.load(out / "vectors.npy")
    assert saved.dtype == np.float16 and saved.shape == result.embeddings.shape
    assert saved.tobytes() == result.embeddings.astype(np.float16).tobytes()
    again = load_analysis(out)
    assert again.embeddings.dtype == np.float16
    assert again.embeddings.tobytes() == result.embeddings.astype(np.float16).tobytes()
    # Cosines within a thousandth of the build's own.
    query = result.embeddings[3]
    assert np.abs(cosine_scores(again.embeddings, query) - result.embeddings @ query).max() < 1e-3
    # Mapped from vectors.npy, not read: read-only, and searchable as it is.
    assert isinstance(again.embeddings, np.memmap) and not again.embeddings.flags.writeable
    rows, _ = semantic_search(result.embeddings[3], again.embeddings, None, top_k=1)
    assert list(rows) == [3]
    # Vectors that do not match the paragraphs, or none at all: a one-line error, not a crash.
    np.save(out / "vectors.npy", saved[:-1])
    with pytest.raises(CorpusError, match="vectors for"):
        load_analysis(out)
    (out / "vectors.npy").unlink()
    with pytest.raises(CorpusError, match=r"vectors\.npy is missing"):
        load_analysis(out)


def test_a_build_keeps_int8_codes_of_its_vectors_and_reopens_without_fitting_ones(tmp_path):
    from analysis.views import search_paragraphs

    result = build_analysis(load_corpus([SAMPLE / "corpus"]), SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path)
    out = save_analysis(result, tmp_path / "out")
    again = load_analysis(out)
    codes = again.vector_codes
    assert codes is not None and codes.codes.dtype == np.int8 and codes.codes.shape == again.embeddings.shape
    assert isinstance(codes.codes, np.memmap)  # mapped like the vectors, not read
    stored = np.asarray(again.embeddings, np.float32)
    assert (np.abs(stored - codes.codes * codes.scales) <= codes.scales / 2 + 1e-7).all()
    query = np.asarray(result.embeddings[3], np.float32)
    expected = search_paragraphs(query, again.embeddings, floor=0.1)
    assert list(search_paragraphs(query, again.embeddings, floor=0.1, codes=codes).rows) == list(expected.rows)
    # Codes that do not fit the vectors (cut short, another type, scales not finite) or none at
    # all (a build made before them): the build opens and is searched on its vectors. (Copied
    # and unmapped first: a mapped file rewritten in place would fault its reader.)
    codes = dataclasses.replace(codes, codes=np.array(codes.codes), scales=np.array(codes.scales))
    del again
    np.save(out / "vector_codes.npy", codes.codes[:-1])
    assert load_analysis(out).vector_codes is None
    np.save(out / "vector_codes.npy", codes.codes.astype(np.int16))
    assert load_analysis(out).vector_codes is None
    np.save(out / "vector_codes.npy", codes.codes)
    np.save(out / "vector_scales.npy", np.full_like(codes.scales, np.nan))
    assert load_analysis(out).vector_codes is None
    (out / "vector_scales.npy").write_bytes(b"not an array")
    assert load_analysis(out).vector_codes is None
    # A pipe in their place (a hostile folder) is not read: opening it would wait for a writer.
    (out / "vector_scales.npy").unlink()
    os.mkfifo(out / "vector_scales.npy")
    opened = []
    opening = threading.Thread(target=lambda: opened.append(load_analysis(out)), daemon=True)
    opening.start()
    opening.join(timeout=60)
    assert opened and opened[0].vector_codes is None
    (out / "vector_codes.npy").unlink()
    reopened = load_analysis(out)
    assert reopened.vector_codes is None and len(reopened.paragraphs) == len(result.paragraphs)


def test_tables_reopen_from_parquet_and_csv_copies_match(tmp_path):
    result = build_analysis(load_corpus([SAMPLE / "corpus"]), SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path)
    out = save_analysis(result, tmp_path / "out")
    names = ["documents", "figures", "citations"]
    assert all((out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file() for name in names)
    reopened = load_analysis(out)
    assert len(reopened.figures) == len(result.figures) > 0 and len(reopened.citations) > 0
    for name in names:
        pd.testing.assert_frame_equal(
            getattr(reopened, name).reset_index(drop=True),
            getattr(result, name).reset_index(drop=True),
            check_dtype=False,
            obj=name,
        )
        # The CSV copy for people holds the same rows and columns.
        copy = pd.read_csv(out / f"{name}.csv", keep_default_na=False)
        assert copy.columns.tolist() == getattr(reopened, name).columns.tolist(), name
        assert len(copy) == len(getattr(reopened, name)), name
    # The CSVs are never read back: without its Parquet file a build folder is incomplete.
    (out / "figures.parquet").unlink()
    with pytest.raises(CorpusError, match=r"figures\.parquet is missing"):
        load_analysis(out)


def test_pipeline_stages_give_the_build(tmp_path):
    """prepare, embed and analyse one at a time (as the dashboard runs them) give what run gives."""
    corpus = load_corpus([SAMPLE / "corpus"])
    pipeline = Pipeline(SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path / "cache")
    prepared = pipeline.prepare(corpus)
    vectors, embedded = pipeline.embed(prepared)
    assert embedded == len(prepared.paragraphs) and len(vectors) == embedded
    staged = pipeline.analyse(prepared, vectors, embedded)
    whole = build_analysis(corpus, SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path / "other")
    pd.testing.assert_frame_equal(staged.paragraphs, whole.paragraphs)
    pd.testing.assert_frame_equal(staged.themes, whole.themes)
    assert staged.provenance.replace(built_at="", timings={}) == whole.provenance.replace(
        built_at="", timings={}
    )
    # Fewer themes refit on the kept vectors: nothing is embedded again.
    fewer = Pipeline(SETTINGS.replace(n_themes=1), embedder=RecordingEmbedder(), cache_dir=tmp_path / "cache")
    refit = fewer.analyse(prepared, vectors)
    assert not set(fewer.embedder.texts) & set(prepared.paragraphs["text"])
    assert refit.provenance.discovered_themes <= 1 and refit.provenance.settings.n_themes == 1


def test_a_build_replaces_an_earlier_build_whole_and_refuses_other_folders(tmp_path):
    result = build_analysis(load_corpus([SAMPLE / "corpus"]), SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path)
    out = save_analysis(result, tmp_path / "out")
    (out / "left-over.csv").write_text("from an earlier build\n")
    mapped = load_analysis(out).embeddings  # the dashboard keeps the old vectors mapped
    save_analysis(result, out)
    assert not (out / "left-over.csv").exists()  # replaced whole, not written over
    assert np.array_equal(mapped, result.embeddings.astype(np.float16))  # the old mapping still reads its own file
    # A folder that holds anything but a build is never written into or removed.
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "notes.txt").write_text("mine\n")
    with pytest.raises(CorpusError, match="not a build folder"):
        save_analysis(result, papers)
    assert [p.name for p in papers.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"model_id": ["not", "text"]}, "model_id is not a short text"),
        ({"counts": {"paragraphs": "many"}}, "counts is not a table of numbers"),
        ({"settings": {"n_themes": -3}}, "n_themes must be at least 1"),
        ({"settings": "fast"}, "settings is not a JSON object"),
        ({"seed_themes": "none"}, "seed_themes is not a list of objects"),
    ],
)
def test_a_build_json_with_values_of_the_wrong_type_is_one_clear_error(tmp_path, change, reason):
    import json

    result = build_analysis(load_corpus([SAMPLE / "corpus"]), SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path)
    out = save_analysis(result, tmp_path / "out")
    values = json.loads((out / "build.json").read_text(encoding="utf-8"))
    (out / "build.json").write_text(json.dumps(values | change), encoding="utf-8")
    with pytest.raises(CorpusError, match=reason):
        load_analysis(out)


def test_a_private_corpus_leaves_no_derived_result_on_disk(tmp_path):
    """A visitor's uploads: derived results (which hold their text) are computed, never kept."""
    corpus = load_corpus([SAMPLE / "corpus"])
    private = Pipeline(SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path, keep_derived=False).run(corpus)
    assert not (tmp_path / "derived").exists()
    kept = Pipeline(SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path).run(corpus)
    assert (tmp_path / "derived").is_dir()
    assert private.paragraphs.equals(kept.paragraphs) and private.figures.equals(kept.figures)


@pytest.mark.parametrize("damaged", ["paragraphs.parquet", "vectors.npy", "themes.parquet"])
def test_a_damaged_file_in_a_build_folder_is_one_clear_error(tmp_path, damaged):
    result = build_analysis(load_corpus([SAMPLE / "corpus"]), SETTINGS, embedder=HashingEmbedder(), cache_dir=tmp_path)
    out = save_analysis(result, tmp_path / "out")
    (out / damaged).write_bytes(b"not what it should be")
    with pytest.raises(CorpusError, match=f"{damaged} in out cannot be read"):
        load_analysis(out)
