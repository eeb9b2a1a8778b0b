"""Theme labels: short noun phrases from each theme's own paragraphs.

Candidates are runs of one to three words with no stop word, filler verb or number among them
(so "sanctions monitoring" or "North Korea", never "despite fail" or "in"), found in at least
two of the theme's paragraphs. They are ranked by how distinctive they are (class-based TF-IDF
against the other themes, as in BERTopic) and, when the paragraphs' vectors are given, by how
close each phrase lies to the theme's centre: the phrase itself embedded by the build's model
(as BERTopic's KeyBERT-inspired representation does), or failing a model, the mean of the
paragraphs that use it. Maximal marginal relevance then keeps the list diverse ("north korea"
and "korea" do not both make the cut). An outlet's name (the corpus's outlets, and the news
outlets of the shipped source kinds table) is no label: it says who reported, not what.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

import numpy as np

from ..ingest import dateline_length
from ..tables import OTHER_ID
from ._words import SEGMENTED_LANGUAGES, content_runs

__all__ = ["PhraseEmbedder", "keyword_name", "theme_terms"]

# Phrases and the language of each -> one unit vector per phrase, in the space of the vectors
# the themes were found in (the build's model, centred per language when the build centres).
PhraseEmbedder = Callable[[Sequence[str], Sequence[str]], np.ndarray]

# c-TF-IDF reads at most this many paragraphs per theme: plenty to rank its terms, and it
# keeps labelling a million-paragraph corpus cheap.
_TERMS_SAMPLE = 500
# Candidates per theme that are scored for centrality and diversity.
_CANDIDATES = 40
# Weight of distinctiveness against centrality, and of relevance against diversity (MMR).
_DISTINCT_WEIGHT = 0.6
_MMR_LAMBDA = 0.7
# A phrase used this often inside one longer candidate is replaced by the longer one.
_ABSORB_SHARE = 0.4
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
_TOKEN_OR_BREAK = re.compile(r"(?P<word>[^\W\d_](?:[\w'’-]*[^\W_])?)|[.,;:!?()\[\]\"“”]")
_LATIN = re.compile(r"[a-z]")
_LATIN_LETTER, _LETTER = re.compile(r"[A-Za-z]"), re.compile(r"[^\W\d_]")
# A theme's name is three phrases; an analyst reads English (see `_english_readable_first`).
_NAME_PHRASES = 3
# A theme of at least this share of paragraphs in Latin script is named in Latin script, its
# name's phrases taken further down its candidates when its first keywords are mostly in other
# scripts: on the six-language pages a theme was "north korea / 러시아 / 북한" ("north korea /
# russia / north korea"), where "russia" and "artillery" were candidates of its own.
_LATIN_NAME_SHARE = 0.1

# Words that carry no theme on their own: function words, reporting and filler verbs, vague
# nouns and adverbs, days and months (when, not what: "civilian casualties / report / december"
# named a theme of the 50 news pages), the parts of a web address or an HTML entity that lost
# its "&" ("quot" was a keyword on AG News), units read off a number ("152mm"), and the
# irregular past forms of verbs, which end a noun phrase ("percent / korea economy grew /
# quarter" named a theme of the news pages; regular ones end in -ed, see `_phrases`). A phrase
# may not contain one.
_FILLER = frozenset(
    """
    said says say saying told tell tells according added adds including include includes included
    did does doing
    made make makes making get gets got getting go goes going went gone take takes took taken
    give gives gave given come comes came coming use uses used using want wants wanted know knows
    known think thinks thought see sees seen like likes just need needs needed called set way
    ways time times year years month months week weeks day days today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr per cent also
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    would could should might may must shall will can cannot can't won't don't didn't doesn't
    isn't aren't wasn't weren't it's that's there's he's she's they're we're i'm you're
    lot lots thing things really still even much many several number numbers part parts
    people person one two three four five six seven eight nine ten first second third last
    next new old good bad big small great high low long short well likely recent recently
    already yet though although however despite among whether while since ago later
    early earlier late latter former current currently told asked asks ask says wrote write
    writes read reads according around across within without toward towards per via
    https http www com html htm php quot amp nbsp apos mm cm km kg
    grew grown rose risen fell fallen fought sent struck sought brought bought sold paid held
    began begun spoke spoken became kept meant drew drawn threw thrown flew flown broke broken
    chose chosen shown fled hid hidden stole stolen swore sworn tore torn wore worn written
    stood understood withdrew withdrawn found heard built led
    """.split()
)


# Nouns of six letters or more that end in -ly, as adverbs do.
_NOUNS_IN_LY = frozenset("assembly family anomaly monopoly oligopoly supply butterfly elderly weekly monthly quarterly".split())


@lru_cache(maxsize=1)
def _outlet_names() -> frozenset[str]:
    """News outlets' names and aliases from the shipped source kinds table, in lower case: who
    reported a story is no theme of it ("bloomberg", "yonhap news agency")."""
    from ..lookups import load_source_kinds

    table = load_source_kinds()
    outlets = table[table["kind"] == "news outlet"]
    names = [*outlets["name"], *(alias for aliases in outlets["aliases"] for alias in str(aliases).split("|"))]
    return frozenset(name.strip().lower().replace("’", "'") for name in names if name.strip())


def outlet_phrases(outlets: Sequence[str]) -> frozenset[str]:
    """The phrases that outlets' names make as label candidates ("The Harbour Times
    (harbourtimes.example)" -> "harbour times"): their whole runs of words, not the words inside
    a longer name, which may be a place ("harbour")."""
    stop = _stop_words()
    found = set()
    for outlet in outlets:
        name = re.sub(r"\([^)]*\)", " ", str(outlet))  # "(site.example)", "(tag page)"
        runs = _phrases(name, stop)
        longest = max((phrase.count(" ") for phrase in runs), default=-1)
        found.update(phrase for phrase in runs if phrase.count(" ") == longest)
    return frozenset(found)


@lru_cache(maxsize=64)
def _stop_words(language: str = "en") -> frozenset[str]:
    """Words that are no label in text of `language` (an ISO 639-1 code): English function
    words and filler, whatever the language (English words turn up in any text), and the
    language's own function words where the stop-words package lists them."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from stop_words import safe_get_stop_words

    own = safe_get_stop_words(language) if language != "en" else []
    return frozenset(ENGLISH_STOP_WORDS) | _FILLER | frozenset(word.lower() for word in own)


# Filler words that open capitalised names ("New York", "New Delhi", "Great Britain"), as
# written: in them, inside a sentence and before a capitalised word, they are part of the name,
# not filler.
_NAME_OPENERS = frozenset({"New", "NEW", "Great", "GREAT"})
_CAPITALISED_NEXT = re.compile(r"[ \t]+[A-Z]")


def _adverb_or_past(word: str) -> bool:
    """An English adverb or regular past form, told by its ending. Short words in -ly are not
    adverbs ("italy", "ally", "rally", "reply"), nor are a few longer nouns ("national assembly"
    and "arms supply" were never labels when every -ly word was taken for an adverb); "speed"
    and "greed" are nouns."""
    if word.endswith("ly"):
        return len(word) >= 6 and word not in _NOUNS_IN_LY
    return word.endswith("ed") and not word.endswith("eed")


def _phrases(text: str, stop: frozenset[str]) -> list[str]:
    """Every run of 1-3 content words in `text` (lower case), with no stop word inside but a
    name's opening word ("New York"), as often as it occurs (a bag: in no particular order)."""
    found: list[str] = []
    run: list[str] = []
    sentence_start = True

    def flush() -> None:
        size = len(run)
        for start, word in enumerate(run):
            # A label is a noun phrase: no adverb or past form alone ("recently", "created"), nor
            # at the end of a phrase ("korea reported", "weapons supplied"); a name's opening
            # word only opens it.
            if _adverb_or_past(word) or word in stop:
                continue
            if len(word) >= 3:
                found.append(word)
            if start >= 1:
                found.append(run[start - 1] + " " + word)
            if start >= 2:
                found.append(run[start - 2] + " " + run[start - 1] + " " + word)
        del run[:size]

    # Read in one pass: a sentence break or a comma between two words ends a run ("Korea.
    # Sanctions" is no phrase); no break character can be inside a word.
    for match in _TOKEN_OR_BREAK.finditer(text):
        word = match.group("word")
        if word is None:
            if run:
                flush()
            sentence_start = match.group() in ".!?"
            continue
        opens_name = word in _NAME_OPENERS and not sentence_start and _CAPITALISED_NEXT.match(text, match.end())
        sentence_start = False
        word = word.lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if (word in stop and not opens_name) or len(word) < 2:
            if run:
                flush()
        else:
            run.append(word)
    if run:
        flush()
    return found


def _runs_of(text: str, language: str) -> list[list[str]] | None:
    """Runs of content words for languages written without spaces between words (or with
    particles attached), None for the others (read by `_phrases`)."""
    if language not in SEGMENTED_LANGUAGES:
        return None
    return content_runs(text, language)


def _phrases_of(text: str, language: str, stop: frozenset[str]) -> list[str]:
    runs = _runs_of(text, language)
    if runs is None:
        # A dateline says where a story was filed ("NEW YORK (Reuters) -" gave "york" as a
        # theme's third name on AG News), as a date says when.
        return _phrases(text[dateline_length(text) :], stop)
    found = []
    for part in _english_rules(runs, stop):
        for size in (1, 2, 3):
            for start in range(len(part) - size + 1):
                words = part[start : start + size]
                if size == 1 and len(words[0]) < 3 and _LATIN.search(words[0]):
                    continue
                found.append(" ".join(words))
    return found


def _english_rules(runs: list[list[str]], stop: frozenset[str]) -> list[list[str]]:
    """Runs of content words with English words inside them read as in English text: a stop word
    ends a run, and a single English word is a phrase only with three letters or more. A Korean
    page quoting "the Spirit of Camp David" gave "of camp david", and "152mm" gave "mm"."""
    parts: list[list[str]] = []
    for run in runs:
        parts.append([])
        for word in run:
            if word in stop:
                parts.append([])
            else:
                parts[-1].append(word)
    return [part for part in parts if part]


def _mostly_latin(text: str) -> bool:
    return 2 * len(_LATIN_LETTER.findall(text)) > len(_LETTER.findall(text))


def _with_latin_name(order: list[int], top_n: int, latin: list[bool]) -> list[int]:
    """The first `top_n` of `order` (phrase positions, best first), with phrases in Latin script
    from further down `order` in place of the last ones in other scripts, until `_NAME_PHRASES`
    of them are in Latin script (or none is left)."""
    chosen = order[:top_n]
    missing = _NAME_PHRASES - sum(latin[i] for i in chosen)
    extra = [i for i in order[top_n:] if latin[i]][: max(missing, 0)]
    if not extra:
        return chosen
    others = [i for i in chosen if not latin[i]]
    dropped = set(others[len(others) - len(extra) :])
    return [i for i in chosen if i not in dropped] + extra


def _english_readable_first(phrases: list[str]) -> list[str]:
    """The phrases in Latin script first (each group in its order): the analyst reads English,
    and a theme's name is its first keywords; the others stay among the keywords."""
    latin = [phrase for phrase in phrases if _LATIN.search(phrase)]
    return latin + [phrase for phrase in phrases if not _LATIN.search(phrase)]


def theme_terms(
    texts: Sequence[str],
    labels: Sequence[int],
    top_n: int = 10,
    vectors: np.ndarray | None = None,
    languages: Sequence[str] | None = None,
    phrases: dict[int, list[str]] | None = None,
    outlets: Sequence[str] = (),
    embed_phrases: PhraseEmbedder | None = None,
) -> dict[int, list[str]]:
    """Each theme's best label phrases, best first (empty for "Other").

    Distinctiveness is BERTopic's c-TF-IDF: a phrase's share of the theme's phrase occurrences
    times log(1 + average occurrences per theme / its occurrences in all themes).
    "Other" is scored with the rest (so that its words do not look distinctive elsewhere) but
    gets no terms. With `vectors` (L2-normalised, one per text), a phrase also scores by its
    closeness to the theme's centre: the cosine of the phrase's own vector (`embed_phrases`,
    given the phrase and its language: see `_phrase_languages`) to the centre, or without
    `embed_phrases`, of the mean of the theme's paragraphs that use it; the same vectors tell
    MMR how alike two phrases are. The mean of the paragraphs that use a phrase favours the
    commonest words: "report" and "december" are in paragraphs of every kind in a theme, so
    their paragraphs' mean is its centre; the phrase's own vector says what the phrase means.
    With `languages` (one ISO code per text), Korean, Chinese and Japanese are split into words
    (see _words), each language's function words are no phrase, and phrases in Latin script come
    first: a theme with `_LATIN_NAME_SHARE` of its paragraphs in Latin script takes its first
    `_NAME_PHRASES` (its name) from its candidates in Latin script. `phrases` (text index -> its phrases) is
    filled as texts are read and read before reading a text again: pass the same dict to label
    the same texts grouped another way (themes, then broad themes) without splitting them twice.
    `outlets` are the corpus's own outlets: like the news outlets of the shipped kinds table,
    their names are no labels.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    labels = np.asarray(labels)
    themes = sorted(set(labels.tolist()))
    rows: list[np.ndarray] = []
    for theme in themes:
        members = np.flatnonzero(labels == theme)
        if len(members) > _TERMS_SAMPLE:  # evenly spaced, so the sample is deterministic
            members = members[np.linspace(0, len(members) - 1, _TERMS_SAMPLE).astype(int)]
        rows.append(members)
    order = np.concatenate(rows) if rows else np.zeros(0, dtype=int)
    vectorizer = CountVectorizer(analyzer=lambda phrases: phrases)
    language_of = (lambda i: languages[i]) if languages is not None else (lambda i: "en")
    read = {} if phrases is None else phrases

    @cache
    def mostly_latin(i: int) -> bool:  # read once, for a phrase's language and a theme's name
        return _mostly_latin(texts[i])

    def phrases_at(i: int) -> list[str]:
        if i not in read:
            read[i] = _phrases_of(texts[i], language_of(i), _stop_words(language_of(i)))
        return read[i]

    try:
        counts = vectorizer.fit_transform([phrases_at(int(i)) for i in order]).tocsc().astype(np.float64)
    except ValueError:  # not one content word
        return {theme: [] for theme in themes}
    terms = vectorizer.get_feature_names_out()
    membership = sparse.csr_matrix(
        (
            np.ones(len(order)),
            (np.repeat(np.arange(len(themes)), [len(r) for r in rows]), np.arange(len(order))),
        ),
        shape=(len(themes), len(order)),
    )
    presence = (counts > 0).astype(np.float64)
    uses = (membership @ presence).toarray()  # theme x phrase: paragraphs using it
    frequency = (membership @ counts).toarray()  # theme x phrase: occurrences
    tf = frequency / np.maximum(frequency.sum(axis=1, keepdims=True), 1)
    idf = np.log1p(frequency.sum() / len(themes) / np.maximum(frequency.sum(axis=0), 1))
    distinct = tf * idf
    words = np.array([t.count(" ") + 1 for t in terms])
    not_labels = _outlet_names() | outlet_phrases(outlets)
    is_outlet = np.fromiter((term in not_labels for term in terms), bool, len(terms))
    result: dict[int, list[str]] = {}
    offset = 0
    for row, theme in enumerate(themes):
        members = rows[row]
        local = presence[offset : offset + len(members)]
        offset += len(members)
        if theme == OTHER_ID:
            result[theme] = []
            continue
        # A phrase of one paragraph only is that paragraph's, not the theme's.
        needed = 2 if len(members) >= 2 else 1
        eligible = _absorb(np.flatnonzero(uses[row] >= needed), terms, uses[row])
        # An outlet's name goes after it has absorbed its own words ("tidewater", "gazette").
        eligible = eligible[~is_outlet[eligible]]
        # Sort by score, then by term so that ties cannot reorder between runs.
        ranked = sorted(eligible, key=lambda i: (-distinct[row, i], terms[i]))[:_CANDIDATES]
        if not ranked:
            result[theme] = []
            continue
        relevance = distinct[row, ranked] / max(distinct[row, ranked].max(), 1e-12)
        candidates = [terms[i] for i in ranked]
        phrase_vectors = None
        if vectors is not None:
            member_vectors = np.asarray(vectors, dtype=np.float64)[members]
            centre = member_vectors.mean(axis=0)
            centre /= max(float(np.linalg.norm(centre)), 1e-12)
            using = local[:, ranked].T.tocsr()  # phrase x member paragraph
            if embed_phrases is not None:
                member_languages = [language_of(int(i)) for i in members]
                member_latin = [mostly_latin(int(i)) for i in members]
                phrase_languages = _phrase_languages(candidates, using, member_languages, member_latin)
                phrase_vectors = np.asarray(embed_phrases(candidates, phrase_languages), dtype=np.float64)
            else:
                phrase_vectors = np.asarray(using @ member_vectors / np.maximum(using.sum(axis=1), 1))
            phrase_vectors /= np.maximum(np.linalg.norm(phrase_vectors, axis=1, keepdims=True), 1e-12)
            central = phrase_vectors @ centre
            spread = central.max() - central.min()
            central = (central - central.min()) / spread if spread > 1e-12 else np.ones_like(central)
            relevance = _DISTINCT_WEIGHT * relevance + (1 - _DISTINCT_WEIGHT) * central
        # Two- and three-word phrases name a theme better than single words of equal weight.
        relevance = relevance * (1 + 0.15 * (words[ranked] - 1))
        order = _mmr(relevance, candidates, phrase_vectors, top_n)
        if languages is None:
            result[theme] = [candidates[i] for i in order]
            continue
        latin = [bool(_LATIN.search(phrase)) for phrase in candidates]
        # Only a list long enough to give a name is worth ranking further for one (an update asks
        # for one phrase per group, to know whether its paragraphs share any).
        if (
            top_n >= _NAME_PHRASES
            and sum(latin[i] for i in order) < _NAME_PHRASES
            and np.mean([mostly_latin(int(i)) for i in members]) >= _LATIN_NAME_SHARE
        ):
            # Every candidate in order (MMR is greedy: the first top_n are the same), so that
            # the name may come from further down.
            order = _with_latin_name(_mmr(relevance, candidates, phrase_vectors, len(ranked)), top_n, latin)
        result[theme] = _english_readable_first([candidates[i] for i in order])
    return result


def _phrase_languages(
    phrases: list[str], using, member_languages: list[str], member_latin: list[bool]
) -> list[str]:
    """The language of each phrase, for its vector to be centred as its paragraphs' were: the
    commonest language of the paragraphs that use it (`using`: phrase x paragraph), among those
    written in the phrase's script, Latin or not (`member_latin`). An English phrase inside
    Korean paragraphs ("k-pop", "camp david") is English, not Korean: Latin-script words in
    paragraphs of another script are taken as English, the language a corpus quotes most."""

    def commonest(languages: list[str]) -> str:  # ties to the first in alphabetical order
        counts = Counter(languages)
        top = max(counts.values())
        return min(language for language, count in counts.items() if count == top)

    found = []
    for row, phrase in enumerate(phrases):
        rows = using[row].indices
        latin = bool(_LATIN.search(phrase))
        same_script = [member_languages[i] for i in rows if member_latin[i] == latin]
        if same_script:
            found.append(commonest(same_script))
        elif latin or not len(rows):
            found.append("en")
        else:
            found.append(commonest([member_languages[i] for i in rows]))
    return found


def keyword_name(keywords: Sequence[str], taken: set[str], fallback: str) -> str:
    """A theme's name from its keywords, "north korea / sanctions / panel": its first three, or
    when another theme already has that name (two themes may share their three most
    distinctive phrases), its first two and the first of its next keywords that makes a name
    not yet taken; numbered only when none does. `fallback` names a theme without keywords.
    The name is added to `taken`: name a corpus's themes in order with one set, and no two read
    alike in a picker, a legend or a chart's axis (where two bars of one name stack as one)."""
    keywords = list(keywords)
    tries = [keywords[:3], *([*keywords[:2], extra] for extra in keywords[3:])] if keywords else [[fallback]]
    name = next((" / ".join(words) for words in tries if " / ".join(words) not in taken), "")
    if not name:
        base, number = " / ".join(tries[0]), 2
        while f"{base} ({number})" in taken:
            number += 1
        name = f"{base} ({number})"
    taken.add(name)
    return name


def _absorb(eligible: np.ndarray, terms: np.ndarray, uses: np.ndarray) -> np.ndarray:
    """Drop a phrase that mostly occurs inside a longer candidate: "north" and "korea" are
    "north korea" in this theme, and the longer phrase is the one an analyst would write."""
    index = {terms[i]: i for i in eligible}
    absorbed: set[int] = set()
    for i in eligible:
        words = terms[i].split()
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                inner = index.get(" ".join(words[start : start + size]))
                if inner is not None and uses[i] >= _ABSORB_SHARE * uses[inner]:
                    absorbed.add(inner)
    return np.array([i for i in eligible if i not in absorbed], dtype=int)


def _mmr(relevance: np.ndarray, phrases: list[str], vectors: np.ndarray | None, top_n: int) -> list[int]:
    """Indices of up to `top_n` phrases by maximal marginal relevance: each next phrase is the
    most relevant one, less its likeness to a phrase already chosen (shared words, and the
    cosine of their paragraphs' mean vectors when given). A phrase inside a chosen one, or
    holding one, says the same thing and is skipped."""
    chosen: list[int] = []
    word_sets = [{_stem(w) for w in p.split()} for p in phrases]
    candidates = list(range(len(phrases)))
    while candidates and len(chosen) < top_n:
        best, best_score = None, -np.inf
        for i in candidates:
            if any(_contains(phrases[i], phrases[j]) for j in chosen):
                continue
            likeness = 0.0
            for j in chosen:
                overlap = len(word_sets[i] & word_sets[j]) / len(word_sets[i] | word_sets[j])
                cosine = float(vectors[i] @ vectors[j]) if vectors is not None else 0.0
                likeness = max(likeness, overlap, cosine)
            score = _MMR_LAMBDA * relevance[i] - (1 - _MMR_LAMBDA) * likeness
            if score > best_score + 1e-12:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        candidates.remove(best)
    return chosen


def _stem(word: str) -> str:
    """A crude stem: "korea" and "korean", "russia" and "russian", "goal" and "goals" say the
    same in a label (a plural's "s" goes first: "goal / scoring / goals" named a theme)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:5]


def _contains(a: str, b: str) -> bool:
    """Whether one phrase holds the other as whole words, up to stems ("korea" in "north
    korea", "north korean" in "north korea")."""
    a, b = " ".join(map(_stem, a.split())), " ".join(map(_stem, b.split()))
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "
