"""The shipped states table (analysis/resources/states.csv): the world's states, territories,
blocs and international organisations, with their names, capitals, demonyms and seats of
government as English news writes them; no alias stands for two parties, and the words left out
for being ordinary English words or names are not found. The sentences here were written for
these tests."""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import pytest

from analysis.claims import STATES_FILE, extract_sentence_figures, load_states, state_matcher

KINDS = {
    "name", "official", "iso", "code", "capital", "government", "leader", "adjective", "contextual", "organisation",
}  # fmt: skip

# The 193 UN members, the two observer states and the territories the news reports as parties.
STATES = [
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Antigua and Barbuda", "Argentina", "Armenia",
    "Australia", "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium",
    "Belize", "Benin", "Bhutan", "Bolivia", "Bosnia and Herzegovina", "Botswana", "Brazil", "Brunei", "Bulgaria",
    "Burkina Faso", "Burundi", "Cambodia", "Cameroon", "Canada", "Cape Verde", "Central African Republic", "Chad",
    "Chile", "China", "Colombia", "Comoros", "Costa Rica", "Croatia", "Cuba", "Cyprus", "Czech Republic",
    "DR Congo", "Denmark", "Djibouti", "Dominica", "Dominican Republic", "Ecuador", "Egypt", "El Salvador",
    "Equatorial Guinea", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland", "France", "Gabon",
    "Gambia", "Georgia", "Germany", "Ghana", "Greece", "Grenada", "Guatemala", "Guinea", "Guinea-Bissau",
    "Guyana", "Haiti", "Honduras", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland",
    "Israel", "Italy", "Ivory Coast", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kiribati", "Kuwait",
    "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania",
    "Luxembourg", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Marshall Islands",
    "Mauritania", "Mauritius", "Mexico", "Micronesia", "Moldova", "Monaco", "Mongolia", "Montenegro", "Morocco",
    "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal", "Netherlands", "New Zealand", "Nicaragua", "Niger",
    "Nigeria", "North Korea", "North Macedonia", "Norway", "Oman", "Pakistan", "Palau", "Panama",
    "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Republic of the Congo",
    "Romania", "Russia", "Rwanda", "Saint Kitts and Nevis", "Saint Lucia", "Saint Vincent and the Grenadines",
    "Samoa", "San Marino", "Sao Tome and Principe", "Saudi Arabia", "Senegal", "Serbia", "Seychelles",
    "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Solomon Islands", "Somalia", "South Africa",
    "South Korea", "South Sudan", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria",
    "Tajikistan", "Tanzania", "Thailand", "Timor-Leste", "Togo", "Tonga", "Trinidad and Tobago", "Tunisia",
    "Turkey", "Turkmenistan", "Tuvalu", "Uganda", "Ukraine", "United Arab Emirates", "United Kingdom",
    "United States", "Uruguay", "Uzbekistan", "Vanuatu", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe",
    # observers and commonly reported territories
    "Vatican City", "Palestine", "Taiwan", "Kosovo", "Hong Kong", "Macao", "Western Sahara",
]  # fmt: skip


def _rows() -> list[dict[str, str]]:
    with open(STATES_FILE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _found(text: str) -> list[tuple[str, str]]:
    """(alias, party) of every alias the table's regex finds in the text, left to right."""
    pattern, aliases = state_matcher()
    return [(m.group(0), aliases[m.group(0)].state) for m in pattern.finditer(text)]


def _flow(sentence: str) -> tuple[str, str]:
    (figure,) = extract_sentence_figures(sentence)
    return figure["giver"], figure["receiver"]


# --- the table's shape ------------------------------------------------------------------------


def test_every_row_has_a_party_a_code_a_known_kind_and_a_usable_context():
    rows = _rows()
    assert rows and list(rows[0]) == ["state", "iso3", "alias", "kind", "context"]
    for row in rows:
        assert row["state"].strip() and row["alias"].strip() and row["iso3"].strip(), row
        assert row["alias"] == row["alias"].strip() and "  " not in row["alias"], row
        assert row["kind"] in KINDS, row
        if row["context"]:
            re.compile(row["context"])
    assert {a.kind for a in load_states()} <= KINDS


def test_each_party_has_one_code_and_each_code_one_party():
    codes: dict[str, set[str]] = defaultdict(set)
    parties: dict[str, set[str]] = defaultdict(set)
    for row in _rows():
        codes[row["state"]].add(row["iso3"])
        parties[row["iso3"]].add(row["state"])
    assert not {state: c for state, c in codes.items() if len(c) > 1}
    assert not {code: p for code, p in parties.items() if len(p) > 1}


def test_no_alias_stands_for_two_parties_or_appears_twice():
    # The matcher keeps the last row of an alias: a second party would silently win.
    seen: dict[str, list[str]] = defaultdict(list)
    for row in _rows():
        seen[row["alias"]].append(row["state"])
    assert not {alias: states for alias, states in seen.items() if len(states) > 1}


def test_every_un_member_observer_and_reported_territory_is_in_the_table():
    states = {a.state for a in load_states()}
    assert len(set(STATES)) == 200
    assert not [s for s in STATES if s not in states]


def test_the_most_reported_states_have_a_name_a_capital_and_a_demonym():
    kinds: dict[str, set[str]] = defaultdict(set)
    for alias in load_states():
        kinds[alias.state].add(alias.kind)
    for state in [
        "Russia", "Ukraine", "United States", "China", "North Korea", "South Korea", "Iran", "Israel", "Poland",
        "Germany", "France", "United Kingdom", "Japan", "Taiwan", "Turkey", "Syria", "Kosovo", "Palestine",
    ]:  # fmt: skip
        assert {"name", "capital", "adjective"} <= kinds[state], state


# --- what the table finds ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # capitals
        ("Officials in Nairobi and Amman welcomed the deal.", [("Nairobi", "Kenya"), ("Amman", "Jordan")]),
        ("Talks in Vienna and Pristina went on.", [("Vienna", "Austria"), ("Pristina", "Kosovo")]),
        (
            "Kiev, now written Kyiv, answered Moscow.",
            [("Kiev", "Ukraine"), ("Kyiv", "Ukraine"), ("Moscow", "Russia")],
        ),
        ("Buenos Aires and Bogotá signed it.", [("Buenos Aires", "Argentina"), ("Bogotá", "Colombia")]),
        # demonyms
        ("Polish tanks and Lithuanian trucks crossed.", [("Polish", "Poland"), ("Lithuanian", "Lithuania")]),
        (
            "Emirati and Saudi money went to Yemeni ports.",
            [("Emirati", "United Arab Emirates"), ("Saudi", "Saudi Arabia"), ("Yemeni", "Yemen")],
        ),
        ("Nigerien and Nigerian soldiers met.", [("Nigerien", "Niger"), ("Nigerian", "Nigeria")]),
        ("Kosovar and Filipino workers left.", [("Kosovar", "Kosovo"), ("Filipino", "Philippines")]),
        # common names and spellings
        (
            "Britain, the U.K. and Holland agreed.",
            [("Britain", "United Kingdom"), ("U.K.", "United Kingdom"), ("Holland", "Netherlands")],
        ),
        (
            "Türkiye, Turkiye and Turkey are one state.",
            [("Türkiye", "Turkey"), ("Turkiye", "Turkey"), ("Turkey", "Turkey")],
        ),
        (
            "Czechia, Burma and East Timor voted.",
            [("Czechia", "Czech Republic"), ("Burma", "Myanmar"), ("East Timor", "Timor-Leste")],
        ),
        (
            "Côte d'Ivoire, Cote d’Ivoire and Ivory Coast.",
            [
                ("Côte d'Ivoire", "Ivory Coast"),
                ("Cote d’Ivoire", "Ivory Coast"),
                ("Ivory Coast", "Ivory Coast"),
            ],
        ),
        (
            "The People’s Republic of China and the DPRK.",
            [("People’s Republic of China", "China"), ("DPRK", "North Korea")],
        ),
        (
            "the Democratic Republic of Congo and the Republic of Congo",
            [("Democratic Republic of Congo", "DR Congo"), ("Republic of Congo", "Republic of the Congo")],
        ),
        # seats of government and leaders
        (
            "Downing Street, the Élysée and the Kremlin replied.",
            [("Downing Street", "United Kingdom"), ("Élysée", "France"), ("Kremlin", "Russia")],
        ),
        (
            "The State Department and the Bundeswehr confirmed it.",
            [("State Department", "United States"), ("Bundeswehr", "Germany")],
        ),
        (
            "Volodymyr Zelenskyy met Lee Jae-myung.",
            [("Volodymyr Zelenskyy", "Ukraine"), ("Lee Jae-myung", "South Korea")],
        ),
        # blocs and organisations
        (
            "The World Food Programme and the WFP are one agency.",
            [("World Food Programme", "World Food Programme"), ("WFP", "World Food Programme")],
        ),
        (
            "The UN World Food Programme and the U.N. refugee agency.",
            [("UN World Food Programme", "World Food Programme"), ("U.N. refugee agency", "UNHCR")],
        ),
        (
            "Nato, the E.U. and the European Peace Facility.",
            [("Nato", "NATO"), ("E.U.", "European Union"), ("European Peace Facility", "European Union")],
        ),
        (
            "UNICEF, UNRWA, the IAEA and the IMF.",
            [
                ("UNICEF", "UNICEF"),
                ("UNRWA", "UNRWA"),
                ("IAEA", "International Atomic Energy Agency"),
                ("IMF", "International Monetary Fund"),
            ],
        ),
        (
            "ASEAN, the African Union, the G20 and OPEC+.",
            [("ASEAN", "ASEAN"), ("African Union", "African Union"), ("G20", "G20"), ("OPEC+", "OPEC")],
        ),
        ("The ICRC and the Red Cross.", [("ICRC", "Red Cross"), ("Red Cross", "Red Cross")]),
    ],
)
def test_the_table_finds_the_party_a_sentence_names(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A longer name wins over the shorter one inside it.
        (
            "Northern Ireland is not Ireland.",
            [("Northern Ireland", "United Kingdom"), ("Ireland", "Ireland")],
        ),
        ("New Mexico is not Mexico.", [("New Mexico", "United States"), ("Mexico", "Mexico")]),
        ("South Sudanese and Sudanese troops.", [("South Sudanese", "South Sudan"), ("Sudanese", "Sudan")]),
        (
            "Papua New Guinean and Bissau-Guinean and Guinean.",
            [
                ("Papua New Guinean", "Papua New Guinea"),
                ("Bissau-Guinean", "Guinea-Bissau"),
                ("Guinean", "Guinea"),
            ],
        ),
        ("Chinese Taipei won; Chinese aid came.", [("Chinese Taipei", "Taiwan"), ("Chinese", "China")]),
        # "the North Korean army" is the demonym, not "the North" followed by a word.
        ("He saw the North Korean army.", [("the North Korean", "North Korea")]),
        ("The South Korean navy left.", [("The South Korean", "South Korea")]),
    ],
)
def test_the_longest_alias_wins(text, expected):
    assert _found(text) == expected


def test_the_north_and_the_south_need_korea_in_the_sentence_or_the_one_before():
    contexts = {a.alias: a.context for a in load_states() if a.kind == "contextual"}
    for alias in ("the North", "The North", "the South", "The South"):
        assert re.search(contexts[alias], "Seoul said the missiles were fired on Monday.")
        assert not re.search(contexts[alias], "Storms hit the North of England and the American South.")


@pytest.mark.parametrize(
    "text",
    [
        "Male and female voters in Victoria backed the mayor.",
        "Kingston and Georgetown played Santiago in San José.",
        "Chad, Jordan and Georgina flew to Nassau.",
        "A Korean drama and a Congolese band played in Amsterdam.",
        "The Dominican friar sailed from England on Emirates.",
        "Macedonia and Macedonian wine, Gaza and the ROC curve.",
        "Yongsan district, Delhi traffic and Peking duck.",
        "European and Soviet history, Praia beach, and Moroni.",
    ],
)
def test_ambiguous_words_left_out_of_the_table_are_not_found(text):
    assert _found(text) == []


# --- through the figures reader ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "parties"),
    [
        ("Warsaw sent 30 Polish tanks to Kyiv in March.", ("Poland", "Ukraine")),
        ("Britain pledged £500 million to Ukraine.", ("United Kingdom", "Ukraine")),
        (
            "The World Food Programme delivered 3,000 tonnes of wheat to Sudan.",
            ("World Food Programme", "Sudan"),
        ),
        ("Amman sent 300 tonnes of food to Ramallah.", ("Jordan", "Palestine")),
        ("Türkiye sold 50 drones to Azerbaijan.", ("Turkey", "Azerbaijan")),
        ("The UN refugee agency gave $3 million to Moldova.", ("UNHCR", "Moldova")),
    ],
)
def test_a_flow_finds_its_parties_through_the_table(sentence, parties):
    assert _flow(sentence) == parties


def test_a_name_left_out_gives_no_party():
    assert _flow("Victoria sent 30 tanks to Ukraine.") == ("", "Ukraine")
    assert _flow("Chad sent 300 troops to Mali.") == ("", "Mali")


# --- the analyst's own states ---------------------------------------------------------------

OWN_STATES = (
    "state,alias,kind,context\n"
    "Freedonia,Freedonia,name,\n"
    "Freedonia,Fredville,capital,\n"
    "Freedonia,the Duchy,contextual,Freedonia|Fredville\n"
)


def _flows(text: str, states=()) -> list[tuple[str, str, float]]:
    import pandas as pd

    from analysis.claims import read_claims
    from analysis.tables import paragraph_ids

    frame = pd.DataFrame({"doc": "d.txt", "article": 1, "paragraph": [1], "text": [text], "lang": "en"})
    figures = read_claims(frame.assign(pid=paragraph_ids(frame)), states=states).figures
    return [(f.giver, f.receiver, f.amount) for f in figures.itertuples() if f.kind == "flow"]


def test_an_analysts_states_are_parties_added_to_the_shipped_ones():
    from analysis.claims import analyst_states, read_states

    own = analyst_states(read_states(OWN_STATES.encode()))
    text = "Freedonia sent 300 tonnes of wheat to Moldova in May."
    assert _flows(text) == []  # not a state the shipped table knows
    assert _flows(text, own) == [("Freedonia", "Moldova", 300.0)]
    assert _flows("Fredville shipped 40 trucks to Chisinau.", own) == [("Freedonia", "Moldova", 40.0)]
    # A context of the analyst's is words: "the Duchy" is Freedonia where Freedonia is named.
    assert _flows("The Duchy delivered 12 tractors to Moldova.", own) == []
    named = "Freedonia is a small country. The Duchy delivered 12 tractors to Moldova."
    assert _flows(named, own) == [("Freedonia", "Moldova", 12.0)]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("state,name\nFreedonia,Freedonia\n", "needs the columns state and alias"),
        ("state,alias,kind\nFreedonia,Freedonia,nation\n", "row 1 ('Freedonia'): unknown kind 'nation'"),
        ("state,alias\n,Fredville\nFreedonia,\n", "row 1: no state; row 2: no alias"),
        ("state,alias\nFreedonia,Freedonia\nSylvania,Freedonia\n", "row 2 ('Freedonia'): alias given already in row 1"),
        ("", "is empty"),
    ],
)
def test_an_unusable_states_table_is_refused_in_one_line(table, message):
    from analysis.claims import read_states

    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        read_states(table.encode())
    assert "\n" not in str(refused.value)


def test_a_build_reads_the_analysts_states_and_records_them(tmp_path):
    from analysis import HashingEmbedder, Pipeline, Settings, build_analysis, load_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "wire.txt").write_text(
        "Freedonia sends aid\n\nFreedonia sent 300 tonnes of wheat to Moldova in May, officials said.\n",
        encoding="utf-8",
    )
    states = tmp_path / "states.csv"
    states.write_text(OWN_STATES, encoding="utf-8")
    settings = Settings(states_file=str(states))
    built = build_analysis(load_corpus([corpus]), settings, embedder=HashingEmbedder(), cache_dir=tmp_path / "cache")
    flows = built.figures[built.figures["kind"] == "flow"]
    assert list(zip(flows["giver"], flows["receiver"], strict=True)) == [("Freedonia", "Moldova")]
    assert {row["alias"] for row in built.provenance.states} == {"Freedonia", "Fredville", "the Duchy"}
    states.write_text("state,alias,kind\nFreedonia,Freedonia,nation\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape("states file states.csv: row 1")):
        Pipeline(settings)
