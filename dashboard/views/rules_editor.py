"""コーディングルール: edit one topic's rule, see whether it parses and which statements it gains
and loses on the whole corpus, then (admins only) save it to the rules file and re-label."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import rules_edit, topics
from analysis.rules_edit import MatchDiff, RuleEditError, TopicDraft
from analysis.rules_expr import RuleError, parse_rule
from analysis.store import BUSY_MESSAGE, CorpusBusyError, RederiveResult
from dashboard import admin_auth, data, ui
from dashboard.filters import current_view
from dashboard.rules import rules_table
from dashboard.safe_text import md_literal

FLASH = "rl_flash"
BASE = "rl_base_version"
TOPIC = "rl_topic"
#: The topic to select on the next run (a widget's state cannot change once it is drawn).
SELECT_NEXT = "rl_select_next"
NEW = "__new__"
SAMPLE = 50
COUNT = "件数"
#: The count column of dashboard.rules.rules_table.
COUNTED = "該当する発言数（件）"
ROWS_CSS = (
    "<style>.rl-row{border-left:3px solid #d0d4dc;padding:0.25rem 0.8rem;margin:0 0 0.7rem}"
    ".rl-meta{font-size:0.8rem;color:#5f6368;margin-bottom:0.1rem}"
    ".rl-text{line-height:1.75;word-break:break-word}.rl-text mark{background:#fff1a8;padding:0 1px}</style>"
)
COUNTS_CSS = (
    "<style>.rl-counts{border-collapse:collapse;width:100%;font-size:0.875rem}"
    ".rl-counts th,.rl-counts td{border-bottom:1px solid #e6e8ec;padding:0.35rem 0.6rem;text-align:left;"
    "vertical-align:top;line-height:1.55}.rl-counts thead th{color:#5f6368;font-weight:600;white-space:nowrap}"
    ".rl-counts tbody th{font-weight:600;min-width:12.5em}.rl-counts td.num{text-align:right;"
    "white-space:nowrap;font-variant-numeric:tabular-nums}</style>"
)
ERROR_CSS = (
    "<style>.rule-error{font-family:monospace;white-space:pre-wrap;word-break:break-all;line-height:1.7;"
    "padding:0.4rem 0.6rem;background:#f8f9fb;border-radius:0.4rem}"
    ".rule-error mark{background:#f8c9c4;color:#8a1c14;font-weight:700;padding:0 1px}</style>"
)


def _shown_path(path: object) -> str:
    """The rules file as a reader should see it: relative to the project, else its name only
    (a full server path tells a reader nothing and an outsider too much)."""
    file = Path(str(path)).resolve()
    root = Path(__file__).resolve().parents[2]
    return str(file.relative_to(root)) if file.is_relative_to(root) else file.name


def flash(kind: str, text: str) -> None:
    """Queue a message for the next run (shown at the top of the page)."""
    st.session_state.setdefault(FLASH, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        getattr(st, kind)(md_literal(text))


FIELDS = ("name", "description", "color", "rule")


def widget_key(field: str, slot: str, version: str) -> str:
    """Widget key of one field of one topic, for one version of the rules file (a new file
    version starts every field from the file again)."""
    return f"rl_{field}_{slot}_{version}"


def keep_drafts(version: str) -> None:
    """Keep the edits of topics not shown in this run (Streamlit drops the state of widgets it
    does not draw) and forget the edits made against an older version of the rules file."""
    for key in [k for k in st.session_state if str(k).startswith(tuple(f"rl_{f}_" for f in FIELDS))]:
        if str(key).endswith(f"_{version}"):
            st.session_state[key] = st.session_state[key]
        else:
            del st.session_state[key]


def reset_draft(slot: str, version: str) -> None:
    for field in FIELDS:
        st.session_state.pop(widget_key(field, slot, version), None)


def unsaved_topics(rules: list[topics.TopicRule], version: str, skip: str) -> list[str]:
    """Topics (other than the one in slot ``skip``) whose fields were edited but not saved."""
    edited = []
    for index, rule in enumerate(rules):
        slot = str(index)
        saved = {"description": rule.description, "color": rule.color, "rule": rule_edit_key(rule.rule)}
        values = {f: st.session_state.get(widget_key(f, slot, version)) for f in saved}
        if slot != skip and any(
            value is not None and rule_edit_key(str(value)) != rule_edit_key(saved[f])
            for f, value in values.items()
        ):
            edited.append(rule.name)
    return edited


def rule_edit_key(text: str) -> str:
    """A field's value for comparing edits: whitespace runs folded, Latin letters lower-cased."""
    return " ".join(text.split()).lower()


def draft_inputs(rule: topics.TopicRule | None, slot: str, version: str, new_color: str) -> TopicDraft:
    """Inputs for one topic's fields, filled from the file (or empty for a new topic) unless
    edited already in this session."""
    start = {
        "name": rule.name if rule else "",
        "description": rule.description if rule else "",
        "color": rule.color if rule else new_color,
        "rule": rule.rule if rule else "",
    }
    for field, value in start.items():
        st.session_state.setdefault(widget_key(field, slot, version), value)
    if rule is None:
        name = st.text_input(
            "トピック名", key=widget_key("name", slot, version), max_chars=40, placeholder="例: 生成AI"
        )
    else:
        name = rule.name
    cols = st.columns([5, 1], vertical_alignment="bottom")
    description = cols[0].text_area(
        "説明（画面に出る、何を数えるトピックか）",
        key=widget_key("description", slot, version),
        max_chars=200,
        height=68,
    )
    color = cols[1].color_picker("グラフの色", key=widget_key("color", slot, version))
    text = st.text_area(
        "ルール式",
        key=widget_key("rule", slot, version),
        height=110,
        max_chars=4000,
        placeholder="例: 生成AI or ChatGPT or (AI and 活用)",
        help="語 or 語（どちらか）、語 and 語（両方）、not 語（含まない）、( … ) でまとめる。"
        '空白や記号を含む語句は "…" か 「…」 で囲む。英字の大文字・小文字は区別しない。',
    )
    return TopicDraft(name or "", description or "", color or new_color, text or "")


def show_rule_error(error: RuleError) -> None:
    """The parse error in Japanese, with the rule and the offending character highlighted."""
    place = (
        "末尾"
        if error.position is None or error.position >= len(error.source)
        else f"{error.position + 1}文字目"
    )
    st.error(md_literal(f"ルール式を読めません（{place}）: {error.reason}"), icon=":material/error:")
    before, at, after = rules_edit.error_parts(error)
    marked = (
        f"<mark>{html.escape(at)}</mark>" if at.strip() else "<mark>␣</mark>" if at else "<mark>◀ここ</mark>"
    )
    st.html(f'{ERROR_CSS}<div class="rule-error">{html.escape(before)}{marked}{html.escape(after)}</div>')


def words_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """The rule's words as one case-insensitive pattern, longest first (for highlighting)."""
    unique = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in unique), re.IGNORECASE) if unique else None


def rows_html(frame: pd.DataFrame, display: pd.DataFrame, pattern: re.Pattern[str] | None) -> str:
    """Up to :data:`SAMPLE` gained/lost statements in full, to read: meeting, speaker, current
    topics, and the text with the rule's words marked. Rows come from ``display`` (the view's
    statements, names withheld when the sidebar says so); every value is HTML-escaped."""
    ids = frame["statement_id"].head(SAMPLE).tolist()
    rows = display.set_index("statement_id").reindex(ids).dropna(subset=["text"])
    parts = []
    for row in rows.itertuples():
        who = row.speaker if row.org_name in ("", row.speaker) else f"{row.speaker}（{row.org_name}）"
        labels = "、".join(row.topics) if isinstance(row.topics, tuple | list) else ""
        meta = f"{row.meeting_label}｜{who}｜今のトピック: {labels or 'なし'}"
        parts.append(
            f'<div class="rl-row"><div class="rl-meta">{html.escape(meta)}</div>'
            f'<div class="rl-text">{ui.highlight_html(str(row.text), pattern)}</div></div>'
        )
    return ROWS_CSS + "".join(parts)


def counts_html(counts: pd.DataFrame) -> str:
    """The rules-with-counts table (dashboard.rules.rules_table) as a wrapping HTML table:
    long rules and descriptions wrap instead of being cut off; every value is HTML-escaped."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ("トピック", COUNT, "ルール", "説明"))
    rows = counts.to_dict("records")
    body = "".join(
        f"<tr><th>{html.escape(str(r['トピック']))}</th><td class='num'>{int(r[COUNTED]):,}</td>"
        f"<td>{html.escape(str(r['ルール']))}</td><td>{html.escape(str(r['説明']))}</td></tr>"
        for r in rows
    )
    return f"{COUNTS_CSS}<table class='rl-counts'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def signed(count: int, sign: str) -> str:
    """+3件 / −2件, and 0件 without a sign."""
    return f"{sign}{count:,}件" if count else "0件"


def diff_section(diff: MatchDiff, display: pd.DataFrame, current: str | None, proposed: str) -> None:
    """Counts before/after and the statements gained and lost, to read before saving."""
    ui.kpi_row(
        [
            ui.Kpi("今のルール", "—" if current is None else f"{diff.before:,}件", "今のルールが当たる発言"),
            ui.Kpi("編集後のルール", f"{diff.after:,}件", "編集後のルールが当たる発言"),
            ui.Kpi("新たに当たる", signed(len(diff.gained), "+"), "編集後のルールだけが当たる発言"),
            ui.Kpi("当たらなくなる", signed(len(diff.lost), "−"), "今のルールだけが当たる発言"),
        ]
    )
    tabs = st.tabs(
        [f"新たに当たる発言（{len(diff.gained):,}件）", f"当たらなくなる発言（{len(diff.lost):,}件）"]
    )
    for tab, frame, key, rule, none in (
        (tabs[0], diff.gained, "rl_gained", proposed, "新たに当たる発言はありません。"),
        (tabs[1], diff.lost, "rl_lost", current, "当たらなくなる発言はありません。"),
    ):
        with tab:
            if frame.empty:
                st.caption(none)
                continue
            shown = f"先頭の{SAMPLE}件を表示しています（全{len(frame):,}件）。" if len(frame) > SAMPLE else ""
            st.caption(f"{shown}黄色はルールの語です（表記が違うと色が付かないことがあります）。")
            pattern = words_pattern(parse_rule(rule).words()) if rule else None
            with st.container(key=f"{key}_box"):
                st.html(rows_html(frame, display, pattern))


def save(draft: TopicDraft, original: str | None, version: str, db: str) -> None:
    """Write the rule (with a backup), re-label the corpus with a progress bar, report, rerun."""
    try:
        saved = rules_edit.save_topic(draft, original, path=topics.rules_path(), expected_version=version)
    except RuleEditError as exc:
        st.error(md_literal(str(exc)))
        return
    st.session_state[BASE] = saved.version
    st.session_state[SELECT_NEXT] = " ".join(draft.name.split())
    bar = st.progress(0.0, text="トピックを付け直しています…")
    done: list[RederiveResult] = []

    def report(result: RederiveResult) -> None:
        done.append(result)
        bar.progress(
            min(1.0, 0.1 + 0.9 * len(done) / (len(done) + 1)), text=f"付け直し中: 会議 {len(done)} 件"
        )

    try:
        results = data.rederive(db, report)
    except CorpusBusyError:
        flash(
            "warning",
            f"ルールは保存しましたが、トピックの付け直しができませんでした: {BUSY_MESSAGE}"
            "データ管理の「全会議を再解析する」で付け直してください。",
        )
        results = []
    bar.empty()
    failed = [r for r in results if r.status == "error"]
    flash(
        "success",
        f"保存しました（前のファイルは {saved.backup.parent.name}/{saved.backup.name} に残しました）。"
        f"{len(results) - len(failed)} 件の会議のトピックを付け直しました。",
    )
    if failed:
        flash("error", "付け直せなかった会議があります: " + "／".join(r.message for r in failed))
    st.rerun()


view = current_view()
db = view.corpus.db
st.title("コーディングルール")
st.caption(
    "発言にトピックを付けるルール（KH Coder のコーディングルールにあたるもの）を直します。"
    "編集すると、コーパス全体で新たに当たる発言と当たらなくなる発言をその場で確かめられます。"
    "保存するとルールファイルを書き換え（前のファイルはバックアップとして残ります）、全発言のトピックを付け直します。"
)
show_flash()
path = topics.rules_path()
version = topics.rules_version(path)
st.caption(md_literal(f"ルールファイル: {_shown_path(path)}"))
if st.session_state.get(BASE) not in (None, version):
    st.warning(
        "ルールファイルがほかで変更されたため、最新の内容を読み込み直しました。", icon=":material/sync:"
    )
st.session_state[BASE] = version
keep_drafts(version)
try:
    rules = topics.load_rules(path)
except RuleError as exc:
    st.error(md_literal(f"ルールファイルを読めません。ファイルを直接直してください: {exc}"))
    st.stop()

corpus = data.load_corpus(db, view.corpus.version)
counts = data.cached(
    lambda: rules_table(corpus.statements), "rules_table_corpus", (db, corpus.version, version), ()
)
stored = dict(zip(counts["トピック"], counts[COUNTED], strict=True))
st.subheader("ルールを編集する")
names = [r.name for r in rules]
if SELECT_NEXT in st.session_state:
    st.session_state[TOPIC] = st.session_state.pop(SELECT_NEXT)
if st.session_state.get(TOPIC) not in (*names, NEW):
    st.session_state[TOPIC] = names[0] if names else NEW
choice = st.selectbox(
    "編集するトピック",
    options=[*names, NEW],
    format_func=lambda n: "＋ 新しいトピック" if n == NEW else n,
    key=TOPIC,
)
current = None if choice == NEW else rules[names.index(choice)]
slot = "new" if current is None else str(names.index(choice))
elsewhere = unsaved_topics(rules, version, slot)
if elsewhere:
    st.caption(
        md_literal(
            f"保存していない編集がほかのトピックにもあります: {'、'.join(elsewhere)}（保存はトピックごとです）"
        )
    )
draft = draft_inputs(current, slot, version, topics.unused_color(rules))
original = None if current is None else current.name
problems = rules_edit.draft_problems(draft, rules, original)
error = rules_edit.check_rule(draft.rule, topic=draft.name) if draft.rule.strip() else None
proposed = rules_edit.normalize_rule(draft.rule)
changed = current is None or (
    proposed != rules_edit.normalize_rule(current.rule)
    or " ".join(draft.description.split()) != current.description
    or draft.color.lower() != current.color
)
st.button("編集を取り消す", key="rl_reset", on_click=reset_draft, args=(slot, version), disabled=not changed)

if error is not None:
    show_rule_error(error)
elif proposed:
    st.success(
        md_literal(f"ルール式を読めました。解釈: {parse_rule(proposed)}"), icon=":material/check_circle:"
    )
    if corpus.empty:
        st.info("コーパスに会議録がまだないため、当たる発言は確かめられません。")
    elif current is not None and proposed == rules_edit.normalize_rule(current.rule):
        st.caption(
            f"今のルールが当たる発言: {stored.get(current.name, 0):,}件。ルール式を変えると、"
            "コーパス全体で新たに当たる発言と当たらなくなる発言をここに出します。"
        )
    else:
        diff = data.cached(
            lambda current_rule, proposed_rule: rules_edit.match_diff(
                corpus.statements, corpus.tokens, current_rule, proposed_rule
            ),
            "rules_diff",
            (db, corpus.version),
            (("current_rule", current.rule if current else None), ("proposed_rule", proposed)),
        )
        diff_section(diff, view.corpus.statements, current.rule if current else None, proposed)
if current is None and not draft.name.strip() and not proposed:
    st.info("新しいトピックの名前とルール式を入力してください。", icon=":material/edit:")
else:
    for problem in problems:
        st.warning(md_literal(problem), icon=":material/warning:")

st.subheader("保存")
allowed = admin_auth.can_modify()
ready = error is None and not problems and changed
if allowed and not ready:
    st.caption(
        "変更がないため保存するものはありません。"
        if not changed
        else "上のエラーや注意を直すと保存できます。"
    )
if st.button("保存してトピックを付け直す", key="rl_save", type="primary", disabled=not (allowed and ready)):
    save(draft, original, version, db)

st.subheader("トピックと該当件数（コーパス全体・保存済みのルール）")
with st.container(key="rl_counts_box"):
    st.html(counts_html(counts))
