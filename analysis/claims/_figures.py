"""Quantitative claims in news text: who gave what to whom, how much, and who says so.

Every number in a sentence is read as a figure (amount, unit, qualifier, bounds). A figure of
money or of transferable items (shells, troops, tonnes, ...) becomes a *flow* when its clause
has a transfer word ("provided", "shipped", "support", "compensation", ...), is not negated or
a request, and names both a giver and a receiver: states from `resources/states.csv`, found
through a name or alias, a possessive ("Russia's compensation"), the passive ("were supplied
by"), a pronoun that the previous sentence resolves, or the other side of the previous
sentence's transfer. A transfer with one side unknown keeps that side but stays money/count.

Everything here is rules over regular expressions: libraries were compared for each part and
none did it well enough on news sentences. quantulum3 reads "500,000 122-millimeter shells" as
500000122 millimetres and crashes with scikit-learn 1.9; price-parser drops scale words
("billion"); text2num rewrites the text and reads "hundreds of" as 100; pycountry's fuzzy search
maps "Republic of Korea" to North Korea, and country_converter 1.3 fails to start under pandas 3.
pycountry's ISO names were used once, offline, to write the shipped states table. Sentences are
split by sentencex (Wikimedia, ~300 languages) with a small repair pass for abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from pathlib import Path

from ._sentences import ClaimLimits
from ._states import StateAlias, StateMatcher, state_matcher
from ._vocabulary import (
    ANAPHORIC,
    BUSINESS_NOUNS,
    CAPITALISED_OK,
    CARRIED_BEFORE,
    CLAUSE_BREAK,
    CODES,
    CURRENCY_WORDS,
    DONORS,
    FIGURE_START,
    FOR_STATE,
    GOODS,
    ITEM_UNITS,
    LABEL_WORDS,
    LONG_SCALES,
    LOSS_AFTER,
    MEASURES,
    MONTHS,
    NEGATION,
    NOT_A_TRANSFER,
    NOT_NOUNS,
    NOUN_BEFORE,
    NOUN_TRIGGER,
    NUMBER,
    OWNER_OF_SUBJECT,
    PASSIVE_BEFORE,
    PLURALS,
    PREPOSITIONS,
    PRONOUN,
    PURPOSE,
    QUALIFIERS,
    RELATIVE,
    REQUESTED_AFTER,
    SCALE_WORDS,
    SCALES,
    SHIP_NOUN,
    STATE_HEADS,
    STATE_INSTITUTIONS,
    STOP,
    SUBUNITS,
    SYMBOLS,
    TOTAL_AFTER,
    TRIGGER,
    WORD_NUMBER,
    WORD_UNITS,
)

NAN = float("nan")
# Bounds that keep reading linear, whatever a page holds (see where each is used; the numbers
# and sentences of a paragraph are bounded by ClaimLimits, which an analyst can set).
_EVIDENCE_CHARS = 1_000
_LEAST_MONEY_FLOW = 1_000

# --------------------------------------------------------------------------------------------
# Readings of one sentence
# --------------------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    state: str
    kind: str
    possessive: bool
    prep: str  # the preposition right before it ("to", "from", ...), "" if none
    subject_ok: bool  # can stand as the subject of a clause


@dataclass
class _Figure:
    start: int  # of the whole expression, qualifier and currency included
    end: int  # of the number and its unit
    number_end: int
    amount: float
    low: float
    high: float
    qualifier: str
    unit: str
    cls: str  # money, item, count, percent, other
    unit_phrase: tuple[int, int] = (0, 0)  # the words between the number and its unit, and the unit
    large: bool = False  # millions or more: a bare "7.28 million" may count what the figure before counts
    giver: str = ""
    receiver: str = ""
    what: list[str] = field(default_factory=list)
    flow: bool = False
    # Named as handed over (a transfer word governs it, not negated, not a request or a loss):
    # a flow once both sides are known, from the sentence or from the article.
    transfer: bool = False
    donation: bool = False  # one of a list of donors: its receiver is the article's
    returning: bool = False  # what comes back for a transfer ("gold in return for the drones")
    status: str = ""  # what the text says of it: estimated, pledged, planned, approved, announced, delivered


@dataclass
class _Reading:
    sentence: str
    figures: list[_Figure]
    mentions: list[_Mention]
    topic: str  # the state the sentence is about (its first subject), for pronouns in the next one
    relation: tuple[str, str] = ("", "")  # (giver, receiver) of the transfer it names, if any
    numbers_read: int = 0  # numbers looked at for figures (a paragraph's are bounded)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _scaled(value: Decimal, exponent: int) -> float:
    return float(value * (Decimal(10) ** exponent))


def _year_like(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", text)) and 1800 <= int(text) <= 2100


_CURRENCY_BEFORE = re.compile(
    r"(?:(?P<sym>U\.S\.\s?\$|US\s?\$|NT\$|HK\$|A\$|C\$|S\$|CN¥|RMB\s?¥|[$€£¥₩₽₹₴])|"
    r"(?<![\w$])(?P<code>[A-Z]{3}|RMB)\s)\s?$"
)
_QUALIFIER_WORDS = [q for q in sorted(QUALIFIERS, key=len, reverse=True) if q[0].isalnum()]
_QUALIFIER_SIGNS = [q for q in sorted(QUALIFIERS, key=len, reverse=True) if not q[0].isalnum()]
# Longest first; a word only after a non-word character. The check is written once for all
# words rather than once per word, so that the engine does not repeat it 50 times at every
# position (7x faster); a word and a sign ("~") never match at the same place.
_QUALIFIER_BEFORE = re.compile(
    r"(?:(?<!\w)(?:"
    + "|".join(re.escape(q) for q in _QUALIFIER_WORDS)
    + ")"
    + "".join("|" + re.escape(q) for q in _QUALIFIER_SIGNS)
    + r")\s*$",
    re.IGNORECASE,
)


def _tail(text: str, size: int = 80) -> tuple[str, int]:
    """The end of `text` and where it starts: "...$" searches stay linear in long sentences."""
    start = max(0, len(text) - size)
    return text[start:], start


def _currency_before(before: str) -> tuple[str, int]:
    """ISO code of a currency written just before a number, and where it starts."""
    tail, offset = _tail(before, 24)
    match = _CURRENCY_BEFORE.search(tail)
    if not match:
        return "", len(before)
    if match.group("sym"):
        return SYMBOLS[re.sub(r"\s", "", match.group("sym")).replace("U.S.", "US")], offset + match.start()
    code = match.group("code")
    if code == "RMB":
        return "CNY", offset + match.start()
    return (code, offset + match.start()) if code in CODES else ("", len(before))


def _qualifier_before(before: str) -> tuple[str, int]:
    """Normalised qualifier ending right before position len(before), and where it starts."""
    tail, offset = _tail(before, 40)
    match = _QUALIFIER_BEFORE.search(tail)
    if not match:
        return "", len(before)
    phrase = re.sub(r"\s+", " ", match.group(0).strip().lower())
    return QUALIFIERS[phrase], offset + match.start()


_TOKEN = re.compile(r"[A-Za-z][\w’'.-]*\w|[A-Za-z]|\d[\w.-]*|[^\s\w]")


_PLURAL_WORD = re.compile(r"[a-z]{3,}s")
_SCALE_WORD = re.compile(r"thousand|million|billion|trillion", re.IGNORECASE)
_UNITS_OF = re.compile(r"\s+(?:units|pieces|batches|lots|sets)\s+of\s+")
_QUOTES = frozenset("\"“”'‘’")


def _unit_after(text: str, offset: int) -> tuple[str, str, tuple[int, int]]:
    """The counted noun after a number: (unit, cls, (phrase start, phrase end)). cls is "item" for
    things that can be handed over, "measure" for km, years, ..., "count" for other plural nouns,
    "" when there is none. Up to four modifiers may come first ("122-millimeter", "Leopard 2")."""
    units_of = _UNITS_OF.match(text, offset)
    if units_of:  # "50 units of armoured vehicles": the vehicles are counted
        noun, cls, (_, end) = _unit_after(text, units_of.end() - 1)
        if cls:
            return noun, cls, (offset, end)
    # The first six words, quotes skipped ("100 "advanced missiles""); no more are looked at.
    words = (m for m in _TOKEN.finditer(text, offset, offset + 120) if m.group(0) not in _QUOTES)
    matches = list(islice(words, 6))
    tokens, ends = [m.group(0) for m in matches], [m.end() - offset for m in matches]
    for index, word in enumerate(tokens[:5]):
        lower = word.lower()
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        if not word[0].isalnum() and word[0] != "_":  # punctuation ends the noun phrase
            break
        if lower in ("labor", "labour", "migrant") and following in ("migrants", "immigrants", "workers"):
            return "workers", "item", (offset, offset + ends[index + 1])  # "15,000 labor migrants"
        if lower in ITEM_UNITS and not word[0].isupper():
            if following in ITEM_UNITS:  # the head of a compound is its last noun: "rocket launchers"
                return ITEM_UNITS[following], "item", (offset, offset + ends[index + 1])
            return ITEM_UNITS[lower], "item", (offset, offset + ends[index])
        if f"{lower} {following}" in MEASURES:  # "cubic metres"
            return MEASURES[f"{lower} {following}"], "measure", (offset, offset + ends[index + 1])
        if lower in MEASURES:
            return MEASURES[lower], "measure", (offset, offset + ends[index])
        if lower in STOP:
            break
        plural = word.islower() and _PLURAL_WORD.fullmatch(word) and not word.endswith(("ss", "us", "is"))
        if lower in PLURALS or (plural and lower not in NOT_NOUNS):
            return lower, "count", (offset, offset + ends[index])
    return "", "", (offset, offset)


def _read_numbers(sentence: str, state_matches: list[re.Match[str]], most: int) -> tuple[list[_Figure], int]:
    """Every number in the sentence that states a quantity, in order, among its first `most`
    numbers, and how many numbers were looked at; `state_matches` are the states table's
    matches in it."""
    state_ends = {m.end() for m in state_matches}
    candidates: list[tuple[int, int, Decimal | None, int]] = []  # start, end, written value, its scale
    for match in NUMBER.finditer(sentence):
        candidates.append((match.start(), match.end(), None, 0))
    # Numbers in words need a scale word ("three million"): most sentences have none, and
    # WORD_NUMBER is slow to scan.
    spelled = WORD_NUMBER.finditer(sentence) if _SCALE_WORD.search(sentence) else ()
    for match in spelled:
        value = Decimal(sum(WORD_UNITS[w] for w in re.split(r"[- ]", match.group("words").lower())))
        value *= 100 if match.group("hundred") else 1
        value /= 2 if match.group("half") else 1
        candidates.append((match.start(), match.end(), value, SCALES[match.group("scale").lower()]))
    figures: list[_Figure] = []
    consumed = -1
    # A "sentence" with thousands of numbers is a table or a list dumped as text: the first are
    # read, the rest are not, so that such a line costs what a long sentence costs.
    looked_at = sorted(candidates)[: max(most, 0)]
    for start, end, written, written_scale in looked_at:
        if start < consumed:  # the second number of a range, or a number inside a figure
            continue
        figure = _read_one(sentence, start, end, written, written_scale, state_ends)
        if figure is not None:
            consumed = figure.end
            figures.append(figure)
    # "About 6.1 million couples ..., down from 7.28 million", "shipped 30 vehicles and a
    # further 20": the bare figure counts what the figure before it counts.
    counted: _Figure | None = None  # the last figure so far of money, items or a count
    for figure in figures:
        bare = figure.cls == "other" and not figure.unit
        if bare and counted is not None and (figure.large or _SAME_THINGS_BEFORE.search(_tail(sentence[: figure.start], 30)[0])):
            figure.unit, figure.cls = counted.unit, counted.cls
        if figure.cls in ("money", "item", "count"):
            counted = figure
    # "After tranches worth 1.5 billion, the bloc will add €500 million": a bare large figure
    # before the sentence's only money counts money too.
    money = {figure.unit for figure in figures if figure.cls == "money"}
    if len(money) == 1:
        for figure in figures:
            if figure.cls == "other" and not figure.unit and figure.large:
                figure.unit, figure.cls = next(iter(money)), "money"
    return figures, len(looked_at)


_SAME_THINGS_BEFORE = re.compile(r"\b(?:the remaining|another|the other|a further|an additional|the rest of the)\s+$", re.IGNORECASE)


_MONTH_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s+$")  # "October 11"
_MONTH_AFTER = re.compile(rf"\s+(?:{MONTHS})\b")  # "11 October"


def _not_a_quantity(sentence: str, start: int, end: int, currency: str, state_ends: set[int]) -> bool:
    """Whether the digits at sentence[start:end] are an ordinal, part of a name, a time, a day or a
    label ("80th", "COVID-19", "Hwasong-20", "10 a.m.", "October 11", "Resolution 2397")."""
    before, after = sentence[max(0, start - 40) : start], sentence[end : end + 40]
    if re.match(r"(?:st|nd|rd|th)\b", after) or re.search(r"\w-$", before):
        return True
    if before.endswith("#") or re.match(r";", after):  # "&#39;", "#39;": HTML entities left in scraped text
        return True
    if re.match(r"\s?(?:[ap]\.?m\.?\b|GMT|KST|UTC)|:\d", after) or before.endswith(":"):
        return True
    if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
        return True
    previous_word = re.search(r"([\w.#]+)\s+$", before)
    if previous_word and not currency:
        word = previous_word.group(1)
        if word.lower() in LABEL_WORDS:
            return True
        named = word[0].isupper() and word.lower().rstrip(".") not in CAPITALISED_OK
        if named and not {start, start - 1} & state_ends:  # "Leopard 2", not "Germany 7"
            return True
    return False


def _scale_after(sentence: str, position: int, currency: str) -> tuple[int, int]:
    """(power of ten, end) of a scale word after a number: "billion", "bn", "-billion". A bare
    "m", "b" or "k" counts only with a currency, so "10 m" stays ten metres."""
    match = re.match(rf"\s?-?\s?({SCALE_WORDS})(?![\w])", sentence[position:], re.IGNORECASE)
    if not match:
        return 0, position
    word = match.group(1).lower()
    if word in LONG_SCALES or currency or _currency_after(sentence[position + match.end() :])[0]:
        return SCALES[word], position + match.end()
    return 0, position


def _read_one(
    sentence: str, start: int, end: int, written: Decimal | None, written_scale: int, state_ends: set[int]
) -> _Figure | None:
    """The figure whose number is sentence[start:end] (or a written-out number with its scale),
    or None when the digits are not a quantity (a date, a year, an ordinal, a name, a size)."""
    text = sentence[start:end]
    currency, cur_start = _currency_before(sentence[:start])
    if written is None:
        if _not_a_quantity(sentence, start, end, currency, state_ends):
            return None
        value = _decimal(text)
        scale, position = _scale_after(sentence, end, currency)
        if position == end and re.match(r"-?[A-Za-z]", sentence[end:]):
            return None  # "155mm", "2020s", "122-millimeter", "10-day": a size or a model
        # A year, unless money or goods follow: "in 2023" but "2000 troops".
        goods_follow = _currency_after(sentence[end:])[0] or _unit_after(sentence, end)[1] == "item"
        if not currency and not scale and _year_like(text) and not goods_follow:
            return None
    else:
        value, scale, position = written, written_scale, end

    qualifier, qual_start = _qualifier_before(sentence[:cur_start])
    low_value = None
    spanned = _range_after(sentence, text, position, cur_start)
    if spanned:
        second, second_scale, second_currency, position = spanned
        low_value = _scaled(value, scale or second_scale)
        value, scale = second, second_scale or scale
        currency = currency or second_currency
        tail, offset = _tail(sentence[:cur_start], 20)
        between = re.search(r"\bbetween\s*$", tail, re.IGNORECASE)
        qualifier = "between" if between or not qualifier else qualifier
        qual_start = offset + between.start() if between else qual_start

    amount = _scaled(value, scale)
    unit, cls, unit_phrase = "", "other", (position, position)
    suffix, suffix_end = _currency_after(sentence[position:])
    subunit = re.match(r"\s?(euro cents|US cents|cents|pence|kopecks)\b", sentence[position:])
    percent_end = _percent_after(sentence[position:])
    if subunit and not currency:
        amount /= 100
        unit, cls = SUBUNITS[subunit.group(1).lower()], "money"
        position += subunit.end()
    elif currency or suffix:
        unit, cls = currency or suffix, "money"
        position += suffix_end if suffix else 0
    elif percent_end:
        unit = "percentage points" if "point" in sentence[position : position + percent_end] else "percent"
        cls, position = "percent", position + percent_end
    else:
        noun, noun_cls, unit_phrase = _unit_after(sentence, position)
        if noun_cls:
            unit, cls, position = noun, ("other" if noun_cls == "measure" else noun_cls), unit_phrase[1]

    low, high = _bounds(amount, low_value, qualifier)
    return _Figure(
        start=min(qual_start, cur_start, start),
        end=position,
        number_end=end,
        # A range's amount is its lower end, the figure the text vouches for ("between 1.7 and
        # 5.5 billion": at least 1.7); never its midpoint, which no source gave.
        amount=low if low_value is not None else amount,
        low=low,
        high=high,
        qualifier=qualifier,
        unit=unit,
        cls=cls,
        unit_phrase=unit_phrase,
        large=scale >= 6,
    )


def _range_after(
    sentence: str, first: str, position: int, cur_start: int
) -> tuple[Decimal, int, str, int] | None:
    """The upper end of "between 3 and 5 million", "3 to 5 million", "3-5 million", "$3 to $5bn":
    (value, scale, currency, end). "from 3 to 5" is a change, not a range; "2022 and 2024" are years."""
    rest = sentence[position:]
    if _currency_after(rest)[0] or _percent_after(rest):
        return None  # "rose 25% to $2.3 billion": two figures
    match = re.match(
        rf"\s*(?P<sep>-|–|to|and)\s*(?P<cur>US\$|[$€£¥₩₽])?\s*(?P<num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)"
        rf"(?![\d])(?:\s?-?\s?(?P<scale>{SCALE_WORDS})(?![\w]))?",
        rest,
        re.IGNORECASE,
    )
    if not match:
        return None
    before = _tail(sentence[:cur_start], 20)[0].lower()
    if match.group("sep").lower() == "and":
        if not re.search(r"\bbetween\s*$", before):
            return None
    elif re.search(r"\bfrom\s*$", before):
        return None
    if _year_like(first) and _year_like(match.group("num")):
        return None
    scale = SCALES[match.group("scale").lower()] if match.group("scale") else 0
    currency = SYMBOLS[match.group("cur")] if match.group("cur") else ""
    if not scale and _decimal(first) > _decimal(match.group("num")):
        return None  # "a 3-2 victory" is a score
    return _decimal(match.group("num")), scale, currency, position + match.end()


def _bounds(amount: float, low_value: float | None, qualifier: str) -> tuple[float, float]:
    """(low, high): a range's ends; "at least 250" -> (250, NaN); "below 1.2bn" -> (NaN, 1.2e9)."""
    if low_value is not None:
        return min(low_value, amount), max(low_value, amount)
    if qualifier in ("at least", "more than"):
        return amount, NAN
    if qualifier in ("at most", "less than"):
        return NAN, amount
    return amount, amount


def _currency_after(text: str) -> tuple[str, int]:
    """ISO code of a currency written right after an amount, and the length it takes."""
    match = re.match(
        r"[\s-]?(?P<word>(?:US|U\.S\.|American|New Taiwan|Taiwan|Hong Kong|Australian|Canadian|Singapore)\s+dollars"
        r"|North Korean won|pounds sterling|Swiss francs|CFA francs|[A-Z]{3}\b|RMB\b|[a-z]+)(?:[’']s?)?(?![\w])",
        text,
    )
    if not match:
        return "", 0
    word = match.group("word")
    if word in CODES:
        return word, match.end()
    if word == "RMB":
        return "CNY", match.end()
    code = CURRENCY_WORDS.get(word.lower())
    # Lower case ("dollars", "won") or a capitalised phrase ("Swiss francs"); "Won" alone is a verb.
    if code and (word.islower() or (word[0].isupper() and " " in word)):
        return code, match.end()
    return "", 0


def _percent_after(text: str) -> int:
    match = re.match(r"\s?(?:%|percent\b|per cent\b|pct\b|percentage points?\b)", text)
    return match.end() if match else 0


# --------------------------------------------------------------------------------------------
# States, sources and flows
# --------------------------------------------------------------------------------------------


def _find_mentions(
    sentence: str, context: str, state_matches: list[re.Match[str]], aliases: dict[str, StateAlias]
) -> list[_Mention]:
    """The states a sentence names (`state_matches`, the states table's matches in it), with what
    each mention can be: subject, possessive, the object of a preposition."""
    mentions: list[_Mention] = []
    for match in state_matches:
        alias = aliases[match.group(0)]
        if _means_the_state(alias, sentence, match.start(), match.end(), context):
            mentions.append(_mention_at(sentence, match.start(), match.end(), alias.state, alias.kind))
    return mentions


_POSSESSIVE = re.compile(r"(?:[’']s\b|[’'](?!\w))")
# "to the Ukrainian", "to flood-hit Pakistan": a preposition, then "the" or hyphenated
# modifiers.
_PREPOSITION_BEFORE = re.compile(r"([A-Za-z]+)\s+(?:the\s+)?(?:[a-z]+-[a-z-]+\s+){0,2}$")


def _mention_at(sentence: str, start: int, end: int, state: str, kind: str) -> _Mention:
    """A mention of `state` at sentence[start:end], with what it can be there."""
    rest = sentence[end:]
    possessive = bool(_POSSESSIVE.match(rest))
    previous = _PREPOSITION_BEFORE.search(_tail(sentence[:start], 50)[0])
    prep = previous.group(1).lower() if previous and previous.group(1).lower() in PREPOSITIONS else ""
    if not prep and FOR_STATE.search(_tail(sentence[:start], 40)[0]):
        prep = "to"  # "to support Moldova": the state the money or goods are for
    if kind == "adjective":
        subject_ok = bool(re.match(rf"\s+(?:{STATE_HEADS})\b", rest))
    else:
        subject_ok = not possessive or bool(re.match(rf"[’']s?\s+(?:{STATE_HEADS})\b", rest))
    return _Mention(start, end, state, kind, possessive, prep, subject_ok)


# "Turkey's Baykar", "Brazilian planemaker Embraer", "Embraer, the Brazilian aircraft maker": a
# company and the state it belongs to, learnt once per article. A company's exports
# are its state's arms exports in the news this reads.
_COMPANY_NOUN = r"(?:company|firm|maker|manufacturer|contractor|giant|group|exporter|conglomerate|shipbuilder)"
_COMPANY_CUE = re.compile(
    rf"\b{_COMPANY_NOUN}\b|\b(?:Corp|Inc|Ltd|Co|Industries|Aerospace|Systems|Dynamics|Heavy|Motors)\b"
)
_NAME = r"(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})"
_COMPANY_AFTER_STATE = re.compile(
    rf"(?:[’']s)?\s+(?:(?:state-owned|state-run|defen[cs]e|arms|aerospace|shipbuilding|weapons|tank|military)\s+)*"
    rf"(?:(?P<noun>{_COMPANY_NOUN})\s+)?{_NAME}"
)
_COMPANY_BEFORE_STATE = re.compile(rf"{_NAME},?\s+(?:a|an|the)\s+$")
_NOT_A_COMPANY = re.compile(
    r"\b(?:Minist\w*|President|Prime|Foreign|Defen[cs]e|Army|Navy|Air|Forces?|Council|Office|Agency|"
    r"Service|Intelligence|Institute|Embassy|Government|Parliament|Senate|Congress|Department|Secretary|"
    r"Chief|General|Ambassador|News|Times|Post|Journal|University|Center|Centre|Central)\b"
)
_THE_COMPANY = re.compile(
    r"\b[Tt]he\s+(?:[\w-]+\s+){0,2}?(?:company|firm|manufacturer|maker|contractor)\b"
)


def _learn_companies(sentence: str, matcher: StateMatcher, companies: dict[str, str]) -> None:
    """Add the companies `sentence` introduces with their state to `companies`."""
    if not _COMPANY_CUE.search(sentence):
        return
    states, aliases = matcher
    for match in states.finditer(sentence):
        alias = aliases[match.group(0)]
        if alias.kind not in ("name", "code", "adjective", "official"):
            continue
        after = _COMPANY_AFTER_STATE.match(sentence, match.end())
        before = _COMPANY_BEFORE_STATE.search(_tail(sentence[: match.start()], 80)[0])
        for found in (after, before if before and re.match(rf"\s+(?:\w+\s+)?{_COMPANY_NOUN}\b", sentence[match.end() :]) else None):
            if not found:
                continue
            name = found.group("name").strip()
            if name in aliases or _NOT_A_COMPANY.search(name) or len(name) < 3:
                continue
            companies.setdefault(name, alias.state)


def _company_mentions(sentence: str, companies: dict[str, str]) -> list[_Mention]:
    """Mentions of the article's companies as their states: by name, and as "the company" when
    the article has met one company only."""
    found = []
    for name, state in companies.items():
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence):
            found.append(_mention_at(sentence, match.start(), match.end(), state, "company"))
    if len(set(companies.values())) == 1:
        state = next(iter(companies.values()))
        for match in _THE_COMPANY.finditer(sentence):
            found.append(_mention_at(sentence, match.start(), match.end(), state, "company"))
    return found


def _means_the_state(alias: StateAlias, sentence: str, start: int, end: int, context: str) -> bool:
    """False for a name inside another name or a company: "Washington Post", "France Telecom",
    "Latin American", "US firm", "Italian bank Mediobanca"; and for "the North" outside Korea."""
    before, rest = _tail(sentence[:start], 40)[0], sentence[end : end + 80]
    if alias.context and not re.search(alias.context, f"{context} {sentence}"):
        return False
    if (
        alias.kind in ("capital", "name", "code", "iso")
        and re.match(r"\s+[A-Z][a-z]", rest)
        and not re.match(rf"\s+(?:{STATE_INSTITUTIONS})\b", rest)
    ):
        return False
    if alias.kind == "adjective" and re.search(r"\b(?!(?:The|A|An)\b)[A-Z][\w-]*\s+$", before):
        return False
    return alias.kind == "organisation" or not _names_a_business(rest)


def _names_a_business(rest: str) -> bool:
    """Whether the words after a state's name end, within a short noun phrase, in a business
    noun ("US defence and telecommunications company"); a verb in between ends the phrase."""
    for word in re.findall(r"[\w’'-]+|[^\s\w]", rest)[:4]:
        if re.fullmatch(BUSINESS_NOUNS, word, re.IGNORECASE):
            return True
        verb_or_end = (
            not re.fullmatch(r"[a-z][a-z-]*", word) or word.endswith("ed") or TRIGGER.fullmatch(word)
        )
        if word != "and" and (verb_or_end or word in STOP):
            return False
    return False


def _masked(sentence: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(sentence)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


@lru_cache(maxsize=16)
def _clause_bounds(masked: str) -> tuple[int, ...]:
    """Start and end of each clause, flat: (start0, end0, start1, end1, ...)."""
    bounds = [0]
    for match in CLAUSE_BREAK.finditer(masked):
        bounds += [match.start(), match.end()]
    bounds.append(len(masked))
    return tuple(bounds)


def _segment(masked: str, position: int) -> tuple[int, int, str]:
    """The clause holding `position`, with other clauses and relative clauses blanked out."""
    bounds = _clause_bounds(masked)
    start, end = 0, len(masked)
    for i in range(0, len(bounds) - 1, 2):
        if bounds[i] <= position < bounds[i + 1]:
            start, end = bounds[i], bounds[i + 1]
            break
    clause = " " * start + masked[start:end] + " " * (len(masked) - end)
    relatives = [m.span() for m in RELATIVE.finditer(clause)]
    for r_start, r_end in relatives:
        if r_start <= position < r_end:  # the figure sits in the relative clause: that is its clause
            return r_start, r_end, " " * r_start + clause[r_start:r_end] + " " * (len(clause) - r_end)
    return start, end, _masked(clause, relatives)


@dataclass
class _Parties:
    giver: str = ""
    receiver: str = ""

    def assign(self, role: str, state: str, swap: bool = False) -> None:
        """Fill a role once. With swap, a state that finds its role taken by another state takes
        the other role ("earned $500 million from sales to Russia": Russia pays)."""
        if not state or state in (self.giver, self.receiver):
            return
        if swap and getattr(self, role):
            role = "receiver" if role == "giver" else "giver"
        if not getattr(self, role):
            setattr(self, role, state)


@dataclass
class _Anchor:
    """Where the quantity sits in the sentence: a figure, or the end of a trigger for a sentence
    that names a transfer without a number (context for the next sentence)."""

    start: int
    number_end: int
    origin_end: int  # the end of "barrels of Iranian crude": states up to here are origins


def _resolve_flow(
    reading: _Reading,
    figure: _Figure,
    masked: str,
    triggers: list[re.Match[str]],
    previous: _Reading | None,
    source_spans: list[tuple[int, int]],
) -> None:
    """Sets figure.giver, receiver, what and flow."""
    if figure.cls not in ("money", "item", "count"):
        return
    seg_start, seg_end, clause = _segment(masked, figure.start)
    visible = [t for t in triggers if seg_start <= t.start() < seg_end and clause[t.start()] != " "]
    trigger = _choose_trigger(visible, figure.start, figure.end)
    if trigger is None:
        _resolve_presence(reading, figure, masked)
        return
    if trigger.group("av") and figure.cls != "item":
        return
    # Other counted things flow only as the direct object of a transfer verb ("received 24 horses");
    # "12 Chinese firms that supplied components" counts firms, it does not move them.
    if figure.cls == "count" and not (
        (trigger.group("gv") or trigger.group("rv"))
        and re.fullmatch(r"\s+(?:[\w’'.-]+\s+){0,3}", masked[trigger.end() : figure.start] + " ")
        and trigger.end() <= figure.start
    ):
        return
    if NEGATION.search(clause[seg_start : max(trigger.end(), figure.start)]):
        return
    if (
        NOT_A_TRANSFER.search(clause[seg_start : figure.start])
        or LOSS_AFTER.match(masked, figure.end)
        or REQUESTED_AFTER.match(masked, figure.end)
        or _broken_down_among_receivers(reading, masked, figure)
    ):
        return
    # Money between states below a thousand units of a currency is a misreading ("€2 of
    # billion", a price per item), never aid.
    if figure.cls == "money" and figure.amount < _LEAST_MONEY_FLOW:
        return
    origin_end = figure.end + (_of_complement(masked, figure.end) if figure.cls == "item" else 0)
    anchor = _Anchor(figure.start, figure.number_end, origin_end)
    collected = _collected_for(reading, clause, (seg_start, seg_end), trigger)
    parties = collected or _parties(
        reading, masked, clause, (seg_start, seg_end), trigger, anchor, previous, source_spans
    )
    # A flow has two sides; a transfer with one side unknown keeps that side but is not charted.
    figure.giver, figure.receiver = parties.giver, parties.receiver
    figure.flow = bool(parties.giver and parties.receiver)
    # Money collected from others whom the text does not name as states is no one's to give
    # from the article's context either.
    figure.transfer = collected is None or figure.flow
    figure.returning = bool(RETURN_FLOW.search(masked))
    figure.what = _what(figure, clause, reading)
    figure.status = _status(reading.sentence, (seg_start, seg_end), trigger)


# What a text says of a transfer, in the order the words count: a hedge anywhere in the clause
# makes the figure an estimate ("is estimated to have sent", "likely received"); otherwise the
# word that names the transfer says whether it was pledged, is planned ("will send", "plans to
# buy"), was approved, announced or delivered.
_ESTIMATED = re.compile(
    r"\b(?:estimat\w*|believed|thought to|likely|probably|reportedly|allegedly|suspected|assess(?:ed|es|ment)|"
    r"would have|could|might|(?-i:may)|according to (?:\w+ )?estimates)\b",  # "may", never "May"
    re.IGNORECASE,
)
_PLEDGED = re.compile(r"pledg\w*|promis\w*|commit\w*|offer\w*", re.IGNORECASE)
_APPROVED = re.compile(r"approv\w*|authori[sz]\w*|allocat\w*|earmark\w*|appropriat\w*", re.IGNORECASE)
_ANNOUNCED = re.compile(r"\b(?:announc\w*|unveil\w*)", re.IGNORECASE)
# Before a transfer verb, what makes it one still to come: "will send", "plans to deliver".
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|would|shall|to|plans? to|planning to|set to|expected to|agreed to|is to|are to)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"delivered|shipped|sent|supplied|transferred|handed|donated|exported|sold|paid|gave|given|provided|"
    r"deployed|dispatched|transported|lent|loaned|received|obtained|acquired|imported|bought|purchased|"
    r"procured|earned|took delivery",
    re.IGNORECASE,
)


# The statuses a figure may have, none first.
FIGURE_STATUSES = ("", "estimated", "pledged", "planned", "approved", "announced", "delivered")


def _status(sentence: str, segment: tuple[int, int], trigger: re.Match[str]) -> str:
    """estimated, pledged, planned, approved, announced or delivered, as the figure's clause says;
    "" when it says none of them."""
    start, end = segment
    word = trigger.group(0)
    if _ESTIMATED.search(sentence, start, end):
        return "estimated"
    if _PLEDGED.fullmatch(word):
        return "pledged"
    if _FUTURE_BEFORE.search(sentence[max(start, trigger.start() - 40) : trigger.start()]):
        return "planned"
    if _APPROVED.fullmatch(word):
        return "approved"
    if _ANNOUNCED.search(sentence, start, end):
        return "announced"
    if _DONE.fullmatch(word):
        return "delivered"
    return ""


_COLLECTING = re.compile(r"secur(?:e|es|ed|ing)")  # the receiving verb that also means "collect"
_FROM_AFTER = re.compile(r"\bfrom\b")


def _collected_for(reading: _Reading, clause: str, segment: tuple[int, int], trigger: re.Match[str]) -> _Parties | None:
    """The parties of money or goods secured from others for a third ("Germany secured €1
    billion from partner countries for Ukraine"): the giver is who it came from (when named as a
    state) and the receiver the one it is for; who secured it is neither. None when the clause
    says nothing of the kind ("Moldova secured €50 million from the EU": Moldova receives)."""
    end = segment[1]
    if not _COLLECTING.fullmatch(trigger.group(0).lower()) or not _FROM_AFTER.search(clause, trigger.end(), end):
        return None
    after = [m for m in reading.mentions if trigger.end() <= m.start < end and clause[m.start] != " " and m.kind != "adjective"]
    beneficiary = [m for m in after if m.prep == "for"]
    if not beneficiary:
        return None
    parties = _Parties()
    parties.receiver = beneficiary[0].state
    sources = [m for m in after if m.prep == "from" and m.state != parties.receiver]
    if sources:
        parties.giver = sources[0].state
    return parties


def _broken_down_among_receivers(reading: _Reading, masked: str, figure: _Figure) -> bool:
    """A total the sentence goes on to break down, with no receiver named before the breakdown
    ("a $95 billion budget for military aid, of which $26 billion ..."): the parts are the
    flows. With its receiver before it ("$9 billion to Ukraine, of which half was military"), the
    total is that receiver's."""
    total = TOTAL_AFTER.match(masked, figure.end)
    return bool(total) and not any(figure.end <= m.start < total.end() for m in reading.mentions)


def _parties(
    reading: _Reading,
    masked: str,
    clause: str,
    segment: tuple[int, int],
    trigger: re.Match[str],
    anchor: _Anchor,
    previous: _Reading | None,
    source_spans: list[tuple[int, int]],
) -> _Parties:
    """Giver and receiver of the transfer that `trigger` names, around the quantity at `anchor`."""
    seg_start, seg_end = segment
    giving = bool(trigger.group("gv") or trigger.group("gn") or trigger.group("av"))
    is_verb = bool(trigger.group("gv") or trigger.group("rv") or trigger.group("av"))
    if (
        is_verb
        and NOUN_TRIGGER.fullmatch(trigger.group(0))
        and NOUN_BEFORE.search(_tail(masked[: trigger.start()], 60)[0])
    ):
        is_verb = False  # "China's exports to", "the transfer of": a noun, not a verb
    in_clause = [m for m in reading.mentions if seg_start <= m.start < seg_end and clause[m.start] != " "]
    parties = _Parties()
    assign = parties.assign
    subject_role = "giver" if giving else "receiver"

    # Gapping: "Britain pledged £2.3bn and Germany €7bn": the state right before the figure.
    gap = [m for m in in_clause if trigger.end() < m.start and m.end <= anchor.start and m.subject_ok]
    gap = [m for m in gap if re.search(r"(?:,|\band)\s*$", masked[trigger.end() : m.start])]
    gap = [m for m in gap if re.fullmatch(r"\s*,?\s*", masked[m.end : anchor.start])]
    if gap:
        assign(subject_role, gap[-1].state)
    # A possessive right before a trigger noun: "Russia's compensation", "its payments".
    if not is_verb:
        window = masked[max(seg_start, trigger.start() - 40) : trigger.start()]
        owner = [m for m in in_clause if m.possessive and trigger.start() - 40 <= m.end <= trigger.start()]
        owner = [
            m for m in owner if re.fullmatch(r"[’']s?\s+(?:[\w-]+\s+){0,3}", masked[m.end : trigger.start()])
        ]
        if owner:
            # "for Moldova's energy aid": the aid Moldova gets, not gives.
            assign("receiver" if owner[-1].prep in ("for", "to") else subject_role, owner[-1].state)
        elif re.search(r"\b[Ii]ts\s+(?:[\w-]+\s+){0,3}$", window) and previous:
            assign(subject_role, previous.topic)
    tail, offset = _tail(masked[: trigger.start()], 40)
    # "were sold", not "is exporting": a participle after a form of "be".
    passive_match = PASSIVE_BEFORE.search(tail) if is_verb and not trigger.group(0).lower().endswith("ing") else None
    subject_end = offset + passive_match.start() if passive_match else trigger.start()
    # "a convoy in Chad with 900 tonnes of sorghum donated by Norway": a participle after the
    # goods describes them; what stands before them is not its subject.
    reduced = (
        trigger.start() > anchor.start
        and not passive_match
        and bool(re.fullmatch(r"\w+(?:ed|en|wn|nt|ld|id)", trigger.group(0).lower()))
    )
    subjects = [
        m
        for m in in_clause
        if not m.prep
        and not (reduced and m.end <= anchor.start)
        and m.end <= subject_end
        and (m.subject_ok or (m.possessive and OWNER_OF_SUBJECT.fullmatch(masked[m.end : subject_end])))
    ]
    pronoun = [p for p in PRONOUN.finditer(clause[seg_start:subject_end]) if p.group(0).lower() != "its"]
    if subjects:
        # "Ukraine was given $2.5 billion": the subject of a passive receives.
        assign("receiver" if passive_match else subject_role, subjects[-1].state)
    elif is_verb and pronoun:
        speaker = [
            m for m in reading.mentions if m.subject_ok and any(s <= m.start < e for s, e in source_spans)
        ]
        if speaker and speaker[0].start < pronoun[-1].start() and pronoun[-1].group(0) in ("it", "It"):
            assign("receiver" if passive_match else subject_role, speaker[0].state)
        elif previous and previous.topic:
            assign("receiver" if passive_match else subject_role, previous.topic)
    # Indirect object: "paid Pyongyang", "gave Kyiv", "supplied North Korea with".
    if is_verb and giving and not passive_match:
        after_verb = [
            m
            for m in in_clause
            if m.subject_ok and re.fullmatch(r"\s+(?:the\s+)?", masked[trigger.end() : m.start])
        ]
        if after_verb and after_verb[0].start < anchor.start:
            assign("receiver", after_verb[0].state)
    # Prepositions: "to X", "for X" -> receiver; "from X" -> giver; "by X" -> giver (or the
    # receiver of a receiving verb: "were bought by Poland").
    # Nearest first, and one after the quantity before one as near before it ("400 tonnes for
    # Kenya and 250 tonnes for Uganda": Uganda receives the second).
    for mention in sorted(in_clause, key=lambda m: abs(m.start - anchor.start) + (20 if m.start < anchor.start else 0)):
        if mention.kind == "adjective" and not re.match(r"\s+[a-z]", masked[mention.end :]):
            continue
        if mention.prep in ("to", "for") or (
            mention.prep in ("in", "into", "at")
            and (trigger.group(0).lower().startswith("invest") or trigger.group("av"))
        ):
            assign("receiver", mention.state, swap=giving)
        elif mention.prep == "with" and trigger.group("gv") and _DEAL_BEFORE.search(_tail(masked[: mention.start], 60)[0]):
            assign("receiver", mention.state, swap=True)  # "a $300 million deal with Chile to export jets"
        elif mention.prep == "from":
            assign("giver", mention.state, swap=True)
        elif mention.prep == "by" and not _agent_of_another_verb(masked, mention.start, trigger):
            assign("giver" if giving else "receiver", mention.state, swap=True)
    # Where the goods come from: "North Korean troops", "barrels of Iranian crude".
    for mention in in_clause:
        if anchor.number_end <= mention.start < anchor.origin_end and mention.prep not in ("to", "for"):
            assign("giver", mention.state)
    # A government announcing a package for someone gives it: "The Pentagon said the package ...".
    # So does a state announcing, approving or pledging it: "The US announced $500 million in
    # arms for Ukraine" ("said" is not enough: "Seoul said $5m went to Pyongyang").
    if not parties.giver and parties.receiver and giving:
        for mention in reading.mentions:
            speaking = any(s <= mention.start < e for s, e in source_spans)
            announcing = mention.kind != "adjective" and ANNOUNCING_AFTER.match(reading.sentence, mention.end)
            if (mention.kind == "government" and speaking) or announcing:
                assign("giver", mention.state)
    if previous:
        if bool(parties.giver) != bool(parties.receiver):
            _fill_from_previous(previous, parties, bool(RETURN_FLOW.search(masked)))
        elif (
            not (parties.giver or parties.receiver)
            and all(previous.relation)
            and (ANAPHORIC.search(masked[seg_start : trigger.start()]) or pronoun)
        ):
            # "These shipments were worth $5.5bn": the transfer of the sentence before.
            assign("giver", previous.relation[0])
            assign("receiver", previous.relation[1])
    return parties


def _carried_and_donated(reading: _Reading, masked: str, previous: _Reading | None) -> None:
    """Figures that move with another: goods carried in containers handed over ("900
    containers, which could hold 200,000 shells") take the containers' parties, or the
    sentence before's; each amount in a list of donors ("Japan ($6 million)") is a transfer
    from the state before it, its receiver left to the article."""
    carrier: _Figure | None = None
    carried: _Figure | None = None  # the last figure carried in it ("200,000 shells or 40,000 rockets")
    for figure in reading.figures:
        if figure.flow:
            carrier = figure
            continue
        coordinated = carried is not None and re.fullmatch(
            r"(?:\s+of\s+[\w\s-]{0,40}?)?\s*,?\s*(?:or|and)\s+(?:(?:up to|about|some|around|approximately|more than|over|nearly)\s+)*",
            masked[carried.end : figure.start],
        )
        if figure.cls == "item" and (CARRIED_BEFORE.search(_tail(masked[: figure.start], 60)[0]) or coordinated):
            giver, receiver = (carrier.giver, carrier.receiver) if carrier else previous.relation if previous else ("", "")
            if giver and receiver and not NEGATION.search(masked[: figure.start]):
                figure.giver, figure.receiver, figure.flow, figure.transfer = giver, receiver, True, True
                figure.what = [GOODS[figure.unit]] if figure.unit in GOODS else []
                carried = figure
        elif figure.cls == "money" and not figure.giver and DONORS.search(masked):
            donor = [m for m in reading.mentions if re.fullmatch(r"\s*\(\s*", masked[m.end : figure.start])]
            if donor and donor[-1].kind != "adjective":
                figure.giver, figure.transfer, figure.donation = donor[-1].state, True, True


_DEAL_BEFORE = re.compile(r"\b(?:deal|contract|agreement|accord)\s+(?:[\w-]+\s+)?with\s+(?:the\s+)?$", re.IGNORECASE)


def _agent_of_another_verb(masked: str, by_start: int, trigger: re.Match[str]) -> bool:
    """Whether "by X" is the agent of a participle other than the transfer's: "machine tools
    blacklisted by Japan" names who listed them, not who sent them."""
    before = re.search(r"([A-Za-z]+)\s+by\s+(?:the\s+)?$", _tail(masked[:by_start], 60)[0])
    if not before or before.start(1) + _tail(masked[:by_start], 60)[1] == trigger.start():
        return False
    word = before.group(1)
    return bool(re.fullmatch(r"[a-z]+(?:ed|en)", word)) and not TRIGGER.fullmatch(word)


# "3,500 Belarusian soldiers are now stationed in Russia": people of one state kept in another.
_PRESENCE = re.compile(
    r"^\s+(?:[\w’'-]+\s+){0,3}?(?:are|is|were|was|have been|has been|remain|remained|now|currently|"
    r"reportedly|already|stationed|deployed|based|positioned|present)(?:\s+(?:now|currently|reportedly|"
    r"already|stationed|deployed|based|positioned|present))*\s+(?:in|inside|to)\s+$"
)


def _resolve_presence(reading: _Reading, figure: _Figure, masked: str) -> None:
    """A flow of troops or workers without a transfer word: their state (an adjective before
    the unit, "North Korean soldiers") to the state they are said to be in."""
    if figure.cls != "item" or figure.unit not in ("troops", "workers"):
        return
    origin = [m for m in reading.mentions if figure.number_end <= m.start < figure.unit_phrase[1]]
    if len(origin) != 1 or origin[0].kind != "adjective":
        return
    for mention in reading.mentions:
        if mention.start > figure.end and _PRESENCE.match(masked[figure.end : mention.start] + " "):
            if mention.state != origin[0].state and not NEGATION.search(masked[figure.end : mention.start]):
                figure.giver, figure.receiver, figure.flow = origin[0].state, mention.state, True
                figure.what = [GOODS[figure.unit]] if figure.unit in GOODS else []
            return


def _relation(
    reading: _Reading, masked: str, triggers: list[re.Match[str]], spans: list[tuple[int, int]]
) -> tuple[str, str]:
    """Who gave to whom in this sentence, with or without a figure: context for the next one."""
    for figure in reading.figures:
        if figure.flow:
            return figure.giver, figure.receiver
    for trigger in triggers:
        seg_start, seg_end, clause = _segment(masked, trigger.start())
        if NEGATION.search(clause[seg_start : trigger.end()]):
            continue
        anchor = _Anchor(trigger.end(), trigger.end(), trigger.end())
        parties = _parties(reading, masked, clause, (seg_start, seg_end), trigger, anchor, None, spans)
        if parties.giver and parties.receiver:
            return parties.giver, parties.receiver
    return "", ""


def _choose_trigger(triggers: list[re.Match[str]], start: int, end: int) -> re.Match[str] | None:
    """The transfer word that governs the figure at [start, end): the nearest verb before it
    ("Seoul will provide ... in humanitarian aid"), else the nearest noun before it ("North
    Korea's arms exports ... were worth"), else the nearest one after it ("were supplied")."""
    if not triggers:
        return None
    before = [t for t in triggers if t.end() <= start + 1]
    verbs = [t for t in before if t.group("gv") or t.group("rv")]
    nouns = [t for t in before if t.group("gn") or t.group("rn")]
    if verbs:
        return verbs[-1]
    if nouns:
        return nouns[-1]
    return min(triggers, key=lambda t: abs(t.start() - end))


def _of_complement(text: str, position: int) -> int:
    """Length of an "of ..." phrase after a unit: "barrels of Iranian crude"."""
    match = re.match(r"\s+of\s+(?:[\w’'-]+\s+){0,3}[\w’'-]+", text[position:])
    return match.end() if match else 0


# What comes back for a transfer: "In contrast, Russia's compensation remained below ...".
RETURN_FLOW = re.compile(
    r"\b(?:compensat\w*|in return|in exchange|in contrast|by contrast|paid|pays|payments?|repa\w+|"
    r"reciprocat\w*|in turn)\b",
    re.IGNORECASE,
)


def _fill_from_previous(previous: _Reading, parties: _Parties, returning: bool = False) -> None:
    """The other party of a one-sided flow, from the sentence before: the other side of its
    transfer, else the one state it names in the missing role ("a fund for Ukraine")."""
    known = parties.giver or parties.receiver
    wanted = "receiver" if parties.giver else "giver"
    # With the known party in the same role; in the other role only for what comes back
    # (`returning`): Spain giving to Chile says nothing about who gave what Spain received.
    giver, receiver = previous.relation
    if giver and receiver and known == (giver if wanted == "receiver" else receiver):
        parties.assign(wanted, receiver if wanted == "receiver" else giver)
        return
    if giver and receiver and returning and known in (giver, receiver):
        parties.assign(wanted, receiver if known == giver else giver)
        return
    # Any other state of the sentence before would be a guess ("Latin American exports to China"
    # after a sentence about the US): only one named in the missing role is taken.
    slots = ("to", "for") if wanted == "receiver" else ("from", "by")
    others = list(dict.fromkeys(m.state for m in previous.mentions if m.prep in slots and m.state != known))
    if len(others) == 1:
        parties.assign(wanted, others[0])


@lru_cache(maxsize=1)
def _goods_pattern() -> re.Pattern[str]:
    body = "|".join(re.escape(g) for g in sorted(GOODS, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _what(figure: _Figure, clause: str, reading: _Reading) -> list[str]:
    """What was given, as categories, in the order the sentence names them."""
    if figure.cls == "item":
        spans = [(figure.unit_phrase[0], figure.end + _of_complement(clause, figure.end))]
        # The counted unit itself says what it is: shells are ammunition, tanks are weapons.
        found = [GOODS[figure.unit]] if figure.unit in GOODS else []
    else:
        others = [
            (f.start, f.end + _of_complement(clause, f.end)) for f in reading.figures if f.cls == "item"
        ]
        # "lent Russia $6bn to help renationalise ... oil group Yukos": what the money is for
        # is not what was given.
        purpose = PURPOSE.search(clause, figure.end)
        spans = [(0, purpose.start() if purpose else len(clause))]
        clause = _masked(clause, others)
        found = []
    for start, end in spans:
        for match in _goods_pattern().finditer(clause, start, end):
            found.append(GOODS[match.group(0).lower()])
    return list(dict.fromkeys(found))


def _topic(mentions: list[_Mention], source_spans: list[tuple[int, int]]) -> str:
    for mention in mentions:
        if (
            mention.subject_ok
            and not mention.prep
            and not any(s <= mention.start < e for s, e in source_spans)
        ):
            return mention.state
    return ""


def _may_hold_figures(sentence: str) -> bool:
    """False only for a sentence without a figure: every figure starts from a digit (NUMBER) or
    a scale word (WORD_NUMBER), and most news sentences have neither."""
    return bool(FIGURE_START.search(sentence))


def _read_sentence(
    sentence: str,
    previous: _Reading | None,
    context: str,
    matcher: StateMatcher,
    most_numbers: int = ClaimLimits.numbers,
    companies: dict[str, str] | None = None,
    source_spans: Sequence[tuple[int, int]] = (),
) -> _Reading:
    """Figures, states and flows of one sentence; `previous` is the reading before it,
    `context` its sentence, `matcher` what state_matcher gives, `most_numbers` how many of its
    numbers may be read, `companies` the article's companies and their states, `source_spans`
    where the sentence names who it attributes its claim to (the attribution step's), never
    taken for a party. Without figures, the reading does not depend on `previous`: only the
    flows of figures look back."""
    states, aliases = matcher
    state_matches = list(states.finditer(sentence))  # found once, for numbers and for mentions
    written = sentence
    sentence = _sentence_case(sentence, state_matches)
    figures, numbers_read = _read_numbers(sentence, state_matches, most_numbers)
    mentions = _find_mentions(sentence, context, state_matches, aliases)
    if companies:
        taken = [(m.start, m.end) for m in mentions]
        extra = [m for m in _company_mentions(sentence, companies) if not any(s < m.end and m.start < e for s, e in taken)]
        mentions = sorted(mentions + extra, key=lambda m: m.start)
    source_spans = list(source_spans)
    reading = _Reading(sentence, figures, mentions, _topic(mentions, source_spans), numbers_read=numbers_read)
    masked = _masked(sentence, source_spans)
    triggers = [  # found once: a long sentence has many figures
        t for t in _triggers(masked)
        if not (t.group(0).lower() in ("ship", "ships") and SHIP_NOUN.search(_tail(masked[: t.start()], 40)[0]))
    ]
    for figure in figures:
        _resolve_flow(reading, figure, masked, triggers, previous, source_spans)
    _carried_and_donated(reading, masked, previous)
    reading.relation = _relation(reading, masked, triggers, source_spans)
    reading.sentence = written  # the evidence is the sentence as written
    return reading


# TRIGGER's words are all lower case: matched case-sensitively on the lowered text, it finds the
# same words three times faster than with IGNORECASE (a third of a long paragraph's time).
_TRIGGER_LOWER = re.compile(TRIGGER.pattern)


def _triggers(text: str) -> Iterable[re.Match[str]]:
    """TRIGGER's matches in `text` (their text lower-cased)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): positions would shift
        return TRIGGER.finditer(text)
    return _TRIGGER_LOWER.finditer(lowered)


# A state announcing, approving or pledging: "Japan announces", "the US has approved".
ANNOUNCING_AFTER = re.compile(
    r"\s+(?:(?:has|have|had|also|on \w+)\s+)*(?:announc|approv|pledg|unveil|authori[sz]|commit|allocat|earmark)\w*",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(r"\b[A-Z][a-z’'-]+\b")
_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")


def _sentence_case(sentence: str, state_matches: list[re.Match[str]]) -> str:
    """A headline in title case ("Canada Sends 40 Armoured Vehicles To Latvia") with its
    words in lower case but for the states it names, so that it reads as a sentence does; any
    other sentence as it is. The length is kept, so positions hold in both."""
    titled = _TITLE_WORD.findall(sentence)
    if len(titled) < 4 or len(_LOWER_WORD.findall(sentence)) > len(titled) // 4:
        return sentence
    keep = [m.span() for m in state_matches]
    chars = list(sentence)
    for word in _TITLE_WORD.finditer(sentence):
        if not any(start <= word.start() < end for start, end in keep):
            chars[word.start()] = chars[word.start()].lower()
    return "".join(chars)


def _kind(figure: _Figure) -> str:
    if figure.flow:
        return "flow"
    return {"money": "money", "percent": "percent", "item": "count", "count": "count"}.get(
        figure.cls, "other"
    )


def _as_dict(figure: _Figure, reading: _Reading) -> dict:
    return {
        "giver": figure.giver,
        "receiver": figure.receiver,
        "amount": figure.amount,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "low": figure.low,
        "high": figure.high,
        "what": ", ".join(figure.what),
        "kind": _kind(figure),
        "status": figure.status,
        "source": "",
        "citation": "",
        "sentence": _evidence(reading.sentence, figure),
    }


def _evidence(sentence: str, figure: _Figure) -> str:
    """The sentence behind a figure; of a sentence too long to be one (a line of numbers), the
    stretch around the figure, so that a figure row holds a sentence's worth of text."""
    if len(sentence) <= _EVIDENCE_CHARS:
        return sentence
    half = _EVIDENCE_CHARS // 2
    start, end = max(0, figure.start - half), min(len(sentence), figure.end + half)
    return ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")


# --------------------------------------------------------------------------------------------
# A whole corpus
# --------------------------------------------------------------------------------------------


class _Article:
    """What one article tells about the figures of all its sentences: the contextual names it
    allows ("the North" once Korea is named), and the flows its title and sentences name, from
    which a figure handed over without its parties gets them when they are unambiguous
    ("18 Caesar howitzers;" under "Denmark hands 18 howitzers to Ukraine")."""

    def __init__(self, matcher: StateMatcher, contexts: dict[str, re.Pattern[str]], title: str = "") -> None:
        self.matcher = matcher
        self.unmet = dict(contexts)  # context regex -> compiled, until the article meets it
        self.met: dict[str, str] = {}  # context regex -> the words that met it
        self.figures: list[tuple[dict, _Figure, bool]] = []
        self.relations: set[tuple[str, str]] = set()
        self.companies: dict[str, str] = {}  # company name -> its state
        if title.strip() and (_may_hold_figures(title) or TRIGGER.search(title)):
            self.meet(title)
            reading = _read_sentence(title, None, self.context(""), matcher)
            if all(reading.relation):
                self.relations.add(reading.relation)

    def meet(self, sentence: str) -> None:
        """Note what `sentence` tells the article's later sentences: the context regexes it
        meets and the companies it introduces."""
        _learn_companies(sentence, self.matcher, self.companies)
        for pattern, compiled in list(self.unmet.items()):
            match = compiled.search(sentence)
            if match:
                self.met[pattern] = match.group(0)
                del self.unmet[pattern]

    def context(self, before: str) -> str:
        """The sentence before, with what the article has met so far of each context regex."""
        return " ".join([before, *self.met.values()]).strip()

    def add(self, row: dict, figure: _Figure, listed: bool) -> None:
        self.figures.append((row, figure, listed))
        if figure.flow:
            self.relations.add((figure.giver, figure.receiver))

    def fill_parties(self) -> None:
        relations = self.relations or self._implied_relation()
        last_receiver = ""  # of the last flow read: what "other donors" give to
        for row, figure, listed in self.figures:
            if figure.flow:
                last_receiver = figure.receiver or last_receiver
            if figure.flow or not (figure.transfer or listed) or figure.cls not in ("money", "item"):
                continue
            fits = {
                (giver, receiver)
                for giver, receiver in relations
                if figure.giver in ("", giver) and figure.receiver in ("", receiver)
            }
            if not fits and figure.donation:  # other donors to the article's one receiver
                receivers = {receiver for _, receiver in relations if receiver != figure.giver}
                if len(receivers) > 1 and last_receiver in receivers:
                    # "Other donors ... include Japan ($6 million)": other than the donor just
                    # named, to the receiver it gave to.
                    receivers = {last_receiver}
                fits = {(figure.giver, receivers.pop())} if len(receivers) == 1 else set()
            if not fits and figure.returning:  # what comes back for the article's one flow
                fits = {
                    (receiver, giver)
                    for giver, receiver in relations
                    if figure.giver in ("", receiver) and figure.receiver in ("", giver)
                }
            if len(fits) == 1:
                (giver, receiver), = fits
                what = figure.what or ([GOODS[figure.unit]] if figure.unit in GOODS else [])
                row.update(giver=giver, receiver=receiver, kind="flow", what=", ".join(what))
        self.figures.clear()

    def _implied_relation(self) -> set[tuple[str, str]]:
        """Without a whole flow in the article: the one giver and the one receiver its transfers
        name between them ("Norway earmarked $75 million" ... "set aside for Moldova")."""
        transfers = [figure for _, figure, _ in self.figures if figure.transfer]
        givers = {figure.giver for figure in transfers if figure.giver}
        receivers = {figure.receiver for figure in transfers if figure.receiver}
        if len(givers) == 1 and len(receivers) == 1 and givers != receivers:
            return {(givers.pop(), receivers.pop())}
        return set()


class ArticleFigures:
    """The figures of a corpus read sentence by sentence, article by article, as the claims
    stage hands the sentences over: what an article tells about its later sentences (the states
    named so far, its companies, the flows its title and sentences name) stays within it.

    Rows are dicts with FIGURE_COLUMNS but source and citation, which the stage sets from the
    attribution step; an article's rows may still gain their parties when it finishes
    (`finish_article`)."""

    def __init__(
        self,
        states_file: Path | str | None = None,
        limits: ClaimLimits = ClaimLimits(),
        extra_states: tuple[StateAlias, ...] = (),
    ) -> None:
        # One table for the run, not a file check a sentence; the analyst's aliases over it.
        self.matcher = state_matcher(states_file, extra_states)
        self.contexts = {a.context: re.compile(a.context) for a in self.matcher[1].values() if a.context}
        self.limits = limits
        self.article = _Article(self.matcher, self.contexts)
        self.history: list[tuple[str, list[tuple[int, int]]]] = []  # the article's sentences so far
        # The reading of the sentence before, None at the start of an article and after a
        # sentence without figures: that one is read only if a sentence with figures follows
        # (the rest never look back), and most sentences have none.
        self.previous: _Reading | None = None
        self.numbers_left = limits.numbers

    def start_article(self, title: str = "") -> None:
        """Pronouns and "the report" never reach across articles (the article before is
        finished with `finish_article`)."""
        self.article = _Article(self.matcher, self.contexts, title)
        self.history, self.previous = [], None

    def start_paragraph(self) -> None:
        self.numbers_left = self.limits.numbers

    def read(self, sentence: str, source_spans: list[tuple[int, int]], where: dict) -> list[dict]:
        """The figure rows of the article's next sentence; `source_spans` where it names its
        speakers, `where` the row's doc, article, paragraph and pid."""
        article, history = self.article, self.history
        article.meet(sentence)
        rows: list[dict] = []
        reading = None
        if _may_hold_figures(sentence) and self.numbers_left > 0:
            if self.previous is None and history:  # the sentence before had no figures: read it now
                before, before_spans = history[-1]
                self.previous = _read_sentence(
                    before, None, history[-2][0] if len(history) > 1 else "", self.matcher, self.limits.numbers,
                    article.companies, before_spans,
                )
            context = article.context(history[-1][0] if history else "")
            reading = _read_sentence(
                sentence, self.previous, context, self.matcher, self.numbers_left, article.companies, source_spans
            )
            self.numbers_left -= reading.numbers_read
            for figure in reading.figures:
                row = _as_dict(figure, reading) | where
                rows.append(row)
                article.add(row, figure, _listed(sentence, figure))
        history.append((sentence, source_spans))
        self.previous = reading
        return rows

    def finish_article(self) -> None:
        self.article.fill_parties()


def _listed(sentence: str, figure: _Figure) -> bool:
    """An item of a list ("14 Challenger 2 tanks;", "- 100,000 artillery shells"): a short line
    that starts with its figure of things handed over."""
    return (
        figure.cls == "item"
        and len(sentence) <= 160
        and not sentence[: figure.start].strip(" \t-–—•*·\"“‘'(")
    )
