"""From a document's raw text to articles and paragraphs, with scraped-page debris removed.

The rules are general ones for scraped news pages, not rules for particular files:

* a line that is only a date is the page's date line, not content; a byline ("By Jane Doe",
  "Published : Mar. 4, 2025 - 10:20") is neither a headline nor content;
* short widget and navigation lines ("Most Popular Articles", "Share this", "Learn more", a
  breadcrumb trail "News › World › Asia") are debris, and so is a title-like line that no body
  text follows (a menu or a list of tags), a picture's credit ("Photo: Harbour Times"), a line
  that is only a link ("Original story: https://...") and the items listed under a heading of
  links to other articles ("Related:", "Most read");
* tag words glued to a title ("NorthKoreaThe Evil Axis") are cut off the title;
* a title-like line followed by body text starts a new article; a paragraph cut off in
  mid-sentence ends its article (a truncated excerpt); an author's bio line closes an article and
  gives its author.

Every removed line is kept as a `RemovedLine` with its reason, so nothing disappears silently,
and every paragraph keeps the character offsets of its span in the document text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ._bylines import is_author_line

__all__ = [
    "Article",
    "Paragraph",
    "RemovedLine",
    "SegmentedDocument",
    "clean_text",
    "is_link_line",
    "segment_document",
    "word_count",
]


@dataclass
class Paragraph:
    doc: str
    article: int
    paragraph: int
    text: str
    start: int
    end: int
    role: str = "body"  # body | caption


@dataclass
class Article:
    doc: str
    article: int
    title: str = ""
    kind: str = "article"  # article | teaser | excerpt
    author: str = ""
    bio: str = ""
    start: int = 0
    end: int = 0
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class RemovedLine:
    doc: str
    start: int
    end: int
    text: str
    reason: str


@dataclass
class SegmentedDocument:
    doc: str
    articles: list[Article]
    removed: list[RemovedLine]
    page_date: str = ""  # ISO date from the page's date line, when it has one


# --- cleaning ------------------------------------------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Scrapers often leave JSON/JS-style escapes in text: \' \" \\n.
_BACKSLASH_ESCAPE = re.compile(r"\\(['\"])")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """Unescape entities and escaped quotes, drop invisible characters, normalise spaces."""
    text = html.unescape(text)
    text = _BACKSLASH_ESCAPE.sub(r"\1", text)
    text = _ZERO_WIDTH.sub("", text)
    # NFC, not NFKC: compatibility folding would rewrite CJK and typographic characters that
    # analysts quote verbatim.
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


# --- line classification -------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_TERMINAL = tuple('.!?"”’)…»。！？」』）')
# Chinese and Japanese write no spaces between words: their characters (Han, kana) are counted
# two to a word wherever a line's length in words decides (a body, an excerpt, a teaser).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_DATE_FILLER = (
    r"updated|published|posted|last|modified|on|at|am|pm|a\.m\.|p\.m\.|kst|utc|gmt|est|edt|"
    r"of|the|date|time|"
    # Korean pages' stamps: "입력 | 2025-10-02 09:15 수정 | 2025-10-03 18:40" (posted, modified),
    # "기사승인 2025-10-03 08:05:00" (approved), "오후" (p.m.); Japanese and Chinese "更新"
    # (updated), "配信" and "发布" (published).
    r"입력|수정|등록|승인|기사승인|업데이트|오전|오후|更新|配信|发布"
)
# A line made of nothing but a date (with optional weekday, time and "Updated:"-style words).
_DATE_LINE = re.compile(
    rf"^(?:(?:{_DATE_FILLER}|{_WEEKDAY})\b[\s,:.|-]*)*"
    rf"(?:"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?[\s.]+(?:{_MONTH})\.?,?\s+\d{{4}})"  # 5 December 2025
    rf"|(?:(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"  # December 5, 2025
    rf"|(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})"  # 2025-12-05
    rf"|(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}})"  # 05/12/2025
    rf")"
    # then times, stamp words and a second date ("... 수정 | 2025-10-03 18:40", "Updated ...")
    rf"(?:[\s,.|-]*(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|{_DATE_FILLER}|{_WEEKDAY})\b\.?)*"
    r"(?:\s*\(?(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?\)?)?\s*$",  # 10:20 (UTC+09:00)
    re.IGNORECASE,
)

# Words that make up site furniture: menus, share bars, promos, tag lists.
_WIDGET = re.compile(
    r"^(?:check out\b.*|(?:most )?(?:popular|read|viewed|shared)\b.*|related\b.*|"
    r"(?:read|see|view|load) (?:more|also|all)\b.*|more (?:from|stories|news|articles)\b.*|"
    r"share(?: this)?(?: (?:article|story|page))?(?: on \w+)?|subscribe\b.*|sign (?:up|in)\b.*|"
    r"log ?in|log ?out|follow us\b.*|newsletter\b.*|advertisement|sponsored(?: content)?|"
    r"(?:other )?tags?|topics?|categories|comments?(?: \(\d+\))?|leave a comment|print|email|"
    r"(?:back|go) to top|go top|skip to (?:main )?content|menu|home|search|top stories|trending(?: now)?|"
    r"latest (?:news|stories|articles)|editor'?s picks?|recommended(?: for you)?|"
    r"previous (?:article|post|story)|next (?:article|post|story)|copyright\b.*|©.*|\(c\) ?\d{4}\b.*|"
    r"all rights reserved\.?|cookie(?:s| policy| settings)\b.*|privacy policy|terms of (?:use|service)|"
    r"click here\b.*|download (?:the )?app\b.*|you may also like|don'?t miss\b.*|photo gallery|"
    r"learn more\b.*|find out more\b.*|(?:continue|keep) reading\b.*|more info(?:rmation)?|"
    r"video|watch|listen|about (?:the )?authors?)$",
    re.IGNORECASE,
)
# The same furniture in the other languages the dashboard reads (Korean, Chinese, Japanese,
# Russian, Ukrainian): skip links, share and print buttons, menus, log-in, "related articles",
# "back to top", a summary widget's label. A line made only of such labels (a bar of them, "본문
# 바로가기 메뉴 바로가기") is furniture; a label inside a sentence is not.
_FOREIGN_WIDGET_LABEL = (
    r"(?:본문|메뉴|주메뉴|전체메뉴|검색|하단메뉴)\s*바로\s?가기|바로\s?가기|공유(?:하기)?|기사\s?공유|구독(?:하기)?|"
    r"로그인|로그아웃|회원가입|전체\s?메뉴|검색|댓글|인쇄|스크랩|글자\s?크기|닫기|맨\s?위로|관련\s?기사|"
    r"많이\s?본\s?(?:뉴스|기사)|추천\s?기사|기사\s?원문|"
    r"进入(?:菜单|原文|正文|导航)|跳(?:转)?到(?:主要)?(?:内容|正文)|跳过导航|分享(?:到)?|打印|关闭|返回顶部|"
    r"登录|注册|搜索|首页|相关(?:新闻|阅读|文章)|推荐阅读|热门(?:新闻|文章)?|字号|收藏|"
    r"本文へ(?:スキップ|移動)?|メニューへ(?:移動)?|メニュー|シェア(?:する)?|共有(?:する)?|印刷|閉じる|"
    r"ログイン|ログアウト|会員登録|検索|(?:ページ)?トップへ(?:戻る)?|ページの先頭へ|関連(?:記事|ニュース)|"
    r"おすすめ記事|(?:AI\s?)?要約|"
    r"перейти\s+к\s+(?:основному\s+)?(?:содержанию|содержимому)|перейти\s+до\s+(?:основного\s+)?(?:вмісту|змісту)|"
    r"поделиться|поділитися|подписаться|підписатися|меню|поиск|пошук|войти|увійти|наверх|вгору|"
    r"печать|друк|комментарии|коментарі|реклама|похожие\s+(?:новости|статьи)|схожі\s+новини"
)
_FOREIGN_WIDGET = re.compile(rf"^(?:{_FOREIGN_WIDGET_LABEL})(?:[\s|·•/]+(?:{_FOREIGN_WIDGET_LABEL}))*$", re.IGNORECASE)
_MAX_WIDGET_WORDS = 8
_MAX_TITLE_WORDS = 24
_MIN_BODY_WORDS = 8
# Short lines that may stand between a page's first line and its body when that line is the
# headline (a date line, a standfirst, an agency's name, a widget's label).
_SHORT_LINES_UNDER_HEADLINE = 2
_TRUNCATED_MIN_WORDS = 25
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "over",
        "the",
        "to",
        "up",
        "via",
        "vs",
        "with",
        "amid",
        "after",
        "before",
        "under",
        "about",
        "against",
        "between",
    ]
)
# "NorthKoreaThe Evil Axis": two or more capitalised words glued to the title's first word.
_GLUED_TAGS = re.compile(r"^((?:[A-Z][a-z]+){2,})(?=[A-Z][a-z]*\b)")
# One glued word ("TagsThe ...") is only taken for a tag when the rest repeats the title.
_GLUED_WORD = re.compile(r"^((?:[A-Z][a-z]+)+)(?=[A-Z][a-z]*\b)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_BIO_ROLES = (
    r"professor|fellow|researcher|analyst|editor|correspondent|journalist|writer|author|"
    r"director|dean|lecturer|scholar|reporter|columnist|chair(?:man|woman)?|president|"
    r"ambassador|founder|expert|student|commentator|diplomat|officer|minister|adviser|advisor|"
    r"consultant|partner|economist|historian|lawyer|contributor|member|head|chief|candidate"
)
_BIO_LINE = re.compile(
    r"^(?:[-—–]\s*)?(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+"
    r"(?:is|was|serves as|has been)\s+(?:a|an|the)?\b.{0,160}?\b(?:" + _BIO_ROLES + r")s?\b",
)
_MAX_BIO_WORDS = 45


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> float:
    """A text's length in words, in any script: spaced words, and Chinese or Japanese characters
    two to a word ("热门新闻": 2)."""
    unspaced = len(_UNSPACED.findall(text))
    return len(_words(_UNSPACED.sub(" ", text) if unspaced else text)) + unspaced / 2


def is_date_line(text: str) -> bool:
    return len(text) <= 80 and len(_words(text)) <= 10 and bool(_DATE_LINE.match(text.strip()))


# A date written year first; the first of a line's dates is the page's ("posted ..., modified
# ...": dateutil reads such a line as no date at all).
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")


def _iso_date(text: str) -> str:
    from dateutil import parser

    if found := _YEAR_FIRST.search(text):
        try:
            return date(*map(int, found.groups())).isoformat()
        except ValueError:
            pass
    try:
        return parser.parse(text, fuzzy=True).date().isoformat()
    except (ValueError, OverflowError):
        return ""


# A page's date as text extraction leaves a labelled <time> element, glued to the front of the
# line after it: "date 2025-03-04 Ferry crossings resumed ...", "Published 2025-03-04 10:20 ...",
# or only its month ("date 2025-03 ...", which gives the page no date).
_DATE_STAMP = re.compile(
    r"(?:date|published|updated|posted)\s*:?\s*(?P<date>\d{4}-\d{2}(?P<day>-\d{2})?)(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?\s+",
    re.IGNORECASE,
)


def _without_date_stamp(doc: str, text: str, unit: _Unit) -> tuple[_Unit, RemovedLine | None, str]:
    """The unit without a date stamp glued to its front (as a removed line, and the ISO date it
    gives), or the unit as it is."""
    stamp = _DATE_STAMP.match(text, unit.start, unit.end)
    if not stamp or not text[stamp.end() : unit.end].strip():
        return unit, None, ""
    rest = _Unit(stamp.end(), unit.end, _cleaned_span(text, stamp.end(), unit.end))
    removed = RemovedLine(doc, unit.start, stamp.end(), text[unit.start : stamp.end()].strip(), "date line")
    return rest, removed, stamp.group("date") if stamp.group("day") else ""


# A timestamp between a headline and its body: "Published : Mar. 4, 2025 - 10:20", "Updated
# 10:20 KST", glued to its agency or not ("By HarbourtimesPublished : Mar. 4, 2025").
_STAMP_OPENING = re.compile(
    r"^(?:[Bb][Yy]\s+[A-Z]|(?i:published|updated|posted|last updated|written|write|created|modified|input)\b)"
)
_STAMP_WORD = re.compile(r"published|updated|posted|write|written|created|modified|input", re.IGNORECASE)
_STAMP_WHEN = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}:\d{2}\b")
_MAX_BYLINE_WORDS = 16


def is_byline_line(text: str) -> bool:
    """Who wrote an article or when it was published, on a line of its own ("By Jane Doe",
    "Min-jun Park, Staff Reporter", "By HarbourtimesPublished : Mar. 4, 2025 - 10:20").

    Such a line sits between a headline and its body: taken for a headline, it would open an
    article of its own named "By Jane Doe" and leave the real headline a paragraph alone.
    A sentence is not one ("By 2030, the country could have 200 warheads."), nor is a headline
    that starts with "By" and has no person's name or publishing time ("By Land and Sea")."""
    text = text.strip()
    if len(text) > 160 or len(_words(text)) > _MAX_BYLINE_WORDS:
        return False
    if is_author_line(text):
        return True
    # A sentence ends as one ("Published 2023 figures show exports rose 5%."); a stamp does not.
    if text.endswith((".", "!", "?")):
        return False
    return bool(_STAMP_OPENING.match(text) and _STAMP_WORD.search(text) and _STAMP_WHEN.search(text))


def is_widget_line(text: str) -> bool:
    if len(text) > 100:
        return False
    stripped = text.strip().rstrip(":|»>›-–— ").strip()
    if is_breadcrumb(stripped):
        return True
    if len(_words(stripped)) > _MAX_WIDGET_WORDS:
        return False
    return (
        bool(_WIDGET.match(stripped) or _FOREIGN_WIDGET.match(stripped))
        or (text.rstrip().endswith(":") and len(_words(text)) <= 4)
    )


# A site's breadcrumb trail: "News › World › Asia", "Politics ❯ Defense Policy ❯ South Korea".
# (Not "→", which a line of content may use for a change, "A → B"; nor ">" without spaces.)
_BREADCRUMB_STEP = re.compile(r"\s*[❯›»▸]\s*|\s+>\s+")
_MAX_BREADCRUMB_STEP_WORDS = 4


def is_breadcrumb(text: str) -> bool:
    """Three or more short section names joined by arrows (a sentence may hold one arrow:
    "exports rose > 5%")."""
    steps = _BREADCRUMB_STEP.split(text.strip())
    return len(steps) >= 3 and all(
        step and len(_words(step)) <= _MAX_BREADCRUMB_STEP_WORDS and not step.endswith((".", "!", "?"))
        for step in steps
    )


# A heading over a list of links to other articles ("Related:", "Most read"), and the list's
# items ("- North Korea tests ...", "2. Seoul says ..."): each item is another article's headline.
_LINKS_HEADING = re.compile(
    r"^(?:related\b.*|read (?:more|also)|also read|see also|more on this\b.*|recommended(?: for you)?|"
    r"you may also like|more (?:from|stories|news|articles)\b.*|most (?:popular|read|viewed|shared)\b.*|"
    r"trending(?: now)?|latest (?:news|stories|articles)|top stories|editor'?s picks?|don'?t miss\b.*)$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^(?:[-•*–—·▪►]|\d{1,2}[.)])\s+\S")


def is_links_heading(text: str) -> bool:
    return is_widget_line(text) and bool(_LINKS_HEADING.match(text.strip().rstrip(":|»>›-–— ").strip()))


# "Read more: <headline>", "See also - <headline>": a link to another article, however long.
_LINK_LINE = re.compile(
    r"^(?:read (?:more|also)|also read|see also|related(?: (?:article|story|news))?|more on this|"
    r"recommended|watch|listen)\s*[:|»>›\-–—]\s*\S",
    re.IGNORECASE,
)


def is_link_line(text: str) -> bool:
    """A line that links to another article ("Read more: North Korea tests ..."): its headline
    is that article's, not a title or a claim of the page's."""
    return len(text) <= 300 and bool(_LINK_LINE.match(text.strip()))


# A line that is only an address, after at most a short label: "Original story: https://...".
_ADDRESS_LINE = re.compile(r"^(?:[^\W\d_][\w .'’-]{0,40}[:：]\s*)?(?:https?://|www\.)\S+$", re.IGNORECASE)


def is_address_line(text: str) -> bool:
    """A line that is a web address and nothing more: where the text came from, not content."""
    return len(text) <= 500 and bool(_ADDRESS_LINE.match(text.strip()))


# Who took or supplied a picture, on a line of its own: "Photo: Harbour Times", "Photo by Jane
# Doe", "(Image courtesy of the ministry)", "Фото: ...", "사진=...", "图片来源：...".
_PICTURE_CREDIT = re.compile(
    r"^[(\[]?\s*(?:file\s+)?(?:photo(?:graph)?s?|images?|pictures?|pics?|фото|світлина|사진|写真|"
    r"图片(?:来源)?|圖片(?:來源)?|照片)\s*(?:credits?\s*)?(?:[:：=|/]|\bby\b|\bcourtesy\b)",
    re.IGNORECASE,
)


# Agencies that supplied a picture, named alone: "Harbour Press/Getty Images", "EPA/Pool".
_MAX_CREDIT_WORDS = 8
_NAME = r"[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*)?"
_AGENCY_CREDIT = re.compile(rf"^{_NAME}(?: ?/ ?{_NAME})+$")


def is_picture_credit(text: str) -> bool:
    """A picture's credit line. A longer line opening the same way ("FILE PHOTO: Leaders meet
    at the summit in ...") is a caption, which says something, and is kept as one."""
    text = text.strip()
    if len(text) > 120 or len(_words(text)) > _MAX_CREDIT_WORDS:
        return False
    return bool(_PICTURE_CREDIT.match(text) or _AGENCY_CREDIT.match(text))


def opens_like_picture_credit(text: str) -> bool:
    """Whether a line starts as a picture's credit does ("Photo: ...", "FILE PHOTO: ...")."""
    return bool(_PICTURE_CREDIT.match(text.strip()))


def is_sentence_case_headline(text: str) -> bool:
    """ "Dollar gains on Greenspan speech": short, capitalised first word (or a script without
    capitals: Chinese, Japanese, Korean), no closing stop."""
    first = text[:1]
    opens = first.isupper() or (first.isalpha() and not first.islower())
    closes = text.rstrip().endswith((".", ";", ",", ":", "!", "。", "；", "，", "：", "！"))
    return 2 <= word_count(text) <= 14 and opens and not closes


def is_title_like(text: str) -> bool:
    """Short, no closing full stop, and mostly capitalised words (headline case) or a heading."""
    if _MARKDOWN_HEADING.match(text):
        return True
    if len(text) > 250:  # longer than any headline: skip the word split
        return False
    words = _words(text)
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or text.rstrip().endswith((".", ";", ",")):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS and not w[0].isdigit()]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.6


def is_truncated(text: str) -> bool:
    """A long paragraph that stops in mid-sentence: the excerpt of a piece shown elsewhere."""
    return not text.rstrip().endswith(_TERMINAL) and word_count(text) >= _TRUNCATED_MIN_WORDS


def bio_author(text: str) -> str:
    """The author's name if the line is an author's bio ("Jane Doe is a professor at ...")."""
    if len(text.split()) > _MAX_BIO_WORDS or " " not in text[:60]:
        return ""
    match = _BIO_LINE.match(text.strip())
    return match.group("name") if match else ""


def strip_glued_tags(text: str) -> tuple[str, str]:
    """Split "NorthKoreaThe Evil Axis" into ("The Evil Axis", "NorthKorea")."""
    match = _GLUED_TAGS.match(text)
    if not match:
        return text, ""
    rest = text[match.end() :]
    if not is_title_like(rest):
        return text, ""
    return rest, match.group(1)


def _title_key(text: str) -> str:
    return " ".join(w.casefold() for w in _words(text))


def _same_title(text: str, key: str) -> bool:
    """The same title again, possibly with tag words glued to its front."""
    if _title_key(text) == key:
        return True
    glued = _GLUED_WORD.match(text)
    return bool(glued) and _title_key(text[glued.end() :]) == key


# --- lines and blocks ----------------------------------------------------------------------


@dataclass
class _Unit:
    start: int
    end: int
    text: str  # cleaned


def _raw_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, end exclusive and without the line break."""
    spans = []
    for match in re.finditer(r"[^\r\n]+", text):
        line = match.group()
        if line.strip():
            lead = len(line) - len(line.lstrip())
            trail = len(line.rstrip())
            spans.append((match.start() + lead, match.start() + trail))
    return spans


def _is_hard_wrapped(text: str, spans: list[tuple[int, int]]) -> bool:
    """Text wrapped at a fixed width (e-mail, some .txt/.md exports) rather than a line a paragraph."""
    if len(spans) < 4:
        return False
    lengths = sorted(end - start for start, end in spans)
    return lengths[len(lengths) // 2] >= 40 and lengths[-1] <= 100 and "\n\n" in text


def _cleaned_span(text: str, start: int, end: int) -> str:
    """The text of a span of lines as one cleaned line."""
    return clean_text(re.sub(r"\s*[\r\n]+\s*", " ", text[start:end]))


def _units(text: str) -> list[_Unit]:
    spans = _raw_lines(text)
    wrapped = _is_hard_wrapped(text, spans)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start, prev_end = merged[-1]
            between = text[prev_end:start]
            same_block = between.count("\n") <= 1
            prev = text[prev_start:prev_end]
            # Join a line to the one before when the text is hard-wrapped, or when the line
            # before visibly stops mid-sentence and this one carries on in lower case.
            continues = not prev.rstrip().endswith((*_TERMINAL, ":")) and (wrapped or text[start].islower())
            if same_block and continues and not _MARKDOWN_HEADING.match(text[start:end]):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    units = []
    for start, end in merged:
        cleaned = _cleaned_span(text, start, end)
        if cleaned:
            units.append(_Unit(start, end, cleaned))
    return units


# --- segmentation --------------------------------------------------------------------------


def segment_document(doc: str, text: str, title_hint: str = "") -> SegmentedDocument:
    """Split one document's text into articles of paragraphs, recording every removed line.

    `title_hint` is a title known from metadata (manifest, HTML): a first line equal to it is the
    article's title rather than a paragraph.
    """
    removed: list[RemovedLine] = []
    page_date = ""
    kept: list[_Unit] = []
    links_listed = False  # under a heading of links to other articles
    for unit in _units(text):
        if links_listed and _LIST_ITEM.match(unit.text) and len(unit.text) <= 300:
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "link to another article"))
            continue
        links_listed = is_links_heading(unit.text)
        unit, stamp, stamp_date = _without_date_stamp(doc, text, unit)
        if stamp is not None:
            removed.append(stamp)
            page_date = page_date or stamp_date
        if is_date_line(unit.text):
            page_date = page_date or _iso_date(unit.text)
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "date line"))
        elif is_widget_line(unit.text):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "navigation or widget"))
        elif is_byline_line(unit.text):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "byline"))
        elif is_link_line(unit.text):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "link to another article"))
        elif is_address_line(unit.text):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "web address"))
        elif is_picture_credit(unit.text):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "picture credit"))
        else:
            heading = _MARKDOWN_HEADING.match(unit.text)
            if heading:
                unit.text = unit.text[heading.end() :].strip()
            unit.text, tags = strip_glued_tags(unit.text)
            if tags:
                removed.append(
                    RemovedLine(doc, unit.start, unit.start + len(tags), tags, "tag words glued to title")
                )
            kept.append(unit)

    def body_follows(index: int) -> bool:
        """Whether body text follows unit `index`, skipping repeats of the same title and the
        lines of a picture between a headline and its body; under a page's first line, also a
        few short lines that are no headline (a date line in another language, a standfirst, an
        agency's name, a widget's label such as "Listen"), which stand between many pages'
        headline and their body. Only there: further down, a short line under a heading is as
        likely a list of links."""
        key = _title_key(kept[index].text)
        short_lines = _SHORT_LINES_UNDER_HEADLINE if index == 0 else 0
        for position in range(index + 1, len(kept)):
            later = kept[position]
            if _same_title(later.text, key) or _is_picture_line(text, kept, position):
                continue
            if is_title_like(later.text):
                return False
            if word_count(later.text) >= _MIN_BODY_WORDS:
                return True
            if short_lines == 0:
                return False
            short_lines -= 1
        return False

    articles: list[Article] = []
    current: Article | None = None

    def close() -> None:
        nonlocal current
        if current is not None and (current.paragraphs or current.title):
            articles.append(current)
        current = None

    def open_article(unit: _Unit, title: str = "") -> Article:
        close()
        return Article(doc=doc, article=len(articles) + 1, title=title, start=unit.start, end=unit.end)

    hint_key = _title_key(title_hint) if title_hint else ""
    named_author = ""  # the author whose name line was just removed: the bio below it is theirs
    for index, unit in enumerate(kept):
        # Only headline-length lines can repeat a title; skip the word split for paragraphs.
        key = _title_key(unit.text) if len(unit.text) <= 300 else ""
        if current is not None and current.title and not current.paragraphs:
            glued = _GLUED_WORD.match(unit.text)
            if glued and _same_title(unit.text[glued.end() :], _title_key(current.title)):
                removed.append(
                    RemovedLine(
                        doc, unit.start, unit.start + glued.end(), glued.group(1), "tag words glued to title"
                    )
                )
                key = _title_key(current.title)
        if (
            current is not None
            and current.title
            and not current.paragraphs
            and key == _title_key(current.title)
        ):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "repeated title"))
            continue
        # An author box: the author's name alone on a line, then their bio ("Jane Doe" / "Jane
        # Doe is a fellow at ..."). The name is no headline, nor the bio the article's content.
        if index + 1 < len(kept) and _is_name_above_bio(unit.text, kept[index + 1].text):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "byline"))
            named_author = unit.text
            continue
        # An author's bio closes their article; under their name line it is removed even where
        # no article precedes it.
        author = bio_author(unit.text)
        in_article = current is not None and bool(current.paragraphs)
        if author and (in_article or named_author):
            if in_article:
                current.author, current.bio, current.end = author, unit.text, unit.end
                close()
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "author bio"))
            named_author = ""
            continue
        named_author = ""
        title_like = is_title_like(unit.text) and len(_words(unit.text)) < _MIN_BODY_WORDS * 3
        # A photo's caption ("Missile on parade / Open source photo") and the line naming the
        # photo just above one are not headlines: the article goes on around its pictures.
        # A document's first line above a picture is its headline, not the picture's name.
        caption = _looks_like_caption(text, unit)
        if title_like and (
            caption
            or (index > 0 and index + 1 < len(kept) and _looks_like_caption(text, kept[index + 1]))
        ):
            title_like = False
        # Many outlets write headlines in sentence case; only the first line of a document is
        # taken for one, since mid-article such a line is as likely a sentence fragment.
        if index == 0 and not title_like and not caption and is_sentence_case_headline(unit.text):
            title_like = body_follows(index)
        if (title_like and body_follows(index)) or (hint_key and key == hint_key and index == 0):
            current = open_article(unit, unit.text)
            continue
        if title_like and len(_words(unit.text)) <= _MAX_WIDGET_WORDS and not body_follows(index):
            removed.append(RemovedLine(doc, unit.start, unit.end, unit.text, "navigation or widget"))
            continue
        if current is None:
            current = open_article(unit)
        role = "caption" if caption else "body"
        current.paragraphs.append(
            Paragraph(
                doc, current.article, len(current.paragraphs) + 1, unit.text, unit.start, unit.end, role
            )
        )
        current.end = unit.end
        if role == "body" and is_truncated(unit.text) and not _continued(kept, index):
            current.kind = "excerpt"
            close()
    close()

    # A headline with a single short standfirst is a teaser for a piece published elsewhere.
    for article in articles:
        single = len(article.paragraphs) == 1 and word_count(article.paragraphs[0].text) <= 60
        if article.kind == "article" and article.title and single:
            article.kind = "teaser"
    return SegmentedDocument(doc, articles, removed, page_date)


def _is_name_above_bio(line: str, below: str) -> bool:
    """Whether a line is only the name of the person whose bio is the line below it."""
    return len(_words(line)) <= 4 and _title_key(bio_author(below)) == _title_key(line) != ""


def _continued(kept: list[_Unit], index: int) -> bool:
    """Whether the text after a paragraph without its closing stop goes on with the same piece:
    body text that is neither a headline nor itself cut off. An excerpt is followed by the next
    piece's headline or by the page's end; a full stop lost in the scrape is followed by more of
    the same article."""
    if index + 1 >= len(kept):
        return False
    after = kept[index + 1].text
    return not is_title_like(after) and not is_truncated(after) and word_count(after) >= _MIN_BODY_WORDS


# A picture's file name left in the text ("ferry_harbour_2025-03-04_1.jpg").
_IMAGE_FILE = re.compile(r"\S\.(?:jpe?g|png|gif|webp|avif)\b", re.IGNORECASE)
_MAX_PICTURE_WORDS = 12


def _is_picture_line(text: str, kept: list[_Unit], index: int) -> bool:
    """A line of a picture: its caption, its file name, or a short line given twice in a row
    (a picture's alternative text and then its caption: "A ferry in the harbour", twice). A
    headline given twice is a headline (see "repeated title")."""
    line = kept[index].text
    if _looks_like_caption(text, kept[index]) or _IMAGE_FILE.search(line):
        return True
    if len(_words(line)) > _MAX_PICTURE_WORDS or is_title_like(line):
        return False
    neighbours = [kept[i].text for i in (index - 1, index + 1) if 0 <= i < len(kept)]
    return line in neighbours


def _looks_like_caption(text: str, unit: _Unit) -> bool:
    """Photo captions: indented with a no-break space, ending in a "/ Credit" line or a credit in
    brackets, or opening as a credit does ("FILE PHOTO: ...")."""
    raw = text[max(0, unit.start - 1) : unit.end]
    return (
        raw.startswith("\u00a0")
        or bool(re.search(r"\s/\s*[A-Z][\w .'-]{1,40}$", unit.text))
        or bool(_CLOSING_CREDIT.search(unit.text))
        or opens_like_picture_credit(unit.text)
    )


# A caption's credit in brackets at its end: "Leaders at the summit (Photo: Harbour Times)",
# "... (圖/路透社)".
_CLOSING_CREDIT = re.compile(
    r"[(（]\s*(?:photo|image|pictured?|圖|图|圖片|图片|照片|사진|写真|фото)\s*(?:[/／:：=]|by\b)[^)）]{1,40}[)）]\s*$",
    re.IGNORECASE,
)
