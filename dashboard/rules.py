"""The topic coding rules as a read-only table, with hit counts in the current view."""

from __future__ import annotations

import pandas as pd

from analysis.topics import UNCLASSIFIED, load_rules, rule_hits


def rules_table(statements: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """One row per rule (file order, then 未分類): topic, description, rule, statements it labels."""
    rules = load_rules()
    terms = tokens.groupby("statement_id")["term"].agg(list) if not tokens.empty else pd.Series(dtype=object)
    term_lists = [terms.get(sid, []) for sid in statements["statement_id"]]
    hits = rule_hits(statements["norm_text"].astype(str).tolist(), term_lists, rules)
    rows = [(r.name, r.description, r.rule, hits.get(r.name, 0)) for r in rules]
    rows.append((UNCLASSIFIED, "どのルールにも当てはまらない発言", "", hits.get(UNCLASSIFIED, 0)))
    return pd.DataFrame(rows, columns=["トピック", "説明", "ルール", "該当する発言数（件）"])
