"""Entry point: `streamlit run dashboard/app.py -- --db PATH`.

Resolves the corpus (``--db``, then $GIJIROKU_DB, then data/corpus.sqlite), brings it up to
date when the parser, dictionary or rules changed, draws the shared sidebar filters and runs
the selected page.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from analysis.store import RederiveResult  # noqa: E402
from dashboard import data, filters, present  # noqa: E402

PAGES_DIR = Path(__file__).resolve().parent / "views"

st.set_page_config(
    page_title="議事録アナリティクス｜東京都・区市町村CIOフォーラム",
    page_icon=":material/analytics:",
    layout="wide",
    initial_sidebar_state="collapsed" if filters.presentation_mode() else "auto",
)


def _rederive_if_needed(db: str) -> str:
    """Re-derive stale meetings with a progress bar; returns the (new) corpus version."""
    version = data.corpus_version(db)
    if not data.needs_rederive(db, version):
        return version
    bar = st.progress(0.0, text="辞書・ルールの更新を反映しています…")
    done: list[RederiveResult] = []

    def report(result: RederiveResult) -> None:
        done.append(result)
        bar.progress(min(1.0, 0.1 + 0.9 * len(done) / (len(done) + 1)), text=f"再計算中: 会議 {len(done)} 件")

    with st.spinner("辞書・ルールの更新を反映しています…"):
        results = data.rederive(db, report)
    bar.empty()
    failed = [r for r in results if r.status == "error"]
    if failed:
        st.warning("再計算できなかった会議があります: " + "／".join(r.message for r in failed))
    return data.corpus_version(db)


def main() -> None:
    db = data.resolve_db_path()
    version = _rederive_if_needed(db)
    corpus = data.load_corpus(db, version)
    pages = [
        st.Page(
            PAGES_DIR / "overview.py",
            title="概要",
            icon=":material/dashboard:",
            url_path="home",
            default=True,
        ),
        # The default page is served at "/" but reserves its url_path; /overview (the page's
        # name everywhere else) opens the same page instead of "Page not found".
        st.Page(PAGES_DIR / "overview.py", title="概要", url_path="overview", visibility="hidden"),
        st.Page(
            PAGES_DIR / "statements.py",
            title="発言一覧・検索",
            icon=":material/search:",
            url_path="statements",
        ),
        st.Page(
            PAGES_DIR / "reading.py", title="会議を読む", icon=":material/menu_book:", url_path="reading"
        ),
        st.Page(PAGES_DIR / "topics.py", title="トピック", icon=":material/label:", url_path="topics"),
        st.Page(
            PAGES_DIR / "speakers.py",
            title="発言者・区市町村",
            icon=":material/account_balance:",
            url_path="speakers",
        ),
        st.Page(
            PAGES_DIR / "keywords.py", title="キーワード", icon=":material/text_fields:", url_path="keywords"
        ),
        st.Page(
            PAGES_DIR / "network.py", title="共起ネットワーク", icon=":material/hub:", url_path="network"
        ),
        st.Page(PAGES_DIR / "report.py", title="レポート", icon=":material/slideshow:", url_path="report"),
        st.Page(
            PAGES_DIR / "rules_editor.py",
            title="コーディングルール",
            icon=":material/rule:",
            url_path="rules",
        ),
        st.Page(PAGES_DIR / "data_admin.py", title="データ管理", icon=":material/database:", url_path="data"),
    ]
    filters.sidebar(corpus)
    if filters.presentation_mode():
        present.apply()
    page = st.navigation(pages)
    with st.sidebar:
        # The file name only: a server path means nothing to a reader and tells an outsider too much.
        st.caption(f"コーパス: {Path(db).name}")
    page.run()


main()
