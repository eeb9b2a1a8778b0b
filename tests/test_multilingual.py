"""News in several languages: language tags, the model a corpus gets, per-language centring, and
a real build with the multilingual model (sentences written for these tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from analysis import (
    MULTILINGUAL_MODEL_ID,
    LanguageCentres,
    MultilingualE5Embedder,
    Pipeline,
    Settings,
    detect_languages,
    load_analysis,
    load_corpus,
    query_vector,
    save_analysis,
)
from analysis.embed import choose_model, multilingual_model_problem
from analysis.ingest import query_language, word_count
from analysis.settings import MODEL_ID

needs_model = pytest.mark.skipif(
    multilingual_model_problem() is not None, reason=str(multilingual_model_problem())
)

KOREAN = "북한은 러시아에 포탄과 미사일을 보냈다고 국방부가 밝혔다. 정부는 추가 제재를 검토하고 있다."
JAPANESE = "北朝鮮はロシアに砲弾とミサイルを送ったと国防省が明らかにした。政府は追加制裁を検討している。"
CHINESE = "韩国国防部表示,朝鲜向俄罗斯运送了炮弹和导弹。政府正在考虑追加制裁措施。"
RUSSIAN = "Министерство обороны сообщило, что Северная Корея отправила в Россию снаряды и ракеты."
UKRAINIAN = "Міністерство оборони повідомило, що Північна Корея відправила до Росії снаряди та ракети."
ENGLISH = "The defence ministry said North Korea had sent shells and missiles to Russia this year."


def test_each_language_is_told_by_its_writing_or_its_words():
    texts = [KOREAN, JAPANESE, CHINESE, RUSSIAN, UKRAINIAN, ENGLISH]
    assert detect_languages(texts) == ["ko", "ja", "zh", "ru", "uk", "en"]


def test_a_line_too_short_to_tell_takes_its_documents_language():
    texts = ["요약", KOREAN, "Details", ENGLISH, "AI要約", JAPANESE, "Фото"]
    documents = ["a", "a", "b", "b", "c", "c", "d"]
    assert detect_languages(texts, documents=documents) == ["ko", "ko", "en", "en", "ja", "ja", "en"]
    # Without its document, a short line takes the corpus's language.
    assert detect_languages(["요약"]) == ["en"]


def test_a_search_query_of_a_few_words_is_told_by_its_script():
    assert [query_language(q) for q in ["북한 포탄", "北朝鮮の弾薬", "朝鲜 弹药", "Снаряды КНДР", "arms to Russia"]] == [
        "ko", "ja", "zh", "ru", "en",
    ]  # fmt: skip


def test_words_are_counted_in_languages_written_without_spaces():
    assert word_count("Details") == 1
    assert word_count("热门新闻") == 2  # four characters, about two words
    assert word_count("北朝鮮はロシアに砲弾を送った") >= 4
    assert word_count("북한은 러시아에 포탄을 보냈다") == 4


def test_a_corpus_with_enough_text_in_other_languages_gets_the_multilingual_model():
    assert choose_model(["en"] * 99 + ["ko"]) == MODEL_ID  # a stray quotation
    assert choose_model(["en"] * 90 + ["ko"] * 10) == MULTILINGUAL_MODEL_ID
    assert choose_model(["und", "und"]) == MODEL_ID


def test_centring_removes_what_each_language_adds():
    rng = np.random.default_rng(0)
    subjects = rng.normal(size=(2, 16))
    language_offsets = {"en": rng.normal(size=16) * 3, "ko": rng.normal(size=16) * 3}
    rows, languages, subject_of = [], [], []
    for language, offset in language_offsets.items():
        for subject in (0, 1):
            for _ in range(20):
                rows.append(subjects[subject] + offset + 0.1 * rng.normal(size=16))
                languages.append(language)
                subject_of.append(subject)
    X = np.asarray(rows, dtype=np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    centres = LanguageCentres.fit(X, languages)
    Y = centres.apply(X, languages)
    english_shells, korean_shells, english_other = Y[0], Y[40], Y[20]
    # Raw, a Korean paragraph is nearer an English one on another subject; centred, nearer the
    # English one on its own subject.
    assert X[0] @ X[40] < X[0] @ X[20]
    assert english_shells @ korean_shells > english_shells @ english_other
    assert np.allclose(np.linalg.norm(Y, axis=1), 1.0, atol=1e-5)
    # Row by row: a row's result does not depend on the rows that come with it.
    assert np.array_equal(centres.apply(X[5:6], languages[5:6])[0], Y[5])
    # A round trip through build.json's form, and untrusted forms refused in one line.
    again = LanguageCentres.from_lists(json.loads(json.dumps(centres.to_lists())), dimensions=16)
    assert np.allclose(again.apply(X, languages), Y, atol=1e-5)
    for bad in ({"en": [1.0] * 16}, {"*": [float("nan")] * 16}, {"*": [1.0] * 16, "ko": "x"}, [1, 2]):
        with pytest.raises(ValueError):
            LanguageCentres.from_lists(bad)


@needs_model
def test_the_multilingual_model_gives_the_same_bytes_at_any_thread_count_batch_and_order():
    texts = [KOREAN, ENGLISH, RUSSIAN, JAPANESE]
    embedder = MultilingualE5Embedder()
    together = embedder.encode(texts)
    assert together.shape == (4, 384) and together.dtype == np.float32
    assert np.array_equal(together, np.concatenate([embedder.encode([t]) for t in texts]))
    assert np.array_equal(together, embedder.encode(texts[::-1])[::-1])
    # The package's batch call (how builds before one-text calls embedded): the same bytes, so
    # their cached vectors stay valid.
    assert np.array_equal(together, embedder.model.passage(texts))
    script = (
        "import sys, numpy as np; from analysis import MultilingualE5Embedder; "
        "sys.stdout.write(MultilingualE5Embedder().encode(sys.argv[1:]).tobytes().hex())"
    )
    for threads in ("1", "2"):
        env = {**os.environ, "OMP_NUM_THREADS": threads, "PYTHONPATH": os.getcwd()}
        out = subprocess.run(
            [sys.executable, "-c", script, *texts], env=env, capture_output=True, text=True, check=True
        ).stdout
        assert bytes.fromhex(out) == together.tobytes()
    # A translation sits nearer its original than another subject in the same language does.
    other = embedder.encode(["The bakery on the corner sells fresh bread and cakes every morning."])[0]
    assert together[0] @ together[1] > together[1] @ other


@needs_model
def test_a_paragraph_of_any_length_is_embedded_as_its_first_window():
    """The package would embed every 512-token window of a long text, in time proportional to
    its length: a paragraph of a million characters is read as the start that fits one."""
    embedder = MultilingualE5Embedder()
    model = embedder.model
    for unit in ("Shells went north by rail, the ministry said. ", "포탄이 철도로 북쪽에 보내졌다. ", "弹药经铁路运往北方。"):
        text = unit * (1_000_000 // len(unit))
        start = embedder._first_window(text, query=False)
        assert text.startswith(start) and model.token_count(start) <= 512 < model.token_count(text[: len(start) + 8])
        assert np.array_equal(embedder.encode([text]), embedder.encode([start]))
        query = embedder._first_window(text, query=True)
        assert model.token_count(query, True) <= 512 < model.token_count(text[: len(query) + 8], True)
    assert embedder._first_window(KOREAN, query=False) == KOREAN
    assert embedder.revision.endswith(" first-window")  # not the cache of the package's averaged windows


def _write_mixed_corpus(folder):
    """Two subjects (arms deliveries, a football match), each reported in English, Korean and
    Russian, three paragraphs an article."""
    articles = {
        "arms_en.txt": [
            "Pyongyang has sent Moscow millions of artillery rounds for its war in Ukraine, officials say.",
            "Containers of ammunition crossed the border by rail, according to satellite images of the port.",
            "In return Moscow is thought to be helping Pyongyang with missile and satellite technology.",
        ],
        "arms_ko.txt": [
            "북한이 우크라이나 전쟁을 위해 러시아에 포탄 수백만 발을 보냈다고 당국자들이 밝혔다.",
            "위성 사진에 따르면 탄약을 실은 컨테이너가 철도로 국경을 넘었다.",
            "그 대가로 러시아는 북한의 미사일과 위성 기술을 돕고 있는 것으로 보인다.",
        ],
        "arms_ru.txt": [
            "Северная Корея отправила в Россию миллионы артиллерийских снарядов для войны в Украине, сообщают чиновники.",
            "Контейнеры с боеприпасами пересекли границу по железной дороге, следует из спутниковых снимков порта.",
            "В ответ Москва, как считается, помогает Пхеньяну с ракетными и спутниковыми технологиями.",
        ],
        "football_en.txt": [
            "South Korea beat Japan two goals to one in a friendly football match played in Seoul on Sunday.",
            "The winning goal came from a header in the last minute after a long corner kick.",
            "The coach praised the young defenders and the crowd of fifty thousand supporters.",
        ],
        "football_ko.txt": [
            "한국은 일요일 서울에서 열린 친선 축구 경기에서 일본을 2대 1로 이겼다.",
            "결승골은 긴 코너킥 이후 마지막 순간에 헤딩으로 나왔다.",
            "감독은 젊은 수비수들과 오만 명의 관중을 칭찬했다.",
        ],
        "football_ru.txt": [
            "Южная Корея обыграла Японию со счётом два один в товарищеском футбольном матче в Сеуле в воскресенье.",
            "Победный гол был забит головой на последней минуте после углового удара.",
            "Тренер похвалил молодых защитников и пятьдесят тысяч болельщиков на трибунах.",
        ],
    }
    for name, paragraphs in articles.items():
        (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


@needs_model
def test_a_plain_build_of_a_mixed_corpus_themes_by_subject_and_searches_across_languages(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    _write_mixed_corpus(corpus_dir)
    settings = Settings(n_themes=2)  # model: auto
    result = Pipeline(settings, cache_dir=tmp_path / "cache").run(load_corpus(corpus_dir))
    provenance = result.provenance
    assert provenance.model_id == MULTILINGUAL_MODEL_ID and provenance.settings.model_id == MULTILINGUAL_MODEL_ID
    assert provenance.settings.outlier_threshold == 0.05  # the model's own, recorded
    paragraphs = result.paragraphs
    assert set(paragraphs["lang"]) == {"en", "ko", "ru"}
    # Each subject in all three languages is one theme, and the two subjects are two.
    subject = paragraphs["doc"].str.split("_").str[0]
    theme_of = paragraphs.groupby(subject)["theme_id"].agg(lambda s: s.value_counts().index[0])
    assert theme_of["arms"] != theme_of["football"]
    assert (paragraphs["theme_id"] == subject.map(theme_of)).mean() >= 0.8
    # An English query finds the Korean and Russian paragraphs on its subject before any on the
    # other subject; the centres survive the build folder.
    save_analysis(result, tmp_path / "build")
    again = load_analysis(tmp_path / "build")
    centres = LanguageCentres.from_lists(again.provenance.language_centres)
    vector = query_vector("artillery ammunition sent by train", MultilingualE5Embedder(), centres, "en")
    scores = again.embeddings @ vector
    best_football = scores[subject.to_numpy() == "football"].max()
    for language in ("ko", "ru"):
        arms = (subject == "arms").to_numpy() & (paragraphs["lang"] == language).to_numpy()
        assert scores[arms].max() > best_football


def test_the_aid_page_says_which_paragraphs_were_not_read_for_figures():
    import pandas as pd

    from analysis.views import unread_languages_note

    assert unread_languages_note(pd.DataFrame({"lang": ["en", "en"]})) == ""
    note = unread_languages_note(pd.DataFrame({"lang": ["en", "ko", "ko", "ru", "xx"]}))
    assert "4 paragraphs in other languages (Korean 2, Russian 1, xx 1)" in note
    # Every language the identifier knows by its name, not only this region's: "it 1" stood
    # beside "French 1".
    note = unread_languages_note(pd.DataFrame({"lang": ["it", "fr", "und", "nl"]}))
    assert "3 paragraphs in other languages (Italian 1, French 1, Dutch 1) and 1 paragraph whose language" in note
    # Paragraphs whose language was not told are not counted as a language.
    note = unread_languages_note(pd.DataFrame({"lang": ["en", "und", "und"]}))
    assert note.endswith(": 2 paragraphs whose language could not be told were not read for them.")
    assert unread_languages_note(pd.DataFrame({"lang": ["ko"]})).endswith("(Korean 1) was not read for them.")


def test_korean_chinese_and_japanese_are_split_into_content_words():
    from analysis.themes import content_runs

    korean = [word for run in content_runs(KOREAN, "ko") for word in run]
    assert {"북한", "러시아", "포탄", "미사일"} <= set(korean)
    assert not any(word.endswith(("은", "에", "을")) for word in korean)  # no particle attached
    chinese = [word for run in content_runs(CHINESE, "zh") for word in run]
    assert {"朝鲜", "俄罗斯", "炮弹", "导弹"} <= set(chinese)
    japanese = [word for run in content_runs(JAPANESE, "ja") for word in run]
    assert {"北朝鮮", "ロシア", "砲弾", "ミサイル", "国防省"} <= set(japanese)


def test_a_themes_label_is_in_words_an_english_reader_can_use_when_it_has_them():
    from analysis import theme_terms
    from analysis.themes import content_runs

    texts = [
        KOREAN, KOREAN.replace("미사일", "드론"), ENGLISH,
        "Officials said artillery shells and missiles crossed the border by rail.",
        "Artillery shells and missiles for Russia were loaded at the port, officials said.",
        "The football match in Seoul ended with a late goal.", "The football match drew a large crowd in Seoul.",
    ]  # fmt: skip
    languages = ["ko", "ko", "en", "en", "en", "en", "en"]
    terms = theme_terms(texts, [0, 0, 0, 0, 0, 1, 1], top_n=6, languages=languages)
    assert all(any("a" <= c <= "z" for c in phrase) for phrase in terms[0][:3]), terms[0]
    # Korean words are kept among its keywords, as words without their particles.
    korean = [phrase for phrase in terms[0] if not any("a" <= c <= "z" for c in phrase)]
    runs = content_runs(texts[0] + " " + texts[1], "ko")
    words = {" ".join(run[i : i + n]) for run in runs for n in (1, 2, 3) for i in range(len(run) - n + 1)}
    assert korean and set(korean) <= words, korean


def test_english_words_inside_korean_text_and_each_languages_function_words_make_no_keyword():
    from analysis import theme_terms

    korean = [
        "한미일 정상은 Spirit of Camp David 원칙을 재확인했다. 북한은 152mm 포탄을 보냈다.",
        "정상들은 Spirit of Camp David 정신을 강조했다. 러시아는 152mm 포탄을 받았다.",
    ]
    # "что" (that) and "для" (for) are in every sentence; the subject is the grain corridor.
    russian = [
        "Министр заявил, что зерновой коридор нужен для экспорта пшеницы.",
        "Эксперты считают, что зерновой коридор важен для рынка пшеницы.",
        "Трейдеры говорят, что зерновой коридор открыт для судов с пшеницей.",
    ]
    texts = [*korean, *russian]
    terms = theme_terms(texts, [0, 0, 1, 1, 1], top_n=10, languages=["ko", "ko", "ru", "ru", "ru"])
    assert "camp david" in terms[0] or "spirit" in terms[0], terms[0]
    assert not any(phrase.split()[0] in ("of", "mm") or phrase == "mm" for phrase in terms[0]), terms[0]
    assert "зерновой коридор" in terms[1], terms[1]
    assert not {"что", "для"} & {word for phrase in terms[1] for word in phrase.split()}, terms[1]


def test_a_theme_with_paragraphs_in_english_is_named_in_english():
    from analysis import theme_terms

    # Korean paragraphs, the most, and English ones on the same subject: the name an English
    # reader can use comes from the English phrases, though the Korean ones rank first.
    korean = [f"북한 포탄 러시아 철도 국경 {word} 수송이 이어졌다." for word in ("화물", "열차", "창고", "항구", "선박", "트럭")]
    english = [
        "Artillery shells crossed the border by rail, officials said.",
        "More artillery shells crossed the border by rail this week.",
    ]
    football = ["The football match in Busan drew a large crowd.", "The football match ended with a late goal."]
    texts = [*korean, *english, *football]
    labels = [0] * 8 + [1, 1]
    languages = ["ko"] * 6 + ["en"] * 4
    name = theme_terms(texts, labels, top_n=3, languages=languages)[0]
    assert all(any("a" <= c <= "z" for c in phrase) for phrase in name), name
    # Without paragraphs in English (under a tenth of the theme), its name stays in its words.
    korean_only = theme_terms(texts[:6] + football, [0] * 6 + [1, 1], top_n=3, languages=["ko"] * 6 + ["en"] * 2)[0]
    assert not any(any("a" <= c <= "z" for c in phrase) for phrase in korean_only), korean_only


@needs_model
def test_a_theme_seeded_in_english_takes_its_subject_in_every_language(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    _write_mixed_corpus(corpus_dir)
    themes_file = tmp_path / "themes.toml"
    themes_file.write_text(
        '[[theme]]\nname = "Arms deliveries"\n'
        'description = "Artillery shells, ammunition and missiles shipped to Russia for the war"\n',
        encoding="utf-8",
    )
    settings = Settings(themes_file=str(themes_file), n_themes=1)
    result = Pipeline(settings, cache_dir=tmp_path / "cache").run(load_corpus(corpus_dir))
    paragraphs = result.paragraphs
    seeded = paragraphs[paragraphs["theme_id"] == 0]
    assert set(seeded["lang"]) == {"en", "ko", "ru"}
    assert (seeded["doc"].str.startswith("arms")).mean() >= 0.8


def test_a_themes_languages_are_named_with_their_shares():
    import pandas as pd

    from analysis.views import language_mix, theme_languages

    assert language_mix(pd.Series(["en", "ko", "en", "ru", "en"])) == "English 60%, Korean 20%, Russian 20%"
    paragraphs = pd.DataFrame({"lang": ["en", "ko", "ko", "en"], "theme_id": [0, 0, 0, 1]})
    assert theme_languages(paragraphs, 0) == "Korean 67%, English 33%"
    assert theme_languages(paragraphs, 2) == ""  # a seeded theme no paragraph joined
    assert theme_languages(paragraphs.assign(lang="en"), 0) == ""  # a corpus in one language
    # A language too rare for a whole percent is counted, not written "0%" beside "100%".
    mostly_english = pd.Series(["en"] * 997 + ["it", "it", "und"])
    assert language_mix(mostly_english) == "English >99%, Italian: 2 paragraphs, unknown: 1 paragraph"


def test_a_broad_theme_is_named_in_words_as_its_themes_are():
    from analysis.themes import broad_theme_names, content_runs

    texts = [KOREAN, KOREAN.replace("미사일", "드론"), KOREAN.replace("포탄", "식량"), KOREAN.replace("러시아", "중국")]
    languages = ["ko"] * 4
    labels = np.array([0, 0, 1, 1])
    vectors = np.eye(4, dtype=np.float32)
    name = broad_theme_names(texts, vectors, labels, {0: 0, 1: 0}, {0: "a", 1: "b"}, languages=languages)[0]
    words = {word for text in texts for run in content_runs(text, "ko") for word in run}
    assert name and all(set(part.split()) <= words for part in name.split(" / ")), name
