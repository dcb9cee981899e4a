"""Latency of every metric on a seed-size corpus and on 300 synthetic meetings.

Synthetic corpus: 300 meetings x ~25 statements x ~30 tokens, a vocabulary of a few thousand
Japanese terms drawn with a Zipf distribution, Tokyo's 62 municipalities asking and 東京都
answering. Prints the median of 5 runs per metric; targets are <= 1 s at 300 meetings and
<= 0.2 s at seed size. Run: .venv/bin/python benchmarks/bench_metrics.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import metrics  # noqa: E402
from analysis.frames import MEETING_COLUMNS, STATEMENT_COLUMNS, TOKEN_COLUMNS  # noqa: E402
from analysis.stats import build_stats  # noqa: E402

BASE_WORDS = (
    "クラウド ガバメントクラウド 標準化 共通化 自治体 区市町村 東京都 デジタル 業務 システム 基幹 "
    "データ 連携 検討 推進 事業 支援 人材 育成 確保 セキュリティ 個人情報 ネットワーク 調達 共同 "
    "コスト ライセンス マイクロソフト 住民 サービス 手続 オンライン 申請 窓口 マイナンバー カード "
    "ポイント スマホ 高齢者 デバイド 相談 教室 職員 研修 庁内 議会 予算 年度 計画 方針 設計 構築 "
    "運用 保守 移行 ベンダー 事業者 契約 仕様 要件 機能 カスタマイズ 統一 基準 ガイドライン 国 "
    "デジタル庁 総務省 都庁 局 部会 協議会 フォーラム 意見 要望 課題 状況 情報 共有 報告 説明 "
    "資料 会議 調査 アンケート 結果 効果 効率 負担 軽減 改善 改革 変革 戦略 政策 分野 領域 基盤 "
    "インフラ 環境 端末 ツール アプリ チャット 電子 文書 管理 決裁 押印 ペーパーレス テレワーク "
    "ローコード RPA AI 生成 活用 利活用 オープンデータ EBPM 分析 統計 可視化 ダッシュボード "
    "GovTech東京 スタートアップ 企業 民間 協定 提携 連絡 体制 組織 責任 役割 分担 範囲 対象 "
    "独自 施策 取組 事例 先行 モデル 実証 導入 拡大 展開 普及 周知 広報 支援策 補助 交付金 財源"
)
BASE_TERMS = BASE_WORDS.split()
SUFFIX_CHARS = "化性等系型率費者先後内外間上別的側面用版"
SUFFIXES = list(SUFFIX_CHARS)
TOPICS = [
    "クラウド",
    "標準化・共通化",
    "GovTech東京",
    "セキュリティ・個人情報",
    "デジタル人材",
    "デジタルデバイド",
    "共同調達・コスト",
    "未分類",
]
SECTIONS = ["都からの事業報告", "国からの情報共有", "その他質疑応答・意見交換"]


def vocabulary() -> np.ndarray:
    """Base domain words, compounds of two of them and suffixed forms: a few thousand terms."""
    compounds = [a + b for a in BASE_TERMS[:60] for b in BASE_TERMS[60:100]]
    suffixed = [w + s for w in BASE_TERMS for s in SUFFIXES[:5]]
    return np.array(list(dict.fromkeys(BASE_TERMS + compounds + suffixed)))


def synthetic(n_meetings: int, per_meeting: int = 25, per_statement: int = 30, seed: int = 7):
    """(meetings, statements, tokens) frames with the analysis.frames columns."""
    rng = np.random.default_rng(seed)
    munis = pd.read_csv(ROOT / "data" / "reference" / "municipalities.csv", dtype=str)
    vocab = vocabulary()
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.07
    weights /= weights.sum()
    n = n_meetings * per_meeting
    meeting_id = np.repeat(np.arange(1, n_meetings + 1), per_meeting)
    position_in_meeting = np.tile(np.arange(per_meeting), n_meetings)
    dates = pd.date_range("2015-01-10", periods=n_meetings, freq="9D").strftime("%Y-%m-%d").to_numpy()
    is_answer = position_in_meeting % 2 == 1
    muni_rows = munis.iloc[rng.integers(0, len(munis), n)].reset_index(drop=True)
    org_name = np.where(is_answer, "東京都", muni_rows["name"])
    turn_id = np.arange(1, n + 1)
    n_tokens = rng.poisson(per_statement, n).clip(5)
    terms = vocab[rng.choice(len(vocab), n_tokens.sum(), p=weights)]
    owner = np.repeat(np.arange(1, n + 1), n_tokens)
    bounds = np.concatenate([[0], np.cumsum(n_tokens)])
    texts = ["、".join(terms[bounds[i] : bounds[i + 1]]) + "。" for i in range(n)]
    topic_count = rng.integers(1, 4, n)
    topics = [tuple(rng.choice(TOPICS, k, replace=False)) for k in topic_count]
    labels = [f"第{i}回 ({d})" for i, d in zip(range(1, n_meetings + 1), dates, strict=True)]
    statements = pd.DataFrame(
        {
            "statement_id": np.arange(1, n + 1),
            "meeting_id": meeting_id,
            "meeting_label": np.array(labels)[meeting_id - 1],
            "date": dates[meeting_id - 1],
            "section_id": position_in_meeting * 3 // per_meeting + 1,
            "section_title": np.array(SECTIONS)[position_in_meeting * 3 // per_meeting],
            "subsection_title": "",
            "turn_id": turn_id,
            "turn_order": position_in_meeting + 1,
            "speaker": np.where(is_answer, "東京都デジタルサービス局長", muni_rows["name"]),
            "org_name": org_name,
            "org_kind": np.where(is_answer, "東京都", muni_rows["kind"]),
            "org_code": np.where(is_answer, None, muni_rows["code"]),
            "region": np.where(is_answer, None, muni_rows["region"]),
            "role": np.where(is_answer, "answer", "question"),
            "reply_to_turn_id": pd.Series(turn_id - 1, dtype="Int64").where(is_answer),
            "position": 0,
            "text": texts,
            "norm_text": texts,
            "chars": [len(t) for t in texts],
            "topics": topics,
        }
    )[STATEMENT_COLUMNS]
    tokens = pd.DataFrame({"statement_id": owner, "term": terms, "surface": terms, "pos": "名詞"})[
        TOKEN_COLUMNS
    ]
    meetings = pd.DataFrame(
        {
            "meeting_id": np.arange(1, n_meetings + 1),
            "title": [f"第{i}回東京都・区市町村CIOフォーラム" for i in range(1, n_meetings + 1)],
            "label": labels,
            "date": dates,
            "turns": per_meeting,
            "statements": per_meeting,
        }
    ).reindex(columns=MEETING_COLUMNS)
    return meetings, statements, tokens


def cases(
    meetings: pd.DataFrame, statements: pd.DataFrame, tokens: pd.DataFrame
) -> dict[str, Callable[[], object]]:
    """One zero-argument call per metric on the given corpus."""
    top_terms = metrics.keyword_frequency(tokens, top_n=5)["term"].tolist()
    some_org = statements.loc[statements["org_kind"] != "東京都", "org_name"].iloc[0]
    return {
        "filter_statements": lambda: metrics.filter_statements(
            statements, date_from="2016-01-01", org_kinds=["特別区", "市"], topics=["クラウド"]
        ),
        "tokens_for": lambda: metrics.tokens_for(tokens, statements.iloc[: len(statements) // 2]),
        "topic_share": lambda: metrics.topic_share(statements, "org_kind"),
        "topic_composition": lambda: metrics.topic_composition(statements, "meeting_label"),
        "topic_crosstab": lambda: metrics.topic_crosstab(statements, "org_name"),
        "adjusted_residuals": lambda: metrics.adjusted_residuals(
            metrics.topic_crosstab(statements, "org_name")
        ),
        "speaker_frequency": lambda: metrics.speaker_frequency(statements),
        "org_topics": lambda: metrics.org_topics(statements),
        "keyword_frequency": lambda: metrics.keyword_frequency(tokens),
        "keyword_trends": lambda: metrics.keyword_trends(statements, tokens, top_terms),
        "keyness": lambda: metrics.keyness(statements, tokens, "org_name", some_org),
        "cooccurrence": lambda: metrics.cooccurrence(tokens, min_freq=2),
        "network_layout": lambda: metrics.network_layout(*metrics.cooccurrence(tokens, min_freq=2)),
        "kwic": lambda: metrics.kwic(statements, top_terms[0]),
        "qa_pairs": lambda: metrics.qa_pairs(statements),
        "qa_flow": lambda: metrics.qa_flow(statements),
        "statements_for_selection": lambda: metrics.statements_for_selection(
            statements, topic="クラウド", org_kind="特別区"
        ),
        "summary_kpis": lambda: metrics.summary_kpis(meetings, statements),
        "build_stats": lambda: build_stats(meetings, statements, tokens),
    }


def median_seconds(call: Callable[[], object], runs: int = 5) -> float:
    """Median wall time of ``runs`` calls, after one warm-up call."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    seed = synthetic(1)
    large = synthetic(300)
    for name, frames in (("seed-size", seed), ("300 meetings", large)):
        _, statements, tokens = frames
        print(
            f"# {name}: {len(statements)} statements, {len(tokens)} tokens, {tokens['term'].nunique()} terms"
        )
    seed_cases, large_cases = cases(*seed), cases(*large)
    print(f"{'metric':<26}{'seed (s)':>10}{'300 mtg (s)':>13}  target <=0.2 / <=1.0")
    for name in seed_cases:
        small, big = median_seconds(seed_cases[name]), median_seconds(large_cases[name])
        verdict = "ok" if small <= 0.2 and big <= 1.0 else "SLOW"
        print(f"{name:<26}{small:>10.4f}{big:>13.4f}  {verdict}")


if __name__ == "__main__":
    main()
