"""Claims in the text: figures (who gave what to whom, how much) and cited sources (who the text
attributes its claims to), read by one stage (`read_claims`) that splits each paragraph into
sentences once and passes each through one attribution step and the figures reader; in parts of
whole articles on the build's engine (`claims_in_parts`)."""

from ._figures import FIGURE_STATUSES
from ._parts import article_parts, claims_in_parts, sources_with_themes
from ._sentences import ClaimLimits, sentence_spans, split_sentences
from ._sources import AFFILIATION, PATTERN_WORDS, attributions_in_sentence, reading_order, source_table
from ._stage import (
    Claims,
    citation_id,
    extract_citations,
    extract_figures,
    extract_sentence_figures,
    read_claims,
)
from ._states import (
    STATE_COLUMNS,
    STATE_KINDS,
    STATES_FILE,
    analyst_states,
    checked_states,
    load_states,
    read_states,
    state_matcher,
)

__all__ = [
    "AFFILIATION",
    "FIGURE_STATUSES",
    "PATTERN_WORDS",
    "STATES_FILE",
    "STATE_COLUMNS",
    "STATE_KINDS",
    "ClaimLimits",
    "Claims",
    "analyst_states",
    "article_parts",
    "attributions_in_sentence",
    "checked_states",
    "citation_id",
    "claims_in_parts",
    "extract_citations",
    "extract_figures",
    "extract_sentence_figures",
    "load_states",
    "read_claims",
    "read_states",
    "reading_order",
    "sentence_spans",
    "source_table",
    "sources_with_themes",
    "split_sentences",
    "state_matcher",
]
