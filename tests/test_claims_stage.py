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
