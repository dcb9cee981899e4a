"""The topic coding rules as a read-only table, with hit counts in the current view."""

from __future__ import annotations

import pandas as pd

from analysis.metrics import topic_share
from analysis.topics import UNCLASSIFIED, load_rules


def rules_table(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per rule (file order, then 未分類): topic, description, rule, statements it labels.

    Counts come from the topic labels the store derived with these same rules (it re-derives
    when the rule file changes), so the rules are not evaluated again for every view.
    """
    counts = topic_share(statements).set_index("topic")["statements"] if not statements.empty else pd.Series()
    rows = [(r.name, r.description, r.rule, int(counts.get(r.name, 0))) for r in load_rules()]
    rows.append((UNCLASSIFIED, "どのルールにも当てはまらない発言", "", int(counts.get(UNCLASSIFIED, 0))))
    return pd.DataFrame(rows, columns=["トピック", "説明", "ルール", "該当する発言数（件）"])
