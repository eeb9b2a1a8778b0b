"""Cleaning and article/paragraph segmentation: general rules on small made-up pages."""

import pytest

from analysis import clean_text, segment_document
from analysis.ingest import is_byline_line

BODY = "Shipping resumed on Monday at three major ports after a week of closures, officials said."
MORE = "Both delegations described the talks as constructive but said major gaps remained."


def _segment(*lines: str):
    """segment_document of the lines as paragraphs of one file."""
    return segment_document("page.txt", "\n\n".join(lines) + "\n")


def _removed(result) -> dict[str, str]:
    return {r.text: r.reason for r in result.removed}


def _paragraphs(result) -> list[str]:
    return [p.text for a in result.articles for p in a.paragraphs]


def test_clean_text_unescapes_and_normalises():
    assert clean_text('North Korea\\\'s \\"party\\"') == 'North Korea\'s "party"'
    assert clean_text("AT&amp;T &#8217;s\u00a0 deal\u200b  now ") == "AT&T ’s deal now"


def test_date_lines():
    for line in ["Friday, December 5, 2025", "2024-06-16", "Updated: Dec. 5, 2025 10:31 AM", "5 June 2024"]:
        result = _segment(line, BODY)
        assert _removed(result).get(line) == "date line", line
        assert _paragraphs(result) == [BODY], line
    assert _segment("Friday, December 5, 2025", BODY).page_date == "2025-12-05"
    for line in ["The 27 letters", "May the talks succeed in 2025 and beyond, officials said today"]:
        result = _segment(BODY, line, MORE)
        assert _removed(result).get(line) != "date line", line
        assert result.page_date == "", line


def test_a_korean_pages_posted_and_modified_stamps_are_date_lines():
    # Korean pages stamp an article "posted ... modified ..." (입력 / 수정) or "approved" (기사승인):
    # left in, such lines were paragraphs and joined a theme.
    for line in ["입력 | 2025-10-02 09:15 수정 | 2025-10-03 18:40", "기사승인 2025-10-03 08:05:00", "입력 2025.10.02. 오후 3:20"]:
        result = _segment(line, BODY)
        assert _removed(result).get(line) == "date line", line
        assert _paragraphs(result) == [BODY], line
        assert result.page_date == ("2025-10-02" if "입력" in line else "2025-10-03"), line
    for line in ["수정 2024 예산안이 국회를 통과했다는 소식이 전해졌다.", "Published 2023 figures show exports rose 5%."]:
        assert _removed(_segment(BODY, line, MORE)).get(line) != "date line", line


def test_widget_and_title_lines():
    for line in [
        "Check Out Our Content",
        "Most Popular Articles",
        "Check Out Other Tags:",
        "Share this article",
        "Advertisement",
    ]:
        result = _segment(BODY, line, MORE)
        assert _removed(result).get(line) == "navigation or widget", line
        assert _paragraphs(result) == [BODY, MORE], line
    popular = "Popular anger grew in Seoul as the talks with Pyongyang collapsed again last week."
    assert _paragraphs(_segment(BODY, popular, MORE)) == [BODY, popular, MORE]
    # A title-like line before body text opens an article; a sentence does not.
    title = "How to Prevent Gum Disease During Seasonal Shifts"
    titled = _segment(BODY, title, MORE)
    assert [a.title for a in titled.articles] == ["", title] and _paragraphs(titled) == [BODY, MORE]
    sentence = "Seasonal changes can weaken immunity, increasing oral health risks."
    untitled = _segment(BODY, sentence, MORE)
    assert [a.title for a in untitled.articles] == [""] and _paragraphs(untitled) == [BODY, sentence, MORE]


def test_glued_tags_and_bio():
    glued = _segment("NorthKoreaThe Evil Axis: How Rivals Align", BODY, MORE)
    assert [a.title for a in glued.articles] == ["The Evil Axis: How Rivals Align"]
    assert _removed(glued) == {"NorthKorea": "tag words glued to title"}
    plain = _segment("YouTube Bans Channels", BODY, MORE)
    assert [a.title for a in plain.articles] == ["YouTube Bans Channels"] and _removed(plain) == {}
    bio = "Jane Q. Doe is a senior fellow at the Example Institute."
    with_bio = _segment(BODY, MORE, bio)
    assert [a.author for a in with_bio.articles] == ["Jane Q. Doe"]
    assert _removed(with_bio) == {bio: "author bio"} and _paragraphs(with_bio) == [BODY, MORE]
    fact = "Russia is a member of the UN Security Council and has a veto."
    no_bio = _segment(BODY, MORE, fact)
    assert [a.author for a in no_bio.articles] == [""] and _paragraphs(no_bio) == [BODY, MORE, fact]


PAGE = """Monday, March 3, 2025

Ports Reopen After Storm

Shipping resumed on Monday at three major ports after a week of closures, officials said.

Markets Rally on Trade Hopes

Stocks rose sharply as negotiators signalled progress in the long-running trade talks.

The Long Road to Peace

TagsThe Long Road to Peace
Negotiators met again in Geneva on Tuesday to discuss a ceasefire along the front line.

Both delegations described the talks as constructive but said major gaps remained.

John Smith is a correspondent based in Geneva.
The government announced a sweeping plan to overhaul the pension system on Friday, raising the retirement age by two years over the next decade, which critics and unions say would
Share this article

Most Popular Articles
"""


def test_page_is_split_into_articles_with_debris_removed():
    result = segment_document("page.txt", PAGE)
    assert result.page_date == "2025-03-03"
    titles = [a.title for a in result.articles]
    assert titles[:3] == [
        "Ports Reopen After Storm",
        "Markets Rally on Trade Hopes",
        "The Long Road to Peace",
    ]
    kinds = [a.kind for a in result.articles]
    assert kinds == ["teaser", "teaser", "article", "excerpt"]
    peace = result.articles[2]
    assert peace.author == "John Smith" and len(peace.paragraphs) == 2
    texts = [p.text for a in result.articles for p in a.paragraphs]
    for debris in [
        "Share this article",
        "Most Popular Articles",
        "Monday, March 3, 2025",
        "TagsThe Long Road to Peace",
    ]:
        assert all(debris not in t for t in texts)
    reasons = {r.reason for r in result.removed}
    assert {
        "date line",
        "navigation or widget",
        "tag words glued to title",
        "repeated title",
        "author bio",
    } <= reasons


def test_offsets_point_into_the_original_text():
    result = segment_document("page.txt", PAGE)
    for article in result.articles:
        for p in article.paragraphs:
            assert clean_text(PAGE[p.start : p.end].replace("\n", " ")) == p.text


def test_hard_wrapped_text_is_joined_into_paragraphs():
    text = (
        "The committee met on Thursday to review the draft budget for the coming year and\n"
        "agreed to postpone the vote until the finance ministry had published its forecast.\n"
        "\n"
        "Several members said the delay would cost the government credibility with lenders\n"
        "who had expected a decision before the end of the month, according to the minutes.\n"
        "\n"
        "A final vote is now expected in the second week of next month at the earliest, the\n"
        "chair of the committee told reporters after the session ended late in the evening.\n"
        "\n"
        "Opposition parties called the postponement a sign that the coalition was divided.\n"
    )
    result = segment_document("wrapped.txt", text)
    paragraphs = [p for a in result.articles for p in a.paragraphs]
    assert len(paragraphs) == 4
    assert paragraphs[0].text.startswith("The committee met") and paragraphs[0].text.endswith("its forecast.")


def test_markdown_heading_is_a_title():
    result = segment_document(
        "note.md",
        "# Sanctions Update\n\nThe council extended the sanctions regime for another year on Friday.\n",
    )
    assert result.articles[0].title == "Sanctions Update"
    assert result.articles[0].paragraphs[0].text.startswith("The council")


def test_a_lost_full_stop_does_not_end_the_article():
    cut = "Officials in both capitals confirmed that the convoy had crossed the border overnight " * 2
    result = _segment("Convoy Crosses Border Overnight", BODY, cut.strip(), MORE)
    assert [a.kind for a in result.articles] == ["article"] and len(_paragraphs(result)) == 3
    # Cut off and followed by the next piece's headline: an excerpt, as before.
    teasers = _segment("Convoy Crosses Border Overnight", cut.strip(), "Talks Resume In Geneva", MORE)
    assert [a.kind for a in teasers.articles] == ["excerpt", "teaser"]


def test_links_to_other_articles_and_photo_captions_are_not_headlines():
    result = _segment(
        "Convoy Crosses Border Overnight",
        BODY,
        "Read more: Talks Resume In Geneva As Both Sides Trade Prisoners And Accusations",
        "Armoured Trucks At The Crossing",
        "Armoured trucks at the crossing, March 2025 / Open source photo",
        MORE,
    )
    assert len(result.articles) == 1
    assert _removed(result)["Read more: Talks Resume In Geneva As Both Sides Trade Prisoners And Accusations"] == (
        "link to another article"
    )


@pytest.mark.parametrize(
    "byline",
    [
        "By Jane Doe",
        "By Harbourtimes Published : Mar. 4, 2025 - 10:20",
        "Min-jun Park, Staff Reporter",
        "Updated 09:14 KST",
        "Write: 2025-03-04 10:20:00Update: 2025-03-04 11:02:13",
    ],
)
def test_a_byline_under_a_sentence_case_headline_is_neither_a_title_nor_a_paragraph(byline):
    text = (
        "Ferry service resumes between the two ports after a week\n\n"
        f"{byline}\n\n"
        "The ferry operator said on Tuesday that daily crossings would resume next week, after storms "
        "closed both harbours for seven days and stranded hundreds of travellers.\n\n"
        "Officials expect the first sailings to be full, and extra crossings are planned for the weekend."
    )
    result = segment_document("ferry.txt", text)
    assert [a.title for a in result.articles] == ["Ferry service resumes between the two ports after a week"]
    assert [len(a.paragraphs) for a in result.articles] == [2]
    assert [(r.text, r.reason) for r in result.removed] == [(byline, "byline")]


@pytest.mark.parametrize(
    "line",
    [
        "By 2030, the harbour could handle twice as many ships as it does today.",
        "By the end of 2024 the operator had published three reports on the crossings.",
        "By Land and Sea: How the Islands Get Their Food",
        "Published 2023 figures show that ferry crossings rose by a fifth.",
    ],
)
def test_a_sentence_or_headline_opening_with_by_is_no_byline(line):
    assert not is_byline_line(line)


@pytest.mark.parametrize(
    "between",
    [
        ("A ferry in the harbour", "A ferry in the harbour"),  # a picture's alternative text, then its caption
        ("Ferries ferry_harbour_2025-03-04_1.jpg",),  # a picture's file name
        ("Docked ferries / Harbour Authority photo",),  # a caption with its credit
        # Under a page's first line, a few short lines that are no headline:
        ("2025-03-04 09:15 게재",),  # a date line in another language, which is not read as one
        ("Ferry operators welcome the decision",),  # a standfirst: short, and no headline
        ("Listen", "두 항구 여객선 재개"),  # a widget's label (removed), then a short standfirst
    ],
)
def test_a_headline_above_a_picture_or_a_few_short_lines_is_the_articles_title(between):
    headline = "Ferry Service Resumes Between The Two Ports"
    result = _segment(headline, *between, BODY, MORE)
    assert [a.title for a in result.articles] == [headline]
    assert _paragraphs(result)[-2:] == [BODY, MORE]


def test_a_headline_given_twice_is_still_a_headline_not_a_picture():
    result = _segment("Global desk", "Ferry Service Resumes Between The Two Ports", "Ferry Service Resumes Between The Two Ports", BODY)
    assert result.articles[-1].title == "Ferry Service Resumes Between The Two Ports"
    assert _removed(result)["Ferry Service Resumes Between The Two Ports"] == "repeated title"


def test_a_date_stamp_glued_to_a_line_is_the_pages_date_and_the_rest_is_read():
    text = f" date 2025-03-04 Ferry Service Resumes Between The Two Ports\n\ndate 2025-03-04 {BODY}\n\n{MORE}\n"
    result = segment_document("page.txt", text)
    assert result.page_date == "2025-03-04"
    assert [a.title for a in result.articles] == ["Ferry Service Resumes Between The Two Ports"]
    assert _paragraphs(result) == [BODY, MORE]
    assert [(r.text, r.reason) for r in result.removed] == [("date 2025-03-04", "date line")] * 2
    first = result.articles[0].paragraphs[0]
    assert text[first.start : first.end] == BODY
    # A stamp of a month alone is removed too, and dates no page.
    month = _segment("date 2025-03 Ferry Service Resumes Between The Two Ports", BODY)
    assert [a.title for a in month.articles] == ["Ferry Service Resumes Between The Two Ports"]
    assert _removed(month) == {"date 2025-03": "date line"} and month.page_date == ""
    # A date in running text is no stamp.
    assert _paragraphs(_segment("The update dated 2025-03-04 was the first.", MORE))[0] == "The update dated 2025-03-04 was the first."


def test_a_date_line_may_carry_its_time_zone():
    result = _segment("4 March 2025 10:20 (UTC+09:00)", BODY)
    assert _removed(result) == {"4 March 2025 10:20 (UTC+09:00)": "date line"}


@pytest.mark.parametrize(
    "credit",
    [
        "Photo: Harbour Times",
        "Photo : Harbour Authority",
        "Photo by Jane Doe",
        "(Image courtesy of the ministry)",
        "Фото: пресс-служба",
        "사진=하버타임스",
        "Harbour Press/Getty Images",
        "HTA / Pool",
    ],
)
def test_a_picture_credit_is_neither_a_title_nor_a_paragraph(credit):
    headline = "Ferry Service Resumes Between The Two Ports"
    result = _segment(credit, BODY, MORE)
    assert [a.title for a in result.articles] == [""]
    assert _paragraphs(result) == [BODY, MORE]
    assert _removed(result) == {credit: "picture credit"}
    under_headline = _segment(headline, credit, BODY, MORE)
    assert [a.title for a in under_headline.articles] == [headline]
    assert _paragraphs(under_headline) == [BODY, MORE]


def test_a_caption_opening_as_a_credit_stays_a_caption_and_is_no_headline():
    caption = "FILE PHOTO: Ferry Operators And Harbour Officials Meet At The Port Authority In March"
    result = _segment(caption, BODY, MORE)
    assert [a.title for a in result.articles] == [""]
    first = result.articles[0].paragraphs[0]
    assert (first.text, first.role) == (caption, "caption")
    # Words that only start like a credit are not one.
    assert _segment("Photographers Return To The Harbour", BODY).articles[0].title == "Photographers Return To The Harbour"


def test_a_copyright_line_is_removed():
    assert _removed(_segment(BODY, "(c)2025 Harbour Times Ltd.")) == {"(c)2025 Harbour Times Ltd.": "navigation or widget"}
    assert _removed(_segment(BODY, "(C) 2025 Harbour Times")) == {"(C) 2025 Harbour Times": "navigation or widget"}


def test_a_line_that_is_only_a_web_address_is_removed_and_a_sentence_with_one_is_kept():
    address = "Original story: https://example.org/news/ferries-2025"
    sentence = "The operator posted its timetable at https://example.org/ferries on Monday, officials said."
    result = _segment(BODY, address, sentence, "www.example.org/ferries")
    assert _paragraphs(result) == [BODY, sentence]
    assert _removed(result) == {address: "web address", "www.example.org/ferries": "web address"}


def test_an_author_box_is_neither_a_headline_nor_content_and_names_the_author():
    bio = "Jane Doe is a senior fellow at the Harbour Institute and writes on shipping."
    result = _segment("Ferry Service Resumes Between The Two Ports", BODY, MORE, "About the Author", "Jane Doe", bio)
    assert [(a.title, a.author, a.bio) for a in result.articles] == [
        ("Ferry Service Resumes Between The Two Ports", "Jane Doe", bio)
    ]
    assert _paragraphs(result) == [BODY, MORE]
    assert _removed(result) == {"About the Author": "navigation or widget", "Jane Doe": "byline", bio: "author bio"}
    # Alone on a page, the box is still no article.
    alone = _segment("About the Author", "Jane Doe", bio)
    assert alone.articles == [] and _removed(alone)["Jane Doe"] == "byline"


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        ("港口渡轮服务恢复运营", "港口管理局周二表示,由于风暴关闭了一周的两个港口将于下周恢复每日渡轮服务,数百名旅客滞留。"),
        ("港のフェリーが運航を再開", "港湾当局は火曜日、嵐で一週間閉鎖されていた二つの港で来週から毎日のフェリー運航を再開すると発表した。"),
        ("두 항구 사이 여객선 운항 재개", "항만 당국은 화요일 폭풍으로 일주일 동안 닫혔던 두 항구의 여객선이 다음 주부터 매일 다시 운항한다고 밝혔다."),
    ],
)
def test_a_headline_in_a_script_without_capitals_is_the_articles_title(headline, body):
    result = _segment(headline, body, body.replace("下周", "周末").replace("来週", "週末").replace("다음 주", "주말"))
    assert [a.title for a in result.articles] == [headline]
    assert len(_paragraphs(result)) == 2 and result.articles[0].kind == "article"


def test_a_caption_ending_in_a_bracketed_credit_is_no_headline():
    caption = "港口的渡轮(圖/港口时报)"
    result = _segment(caption, "港口管理局周二表示,由于风暴关闭了一周的两个港口将于下周恢复每日渡轮服务,数百名旅客滞留。")
    assert [a.title for a in result.articles] == [""]
    assert result.articles[0].paragraphs[0].role == "caption"


def test_a_breadcrumb_trail_is_navigation_and_a_sentence_with_an_arrow_is_kept():
    trail = "News ❯Politics ❯Defense Policy ❯East Asia"
    sentence = "Freight rates > 40% above last year were reported at two ports, officials said."
    # Above the body, with no headline between them, it would have been taken for the title.
    result = _segment(trail, BODY, sentence)
    assert [a.title for a in result.articles] == [""]
    assert _paragraphs(result) == [BODY, sentence]
    assert _removed(result) == {trail: "navigation or widget"}
    assert _removed(_segment(BODY, "Home › World › Asia")) == {"Home › World › Asia": "navigation or widget"}
    assert _removed(_segment(BODY, "Home > World > Asia")) == {"Home > World > Asia": "navigation or widget"}
    # A change written with arrows is content.
    change = "<Scope> Coastal patrols → the whole northern sea"
    assert _paragraphs(_segment(BODY, change, MORE)) == [BODY, change, MORE]


def test_a_call_to_action_link_is_no_title():
    result = _segment("Learn more", BODY, MORE)
    assert [a.title for a in result.articles] == [""]
    assert _removed(result) == {"Learn more": "navigation or widget"}
    assert _removed(_segment(BODY, "Continue reading")) == {"Continue reading": "navigation or widget"}


def test_a_list_of_links_under_a_related_heading_is_removed_and_a_list_in_the_text_is_kept():
    links = ["- Officials: Ferry fares to double by spring", "- Harbour strike enters its third week"]
    result = _segment("Ferry Service Resumes Between The Two Ports", BODY, MORE, "Related:", *links)
    assert [a.title for a in result.articles] == ["Ferry Service Resumes Between The Two Ports"]
    assert _paragraphs(result) == [BODY, MORE]
    assert _removed(result) == {"Related:": "navigation or widget", **dict.fromkeys(links, "link to another article")}
    # Numbered, under "Most read"; the list ends where the page goes on.
    ranked = ["1. Ferry fares to double by spring", "2. Harbour strike enters its third week"]
    result = _segment(BODY, "Most read", *ranked, MORE)
    assert _paragraphs(result) == [BODY, MORE]
    # A list the article itself makes, under a heading of its own, stays.
    items = ["- two new berths at the northern pier", "- a second ferry on the night crossing"]
    result = _segment("Ferry Service Resumes Between The Two Ports", BODY, "The plan includes:", *items)
    assert all(item in _paragraphs(result) for item in items)


def test_only_a_pages_first_line_looks_past_short_lines_for_its_body():
    # Further down, a heading over a short line and a body is a widget's heading (a list of
    # links follows as often as a story), as before.
    result = _segment(BODY, "Around The Region", "In brief today", MORE)
    assert [a.title for a in result.articles] == [""]
    assert _removed(result).get("Around The Region") == "navigation or widget"
    # Under three short lines the first line is not taken for a headline.
    lines = ["Ferry Service Resumes Between The Two Ports", "Ferry operators welcome it", "Two ports", "Fares unchanged", BODY]
    assert [a.title for a in _segment(*lines).articles] == [""]


@pytest.mark.parametrize(
    "furniture",
    ["본문 바로가기 메뉴 바로가기", "进入菜单 进入原文", "Поделиться", "Перейти к содержанию", "Поділитися", "AI要約",
     "공유하기 | 인쇄", "関連記事", "Go to top"],
)  # fmt: skip
def test_site_furniture_in_other_languages_is_removed_and_a_sentence_using_its_words_is_kept(furniture):
    result = _segment(furniture, "Ferry Service Resumes Between The Two Ports", BODY, MORE)
    assert _removed(result) == {furniture: "navigation or widget"}
    assert [a.title for a in result.articles] == ["Ferry Service Resumes Between The Two Ports"]
    sentence = "Поделиться мнением о новых тарифах на паром смогут все жители двух портов до пятницы."
    assert _paragraphs(_segment(BODY, sentence, MORE)) == [BODY, sentence, MORE]
