"""DataFrame in -> DataFrame out: every number a chart shows, computed from the store's frames.

Inputs are the frames of ``analysis.frames`` (already restricted by the dashboard filters);
functions are pure, never do I/O, and return an empty frame with the documented columns when
given empty input. One module per family, re-exported here.
"""

from analysis.metrics._common import UNCLASSIFIED
from analysis.metrics.checks import CHECK_COLUMNS, meetings_to_check
from analysis.metrics.filters import (
    CRITERIA_LABELS,
    SELECTION_COLUMNS,
    filter_statements,
    matching_any,
    statements_for_selection,
    tokens_for,
)
from analysis.metrics.network import (
    EDGE_COLUMNS,
    LAYOUT_COLUMNS,
    NODE_COLUMNS,
    cooccurrence,
    network_layout,
)
from analysis.metrics.qa import FLOW_COLUMNS, QA_COLUMNS, qa_flow, qa_pairs
from analysis.metrics.speakers import speaker_frequency, summary_kpis
from analysis.metrics.topics import (
    ORG_TOPIC_COLUMNS,
    TOPIC_COMPOSITION_COLUMNS,
    TOPIC_SHARE_COLUMNS,
    adjusted_residuals,
    org_topics,
    topic_composition,
    topic_crosstab,
    topic_share,
    topic_trend,
)
from analysis.metrics.words import (
    KEYNESS_COLUMNS,
    KEYWORD_COLUMNS,
    KWIC_COLUMNS,
    NO_SECTION,
    TREND_COLUMNS,
    keyness,
    keyword_frequency,
    keyword_trends,
    kwic,
)

__all__ = [
    "CHECK_COLUMNS",
    "EDGE_COLUMNS",
    "FLOW_COLUMNS",
    "KEYNESS_COLUMNS",
    "KEYWORD_COLUMNS",
    "KWIC_COLUMNS",
    "LAYOUT_COLUMNS",
    "NODE_COLUMNS",
    "NO_SECTION",
    "ORG_TOPIC_COLUMNS",
    "QA_COLUMNS",
    "SELECTION_COLUMNS",
    "TOPIC_COMPOSITION_COLUMNS",
    "TOPIC_SHARE_COLUMNS",
    "TREND_COLUMNS",
    "UNCLASSIFIED",
    "adjusted_residuals",
    "cooccurrence",
    "filter_statements",
    "keyness",
    "keyword_frequency",
    "keyword_trends",
    "kwic",
    "meetings_to_check",
    "network_layout",
    "org_topics",
    "qa_flow",
    "qa_pairs",
    "speaker_frequency",
    "statements_for_selection",
    "CRITERIA_LABELS",
    "matching_any",
    "summary_kpis",
    "tokens_for",
    "topic_composition",
    "topic_crosstab",
    "topic_share",
    "topic_trend",
]
