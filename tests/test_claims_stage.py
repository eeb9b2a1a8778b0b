"""The claims stage: sentences split once with their offsets, one attribution step behind both
tables, each figure carrying the id of the citation it stands on."""

from __future__ import annotations

import pandas as pd

from analysis.claims import read_claims, sentence_spans
from analysis.tables import CITATION_COLUMNS, FIGURE_COLUMNS, paragraph_ids


def _article(*paragraphs: str, doc: str = "wire.txt") -> pd.DataFrame:
    frame = pd.DataFrame(
        {"doc": doc, "article": 1, "paragraph": range(1, len(paragraphs) + 1), "text": list(paragraphs), "lang": "en"}
    )
    return frame.assign(pid=paragraph_ids(frame))


def test_each_figure_carries_the_id_of_the_citation_behind_it():
    claims = read_claims(
        _article(
            "The Baltic Defence Institute published a study on Monday.",
            "Ukraine received 40 armoured vehicles from Lithuania in May, the study found. "
            "Vilnius also sent 2,000 rounds of ammunition.",
            "Lithuania shipped 12 radars to Ukraine in June.",
        )
    )
    assert list(claims.figures.columns) == FIGURE_COLUMNS and list(claims.citations.columns) == CITATION_COLUMNS
    cited = claims.citations.set_index("citation")
    vehicles, rounds, radars = (claims.figures.iloc[i] for i in range(3))
    # "the study" is the institute's; the sentence after it continues the same attribution.
    assert vehicles["source"] == "Baltic Defence Institute"
    assert cited.loc[vehicles["citation"], "source"] == "Baltic Defence Institute"
    assert cited.loc[vehicles["citation"], "pid"] == vehicles["pid"]
    assert rounds["citation"] == vehicles["citation"]
    # A paragraph that attributes nothing: no citation, whatever the one before said.
    assert (radars["source"], radars["citation"]) == ("", "")
    assert [(f.giver, f.receiver) for f in claims.figures.itertuples()] == [("Lithuania", "Ukraine")] * 3


def test_a_speaker_is_never_a_party_of_the_figures_they_attribute():
    claims = read_claims(
        _article("Poland's defence ministry said Norway had delivered 30 howitzers to Ukraine since March.")
    )
    figure = claims.figures.iloc[0]
    assert (figure["giver"], figure["receiver"], figure["amount"]) == ("Norway", "Ukraine", 30.0)
    assert "defence ministry" in figure["source"].lower()


def test_citations_point_at_their_sentence_in_the_paragraph():
    text = "Talks resumed in Geneva on Monday. Both sides traded prisoners, officials said. No date was set."
    claims = read_claims(_article(text))
    (row,) = claims.citations.itertuples()
    assert text[row.start : row.end] == row.sentence == "Both sides traded prisoners, officials said."
    # The same cut as the sentence splitter's, offsets included.
    assert (row.start, row.end) in sentence_spans(text)


def test_one_reading_gives_the_same_tables_as_two_articles_read_apart():
    first = _article("Estonia gave Ukraine $20 million in aid, its foreign minister said.", doc="a.txt")
    second = _article("Latvia sent 800 tonnes of grain to Moldova, according to Latvia's foreign ministry.", doc="b.txt")
    together = read_claims(pd.concat([first, second], ignore_index=True))
    apart = [read_claims(first), read_claims(second)]
    pd.testing.assert_frame_equal(
        together.figures, pd.concat([claims.figures for claims in apart], ignore_index=True)
    )
    pd.testing.assert_frame_equal(
        together.citations, pd.concat([claims.citations for claims in apart], ignore_index=True)
    )


def test_a_headline_is_read_for_figures_and_sources_without_changing_the_body():
    body = (
        "The UN monitoring mission said 20 armoured vehicles had crossed the border in May.",
        "The mission also counted 14 radars already on their way.",
    )
    paragraphs = _article(*body).assign(title="Norway pledges $150 million in military aid to Ukraine – UN")
    claims = read_claims(paragraphs)
    headline = claims.citations[claims.citations["start"] == -1]
    # Its source and its flow, as sentence 0 of the first paragraph (which does not hold it).
    assert headline["sentence"].tolist() == [paragraphs["title"].iloc[0]]
    assert headline["pid"].tolist() == [paragraphs["pid"].iloc[0]] and headline["citation"].str.endswith(":0.1").all()
    flows = claims.figures[claims.figures["amount"] == 150e6]
    assert flows[["giver", "receiver", "sentence"]].values.tolist() == [["Norway", "Ukraine", paragraphs["title"].iloc[0]]]
    # The body reads as it does without a headline: "the mission" is still the UN monitoring
    # mission, not the headline's "UN".
    alone = read_claims(_article(*body)).citations[["source", "sentence", "start"]].values.tolist()
    assert alone and claims.citations[claims.citations["start"] >= 0][["source", "sentence", "start"]].values.tolist() == alone


def test_a_headline_the_first_paragraph_opens_with_is_read_once():
    title = "Norway pledges $150 million in military aid to Ukraine, the defence minister said"
    paragraphs = _article(f"{title}. The package includes 20 armoured vehicles.").assign(title=title)
    claims = read_claims(paragraphs)
    assert (claims.citations["start"] >= 0).all() and (claims.figures["amount"] == 150e6).sum() == 1
