"""Claims in the text: sentences, figures (who gave what to whom, how much) and cited sources
(who the text attributes its claims to), read in parts of whole articles on the build's engine."""

from ._figures import extract_figures, extract_sentence_figures
from ._parts import article_parts, citations_in_parts, figures_in_parts, sources_with_themes
from ._sentences import ClaimLimits, split_sentences
from ._sources import PATTERN_WORDS, attributions_in_sentence, extract_citations, reading_order, source_table
from ._states import STATES_FILE, load_states, state_matcher

__all__ = [
    "PATTERN_WORDS",
    "STATES_FILE",
    "ClaimLimits",
    "article_parts",
    "attributions_in_sentence",
    "citations_in_parts",
    "extract_citations",
    "extract_figures",
    "extract_sentence_figures",
    "figures_in_parts",
    "load_states",
    "reading_order",
    "source_table",
    "sources_with_themes",
    "split_sentences",
    "state_matcher",
]
