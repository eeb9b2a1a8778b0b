from analysis import detect_languages, find_duplicates


def test_exact_copy_with_other_quotes_is_a_duplicate():
    texts = [
        "The Rodong Sinmun reported on North Korea\u2019s parade at Kim Il Sung Square / Rodong Sinmun",
        "Something else entirely about trade talks in Geneva between the delegations.",
        "The Rodong Sinmun reported on North Korea's parade at Kim Il Sung Square / Rodong Sinmun",
    ]
    dups = find_duplicates(texts)
    assert [(d.index, d.kept, d.similarity) for d in dups] == [(2, 0, 1.0)]


def test_near_duplicate_found_and_distinct_paragraphs_kept():
    base = (
        "Negotiators from both countries met in Geneva on Tuesday to discuss a ceasefire along the "
        "front line, and said they would meet again next week to continue the talks."
    )
    near = base.replace("Tuesday", "Wednesday")
    other = "The central bank raised interest rates by half a point to curb inflation, its governor said."
    dups = find_duplicates([base, other, near], threshold=0.8)
    assert len(dups) == 1 and dups[0].index == 2 and dups[0].kept == 0 and 0.8 <= dups[0].similarity < 1.0
    assert find_duplicates([base, other]) == []


def test_languages_flagged():
    langs = detect_languages(
        [
            "North Korea has provided ammunition and missiles to Russia, the report said on Monday.",
            "Der Bundeskanzler hat heute in Berlin eine lange Rede über die Sicherheitspolitik gehalten.",
            "北朝鮮はロシアに大量の弾薬とミサイルを提供したと報告書は伝えている。北朝鮮はロシアに大量の弾薬を提供した。",
            "Xi Jinping (習近平) pursues stability on the Korean Peninsula and the one China principle.",
            "Short line",
        ]
    )
    assert langs == ["en", "de", "ja", "en", "en"]
