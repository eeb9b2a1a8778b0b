"""Cited sources: who a text attributes its claims to, and what kind of source each is.

Rule-based on purpose: attribution in news English is a small set of constructions ("X said",
"said X", "X, a fellow at Y, said", "according to X", "X told Y", "a report by X", "X's study
found", "as revealed by X", "citing X", '"...," X said in a statement'), and rules run offline
with no model to download, fast and the same way every time; an analyst can see why a sentence
was attributed. The words the rules read (verbs, speaker nouns, titles, kind cues) live in
`_vocabulary.py`, apart from the reading here.

One step per attribution: a trigger (a verb, "according to", "by", "citing"), the phrase that
names the speaker (parsed from the words around the trigger: determiner, modifiers, a title, a
name or a noun such as "officials", and what follows it: "of the ministry", "(DoD)"), then the
speaker resolved within its article and given a kind.

Resolution within an article (same doc and article number, paragraphs in order): a surname is
the full name met before ("Kowalski" -> "Anna Kowalski"); "he"/"she" the last person speaking;
"it" the last institution; "the ministry", "the report", "the minister", "the source" the last
source they describe; "a spokesperson at the ministry" and "a spokesperson for X" speak for the
institution. A description met before its name ("— report" in a headline, "a Polish
broadcaster said" before the broadcaster is named) takes the first later source it describes, at the end
of the article; one that never meets a name stays a source of its own when it says enough
("a senior Polish official"), and is dropped when it does not ("the report"). Spelling
variants of a name ("Kim Min-jun", "Kim Minjun") are one source.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

import pandas as pd

from ..lookups import NATIONALITIES, ORG_KINDS, KindTable, kind_table_for
from ..tables import SOURCE_COLUMNS
from ._states import load_states
from ._vocabulary import (
    ADVERBS,
    AGENT_VERBS,
    ASIDE_WORDS,
    BE_FORMS,
    CAPITALISED_NOUNS,
    CLAIM_NOUNS,
    CLAUSE_WORDS,
    DEFINITE,
    DETERMINERS,
    DOCUMENT_NOUNS,
    DOCUMENT_PARTICIPLES,
    DOCUMENT_VERBS,
    EXPRESSED,
    FINITE_WORDS,
    FOREIGN_ARTICLES,
    GENERIC_MODIFIERS,
    GENERIC_NAMES,
    HABITUAL,
    HONORIFICS,
    HYPOTHETICAL_WORDS,
    INSTITUTION_HEADS,
    INVERTIBLE_VERBS,
    KIND_HEADS,
    KIND_WORDS,
    MEDIA_VERBS,
    NAME_CONNECTORS,
    NEGATORS,
    NON_NAME_WORDS,
    NOT_A_PERSON,
    NOT_IN_SUBJECT,
    OBJECT_PRONOUNS,
    PARTICIPLE_ADJECTIVES,
    PARTICIPLES,
    PERSON_NOUNS,
    PERSON_SYNONYMS,
    PLURAL_NOUNS,
    POST_WORDS,
    PRONOUNS,
    PUBLISH_VERBS,
    PUBLISHED,
    QUANTIFIERS,
    ROLE_KIND_CUES,
    SAME_NOUN,
    SAY_VERBS,
    SOURCE_KIND_CUES,
    SPEAKER_NOUNS,
    SPOKESPEOPLE,
    STATE_SOURCE_HEADS,
    STATE_SPEAKER_HEADS,
    STATEMENT_NOUNS,
    STRICT_VERBS,
    TIME_LEADS,
    TIME_WORDS,
    TITLE_MODIFIERS,
    TITLE_WORDS,
    TYPE_NOUNS,
)

__all__ = [
    "AFFILIATION",
    "PATTERN_WORDS",
    "ArticleSources",
    "attributions_in_sentence",
    "reading_order",
    "source_table",
    "speaker_roles",
    "with_speakers",
]

_MAX_SENTENCE = 2000  # longer: a table or extraction debris, not a sentence
# The verb of a cited person's institution, cited with them: "a fellow at the Sejong Institute".
AFFILIATION = "affiliation"
_MAX_PHRASE = 16  # tokens a speaker's phrase may take before its name or noun ends
_MAX_LIST = 6  # sources named in one list ("Chile, Peru and Ecuador said")
_MAX_HEADLINE = 300  # characters of a line read as a headline ("Exports fell: statistics office")
_LOOK_BACK = 48  # sources met before that a pronoun or a description may refer to
# Sentences of one paragraph read for attributions (those with an attribution's words): a news
# paragraph has a few; a paragraph of hundreds is a page dumped as one, read up to here.
_MAX_ATTRIBUTING = 100


# --- words: tokens of a sentence -------------------------------------------------------------

# A word keeps its inner dots, hyphens and apostrophes ("U.S.", "Won-sik", "Ukraine’s",
# "news.ua"); any other character is a token of its own.
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?:[A-Za-z]\.){2,}|\w(?:[\w&]|[.'’\-](?=\w))*|\.\.\.|--|\S"
)
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9.&\-]{1,11}")
_POSSESSIVE = re.compile(r"\w['’]s$|\ws['’]$")
_QUOTES = frozenset("\"“”‘’'")


class _Words:
    """A sentence's tokens: text, lower case, and where each starts and ends."""

    __slots__ = ("ends", "low", "n", "sentence", "starts", "text")

    def __init__(self, sentence: str):
        self.sentence = sentence
        self.text: list[str] = _TOKEN.findall(sentence)
        self.starts: list[int] = []
        self.ends: list[int] = []
        at = 0
        for token in self.text:  # findall keeps the order: each token is found from the last end
            at = sentence.find(token, at)
            self.starts.append(at)
            at += len(token)
            self.ends.append(at)
        self.low = [t.lower() for t in self.text]
        self.n = len(self.text)

    def span(self, i: int, j: int) -> str:
        """The sentence's text from token i to token j (exclusive), as written."""
        return self.sentence[self.starts[i] : self.ends[j - 1]] if j > i else ""

    def index_at(self, offset: int) -> int:
        """The first token starting at or after a character offset."""
        return bisect_left(self.starts, offset)

    def is_word(self, i: int) -> bool:
        return 0 <= i < self.n and self.text[i][0].isalnum()

    def is_cap(self, i: int) -> bool:
        """A capitalised word, or digits before one ("38 North")."""
        if not 0 <= i < self.n:
            return False
        first = self.text[i][0]
        if first.isupper():
            return True
        return first.isdigit() and len(self.text[i]) <= 4 and i + 1 < self.n and self.text[i + 1][0].isupper()

    def acronym_at(self, i: int) -> str:
        """The acronym of "(NSC)" when token i opens one."""
        if (
            i + 2 < self.n
            and self.text[i] == "("
            and self.text[i + 2] == ")"
            and _ACRONYM.fullmatch(self.text[i + 1])
        ):
            return self.text[i + 1]
        return ""


@lru_cache(maxsize=256)
def _words(sentence: str) -> _Words:
    """The tokens of a sentence, kept for the last sentences read (never changed once made)."""
    return _Words(sentence)


def _noun(low: str) -> tuple[str, bool]:
    """A speaker noun in the singular and whether it was plural: ("official", True)."""
    if low in PLURAL_NOUNS:
        noun = PLURAL_NOUNS[low]
        return SAME_NOUN.get(noun, noun), True
    if low in SPEAKER_NOUNS or low in PERSON_NOUNS:
        return SAME_NOUN.get(low, low), False
    return "", False


# --- phrases: who a trigger points at ----------------------------------------------------------


@dataclass
class _Mention:
    """A source as the sentence words it, before it is resolved."""

    start: int  # character offset in the sentence
    text: str = ""  # as written, without its determiner
    pronoun: str = ""
    det: str = ""
    possessor: str = ""  # "Ukraine’s" in "Ukraine’s foreign ministry"
    mods: tuple[str, ...] = ()  # words before the noun: "senior", "Ukrainian"
    head: str = ""  # the speaker noun, singular: "official", "ministry"
    plural: bool = False
    name: str = ""  # a proper name
    role: str = ""  # words that describe a named speaker: "Foreign Minister", "think tank"
    post: _Mention | None = None  # "for the ministry" in "a spokesperson for the ministry"
    post_word: str = ""  # the word before `post`: "for", "of", "in", "from"
    place: str = ""  # "in Pyongyang" after "the Russian embassy"
    acronym: str = ""
    items: list[_Mention] = field(default_factory=list)  # a list: "Chile, Peru and others"
    via: str = ""  # the document the speaker is cited through: "data" in "data from the central bank"

    @property
    def is_document(self) -> bool:
        return bool(self.head) and self.head in DOCUMENT_NOUNS and not self.name


def _core(w: _Words, i: int, limit: int) -> tuple[_Mention, int] | None:
    """The longest phrase naming a speaker that starts at token i: determiner, possessor,
    modifiers, then a speaker noun or a name (with its title), and an acronym in brackets."""
    low, text = w.low, w.text
    k = i
    if k >= limit or not text[k][0].isalnum():
        return None
    if low[k] in PRONOUNS and not w.is_cap(k + 1):
        return _Mention(w.starts[k], text=text[k], pronoun=low[k]), k + 1
    if low[k] in OBJECT_PRONOUNS and not w.is_word(k + 1):  # "according to him,"
        return _Mention(w.starts[k], text=text[k], pronoun=OBJECT_PRONOUNS[low[k]]), k + 1
    det = ""
    if low[k] in DETERMINERS:
        det, k = low[k], k + 1
    body = k
    possessed = body  # index after the last possessive word
    ends: list[
        tuple[int, str, int]
    ] = []  # where the phrase may end, with what ("H" noun, "C" name), from where
    run = -1  # where the capitalised words being read started
    unknown = 0
    role_of = False  # inside "coordinator for strategic communications" before a name
    while k < limit and k - i < _MAX_PHRASE:
        t, lt = text[k], low[k]
        acronym = w.acronym_at(k)
        if acronym:
            if ends and ends[-1][0] == k:
                ends.append((k + 3, ends[-1][1], ends[-1][2]))
                k += 3
                continue
            break
        if not t[0].isalnum():
            break
        if lt == "think" and k + 1 < limit and low[k + 1] == "tank":
            k += 2
            ends.append((k, "H", k - 2))
            run = -1
            continue
        if k == body and (lt in QUANTIFIERS or t in CAPITALISED_NOUNS) and t[0].isupper():
            if lt in QUANTIFIERS:  # "Many analysts"
                k += 1
                continue
            k += 1  # "Officials said", "Analysts estimate"
            ends.append((k, "H", k - 1))
            continue
        if w.is_cap(k) and (
            (t.isupper() and len(t) > 1) or (lt not in NOT_IN_SUBJECT and lt not in CLAUSE_WORDS)
        ):
            if run < 0:
                run = k
            if _POSSESSIVE.search(t) and unknown:
                break  # "Kowalski deplored Tuesday's ...": a possessor comes first
            k += 1
            if _POSSESSIVE.search(t):
                possessed = k
                ends, run = [], -1
            else:
                ends.append((k, "C", run))
            continue
        if (
            lt == "in"
            and k > body
            and w.is_cap(k - 1)
            and w.is_cap(k + 1)
            and run >= 0
            and any(
                text[x] in GENERIC_NAMES or text[x] in ("Co-operation", "Cooperation") for x in range(run, k)
            )
        ):
            k += 1  # "Embassy in Pyongyang", "Co-operation in Europe"
            continue
        if lt in NAME_CONNECTORS and k > body and w.is_cap(k - 1) and k + 1 < limit:
            nxt = k + 2 if low[k + 1] == "the" and k + 2 < limit else k + 1
            # "and" joins words of one name only inside its "of" part: "Center for Strategic
            # and International Studies"; otherwise it joins two sources.
            inside = lt != "and" or (nxt == k + 1 and any(low[x] in ("of", "for") for x in range(body, k)))
            if w.is_cap(nxt) and inside and low[nxt] not in TIME_WORDS:
                k = nxt
                continue
        if (
            lt in ("for", "of")
            and ends
            and ends[-1][0] == k
            and ends[-1][1] == "H"
            and low[k - 1] in PERSON_NOUNS
        ):
            role_of = True  # a title with its object, before a name: "coordinator for ..."
            k += 1
            continue
        if lt in NOT_IN_SUBJECT or lt in CLAUSE_WORDS or lt in DETERMINERS:
            break
        run = -1
        if _POSSESSIVE.search(t):  # "the country’s"
            if unknown:
                break
            k += 1
            possessed = k
            ends = []
            continue
        if lt in QUANTIFIERS or t[0].isdigit():
            k += 1
            continue
        noun, _ = _noun(lt)
        if noun:
            k += 1
            ends.append((k, "H", k - 1))
            continue
        if lt in SAY_VERBS or lt in STRICT_VERBS or lt in PARTICIPLES or lt in INVERTIBLE_VERBS:
            break
        if lt.endswith("ed") and k + 1 < limit and (text[k + 1][0].isdigit() or low[k + 1] in DETERMINERS):
            break  # "the floods killed 15 people": a verb and its object
        unknown += 1
        if unknown > (4 if role_of else 2):
            break
        k += 1
    if role_of:  # a title with an object ends only with the name after it
        ends = [e for e in ends if e[1] == "C" or not any(low[x] in ("for", "of") for x in range(body, e[0]))]
    if not ends:
        return None
    end, how, first = ends[-1]
    return _describe(w, i, det, body, possessed, end, how, first), end


def _describe(
    w: _Words, i: int, det: str, body: int, possessed: int, end: int, how: str, first: int
) -> _Mention:
    """A phrase's parts: (determiner) (possessor) (modifiers or title) (noun or name)."""
    text, low = w.text, w.low
    stop = end
    acronym = ""
    if end - body >= 3 and text[end - 1] == ")" and w.acronym_at(end - 3):
        acronym, stop = text[end - 2], end - 3
    start = body if det else i
    mention = _Mention(w.starts[start], text=w.span(body, end), det=det, acronym=acronym)
    mention.possessor = w.span(body, possessed) if possessed > body else ""
    descriptor = max(body, possessed)
    if how == "H":
        noun, plural = _noun(low[stop - 1]) if low[stop - 1] != "tank" else ("think tank", False)
        head_start = stop - 2 if noun == "think tank" else stop - 1
        mention.head, mention.plural = noun, plural
        mention.mods = tuple(text[descriptor:head_start])
        news = noun == "agency" and head_start > descriptor and low[head_start - 1] == "news"
        typed = head_start - (1 if news else 0)
        if (noun in TYPE_NOUNS or news) and typed > descriptor and w.is_cap(typed - 1) and not plural:
            first = typed  # "the KCNA news agency", "the Hankyoreh newspaper": a name and its kind
            while first > descriptor and w.is_cap(first - 1):
                first -= 1
            name = w.span(first, typed)
            if (
                not _state_of(name)
                and name not in NATIONALITIES
                and not all(t in NATIONALITIES for t in name.split())
            ):
                mention.name, mention.head, mention.mods = name, "", ()
                mention.role = (
                    w.span(body, first) + " " + w.span(typed, stop) if first > body else w.span(typed, stop)
                )
                mention.role = mention.role.strip()
        return mention
    # A name: the capitalised words at the end, after the last lower-case word.
    first = max(first, descriptor)
    while first < stop and low[first] in NAME_CONNECTORS and text[first][0].islower():
        first += 1
    name = w.span(first, stop)
    trimmed, cut = _trim_leading(name)
    if cut:
        first = w.index_at(w.starts[first] + cut)
        while first < stop - 1 and low[first] in NAME_CONNECTORS:
            first += 1
        trimmed = w.span(first, stop)
    mention.name = trimmed
    mention.role = w.span(body, first)
    if mention.role and not det and possessed <= body:
        mention.start = w.starts[descriptor]
    if trimmed in GENERIC_NAMES and det in DEFINITE and not mention.role:  # "the Commission"
        mention.name, mention.head = "", trimmed.lower()
    titles = trimmed.split()
    if titles[-1].lower() in PERSON_NOUNS and all(
        t in TITLE_WORDS or t in NATIONALITIES or _state_of(t) for t in titles
    ):
        # A title without a name ("British Foreign Minister noted"): the person it names.
        mention.name, mention.head = "", _noun(titles[-1].lower())[0]
        mention.mods = tuple(text[descriptor : stop - 1])
        mention.det = det or "the"
    return mention


@lru_cache(maxsize=8192)
def _trim_leading(name: str) -> tuple[str, int]:
    """Drop sentence openers glued to a name ("However Lee", "Meanwhile Kim"): (name, chars cut)."""
    words = name.split(" ")
    cut = 0
    while len(words) > 1 and words[0] in NON_NAME_WORDS:
        cut += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), cut


_OF_WORDS = frozenset("of at for from with".split())


def _phrase(w: _Words, i: int, limit: int, exact: bool) -> tuple[_Mention, int] | None:
    """A speaker's phrase at token i with what follows it: "of the ministry", "in Pyongyang",
    ", or NDI,". With `exact`, the phrase must fill tokens i..limit (a subject before its
    verb), and whatever follows the phrase must describe it ("familiar with the talks")."""
    found = _core(w, i, limit)
    if found is None:
        return None
    mention, k = found
    low = w.low
    if mention.head == "people" and (k >= limit or low[k] != "familiar"):
        return None  # only "people familiar with the matter" speak unnamed
    if mention.is_document and k + 1 < limit and low[k] in DOCUMENT_PARTICIPLES:
        # "figures compiled by the Bank of Chile", "a survey released on Friday by X"
        x = k + 1
        while x < limit and x - k < 4 and low[x] not in ("by", "from"):
            x += 1
        if x < limit and low[x] in ("by", "from"):
            nested = _core(w, x + 1, limit)
            if nested and (nested[0].name or nested[0].head in INSTITUTION_HEADS):
                mention.post, mention.post_word = nested[0], "by"
                k = nested[1]
    if k < limit and low[k] in _OF_WORDS and (mention.head or mention.name):
        nested = _core(w, k + 1, limit)
        if nested and (nested[0].name or nested[0].head) and not nested[0].pronoun:
            mention.post, mention.post_word = nested[0], low[k]
            if mention.head and nested[0].name and low[k] == "of" and mention.head not in SPOKESPEOPLE:
                mention.place = w.span(k, nested[1])  # "the government of Iran", "the embassy of X"
            k = nested[1]
    elif k < limit and low[k] == "in" and w.is_cap(k + 1) and (mention.head or mention.name):
        nested = _core(w, k + 1, limit)
        if nested and nested[0].name:
            mention.post, mention.post_word = nested[0], "in"
            mention.place = w.span(k, nested[1])
            k = nested[1]
    if not exact:
        return mention, k
    if k == limit:
        return mention, k
    # What follows the phrase must describe it: a preposition or participle and no verb.
    if low[k] not in POST_WORDS or limit - k > 14:
        return None
    for x in range(k, limit):
        t = low[x]
        if t in BE_FORMS or t in NEGATORS or t in ("has", "have", "had") or not w.text[x][0].isalnum():
            if w.text[x] in ("(", ")", "-", "–"):
                continue
            return None
        if t in SAY_VERBS or t in STRICT_VERBS or (t.endswith("ed") and t not in PARTICIPLE_ADJECTIVES):
            return None  # a verb: what follows the phrase is a clause, not a description
    return mention, limit


def _is_speaker(mention: _Mention) -> bool:
    """Whether a phrase can name who speaks: a name, a pronoun or a speaker noun."""
    if mention.pronoun or mention.items:
        return True
    if mention.name:
        name = mention.name
        return not (name in NON_NAME_WORDS or name.isdigit() or _POSSESSIVE.search(name))
    return bool(mention.head)


# --- finding the subject of a verb -----------------------------------------------------------


def _skip_back(w: _Words, j: int) -> int:
    """Index after the subject when the words before token j are adverbs, auxiliaries or a time:
    "Lee further analyzed", "has also said", "Chilean officials last week revealed"."""
    low = w.low
    while j > 0:
        t = low[j - 1]
        if t in ADVERBS:
            j -= 1
            continue
        if t in TIME_WORDS or (t.isdigit() and len(t) <= 4) or t in ("week", "month", "year"):
            k = j - 1
            while k > 0 and (
                low[k - 1] in TIME_WORDS
                or low[k - 1].isdigit()
                or low[k - 1] in ("early", "late", "mid", "this", "last", "next", "past")
            ):
                k -= 1
            if k > 0 and low[k - 1] in TIME_LEADS | {"this", "last"}:
                k -= 1
            if k > 0 and low[k - 1] in ("earlier", "later"):
                k -= 1
            if k == j - 1 and low[k] not in TIME_WORDS:
                break  # a number alone is not a time
            j = k
            continue
        if (
            t == ","
            and j >= 3
            and low[j - 2] in ("however", "meanwhile", "though", "too", "instead")
            and low[j - 3] == ","
        ):
            j -= 3
            continue
        break
    return j


def _is_boundary(w: _Words, i: int) -> bool:
    t = w.text[i]
    if not t[0].isalnum():
        return t not in ("&",)
    if w.low[i] == "and" and w.is_cap(i - 1) and w.is_cap(i + 1):
        x = i - 1  # "Organization for Security and Co-operation": one name
        while x > 0 and (w.is_cap(x) or w.low[x] in ("of", "the")):
            if w.low[x - 1] in ("of", "for") and w.is_cap(x - 2):
                return False
            x -= 1
    return w.low[i] in CLAUSE_WORDS or w.low[i] in HYPOTHETICAL_WORDS


def _boundary_before(w: _Words, j: int) -> int:
    """The clause boundary before token j (a punctuation mark or "and", "that", "as"...): its
    index, or -1 at the start. Brackets around an acronym ("(NDI)") are no boundary. A subject
    is never longer than _MAX_PHRASE words and what describes it: further back, there is no
    subject to find, and the boundary is taken to be there."""
    b = j - 1
    while b >= 0:
        if j - b > 2 * _MAX_PHRASE:
            return b
        if w.text[b] == ")" and b >= 2 and w.acronym_at(b - 2):
            b -= 3
            continue
        if _is_boundary(w, b):
            return b
        b -= 1
    return -1


def _subject(w: _Words, v: int, j: int, verb: str) -> tuple[_Mention | None, str]:
    """The speaker of the verb at token v (j: where the words before it, adverbs skipped, end):
    (mention, how) with how "subject", "inverted", "main" (the subject of a coordinated verb:
    "X deplored ... and said") or "" when none."""
    b = _boundary_before(w, j)
    if b >= 0 and (w.low[b] in HYPOTHETICAL_WORDS or w.low[b] == "nor"):
        return None, ""
    if b + 1 < j and w.low[b + 1] in ("neither", "no", "none", "nobody", "nothing"):
        return None, ""
    if b < j - 1:  # words between the boundary and the verb: the subject
        found = _phrase(w, b + 1, j, exact=True)
        if found is None or not _is_speaker(found[0]):
            return None, ""
        listed = _listed(w, b, found[0])
        if listed is None:
            return None, ""
        return listed, "subject"
    if b < 0:
        return None, ""
    t = w.text[b]
    if t == ",":
        appositive = _appositive_subject(w, b)
        if appositive is not None:
            return appositive, "subject"
    if w.low[b] in ("and", "but") or (t == "," and w.low[b - 1] in ("and", "but") if b > 0 else False):
        return None, "main"
    if (t == "," or t in _QUOTES) and verb in INVERTIBLE_VERBS:
        found = _phrase(w, v + 1, w.n, exact=False)
        if (
            found
            and _is_speaker(found[0])
            and found[0].pronoun not in ("it", "they")
            and not found[0].is_document
        ) or (found and found[0].is_document and verb in ("reads", "read")):
            mention, end = found
            if mention.name and not mention.role and end < w.n and w.text[end] == ",":
                stop = next(
                    (x for x in range(end + 1, min(w.n, end + 25)) if w.text[x] in (",", ".", ";")), w.n
                )
                if stop > end + 1 and _is_role(w, end + 1, stop):  # '"...," said X, an analyst at Y.'
                    mention.role = re.sub(r"^(?:a|an|the)\s+", "", w.span(end + 1, stop))
            return mention, "inverted"
    return None, ""


def _listed(w: _Words, b: int, last: _Mention) -> _Mention | None:
    """`last` with the sources listed before it: "Chile and Peru",
    "Chile, Peru, and others". A list counts only if it starts a clause; after "and"
    that follows a name ("between Putin and Kim Jong-un said"), only a list is a subject."""
    items = [last]
    if last.pronoun:
        return last
    joined = b > 0 and w.low[b] in ("and", "or") and (w.is_cap(b - 1) or bool(_noun(w.low[b - 1])[0]))

    def listing() -> _Mention:
        mention = _Mention(
            items[0].start, text=w.span(w.index_at(items[0].start), w.index_at(last.start) + 1)
        )
        mention.items = items
        return mention

    while b >= 0 and len(items) < _MAX_LIST and w.low[b] in (",", "and", "or"):
        sep = b
        if w.low[sep] in ("and", "or") and sep > 0 and w.text[sep - 1] == ",":
            sep -= 1
        start = _boundary_before(w, sep)
        found = _phrase(w, start + 1, sep, exact=True) if start < sep - 1 else None
        if found is None or not _is_speaker(found[0]) or found[0].pronoun:
            # "In a statement, the leaders of A, B and C said": the comma before the first item
            # ends an opening phrase.
            return listing() if len(items) > 1 and w.text[sep] == "," else (None if joined else last)
        items.insert(0, found[0])
        b = start
        if b < 0 or w.low[b] not in (",", "and", "or"):
            if b >= 0 and not _is_boundary(w, b):
                return None if joined else last
            return listing()
    return None if joined else last


def _appositive_subject(w: _Words, comma: int) -> _Mention | None:
    """ "X, a fellow at Y, said" and "X, who spoke on condition of anonymity, told": the
    speaker before the appositive ending at `comma`. "Seoul's spy agency, the National
    Intelligence Service, told": the name in the appositive, described by the words before."""
    for _ in range(3):
        before = comma - 1
        while before >= 0 and w.text[before] != ",":
            if not w.text[before][0].isalnum() and w.text[before] not in ("(", ")", "-", "’", "'", "&", "."):
                break
            before -= 1
        if before < 0 or w.text[before] != ",":
            return None
        inner_start, inner_end = before + 1, comma
        if inner_end - inner_start > 30 or inner_end == inner_start:
            return None
        start = _boundary_before(w, before)
        head = _phrase(w, start + 1, before, exact=True) if start < before - 1 else None
        if head is not None and _is_speaker(head[0]):
            speaker = head[0]
            appositive = _phrase(w, inner_start, inner_end, exact=True)
            inner = w.span(inner_start, inner_end)
            if (
                appositive
                and appositive[0].name
                and not appositive[0].role
                and not speaker.name
                and speaker.head
            ):
                named = appositive[0]  # "Seoul's spy agency, the National Intelligence Service,"
                named.role = speaker.text
                return named
            if _is_role(w, inner_start, inner_end):
                if w.low[inner_start] == "or" and inner_end - inner_start == 2:
                    speaker.acronym = w.text[inner_start + 1]  # "X, or NDI, said"
                elif (
                    not speaker.role
                    and w.low[inner_start] not in ("who", "which", "whose")
                    and w.low[inner_start] not in ASIDE_WORDS
                ):
                    speaker.role = re.sub(r"^(?:a|an|the|one of the)\s+", "", inner)
                return speaker
        comma = before
    return None


def _is_role(w: _Words, i: int, j: int) -> bool:
    """An appositive that describes a speaker: "a senior fellow at X", "who spoke ...",
    "Secretary for Trade and Industry", "or NDI"."""
    first = w.low[i]
    if first in (
        "who",
        "which",
        "whose",
        "or",
        "speaking",
        "citing",
        "quoting",
        "writing",
        "responding",
        "referring",
    ):
        return True
    if first in ASIDE_WORDS:  # "X, during a visit to Warsaw, announced"
        return True
    if any(w.low[x] in BE_FORMS or w.low[x] in ("has", "have", "had", "will", "would") for x in range(i, j)):
        return False
    if first in ("that", "and", "but", "as", "if", "when"):
        return False
    if first in ("a", "an", "the", "former", "then", "now", "one", "also") or _POSSESSIVE.search(w.text[i]):
        return True
    return any(
        w.low[x] in PERSON_NOUNS or (w.text[x] in TITLE_WORDS and w.text[x][0].isupper()) for x in range(i, j)
    )


def _main_subject(w: _Words) -> _Mention | None:
    """The subject of the sentence's first clause, after an opening phrase ("In August, the
    bank held ...", "In an interview with X, Y, Kowalski defended ..."): a speaker
    followed by a lower-case word, its verb."""
    starts = [0, *[x + 1 for x in range(min(w.n, 30)) if w.text[x] == ","][:4]]
    for i in starts:
        if i >= w.n or (w.low[i] in NOT_IN_SUBJECT and w.low[i] not in PRONOUNS) or w.low[i].endswith("ing"):
            continue
        found = _phrase(w, i, w.n, exact=False)
        if found is None or not _is_speaker(found[0]):
            continue
        k = _skip_back_forward(w, found[1])
        if (
            k < w.n
            and w.text[k][0].islower()
            and w.low[k] not in CLAUSE_WORDS
            and w.low[k] not in NOT_IN_SUBJECT - {"has", "have", "had"}
        ):
            return found[0]
    return None


def _skip_back_forward(w: _Words, k: int) -> int:
    while k < w.n and w.low[k] in ADVERBS:
        k += 1
    return k


def _after_verb(w: _Words, k: int) -> int:
    """Index after adverbs and a time that follow a verb: "said Thursday", "added on Monday"."""
    low = w.low
    while k < w.n:
        t = low[k]
        if t in ADVERBS or t in TIME_WORDS:
            k += 1
            continue
        if (
            t in TIME_LEADS
            and k + 1 < w.n
            and (
                low[k + 1] in TIME_WORDS
                or low[k + 1].isdigit()
                or (
                    low[k + 1] in ("the", "a")
                    and k + 2 < w.n
                    and low[k + 2] in TIME_WORDS | {"early", "late", "end", "start", "beginning"}
                )
            )
        ):
            nxt = k + 1
            while nxt < w.n and (
                low[nxt] in TIME_WORDS or low[nxt].isdigit() or low[nxt] in (".", "the", "a", "early", "late")
            ):
                nxt += 1
            if nxt - k > 4:
                break
            k = nxt
            continue
        break
    return k


def _complement(w: _Words, k: int) -> bool:
    """Whether a verb whose object alone would make it an action ("revealed a new missile")
    attributes: it is followed by "that", a colon, a quote, a clause, "to be", or nothing."""
    k = _after_verb(w, k)
    if k >= w.n:
        return True
    t = w.low[k]
    if t in ("that", ":", "“", '"', "‘", "—", "–"):
        return True
    if t in (".", "!", "?") or all(not w.text[x][0].isalnum() for x in range(k, w.n)):
        return True
    if (
        t == ","
        and k + 1 < w.n
        and (
            w.low[k + 1] in PARTICIPLES
            or w.text[k + 1] in _QUOTES
            or w.low[k + 1] in ("that", "according", "citing")
            or w.low[k + 1].endswith("ing")
        )
    ):
        return True
    if t == "to" and k + 1 < w.n and w.low[k + 1] in ("be", "have", "been"):
        return True
    if (
        t in ("in", "on")
        and k + 2 < w.n
        and w.low[k + 1] in ("a", "an", "its", "his", "her", "their")
        and w.low[k + 2] in DOCUMENT_NOUNS | {"interview", "post", "tweet", "briefing"}
    ):
        return True
    for x in range(k, min(w.n, k + 9)):  # a clause: "revealed China was selling"
        if w.low[x] in FINITE_WORDS:
            return True
        if w.text[x] in (",", ";", ".") or w.low[x] in ("that", "which", "who"):
            break
    return False


# --- triggers ----------------------------------------------------------------------------------


@dataclass
class _Hit:
    mention: _Mention
    verb: str
    how: str = "subject"
    note: str = ""  # a document the source spoke through ("statement" in "said in a statement")
    title: bool = False  # the mention is a report's title

    @property
    def position(self) -> int:
        return self.mention.start


_DOC_NOUNS_RE = r"report|study|paper|survey|analysis|white paper|assessment"
_DOCUMENT_BY = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir)\s+(?:(?:new|latest|recent|annual|joint|special|separate|"
    rf"\d{{4}})\s+)*({_DOC_NOUNS_RE}|statement)(?:\s+[\"“][^\"”]{{2,120}}[\"”])?,?\s+(?:(?:published|released|issued|"
    rf"compiled|conducted|posted)\s+(?:(?:on|last|in|this)\s+\w+\s+)?)?(?:by|from)\s+"
)
_DOCUMENT_OF = re.compile(
    r"((?:[A-Z][\w.\-]*\s+(?:(?:of|the|and)\s+)?){0,4}[A-Z][\w.\-]*['’]s)\s+(?:(?:new|latest|recent|annual)\s+)?"
    rf"({_DOC_NOUNS_RE})\b"
)
# "a report titled X", "a report by the Asan Institute titled X", "a study, titled X,"
_TITLED = re.compile(
    rf"\b({_DOC_NOUNS_RE}|book|article)\b(?:[ ,][^.;:\"“”]{{0,80}}?)?[ ,]\s*(?:titled|entitled|called)\s*,?\s*"
)
_PASSIVE = re.compile(
    r"\b(?:images?|imagery|photos?|data|figures|report|statement|documents?|analysis|survey|study|"
    r"footage|statistics),?\s+(?:\w+\s+){0,2}?(analyzed|analysed|compiled|published|released|"
    r"reported|obtained|carried|provided|put forth|shared)\s+by\s+"
)
_AGENT = re.compile(
    rf"\b({'|'.join(sorted(AGENT_VERBS | CLAIM_NOUNS, key=len, reverse=True))})\s+(?:(?:made|issued|voiced)\s+)?by\s+"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_CITING = re.compile(r"\b(?:[Cc]iting|[Cc]ited|quoted|with reference to)\s+")
# Where a whole article comes from: "This article first appeared in X", "originally published by X".
_APPEARED = re.compile(
    r"\b(?:[Tt]his|[Tt]he)\s+(?:article|story|report|piece|interview)\s+(?:was\s+)?(?:first\s+|originally\s+)?"
    r"(?:appeared|published|ran)\s+(?:in|on|by)\s+|\b[Oo]riginally\s+published\s+(?:in|on|by)\s+"
)
# A document said to hold a claim: "a Chilean report that foreign trawlers ...".
_DOCUMENT_THAT = re.compile(rf"\b(?:{_DOC_NOUNS_RE}|reports|studies|assessments)\s+that\s+")
_VERBS_ALL = SAY_VERBS | STRICT_VERBS | DOCUMENT_VERBS


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# A verb that attributes, with what some verbs need after them to attribute ("made a statement",
# "expressed concern", "spoke about", "released a report"): sentences with none of these are
# not read further.
_VERB = re.compile(
    r"\b(?:pointed out|points out|called on|calls on"
    rf"|(?:made|makes)(?=\s+(?:(?:such|a|an|the|this|that|these|those|similar)\s+){{0,3}}(?:{_alternatives(STATEMENT_NOUNS)})\b)"
    rf"|(?:expressed|voiced)(?=(?:\s+[\w\-]+){{0,3}}?\s+(?:{_alternatives(EXPRESSED)})\b)"
    r"|(?:spoke|speaks)(?=\s+(?:about|of)\b)"
    rf"|(?:{_alternatives(PUBLISH_VERBS)})(?=(?:\s+[\w\-]+){{0,3}}?\s+(?:{_alternatives(PUBLISHED)})\b)"
    rf"|{_alternatives(_VERBS_ALL)})\b"
)
_SEE_ALSO = re.compile(r"^\s*(?:Read|See|Watch|Listen|Related)(?:\s+(?:also|more|next))?\s*:")
# A headline's source: "Exports fell in May: statistics office", "Tanks are on their way - minister";
# the claim before it has four words or more ("Photo: Reuters" is a credit, not a claim).
_HEADLINE = re.compile(r"^\s*(?:\S+\s+){3,}?\S+?(?:\s[:—–\-]|:)\s+([\w.’'\-]+(?:\s+[\w.’'\-]+){0,3})\s*$")

# The words each pattern cannot match without, as whole words (\w+ runs) in this case: most
# sentences attribute nothing, and a set lookup rules a pattern out faster than its search.
# Public so that a test can hold the hand-typed words to the patterns.
_WORD = re.compile(r"\w+")
_DOC_WORDS = frozenset(_WORD.findall(_DOC_NOUNS_RE))
PATTERN_WORDS: dict[re.Pattern[str], frozenset[str]] = {
    _DOCUMENT_BY: _DOC_WORDS | {"statement"},
    _DOCUMENT_OF: _DOC_WORDS,
    _TITLED: _DOC_WORDS | {"book", "article"},
    _PASSIVE: frozenset(
        "image images imagery photo photos data figures report statement document documents analysis "
        "survey study footage statistics".split()
    ),
    _AGENT: frozenset(AGENT_VERBS | CLAIM_NOUNS),
    _ACCORDING: frozenset({"According", "according"}),
    _CITING: frozenset({"citing", "Citing", "cited", "Cited", "quoted", "reference"}),
    _APPEARED: frozenset({"appeared", "published", "ran"}),
    _DOCUMENT_THAT: frozenset(_WORD.findall(_DOC_NOUNS_RE)) | {"reports", "studies", "assessments"},
    _VERB: frozenset(
        _VERBS_ALL
        | PUBLISH_VERBS
        | {"pointed", "points", "called", "calls", "made", "makes", "expressed", "voiced", "spoke", "speaks"}
    ),
}
_ATTRIBUTION_WORDS = frozenset().union(*PATTERN_WORDS.values())


def _matches(pattern: re.Pattern[str], sentence: str, words: set[str]) -> Iterable[re.Match[str]]:
    """pattern.finditer(sentence), skipped when the sentence's `words` lack what it needs."""
    return pattern.finditer(sentence) if not words.isdisjoint(PATTERN_WORDS[pattern]) else ()


def _title_at(text: str) -> tuple[str, int] | None:
    """A report's title at the start of `text`: quoted, or capitalised words to the clause end."""
    # The closing quote must match the opening one: titles hold apostrophes ("North Korea's ...").
    for pattern in (
        r'^"([^"]{3,200}?)[,.]?"',
        r"^“([^”]{3,200}?)[,.]?”",
        r"^[‘']([^\n]{3,200}?)[,.]?[’'](?!\w)",
    ):
        quoted = re.match(pattern, text)
        if quoted:
            return quoted.group(1).strip(), quoted.start(1)
    plain = re.match(
        r"^([A-Z0-9][^;:!?\"“”]{2,200}?)(?=\s*(?:[.!?][\"”’)]*\s*$|,\s+[a-z]|\s+(?:by|which|that)\s|\s+[—–]\s|\s*\())",
        text,
    )
    if plain:
        return plain.group(1).rstrip(" ,."), 0
    return None


def _object_at(w: _Words, k: int, publisher: bool = True, listed: bool = False) -> _Mention | None:
    """The speaker a phrase at token k names (after "according to", "by", "citing"): a
    document's publisher when one is given ("figures from the Bank of Chile", "a statement posted
    on the account of the embassy"). With `listed`, a list of them ("by Washington, Seoul and
    other governments") when it ends in "and" or "or"."""
    found = _phrase(w, k, w.n, exact=False)
    if found is None:
        return None
    mention, end = found
    if listed and not mention.pronoun and end < w.n and w.low[end] in (",", "and", "or"):
        items, x = [mention], end
        while x < w.n and w.low[x] in (",", "and", "or") and len(items) < _MAX_LIST:
            last = w.low[x] in ("and", "or") or (x + 1 < w.n and w.low[x + 1] in ("and", "or"))
            x += 2 if w.low[x] == "," and x + 1 < w.n and w.low[x + 1] in ("and", "or") else 1
            more = _phrase(w, x, w.n, exact=False)
            if more is None or not _is_speaker(more[0]) or more[0].pronoun:
                break
            items.append(more[0])
            x = more[1]
            if last:
                listing = _Mention(mention.start, text=w.span(k, x))
                listing.items = items
                return listing
    if mention.is_document and publisher:
        if (
            mention.post is not None
            and mention.post_word in ("from", "by", "of")
            and (mention.post.name or not mention.post.is_document)
        ):
            mention.post.via = mention.head
            return mention.post
        for x in range(end, min(w.n, end + 12)):  # "a statement posted on ... of the embassy"
            if w.low[x] in ("by", "from", "of") and w.is_word(x + 1):
                inner = _phrase(w, x + 1, w.n, exact=False)
                if inner and (inner[0].name or inner[0].head in INSTITUTION_HEADS):
                    inner[0].via = mention.head
                    return inner[0]
            if w.text[x] in (",", ";", ".") or w.low[x] in FINITE_WORDS:
                break
    return mention if _is_speaker(mention) else None


def _may_attribute(sentence: str) -> bool:
    """Whether any attribution pattern can match the sentence (its words, or a headline's form)."""
    return not _ATTRIBUTION_WORDS.isdisjoint(_WORD.findall(sentence)) or _headline_at(sentence) is not None


def _headline_at(sentence: str) -> re.Match[str] | None:
    """ "Claim: source" or "Claim – source" at the end of a line without a full stop."""
    if len(sentence) > _MAX_HEADLINE or sentence.rstrip().endswith((".", "!", "?", '"', "”", "’", ")")):
        return None
    return _HEADLINE.search(sentence)


def _find_hits(sentence: str) -> tuple[_Hit, ...]:
    """Every attribution in a sentence, unresolved, one per source mention. Kept for the
    last sentences read: a sentence repeated (boilerplate, a paragraph pasted twice) is read
    once. What it returns is never changed by its callers."""
    return _hits_cached(sentence)


@lru_cache(maxsize=4096)
def _hits_cached(sentence: str) -> tuple[_Hit, ...]:
    return tuple(_read_hits(sentence))


def _read_hits(sentence: str) -> list[_Hit]:
    if _SEE_ALSO.match(sentence):
        return []  # a link to another article: its headline is not this article's claim
    words = set(_WORD.findall(sentence))
    headline = _headline_at(sentence)
    if words.isdisjoint(_ATTRIBUTION_WORDS) and headline is None:
        return []  # no pattern can match: the common case
    found = {pattern: list(_matches(pattern, sentence, words)) for pattern in PATTERN_WORDS}
    if headline is None and not any(found.values()):
        return []  # the words are there, the patterns are not ("made a decision")
    w = _words(sentence)
    hits: list[_Hit] = []
    for match in found[_DOCUMENT_BY]:
        mention = _object_at(w, w.index_at(match.end()))
        if mention:
            hits.append(_Hit(mention, match.group(1)))
    for match in found[_DOCUMENT_OF]:
        name, cut = _trim_leading(match.group(1)[:-2])
        b = w.index_at(match.start(1) + cut)
        if b == 0 or _is_boundary(w, b - 1) or cut or w.low[b - 1] in DETERMINERS:
            hits.append(_Hit(_Mention(match.start(1) + cut, text=name, name=name), match.group(2)))
    for match in found[_TITLED]:
        title = _title_at(sentence[match.end() :])
        if title:
            mention = _Mention(match.end() + title[1], text=title[0], name=title[0])
            hits.append(_Hit(mention, match.group(1), title=True))
    for match in found[_VERB]:
        hit = _verb_hit(w, w.index_at(match.start()), match.group())
        if hit:
            hits.append(hit)
    for match in found[_PASSIVE]:
        mention = _object_at(w, w.index_at(match.end()))
        if mention:
            hits.append(_Hit(mention, match.group(1)))
    for match in found[_AGENT]:  # "as disclosed by Chile", "warnings by X"
        mention = _object_at(w, w.index_at(match.end()), listed=True)
        if mention and not mention.is_document:
            hits.append(_Hit(mention, match.group(1)))
            v = w.index_at(match.start())
            if match.group(1) == "quoted" and re.search(r"\bas\s+saying\b", sentence[match.end() :]):
                j = _skip_back(w, v)
                if j > 0 and w.low[j - 1] in BE_FORMS:  # "He was quoted by Interfax as saying"
                    speaker, how = _subject(w, v, _skip_back(w, j - 1), "saying")
                    if speaker is not None and how == "subject":
                        hits.append(_Hit(speaker, "saying"))
    for match in found[_ACCORDING]:
        mention = _object_at(w, w.index_at(match.end()))
        if mention:
            hits.append(_Hit(mention, "according to"))
    for match in found[_CITING]:
        word = match.group().split()[0].lower()
        k = w.index_at(match.end())
        mention = _object_at(w, k)
        if mention is None or mention.pronoun:
            continue
        rest = sentence[match.end() :]
        if word in ("cited", "quoted"):  # "X cited/quoted Y as saying": Y speaks
            if re.match(r"^[^,;.]{0,120}?\bas\s+saying\b", rest):
                hits.append(_Hit(mention, "saying"))
            continue
        if word == "reference" and not re.search(r"\bwith reference to\s+$", sentence[: match.end()]):
            continue
        if (
            mention.name
            or (mention.head in SPEAKER_NOUNS and not mention.is_document)
            or mention.post is not None
        ):
            hits.append(_Hit(mention, "citing" if word == "citing" else "with reference to"))
    for match in found[_APPEARED]:  # the article's own source
        mention = _object_at(w, w.index_at(match.end()))
        if mention and mention.name:
            hits.append(_Hit(mention, "appeared in"))
    for match in found[_DOCUMENT_THAT]:  # "a Chilean report that ..."
        k = w.index_at(match.start())
        first = k
        while (
            first > 0
            and k - first < 6
            and (w.text[first - 1][0].isalpha() and w.low[first - 1] not in NOT_IN_SUBJECT | CLAUSE_WORDS)
        ):
            first -= 1
        while (
            first < k
            and w.low[first] not in DETERMINERS
            and not w.is_cap(first)
            and not w.text[first][0].isdigit()
        ):
            first += 1
        document = _phrase(w, first, k + 1, exact=True) if first <= k else None
        if document and document[0].is_document and _has_specific(list(document[0].mods)):
            hits.append(_Hit(document[0], "report"))
    for v in range(1, w.n):  # ", saying ...": the sentence's subject speaks
        if (
            w.low[v] in PARTICIPLES
            and w.text[v - 1] == ","
            and not any(h.how in ("subject", "inverted") for h in hits)
        ):
            main = _main_subject(w)
            if main is not None:
                hits.append(_Hit(main, w.low[v], how="main"))
            break
    if headline is not None and len(w.text) <= 40:
        k = w.index_at(headline.start(1))
        found = _phrase(w, k, w.n, exact=True)
        if found and _is_speaker(found[0]) and not found[0].pronoun:
            hits.append(_Hit(found[0], "headline", how="headline"))
    # One attribution per mention: the more specific pattern (found first) wins.
    kept: dict[int, _Hit] = {}
    for hit in hits:
        kept.setdefault(hit.position, hit)
    return sorted(kept.values(), key=lambda h: h.position)


def _verb_hit(w: _Words, v: int, verb: str) -> _Hit | None:
    """The attribution a verb at token v makes, if any."""
    low = w.low
    if v >= w.n or low[v] != verb.split()[0].lower():
        return None
    verb = " ".join(verb.split())
    after = v + len(verb.split())
    published = ""
    if verb in ("made", "makes"):  # "X made such a statement"
        k = after
        while (
            k < w.n
            and k - after < 3
            and low[k] in ("such", "a", "an", "the", "this", "that", "these", "those", "similar")
        ):
            k += 1
        if k >= w.n or low[k] not in STATEMENT_NOUNS:
            return None
        after = k + 1
    elif verb in ("expressed", "voiced"):
        k = after
        while k < w.n and k - after < 3 and low[k] not in EXPRESSED and w.text[k][0].isalpha():
            k += 1
        if k >= w.n or low[k] not in EXPRESSED:
            return None
    elif verb in PUBLISH_VERBS:  # "X released a report", "X has published photographs showing"
        k = after
        while k < w.n and k - after < 4 and low[k] not in PUBLISHED and w.text[k][0].isalnum():
            k += 1
        if k >= w.n or low[k] not in PUBLISHED:
            return None
        published = low[k]
    elif verb in ("spoke", "speaks") and (after >= w.n or low[after] not in ("about", "of")):
        return None  # "X spoke about what ..." attributes, "X spoke at a forum" does not
    j = _skip_back(w, v)
    prev = low[j - 1] if j > 0 else ""
    if prev in NEGATORS or prev in BE_FORMS or prev.endswith("n't"):
        return None  # "did not say", "is said to", "would say", "declined to comment"
    if j > 0 and w.text[j - 1] == "to":
        return None
    if after < w.n and low[after] in HABITUAL:
        return None  # "the bank reports annually on ...": what a source does, not a claim
    if verb in STRICT_VERBS and not _complement(w, after):
        return None
    if after < w.n and low[after] == "by" and verb in AGENT_VERBS:
        return None  # a passive: the agent pattern has it
    mention, how = _subject(w, v, j, verb)
    if how == "main":
        mention = _main_subject(w)
        if mention is None or (mention.pronoun and mention.pronoun not in ("he", "she", "it")):
            return None
    if mention is None:
        return None
    if verb in DOCUMENT_VERBS and not (mention.is_document or (mention.name and how == "inverted")):
        return None
    if verb in ("put", "puts") and "at" not in low[after:]:
        return None  # "the report puts the total at ...", not "the report put pressure on"
    # What "the report" later in the article refers to: the document its publisher released.
    note = published if verb in PUBLISH_VERBS and published in DOCUMENT_NOUNS else ""
    k = _after_verb(w, after)
    if (
        k + 2 < w.n
        and low[k] in ("in", "on")
        and low[k + 1] in ("a", "an", "its", "his", "her", "their", "the")
    ):
        x = k + 2
        while x < w.n and x - k < 5 and low[x] not in DOCUMENT_NOUNS:
            x += 1
        if x < w.n and low[x] in DOCUMENT_NOUNS:
            note = low[x]  # "said in a written statement"
    return _Hit(mention, verb, how=how, note=note)


# --- kinds -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _states() -> tuple[dict[str, str], dict[str, str]]:
    """(state alias -> state, state -> adjective) from the states table: names, official names,
    codes, capitals and adjectives ("Kyiv" and "Ukrainian" are Ukraine speaking)."""
    aliases: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    for row in load_states():
        if row.kind in ("name", "official", "code", "capital", "iso"):
            aliases.setdefault(row.alias, row.state)
        elif row.kind == "adjective":
            aliases.setdefault(row.alias, row.state)
            adjectives.setdefault(row.state, row.alias)
    return aliases, adjectives


@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    """Seats of government that stand for their state ("Downing Street", "the Blue House")."""
    return {row.alias: row.state for row in load_states() if row.kind == "government"}


def _seat_of(text: str) -> str:
    return _seats().get(re.sub(r"^[Tt]he\s+", "", text.strip()), "")


@lru_cache(maxsize=8192)
def _state_of(text: str) -> str:
    """The state a name or adjective stands for ("Kyiv", "Iranian", "the U.S."), or ""."""
    aliases, _ = _states()
    text = re.sub(r"^[Tt]he\s+", "", text.strip())
    text = re.sub(r"['’]s$", "", text)
    return aliases.get(text, "")


def _state_adjectives(words: Iterable[str]) -> str:
    """The state named by the first state word among `words` ("South Korean" is two words)."""
    words = list(words)
    aliases, _ = _states()
    for size in (3, 2, 1):
        for x in range(len(words) - size + 1):
            state = aliases.get(" ".join(words[x : x + size]).rstrip(",").replace("’s", "").replace("'s", ""))
            if state:
                return state
    return ""


@lru_cache(maxsize=8192)
def _cue_kind(name: str) -> str:
    """The kind an institution's name tells by its words ("Ministry", "Institute", "News")."""
    for kind, cue in SOURCE_KIND_CUES:
        if cue.search(name):
            return kind
    return ""


@lru_cache(maxsize=4096)
def _role_kind(role: str) -> str:
    for kind, cue in ROLE_KIND_CUES:
        if cue.search(role):
            return kind
    return ""


_PERSON_WORD = re.compile(
    r"(?:[A-Z]\.)+|[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]*)*|(?:al|el|bin|van|von|de)(?:-\w+)?|[A-Z][a-z]+[A-Z][a-z]+"
)


def _is_person_name(name: str, table: KindTable) -> bool:
    """1-4 capitalised words that are neither in the table nor an organisation or place."""
    words = name.split()
    if not 1 <= len(words) <= 4 or table.lookup(name) or NOT_A_PERSON.search(name) or _state_of(name):
        return False
    if _cue_kind(name):
        return False
    if len(words) == 2 and words[0] in FOREIGN_ARTICLES:
        return False  # "Le Monde", "Die Zeit": a title, not a person
    return all(_PERSON_WORD.fullmatch(w) for w in words) and words[0] not in NON_NAME_WORDS


@lru_cache(maxsize=8192)
def _split_title(name: str) -> tuple[str, str]:
    """ "Russian President Vladimir Putin" -> ("Vladimir Putin", "Russian President"): the
    name is what follows the last title word."""
    words = name.split()
    last = -1
    for x, word in enumerate(words[:-1]):
        if word in TITLE_WORDS and word[0].isupper():
            last = x
    if last < 0:
        return name, ""
    rest = words[last + 1 :]
    if rest and rest[0] in ("of", "for", "the"):
        return name, ""
    if not rest or not all(_PERSON_WORD.fullmatch(w) for w in rest) or len(rest) > 4:
        return name, ""
    if any(w in GENERIC_NAMES for w in rest) or _cue_kind(" ".join(rest)):
        return name, ""  # "Defense Ministry" is an institution, not Minister Ministry
    return " ".join(rest), " ".join(words[: last + 1])


# --- sources and their resolution within an article --------------------------------------------

_FOLD = re.compile(r"[\s\-.'’‘]+")


def _fold(name: str) -> str:
    """How names are compared across spellings: "Kim Min-jun" = "Kim Minjun", "U.S." = "US"."""
    return _FOLD.sub("", re.sub(r"^the\s+", "", name.casefold()))


# Latin transliterations of one name differ in doubled letters ("Vassily", "Vasily") and in how
# a final -y is written ("Dmitry", "Dmitri", "Dmitriy"): folded away when speakers are told
# apart, never inside an article, where a name is written one way.
_DOUBLED = re.compile(r"([a-z])\1+")
_FINAL_Y = re.compile(r"(?:iy|ii|y)$")


def _speaker_key(name: str) -> str:
    """How speakers are told apart across a corpus: `_fold`, and each Latin word of the name
    with doubled letters single and a final -y, -iy or -ii written -i ("Vassily Nebenzia" =
    "Vasily Nebenzia", "Sergey" = "Sergei"). Words in other scripts are kept as they are."""
    words = name.casefold().split()
    return _fold(" ".join(_FINAL_Y.sub("i", _DOUBLED.sub(r"\1", word)) if word.isascii() else word for word in words))


def _words_of(*texts: str) -> set[str]:
    return set(_words_cached(texts))


@lru_cache(maxsize=8192)
def _words_cached(texts: tuple[str, ...]) -> frozenset[str]:
    words = {t.lower().rstrip(",") for text in texts for t in re.findall(r"[\w.’'\-]+", text)}
    words |= {re.sub(r"['’]s$", "", t) for t in words}
    states = {_state_of(t.title() if t.islower() else t) for text in texts for t in text.split()}
    words |= {s.lower() for s in states if s}
    for text in texts:  # "South Korean" -> south korea
        state = _state_adjectives(text.replace("’s", "").replace("'s", "").split())
        if state:
            words.add(state.lower())
    return frozenset(words)


@dataclass(eq=False)
class _Source:
    name: str
    kind: str
    role: str = ""
    document: bool = False  # a report or a source cited through one: what "the report" means
    affiliation: _Source | None = None
    heads: set[str] = field(default_factory=set)  # nouns that refer back to it: "ministry", "minister"
    words: set[str] = field(default_factory=set)  # words that describe it, for "the foreign ministry"
    unnamed: bool = False  # known by a description only: "US official", "defense ministry"
    plural: bool = False  # "officials", "analysts"
    pending: str = ""  # a description waiting for the name it refers to ("report", "broadcaster")
    keep: bool = True  # whether a description left without a name is a source of its own
    merged: _Source | None = None
    dropped: bool = False
    cited: bool = False
    speaker: bool = False  # has been a sentence's subject: what "he" or "she" may mean
    since: int = 0  # when it was first mentioned (a counter over the article)

    def final(self) -> _Source:
        source = self
        while source.merged is not None:
            source = source.merged
        return source


class _Context:
    """The sources and people of one article, most recent last."""

    def __init__(self, table: KindTable):
        self.table = table
        # Sources and people met, most recent last (an ordered set: moving one to the end and
        # reading back from the end cost no more than the few steps taken).
        self.entities: OrderedDict[int, _Source] = OrderedDict()
        self.by_key: dict[str, _Source] = {}
        self.people: dict[str, _Source] = {}  # a surname or given name -> the person
        self.acronyms: dict[str, str] = {}
        self.placeholders: list[_Source] = []
        self.leading: set[str] = set()  # first words of the institutions cited
        self.cited_order: list[_Source] = []  # sources in the order they are first cited
        self.cited_at: list[int] = []  # ... and when
        self.affiliated: set[int] = set()
        self.clock = 0

    # -- the record --

    def touch(self, source: _Source) -> None:
        """`source` is now the most recent."""
        self.entities[id(source)] = source
        self.entities.move_to_end(id(source))

    def add(self, source: _Source) -> None:
        """`source` is met, without becoming more recent than it was."""
        self.entities.setdefault(id(source), source)

    def remember(self, source: _Source) -> None:
        source = source.final()
        if not source.cited:
            source.cited = True
            if source.kind != "person" and " " in source.name:
                self.leading.add(source.name.split(" ", 1)[0])
            self.clock += 1
            self.cited_order.append(source)
            self.cited_at.append(self.clock)
        self.touch(source)

    def last(self, test: Callable[[_Source], bool]) -> _Source | None:
        # Only the last sources met: a description or pronoun refers to one of them, and a long
        # article's hundredth source is not looked at again for every sentence.
        for source in islice(reversed(self.entities.values()), _LOOK_BACK):
            if not source.merged and not source.dropped and test(source):
                return source
        return None

    def _new(self, name: str, kind: str, role: str = "", **extra) -> _Source:
        self.clock += 1
        source = _Source(name, kind, role, since=self.clock, **extra)
        source.heads |= _heads_of(source)
        source.words |= _words_of(name, role)
        if "central bank" in source.heads:
            source.words |= {"central", "bank"}
        if not source.unnamed:
            self.by_key.setdefault(_fold(name), source)
        return source

    def entity(self, name: str, kind: str, role: str = "", org: str = "") -> _Source:
        """The source `name`: the one already met in the article, or a new one."""
        earlier = self.by_key.get(_fold(name))
        if earlier is not None and not earlier.dropped:
            earlier = earlier.final()
            if role and not earlier.role:
                earlier.role = role
                earlier.heads |= _heads_of(earlier)
                earlier.words |= _words_of(role)
                if kind == "person" and earlier.affiliation is None:
                    earlier.affiliation = self._affiliation(role, org)
            return earlier
        source = self._new(name, kind, role)
        if kind == "person":
            if role:
                source.affiliation = self._affiliation(role, org)
            self._register(source)
        return source

    def _register(self, person: _Source) -> None:
        words = person.name.split()
        if len(words) >= 2:
            for word in (words[0], words[-1]):
                self.people.setdefault(word, person)
            self.people.setdefault(words[-1].replace("-", ""), person)

    def note(self, sentence: str) -> None:
        """What a sentence tells about the article's names, whether or not it attributes:
        people introduced with a title ("Russian President Vladimir Putin"), a person who is
        the subject ("Anna Kowalski visited"), acronyms ("Nordic Defence Institute (NDI)")."""
        words = set(_WORD.findall(sentence))
        if not words.isdisjoint(_TITLED_WORDS):  # most sentences name nobody with a title
            for pattern in (_ROLE_THEN_NAME, _TITLE_THEN_NAME):
                for match in pattern.finditer(sentence):
                    self._mention_person(match.group("name"), match.group("role"), subject=False)
        if sentence[:1].isupper():
            self._lead(sentence)
        self._acronyms(sentence)

    def _lead(self, sentence: str) -> None:
        """The person or institution a sentence starts with."""
        lead = _LEAD_NAME.match(sentence)
        if lead:
            self._mention_person(lead.group(1), "", subject=True)
        lead = _LEAD_INSTITUTION.match(sentence)
        if lead:  # "The World Health Organization (WHO) welcomed ...": "the agency" may be it
            name = _trim_leading(lead.group("name"))[0]
            row = self.table.lookup(name)
            kind = row[1] if row else _cue_kind(name)
            if kind and kind != "person" and not _state_of(name):
                known = self.entity(row[0] if row else name, kind)
                if lead.group("acronym"):
                    self.acronyms.setdefault(lead.group("acronym"), known.name)
                    known.heads.add(lead.group("acronym").lower())
                self.add(known)

    def _acronyms(self, sentence: str) -> None:
        """ "Nordic Defence Institute (NDI)", "X, or NDI,": what an acronym stands for."""
        if "(" in sentence or ", or " in sentence:
            for match in _ACRONYM_DEFINED.finditer(sentence):
                name, acronym = _trim_leading(match.group(1))[0], match.group(2)
                name = re.sub(r"^(?:[Tt]he\s+)", "", name)
                if acronym not in self.acronyms and len(acronym) < len(name):
                    self.acronyms[acronym] = name
                    row = self.table.lookup(name)
                    kind = row[1] if row else _cue_kind(name)
                    if kind and kind != "person":  # an institution named: "the agency" may be it
                        known = self.entity(row[0] if row else name, kind)
                        known.heads.add(acronym.lower())
                        self.add(known)

    def _mention_person(self, name: str, role: str, subject: bool) -> None:
        name, _ = _trim_leading(name)
        name, title = _split_title(name)
        role = f"{role} {title}".strip()
        if not 2 <= len(name.split()) <= 4 or not _is_person_name(name, self.table):
            return
        person = self.people.get(name.split()[-1])
        if person is None or person.name != name:
            person = self.entity(name, "person", role)
        elif role and not person.role:
            self.entity(name, "person", role)
        if subject:
            person.speaker = True
            self.touch(person)
        else:
            self.add(person)

    # -- resolution --

    def resolve(self, mention: _Mention, main: Callable[[], _Mention | None]) -> list[_Source]:
        if mention.items:
            return [s for item in mention.items for s in self.resolve(item, main)]
        if mention.pronoun:
            return self._pronoun(mention, main)
        if mention.name:
            return self._named(mention)
        if mention.head:
            return self._described(mention)
        return []

    def _pronoun(self, mention: _Mention, main: Callable[[], _Mention | None]) -> list[_Source]:
        wanted = PRONOUNS.get(mention.pronoun.lower(), "")
        if wanted not in ("person", "thing"):
            return []
        subject = main()
        if (
            subject is not None
            and not subject.pronoun
            and subject.start < mention.start
            and self._known(subject)
        ):
            found = self.resolve(subject, lambda: None)
            if len(found) == 1 and (found[0].kind == "person") == (wanted == "person"):
                return found
        if wanted == "person":
            found = self.last(lambda s: s.kind == "person" and (s.cited or s.speaker))
        else:
            found = self.last(lambda s: s.kind != "person" and (s.cited or s.pending != ""))
        return [found] if found else []

    def _known(self, mention: _Mention) -> bool:
        """Whether a phrase surely names a source: one met before, a known institution or
        state, a name with an institution's cue words, or a full personal name."""
        if mention.head:
            return mention.head in INSTITUTION_HEADS or mention.head in PERSON_NOUNS
        name = re.sub(r"^[Tt]he\s+", "", mention.name)
        if _fold(name) in self.by_key or self.table.lookup(name) or _state_of(name) or _cue_kind(name):
            return True
        person, _ = _split_title(name)
        return len(person.split()) >= 2 and _is_person_name(person, self.table)

    def _named(self, mention: _Mention) -> list[_Source]:
        raw = re.sub(r"^[Tt]he\s+", "", mention.name.strip())
        raw = re.sub(r"['’]s$", "", raw)
        role = mention.role
        if mention.possessor and raw:
            row = self.table.lookup(f"{mention.possessor} {raw}")
            if row:
                return [self.entity(row[0], row[1], role)]
        if mention.possessor and _state_of(mention.possessor) and _is_generic_institution(raw):
            raw = f"{mention.possessor} {raw}"  # "Japan's Defense Ministry": which one is in the name
        if " and " in raw and not self._one_institution(raw):
            parts = [p for p in re.split(r",?\s+and\s+|,\s+", raw) if p]
            return [s for part in parts for s in self._named(_Mention(mention.start, text=part, name=part))]
        if raw in self.acronyms:
            raw = self.acronyms[raw]
        if not mention.role and raw in self.leading and not _state_of(raw):
            longer = self.last(lambda s: s.cited and s.kind != "person" and s.name.startswith(raw + " "))
            if longer is not None:  # "the U.N." after "the U.N. refugee office"
                return [longer]
        row = self.table.lookup(raw)
        if row:
            source = self.entity(row[0], row[1], role)
            self._alias(source, mention)
            return [source]
        state = _state_of(raw) or _seat_of(raw)
        if state and not mention.head:
            return [self._state(state)]
        name, title = _split_title(raw)
        name, org = _split_affiliation(name, self.table)
        role = ", ".join(p for p in (role, title, org) if p)
        words = [w for w in name.split() if w not in HONORIFICS]
        name = " ".join(words)
        if not name:
            return []
        if len(words) == 1:  # a surname: the person cited, or named, before
            person = self.last(lambda s: s.kind == "person" and s.cited and name in s.name.split())
            person = person or self.people.get(name) or self.people.get(name.replace("-", ""))
            if person is not None:
                return [person.final()]
        kind = _cue_kind(name) or (_role_kind(role) if not _has_person_title(role) else "")
        if not kind:
            acronym = bool(re.fullmatch(r"[A-Z0-9.&\-]{2,}", name))
            if acronym and len(name) <= 6:
                source = self.entity(name, "other", role)
                if source.since == self.clock and not source.cited:
                    source.pending, source.keep = "acronym", True
                    self.placeholders.append(source)
                self._alias(source, mention)
                return [source]
            kind = "person" if _is_person_name(name, self.table) else "other"
        if kind != "person" and re.fullmatch(r"[\w.\- ]+['’]s", role or ""):
            role = ""  # "South Korea's": which state's it is, not a role
        source = self.entity(name, kind, role, org)
        if kind == "person" and len(words) == 1 and source.since == self.clock:
            source.pending, source.keep = "surname", True
            self.placeholders.append(source)
        self._alias(source, mention)
        return [source]

    def _alias(self, source: _Source, mention: _Mention) -> None:
        if mention.acronym:
            self.acronyms.setdefault(mention.acronym, source.name)
            source.heads.add(mention.acronym.lower())

    def _one_institution(self, raw: str) -> bool:
        """ "Ministry of Economy and Finance" is one name; "Yonhap and the Korea Herald" two."""
        before, after = raw.rsplit(" and ", 1)
        if self.table.lookup(raw):
            return True
        if after.startswith(("the ", "The ")) or self.table.lookup(after):
            return False
        if re.search(r"\b(?:of|for)\b", before):  # "Center for Strategic and International Studies"
            return True
        return bool(_cue_kind(before)) and not _cue_kind(after)

    def _state(self, state: str) -> _Source:
        """A state speaking: the table's row for it ("North Korean government"), or the state's
        government named from its adjective."""
        for alias in (state, f"the {state}"):
            row = self.table.lookup(alias)
            if row:
                return self.entity(row[0], row[1])
        _, adjectives = _states()
        name = f"{adjectives[state]} government" if state in adjectives else f"Government of {state}"
        source = self.entity(name, "government")
        source.words |= _words_of(state)
        return source

    def _described(self, mention: _Mention) -> list[_Source]:
        """A source named by a noun: "officials", "the ministry", "a spokesperson for X"."""
        head, mods = mention.head, [m for m in mention.mods if m.lower() not in GENERIC_MODIFIERS]
        post = mention.post
        institution_after = post is not None and (bool(post.name) or post.head in INSTITUTION_HEADS)
        if institution_after and mention.is_document and mention.post_word in ("from", "by", "of"):
            found = self.resolve(post, lambda: None)  # "figures from the Bank of Chile"
            for source in found:
                source.document = True
                source.heads.add(head)
            if found:
                return found
        if (
            institution_after
            and head in PERSON_NOUNS
            and mention.post_word in ("for", "at", "of", "from", "with")
        ):
            found = self.resolve(post, lambda: None)  # a spokesperson speaks for the institution
            if len(found) == 1 and found[0].kind != "person":
                found[0].heads.add(head)  # "the spokesperson" is the institution again
                return found
        if head in PERSON_NOUNS and not mention.name:
            owner = self._institution_in(mention.mods)  # "a Pentagon spokesperson", "a Kremlin official"
            if owner:
                found = self._named(_Mention(mention.start, text=owner, name=owner))
                if len(found) == 1 and found[0].kind not in ("person", "other"):
                    found[0].heads.add(head)
                    return found
        if head in PERSON_NOUNS and mention.possessor and not any(m[0].isupper() for m in mods):
            owner = _possessor(mention)  # "the Kremlin's spokesman", "the institute's analysts"
            found = self.resolve(owner, lambda: None) if owner is not None and not owner.pronoun else []
            if (
                len(found) == 1
                and found[0].kind not in ("person",)
                and not _state_of(mention.possessor.rstrip("’'s"))
            ):
                found[0].heads.add(head)
                return found
        if head in STATE_SPEAKER_HEADS or head in ("country",):
            state = _state_adjectives([*mention.mods, mention.possessor]) or (
                _state_of(post.name) if post is not None and post.name else ""
            )
            if state:
                return [self._state(state)]
        if (
            head in DOCUMENT_NOUNS
            and mention.possessor
            and mention.possessor.lower() not in ("its", "their", "his", "her")
        ):
            owner = _possessor(mention)  # "the institute's annual survey", "Japan's data"
            found = self.resolve(owner, lambda: None) if owner is not None else []
            for source in found:
                source.document = True
                source.heads.add(head)
            if found:
                return found
        definite = mention.det in DEFINITE or (
            mention.possessor != "" and mention.possessor.lower() in ("its", "their")
        )
        bare = not mention.det and not mods and not mention.possessor
        if definite or bare or head in DOCUMENT_NOUNS:
            found = self._antecedent(mention, mods)
            if found is not None:
                if (
                    (found.unnamed or found.pending)
                    and len(mods) > len(_content(found.name)) - 1
                    and definite
                ):
                    found.name = _display(mention)  # the fuller description names it
                    found.words |= _words_of(found.name)
                    found.keep = True
                return [found]
        kind = _described_kind(mention)
        institution = head in INSTITUTION_HEADS or head in DOCUMENT_NOUNS
        if (
            definite
            or (institution and mention.det in ("a", "an"))
            or (head in DOCUMENT_NOUNS and not mention.possessor)
        ):
            # Met before its name, or never named: wait for the end of the article.
            keep = (bool(mods) and not (head in DOCUMENT_NOUNS and not _has_specific(mods))) or (
                head in DOCUMENT_NOUNS and mention.plural and not definite
            )
            source = self._placeholder(_display(mention), kind, head, mods, keep)
            return [source]
        if mention.possessor and head in DOCUMENT_NOUNS:
            return self._named(_Mention(mention.start, text=mention.possessor, name=mention.possessor))
        name = _display(mention)
        earlier = self.last(lambda s: s.unnamed and _fold(s.name) == _fold(name))
        if earlier is not None:
            return [earlier]
        source = self._new(name, kind, unnamed=True, plural=mention.plural)
        source.heads |= {head} | (PERSON_SYNONYMS if head in PERSON_SYNONYMS else set())
        return [source]

    def _antecedent(self, mention: _Mention, mods: list[str]) -> _Source | None:
        """The source met before that a description refers to: the most recent one it may
        be called by ("the ministry": a ministry; "the source": an unnamed official) whose words
        fit its modifiers."""
        head = mention.head

        def fits(s: _Source) -> bool:
            if s.unnamed and s.plural != mention.plural and head not in DOCUMENT_NOUNS:
                return False  # "officials" is not "a senior official" met before
            if mention.plural and head in PERSON_NOUNS and not s.unnamed:
                return False  # nor the ministry an official spoke for
            called = head in s.heads or (head == "source" and s.unnamed and bool(s.heads & PERSON_SYNONYMS))
            if not called and not (head in DOCUMENT_NOUNS and s.document):
                return False  # "the ministry" is not a newspaper; "the report" may be any document
            if _compatible(s, mods, mention.plural, head):
                return True
            # A description met first says less: "the Commission", then "the UN trade commission".
            return (
                bool(s.pending)
                and s.unnamed
                and {m.lower() for m in _content(s.name)[:-1]} <= {m.lower() for m in mods}
            )

        if head in DOCUMENT_NOUNS:
            # "the report": a named source's report before an unnamed one, and one cited as a
            # report before one cited through data.
            for test in (lambda s: head in s.heads and not s.unnamed, lambda s: head in s.heads):
                named = self.last(lambda s, test=test: test(s) and fits(s))
                if named is not None:
                    return named
        found = self.last(fits)
        if found is None and head == "statement" and mention.det in DEFINITE and not mods:
            # "the statement read": a statement is an institution's, the one last cited
            found = self.last(lambda s: s.cited and s.kind not in ("person", "other") and not s.unnamed)
        return found

    def _placeholder(self, name: str, kind: str, head: str, mods: list[str], keep: bool) -> _Source:
        source = self._new(name, kind, unnamed=True, pending=head, keep=keep)
        source.heads |= {head} | (PERSON_SYNONYMS if head in PERSON_SYNONYMS else set())
        source.words |= {m.lower() for m in mods}
        if head in DOCUMENT_NOUNS:
            source.document = True
        self.placeholders.append(source)
        return source

    def close(self) -> None:
        """At the end of the article: a description met before its name takes the first later
        source it describes; one never named stays a source of its own or is dropped."""
        for holder in self.placeholders:
            if holder.merged is not None:
                continue
            if holder.pending == "surname":
                words = holder.name.split()
                person = self.people.get(words[0]) or self.people.get(words[0].replace("-", ""))
                if person is not None and person is not holder and len(person.name.split()) > 1:
                    holder.merged = person
                continue
            if holder.pending == "acronym":
                full = self.acronyms.get(holder.name)
                target = self.by_key.get(_fold(full)) if full else None
                if target is not None and target is not holder:
                    holder.merged = target.final()
                elif full:
                    row = self.table.lookup(full)
                    holder.name, holder.kind = (
                        (row[0], row[1]) if row else (full, _cue_kind(full) or holder.kind)
                    )
                continue
            first = bisect_left(self.cited_at, holder.since + 1)
            later = islice(self.cited_order, first, first + _LOOK_BACK)
            target = next(
                (
                    s
                    for s in later
                    if not s.unnamed and s is not holder and not s.merged and _refers(holder, s)
                ),
                None,
            )
            if target is not None:
                holder.merged = target
            elif not holder.keep:
                holder.dropped = True

    def _institution_in(self, mods: Sequence[str]) -> str:
        """The capitalised words among a description's modifiers that name an institution, not
        a state: "Pentagon" in "a Pentagon spokesperson", "Kremlin" in "a senior Kremlin
        official"; "" for "a senior US official"."""
        words: list[str] = []
        for mod in mods:
            if mod[0].isupper() and not _state_of(mod) and mod not in NATIONALITIES:
                words.append(mod)
            elif words:
                break
        name = " ".join(words)
        if not name or _state_of(name):
            return ""
        return name if (self.table.lookup(name) or _cue_kind(name)) else ""

    # -- affiliations --

    def _affiliation(self, role: str, org: str = "") -> _Source | None:
        """The institution in a person's role: "senior fellow at the Sejong Institute",
        "Kremlin spokesman". Places and people in it ("sister of Kim Jong Un") do not count."""
        candidates = [m.group(1) for m in re.finditer(rf"\b(?:at|of|with|from)\s+(?:the\s+)?({_NAME})", role)]
        lead = re.match(rf"^(?:the\s+)?({_NAME})\s+[a-z]", role)
        if lead:
            candidates.insert(0, lead.group(1))
        words = role.split()
        titled = next((x for x, word in enumerate(words) if word in TITLE_WORDS and word[0].isupper()), 0)
        if titled and all(
            word[0].isupper() and not _state_of(word) and word not in NATIONALITIES for word in words[:titled]
        ):
            candidates.append(
                " ".join(words[:titled])
            )  # "NATO Secretary General": the words before the title
        if org:  # "Victor Cha of CSIS"
            candidates.insert(0, org)
        person = next((x for x, word in enumerate(words) if word.lower().strip(",") in PERSON_NOUNS), 0)
        first = next((x for x, word in enumerate(words[:person]) if word[0].isupper()), person)
        if first < person and words[person - 1].lower() in INSTITUTION_HEADS:
            candidates.append(" ".join(words[first:person]))  # "Chinese foreign ministry spokesperson"
        candidates = [re.sub(r"['’]s$", "", _trim_leading(c)[0]) for c in candidates]
        candidates = [c for c in candidates if not _state_of(c)]  # a place is no affiliation
        for candidate in candidates:
            row = self.table.lookup(candidate)
            if row and row[1] in ORG_KINDS:
                return self.entity(row[0], row[1])
        for candidate in candidates:
            kind = _cue_kind(candidate) or (
                SPEAKER_NOUNS.get(candidate.split()[-1].lower(), "")
                if candidate.split()[-1].islower()
                else ""
            )
            if kind and not self.table.lookup(candidate) and kind in ORG_KINDS:
                return self.entity(re.sub(r"^(?:[Tt]he)\s+", "", candidate), kind)
        return None


def _is_generic_institution(name: str) -> bool:
    """ "Defense Ministry", "Ministry of Defense", "Foreign Office": an institution every state
    has, named by its function only."""
    words = [w for w in name.split() if w not in ("of", "the", "for", "and")]
    return any(w in GENERIC_NAMES for w in words) and all(
        w in GENERIC_NAMES or w in TITLE_WORDS for w in words
    )


def _has_person_title(role: str) -> bool:
    return any(
        w.lower().strip(",") in PERSON_NOUNS
        or (w in TITLE_WORDS and w[0].isupper() and w not in ("of", "for", "the"))
        for w in role.split()
    )


def _possessor(mention: _Mention) -> _Mention | None:
    """The phrase before a possessive ("the institute's survey": "the institute")."""
    text = re.sub(r"['’]s?$", "", mention.possessor.strip())
    if mention.det:
        text = f"{mention.det} {text}"
    found = _phrase(_words(text), 0, len(_words(text).text), exact=True) if text else None
    if found is None or not _is_speaker(found[0]) or found[0].pronoun:
        return None
    found[0].start = mention.start
    return found[0]


def _has_specific(mods: list[str]) -> bool:
    """Whether a document's modifiers tell which one it is ("a South Korean report", "Chinese
    trade data") rather than only how it came ("a leaked report")."""
    return any(m[0].isupper() or m.lower() in ("intelligence", "military", "government") for m in mods)


def _content(name: str) -> list[str]:
    return [w for w in name.split() if w.lower() not in GENERIC_MODIFIERS]


def _display(mention: _Mention) -> str:
    """The name of a source known by a description: its words without the determiner."""
    text = re.sub(r"^(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat)\s+", "", mention.text)
    if mention.place:
        text = f"{text} {mention.place}"
    return text


def _described_kind(mention: _Mention) -> str:
    head = mention.head
    words = " ".join([*mention.mods, mention.possessor, mention.text])
    cue = _cue_kind(words) if re.search(r"\b(?:UN\b|U\.N\.|United Nations\b)", words) else ""
    if cue:
        return cue
    role = _role_kind(words)
    if role in ("intelligence agency", "military", "state media") and head not in DOCUMENT_NOUNS:
        return role
    return SPEAKER_NOUNS.get(head, "other")


def _compatible(source: _Source, mods: list[str], plural: bool, head: str = "") -> bool:
    """Whether a description's modifiers fit a source met before: "the South Korean defense
    minister" fits Jonas Petraitis, "Lithuanian Defence Minister"; "the defence ministry" does
    not fit "Ukraine's foreign ministry". When the noun is not in the source's name or role
    ("the rights group" for Amnesty International), lower-case modifiers only say what kind of
    source it is and are not held against it."""
    kind_words = KIND_WORDS.get(source.kind, set())
    typed = bool(head) and head not in source.words and head + "s" not in source.words
    for mod in mods:
        low = mod.lower().rstrip(",")
        if low in source.words or low in kind_words or low in QUANTIFIERS or low.isdigit():
            continue
        if typed and mod[0].islower() and not _state_of(low.title()):
            continue
        state = _state_of(mod)
        if state and (state.lower() in source.words or not _has_state(source)):
            continue  # "the German foundation" fits a foundation whose country is not known
        return False
    return True


def _has_state(source: _Source) -> bool:
    aliases, _ = _states()
    return any(aliases.get(word.title()) or aliases.get(word.upper()) for word in source.words)


def _refers(holder: _Source, source: _Source) -> bool:
    """Whether a description met before its name refers to a source cited later."""
    head = holder.pending
    if head in source.heads or (
        head in DOCUMENT_NOUNS and (source.document or source.kind in ("news outlet", "state media"))
    ):
        mods = [w for w in _content(holder.name)[:-1] if w.lower() not in DETERMINERS]
        return _compatible(source, mods, False)
    return False


def _heads_of(source: _Source) -> set[str]:
    """The nouns a source may later be called by: its kind's ("the agency", "the think tank"),
    its name's ("the Ministry of Unification": "the ministry") and its role's ("the minister")."""
    return set(_heads_for(source.name, source.role, source.kind, source.unnamed, source.document))


@lru_cache(maxsize=8192)
def _heads_for(name: str, role: str, kind: str, unnamed: bool, document: bool) -> frozenset[str]:
    heads = set(KIND_HEADS.get(kind, ()))
    for word in re.findall(r"[\w\-]+", f"{name} {role}"):
        low = word.lower()
        noun, _ = _noun(low)
        if noun and (word[0].isupper() or low in PERSON_NOUNS or low in INSTITUTION_HEADS):
            heads.add(noun)
    if "think tank" in role.lower():
        heads.add("think tank")
    if kind == "government" and name.endswith("government"):
        heads |= STATE_SOURCE_HEADS
    if re.search(r"\bBank of\b|\bCentral Bank\b", name):
        heads |= {"bank", "central bank"}
    if kind == "other" and not unnamed and not document:
        heads |= {"group", "organisation", "body", "company", "firm"}
    if kind == "person":
        heads = {h for h in heads if h in PERSON_NOUNS}
    return frozenset(heads)


def _split_affiliation(name: str, table: KindTable) -> tuple[str, str]:
    """ "Park Won-gon of Ewha Womans University" -> ("Park Won-gon", "Ewha Womans University")."""
    match = re.match(r"^(.+?)\s+(?:of|at|from)\s+(?:the\s+)?(.+)$", name)
    if not match:
        return name, ""
    person, org = match.groups()
    is_org = table.lookup(org) or _cue_kind(org) or NOT_A_PERSON.search(org)
    if is_org and _is_person_name(person, table):
        return person, org
    return name, ""


# Names introduced with a role ("President Vladimir Putin"), any capitalised name, a person at
# the start of a sentence, and an acronym defined in brackets or after "or".
_CAP = r"(?:\d+(?=\s+[A-Z])|(?:al-|el-)?[A-Z][\w'’.&\-]*)"
_CONNECT = r"(?:of|for|on|and|the|de|du|der|van|von|bin|al|&)"
_NAME = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*"
_ROLE_THEN_NAME = re.compile(
    r"\b(?P<role>(?:[A-Z][a-z]+\s+)?(?:[Ff]oreign |[Dd]efen[cs]e |[Pp]rime |[Vv]ice )?(?:minister|president|spokes(?:man|woman|person)|"
    r"secretary|ambassador|envoy|chairman|director|adviser|advisor|premier|chancellor|governor|general))\s+"
    r"(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){1,3})"
)
_TITLE_HEADS = frozenset(
    t for t in TITLE_WORDS if t[0].isupper() and t[-1] != "." and t not in TITLE_MODIFIERS
)
# A capitalised title before a name: "Prime Minister Anna Kowalski", "Secretary of State X Y".
_TITLE_THEN_NAME = re.compile(
    r"(?P<role>(?:\b[A-Z][\w.’'\-]*\s+){0,3}?\b(?:"
    + "|".join(sorted(_TITLE_HEADS, key=len, reverse=True))
    + r")(?:\s+of\s+State)?)\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){1,3})"
)
# The words without which neither pattern above can match.
_TITLED_WORDS = _TITLE_HEADS | frozenset(
    "minister president spokesman spokeswoman spokesperson secretary ambassador envoy chairman director "
    "adviser advisor premier chancellor governor general".split()
)
_LEAD_NAME = re.compile(
    r"^(?:[A-Z][\w\s,’'\-]{0,60},\s+)?([A-Z][a-z’'\-]+(?:\s+[A-Z][\w’'\-]+){1,2})\s+(?:\([^)]{1,20}\)\s+)?(?:from|of|at|,)?\s*[a-z]"
)
_LEAD_INSTITUTION = re.compile(
    rf"^(?:[^,]{{0,60}},\s+)?(?:[Tt]he\s+)?(?P<name>{_NAME})(?:\s+(?:today|yesterday|on\s+\w+|\w+day))?"
    r"(?:\s+\((?P<acronym>[A-Z][A-Za-z]{1,9})\))?\s+[a-z]"
)
_ACRONYM_DEFINED = re.compile(rf"({_NAME})\s*(?:\(|,\s+or\s+)([A-Z][A-Za-z]{{1,9}})(?:\)|,)")


def _attribute(sentence: str, context: _Context) -> list[Attributed]:
    """Every attribution in `sentence`, in order, updating the article's context."""
    if len(sentence) > _MAX_SENTENCE:
        return []  # a table or extraction debris, not a sentence: and costly to search
    hits = _find_hits(sentence)
    if not hits:
        return []
    out: list[tuple[int, Attributed]] = []
    titles: list[tuple[_Hit, int]] = []
    main_cache: list[_Mention | None] = []

    def main() -> _Mention | None:
        if not main_cache:
            main_cache.append(_main_subject(_words(sentence)))
        return main_cache[0]

    for hit in hits:
        if hit.title:
            titles.append((hit, hit.position))
            continue
        # "X released a report": X's is what "the report" means later, unless the sentence
        # titles the report, which is then the report meant.
        published = hit.verb in PUBLISH_VERBS and not any(other.title for other in hits)
        for source in context.resolve(hit.mention, main):
            source = source.final()
            if hit.verb in _DOC_WORDS or hit.verb == "statement" or hit.mention.via or (
                hit.note and (published or hit.verb not in PUBLISH_VERBS)
            ):
                source.document = True
                source.heads.add(hit.note or hit.mention.via or hit.verb)
            if hit.verb in ("reported", "reports", "report"):
                source.heads.add("report")
            if (
                hit.verb in MEDIA_VERBS
                and source.kind == "other"
                and not (source.unnamed or source.document or context.table.lookup(source.name))
            ):
                source.kind = "news outlet"  # an institution the table does not know, that reports
                source.heads |= KIND_HEADS["news outlet"]
            if hit.how in ("subject", "main") and source.kind == "person":
                source.speaker = True
            attributed = _attributed(source, hit.verb, sentence, hit)
            out.append((hit.position, attributed))
            context.remember(source)
            # A person's institution is cited too, once per article: "a fellow at the Sejong
            # Institute" puts the institute behind what the fellow says.
            if source.affiliation is not None and id(source) not in context.affiliated:
                context.affiliated.add(id(source))
                org = source.affiliation.final()
                out.append((hit.position, _attributed(org, AFFILIATION, sentence, hit)))
                context.remember(org)
                context.touch(source)  # the person stays the most recent for "he"
    cited = [(p, a.source) for p, a in out if a.verb != AFFILIATION]
    for hit, position in titles:
        # A report's kind is its publisher's: the nearest source cited in the same sentence.
        publishers = [(abs(p - position), s) for p, s in cited]
        title = context.entity(hit.mention.name, "other")
        title.document = True
        if publishers:
            publisher = min(publishers, key=lambda x: x[0])[1]
            issuer = (
                publisher.affiliation if publisher.kind == "person" and publisher.affiliation else publisher
            )
            title.kind = issuer.kind if issuer.kind != "person" else "other"
            names = [publisher.name] + ([issuer.name] if issuer is not publisher else [])
            title.role = f"{hit.verb} by {', '.join(names)}"
        title.heads |= {"report", hit.verb}
        out.append((position, _attributed(title, hit.verb, sentence, hit)))
        context.remember(title)
    out.sort(key=lambda x: x[0])
    return [attributed for _, attributed in out]


@dataclass
class Attributed:
    """One attribution of a sentence, before its article is closed: the source (its final name is
    known only then), the verb or pattern, and where the sentence names the speaker (and the verb
    right after it), which the figures of the sentence never take for a party."""

    source: _Source
    verb: str
    start: int
    end: int
    written: str  # the speaker as the sentence words them: "the ministry", "Kirby"


def _attributed(source: _Source, verb: str, sentence: str, hit: _Hit) -> Attributed:
    """`source` attributed by `hit`: where `sentence` names the speaker, with the attribution
    verb when it follows ("The ministry announced", "Kirby said")."""
    mention = hit.mention
    words = mention.name or mention.text
    start = mention.start
    end = start + len(words)
    found = sentence.find(words, start, start + len(words) + 80) if words else -1
    if found >= 0:
        end = found + len(words)
    written = " ".join(part for part in (mention.det, sentence[start:end].strip()) if part)
    verb_after = re.match(rf"\s+(?:has\s+|have\s+|had\s+)?{re.escape(hit.verb)}\b", sentence[end:]) if hit.verb else None
    return Attributed(source, verb, start, end + (verb_after.end() if verb_after else 0), written)


def _guess_source(name: str, context: _Context) -> _Source:
    """A source known only by its name (the labelled tests' `previous_sources`)."""
    table = context.table
    row = table.lookup(name)
    if row:
        return context.entity(row[0], row[1])
    kind = _cue_kind(name)
    if kind:
        return context.entity(name, kind)
    if _is_person_name(name, table):
        return context.entity(name, "person")
    # Neither a known institution nor a person: most likely a report's title.
    source = context.entity(name, "other")
    source.document = len(name.split()) >= 3
    if source.document:
        source.heads.add("report")
    return source


def attributions_in_sentence(
    sentence: str, previous_sources: Sequence[str] = (), kinds: pd.DataFrame | None = None
) -> list[tuple[str, str]]:
    """(source as written or resolved, verb) pairs in one sentence, in order.

    `previous_sources` are the sources cited earlier in the article, oldest first: "he", "Lee" or
    "the report" resolve to them."""
    table = kind_table_for(kinds)
    context = _Context(table)
    for name in previous_sources:
        context.remember(_guess_source(name, context))
    found = _attribute(sentence, context)
    context.close()
    finals = [(attributed.source.final(), attributed.verb) for attributed in found]
    return [(source.name, verb) for source, verb in finals if not source.dropped]


class ArticleSources:
    """The attribution step of the claims stage: who each sentence attributes its claims to
    (speaker, verb, and where the sentence names them), read sentence by sentence within an
    article, so that "he", "Lee", "the report" and "the ministry" resolve to who the article
    named before. Figures take their source from it and cited sources are its rows.

    A source's final name and kind are known only when its article is closed ("the report" may
    be named later); `final` gives them then."""

    def __init__(self, kinds: pd.DataFrame | None = None) -> None:
        self.table = kind_table_for(kinds)
        self.context = _Context(self.table)
        self.roles: dict[str, str] = {}  # a source's name -> its first role, in reading order
        self._attributing = 0
        self._stopped = False

    def start_article(self) -> None:
        """Sources resolve within an article only."""
        self.context = _Context(self.table)

    def start_paragraph(self) -> None:
        self._attributing, self._stopped = 0, False

    def read(self, sentence: str) -> list[Attributed]:
        """The attributions of the next sentence of the paragraph, in order."""
        if self._stopped or len(sentence) > _MAX_SENTENCE:
            return []
        found: list[Attributed] = []
        if _may_attribute(sentence):
            self._attributing += 1
            if self._attributing > _MAX_ATTRIBUTING:
                self._stopped = True  # a dump of text, not a news paragraph: its time stays bounded
                return []
            found = _attribute(sentence, self.context)
        self.context.note(sentence)
        return found

    def close_article(self) -> None:
        self.context.close()

    def final(self, attributed: Attributed) -> _Source | None:
        """The source of `attributed` once its article is closed; None when it was dropped (a
        description never named, "the report" whose publisher never came)."""
        source = attributed.source.final()
        if source.dropped:
            return None
        if source.role and source.name not in self.roles:
            self.roles[source.name] = source.role
        return source


def reading_order(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The paragraphs in the order they are read: documents as they first come, then article
    and paragraph numbers (a stable sort)."""
    order = pd.factorize(paragraphs["doc"])[0]
    return (
        paragraphs.assign(_doc_order=order)
        .sort_values(["_doc_order", "article", "paragraph"], kind="stable")
        .drop(columns="_doc_order")
    )


def with_speakers(citations: pd.DataFrame) -> pd.DataFrame:
    """`citations` with their `speaker` column: every spelling of a name as one ("Kim Minjun"
    and "Kim Min-jun", "U.S." and "US", "Vassily" and "Vasily"), shown as the spelling cited
    most often (the first met when as often). `source` keeps the fullest form each article
    itself uses, as its reader finds it; `speaker` is the one name of that source across the
    corpus, the row of the sources table. Made over the whole table, so that parts read apart
    name a speaker as one pass does."""
    names = citations["source"].astype(str).tolist()
    counts: dict[str, dict[str, int]] = {}
    for name in names:
        spellings = counts.setdefault(_speaker_key(name), {})
        spellings[name] = spellings.get(name, 0) + 1
    shown = {key: max(spellings, key=spellings.__getitem__) for key, spellings in counts.items()}
    return citations.assign(speaker=[shown[_speaker_key(name)] for name in names])


def speaker_roles(roles: dict[str, str], citations: pd.DataFrame) -> dict[str, str]:
    """Roles keyed by any spelling of a source's name -> keyed by its speaker (`with_speakers`):
    the first role given under any of its spellings, in the order `roles` holds them."""
    speaker_of = {_speaker_key(name): name for name in citations["speaker"].astype(str)}
    merged: dict[str, str] = {}
    for name, role in roles.items():
        if role:
            merged.setdefault(speaker_of.get(_speaker_key(name), name), role)
    return merged


def source_table(citations: pd.DataFrame, paragraphs: pd.DataFrame, roles: dict[str, str]) -> pd.DataFrame:
    if citations.empty:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    theme_of: dict[str, str] = {}
    if "theme" in paragraphs.columns and "pid" in paragraphs.columns:
        theme_of = {str(p): str(t) for p, t in zip(paragraphs["pid"], paragraphs["theme"], strict=False)}
    # One pass over the distinct (source, paragraph) pairs rather than a pandas group per source:
    # a large corpus cites tens of thousands of sources. Rows without a source are left out, as
    # groupby leaves them out.
    # One row per speaker: the name a source has across the corpus, whatever each article wrote.
    cited = citations[citations["speaker"].notna()]
    pairs = pd.DataFrame({"source": cited["speaker"], "pid": cited["pid"].astype(str)}).drop_duplicates()
    counts: dict[object, int] = {}
    themes: dict[object, set[str]] = {}
    for name, pid in zip(pairs["source"], pairs["pid"], strict=True):
        counts[name] = counts.get(name, 0) + 1
        if theme_of.get(pid, "") not in ("", "nan"):
            themes.setdefault(name, set()).add(theme_of[pid])
    first = cited.drop_duplicates("speaker")  # a source's kind is that of its first citation
    out = [
        {
            "source": name,
            "kind": kind,
            "role": roles.get(str(name), ""),
            "paragraphs": counts[name],
            "themes": "; ".join(sorted(themes.get(name, ()))),
        }
        for name, kind in zip(first["speaker"], first["kind"], strict=True)
    ]
    table = pd.DataFrame(out, columns=SOURCE_COLUMNS)
    return table.sort_values(["paragraphs", "source"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
