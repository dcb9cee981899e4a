"""データ管理: add minutes after a preview with corrections, correct and delete stored minutes,
keep speaker → organization mappings, show and edit which labels are one person, and re-derive
tokens and topics with a progress bar. Stored documents are shown by file name, never by the
path they were ingested from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from analysis import admin, speaker_identity
from analysis.model import Organization, Quality
from analysis.sources import MAX_BYTES, SourceError, SourceText, display_name
from analysis.store import BUSY_MESSAGE, Corpus, CorpusBusyError, RederiveResult
from analysis.store.corrections import CorrectionError, MeetingOverrides, overrides_from_edits
from analysis.store.loaders import CHECK_FLAGGED
from dashboard import admin_auth, data
from dashboard.safe_text import md_literal

MB = 1024 * 1024
FLASH = "adm_flash"
SOURCES = "adm_sources"
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
DOCUMENT_LABELS = {
    "label": "会議",
    "title": "会議名",
    "series": "会議体",
    "number": "回",
    "date": "開催日",
    "name": "ファイル名",
    "format": "形式",
    "size": "サイズ（バイト）",
    "turns": "発言ターン数",
    "statements": "発言数",
    "warnings": "警告数",
    "corrected": "手修正あり",
    "ingested_at": "取り込み日時（UTC）",
    "check": "確認",
    "issues": "確認事項",
}
#: Where a fix link (概要's 「データ管理で開催日を入力する」) points: ?fix=<meeting id>.
FIX_PARAM = "fix"
FIELD_NAMES = {"date": "開催日", "number": "回", "speakers": "発言者の所属"}
SPEAKER_LABELS = {
    "speaker": "発言者（表記どおり）",
    "org_name": "所属",
    "org_kind": "種別",
    "org_code": "団体コード",
    "region": "地域",
    "turns": "発言ターン数",
    "statements": "発言数",
}
IDENTITY_LABELS = {
    "person": "人物",
    "speaker_label": "まとめた表記",
    "basis": "根拠",
    "statements": "発言数",
    "meetings": "会議",
}
OVERRIDE_LABELS = {"label": "発言者の表記", "choice": "指定", "updated_at": "更新日時（UTC）"}
#: What 「まとめを取り消す」 did (admin.undo_merge), for the message after the rerun.
UNDONE = {
    "manual": "手動のまとめを取り消しました: 「{label}」は自動の判定に戻ります。",
    "separate": "取り消しました: 「{label}」を別人として、ほかの表記とは分けて数えます。",
    "none": "「{label}」は既に別人として扱っています。",
}
MAPPING_LABELS = {
    "label": "発言者の表記",
    "org_name": "所属",
    "org_kind": "種別",
    "org_code": "団体コード",
    "region": "地域",
    "updated_at": "更新日時（UTC）",
}


def flash(kind: str, text: str) -> None:
    """Queue a message for the next run (shown at the top of the page)."""
    st.session_state.setdefault(FLASH, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        getattr(st, kind)(md_literal(text))


def human_size(size: int) -> str:
    """1,234 バイト / 56 KB / 7.8 MB."""
    if size < 10_000:
        return f"{size:,} バイト"
    return f"{size / 1024:,.0f} KB" if size < MB else f"{size / MB:.1f} MB"


def read_cached(upload: UploadedFile) -> SourceText | SourceError:
    """Read an upload once per browser session (PDF extraction is the slow part)."""
    cache: dict[str, SourceText | SourceError] = st.session_state.setdefault(SOURCES, {})
    if upload.file_id not in cache:
        try:
            cache[upload.file_id] = admin.read_upload(upload.getvalue(), upload.name)
        except SourceError as exc:
            cache[upload.file_id] = exc
    return cache[upload.file_id]


def org_selectbox(label: str, key: str) -> Organization | None:
    """A choice among 東京都, the 62 municipalities, 国 bodies and その他 (None = leave as 不明)."""
    choices: list[Organization | None] = [None, *admin.mapping_choices()]
    return st.selectbox(
        label,
        options=choices,
        format_func=lambda o: "（不明のまま）" if o is None else admin.org_choice_label(o),
        key=key,
    )


def parse_date(value: object) -> dt.date | None:
    """The date of a stored value; None for missing ones (None, NaN, pd.NA) and bad strings."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def quality_panel(quality: Quality) -> None:
    """What the parser understood, where the user decides: a clear flag and the fields to fix."""
    share = "—" if quality.attributed_share is None else f"{quality.attributed_share:.0%}"
    summary = f"所属が分かった発言: {share}（{quality.attributed:,} / {quality.statements:,}）"
    if not quality.is_minutes:
        st.error(
            "議事録として読み取れない文書です（開催日・議事・見出し・発言者のいずれも見つかりません）。"
            "別のファイルでないか確かめ、それでも保存するときは下で確認してください。",
            icon=":material/block:",
        )
    elif quality.flagged:
        fields = "・".join(FIELD_NAMES[f] for f in quality.fix if f in FIELD_NAMES) or "内容"
        st.error(
            md_literal(f"要確認: このまま保存すると集計が不正確になります。直す項目: {fields}。{summary}"),
            icon=":material/warning:",
        )
    else:
        st.success(md_literal(f"読み取り良好: {summary}"), icon=":material/check_circle:")
    for warning in quality.warnings:
        st.markdown(f"- {md_literal(warning)}")
    with st.expander("読み取りに使った規則"):
        st.caption(md_literal("、".join(quality.styles) or "—"))


def metadata_inputs(
    prefix: str, title: str, series: str | None, number: int | None, date: str | None
) -> dict:
    """Inputs for title, series, number and date, pre-filled with the current values."""
    cols = st.columns([3, 2, 1, 1.4])
    return {
        "title": cols[0].text_input("会議名", value=title, key=f"{prefix}_title", max_chars=200),
        "series": cols[1].text_input("会議体", value=series or "", key=f"{prefix}_series", max_chars=200),
        "number": cols[2].number_input(
            "回", value=number, min_value=0, max_value=9999, step=1, key=f"{prefix}_number"
        ),
        "date": cols[3].date_input(
            "開催日",
            value=parse_date(date),
            min_value=MIN_DATE,
            max_value=MAX_DATE,
            key=f"{prefix}_date",
        ),
    }


def upload_panel(corpus: Corpus, upload: UploadedFile, allowed: bool) -> None:
    """Preview of one upload: corrections, speaker mappings, parsed result, save button."""
    name = display_name(upload.name)
    prefix = f"adm_up_{upload.file_id}"
    with st.container(border=True):
        st.markdown(f"**{md_literal(name)}**（{human_size(upload.size)}）")
        if upload.size > MAX_BYTES:
            st.error(f"{MAX_BYTES // MB}MBを超えるファイルは取り込めません（{upload.size / MB:.1f}MB）。")
            return
        source = read_cached(upload)
        if isinstance(source, SourceError):
            st.error(md_literal(f"読み込めません: {source.message}"))
            return
        parsed = admin.preview(corpus, source)
        if parsed.duplicate_of is not None:
            st.info(f"この文書は既に取り込まれています（会議ID {parsed.duplicate_of}）。保存は不要です。")
            return
        meeting = parsed.doc.meeting
        st.caption(
            md_literal(f"形式: {source.format}｜文字コード: {source.encoding or '—'}")
            + (f"｜{source.pages}ページ" if source.pages else "")
            + "｜必要なら下の項目を修正してから保存してください。"
        )
        edited = metadata_inputs(prefix, meeting.title, meeting.series, meeting.number, meeting.date)
        unresolved = parsed.unresolved()
        chosen: dict[str, Organization] = {}
        if unresolved:
            st.markdown("**所属を特定できない発言者**（選んだ対応は保存後の文書にも使われます）")
            for i, label in enumerate(unresolved):
                org = org_selectbox(f"「{md_literal(label)}」の所属", f"{prefix}_map_{i}")
                if org is not None:
                    chosen[label] = org
        try:
            overrides = overrides_from_edits(parsed.doc, **edited)
        except CorrectionError as exc:
            st.error(md_literal(str(exc)))
            return
        final = admin.preview(corpus, source, overrides, chosen)
        m = final.doc.meeting
        cols = st.columns(4)
        cols[0].metric("開催日", m.date or "不明")
        cols[1].metric("回", "—" if m.number is None else f"第{m.number}回")
        cols[2].metric("発言ターン", f"{len(final.doc.turns):,}")
        cols[3].metric("発言", f"{final.doc.statement_count:,}")
        quality_panel(final.doc.quality)
        st.dataframe(
            final.speakers().rename(columns=SPEAKER_LABELS), hide_index=True, key=f"{prefix}_speakers"
        )
        confirmed = final.doc.quality.is_minutes or st.checkbox(
            "議事録として読み取れない文書であることを確認したうえで保存する", key=f"{prefix}_accept"
        )
        if st.button(
            "この内容で保存", key=f"{prefix}_save", type="primary", disabled=not (allowed and confirmed)
        ):
            result = admin.save_upload(
                corpus, upload.getvalue(), upload.name, overrides, chosen, accept_non_minutes=confirmed
            )
            if result.status == "added":
                flash("success", f"保存しました: {name}（{result.message}）")
            elif result.status == "duplicate":
                flash("info", f"{name}: 既に取り込み済みです")
            else:
                flash("error", result.message)
            st.rerun()


def upload_section(corpus: Corpus, allowed: bool) -> None:
    st.subheader("議事録を追加")
    uploads = st.file_uploader(
        "議事要旨のファイル（txt / pdf / docx / html / md。複数可）",
        accept_multiple_files=True,
        max_upload_size=MAX_BYTES // MB,
        key="adm_upload",
        help=f"形式は拡張子ではなく内容で判定します。1ファイル{MAX_BYTES // MB}MBまで。保存するまでコーパスは変わりません。",
        disabled=not allowed,
    )
    uploads = uploads or []
    known = {u.file_id for u in uploads}
    cache = st.session_state.get(SOURCES, {})
    for file_id in [k for k in cache if k not in known]:
        del cache[file_id]
    for upload in uploads:
        upload_panel(corpus, upload, allowed)


def delete_document(db: str) -> None:
    target = st.session_state.get("adm_delete_target")
    if target is None or not st.session_state.get(f"adm_delete_confirm_{target}"):
        return
    try:
        with Corpus.open(db) as corpus:
            deleted = corpus.delete_meeting(int(target))
    except CorpusBusyError:
        flash("error", BUSY_MESSAGE)
        return
    flash("success" if deleted else "info", "削除しました。" if deleted else "既に削除されていました。")
    st.session_state["adm_delete_target"] = None


def documents_section(db: str, corpus: Corpus, allowed: bool) -> pd.DataFrame:
    st.subheader("登録済みの議事録")
    docs = corpus.load_documents()
    if docs.empty:
        st.info("コーパスに議事録はまだありません。上のアップロードから追加できます。")
        return docs
    to_check = docs[docs["check"] == CHECK_FLAGGED]
    if not to_check.empty:
        st.warning(
            f"要確認の議事録が {len(to_check)} 件あります。下の「登録済みの会議の情報を修正する」で開催日などを直してください。",
            icon=":material/warning:",
        )
    docs = docs.assign(name=docs["name"].map(display_name))
    shown = docs.drop(columns=["meeting_id"]).assign(
        date=docs["date"].where(docs["date"].notna(), "日付なし")
    )
    shown = shown[["check", *[c for c in shown.columns if c != "check"]]].rename(columns=DOCUMENT_LABELS)
    st.dataframe(
        shown.style.map(_check_style, subset=["確認"]),
        hide_index=True,
        key="adm_documents",
        column_config={"手修正あり": st.column_config.CheckboxColumn()},
    )
    labels = {
        int(r.meeting_id): f"{'【要確認】' if r.check == CHECK_FLAGGED else ''}{r.label}｜{r.title}｜{r.name}"
        for r in docs.itertuples()
    }
    with st.expander("議事録を削除する", expanded=st.session_state.get("adm_delete_target") is not None):
        target = st.selectbox(
            "削除する議事録",
            options=list(labels),
            format_func=labels.get,
            index=None,
            placeholder="選んでください",
            key="adm_delete_target",
        )
        if target is not None:
            confirmed = st.checkbox(
                f"「{md_literal(labels[target])}」と、その発言・集計をすべて削除します（元に戻せません）",
                key=f"adm_delete_confirm_{target}",
            )
            st.button(
                "削除する",
                key="adm_delete",
                type="primary",
                disabled=not (allowed and confirmed),
                on_click=delete_document,
                args=(db,),
            )
    fix = _fix_target(labels)
    with st.expander("登録済みの会議の情報を修正する", expanded=fix is not None):
        if fix is not None and "adm_correct_target" not in st.session_state:
            st.session_state["adm_correct_target"] = fix
        target = st.selectbox(
            "修正する議事録", options=list(labels), format_func=labels.get, key="adm_correct_target"
        )
        issues = docs.loc[docs["meeting_id"] == target, "issues"].iloc[0]
        if issues:
            st.caption(md_literal(f"確認事項: {issues}"))
        row = docs[docs["meeting_id"] == target].iloc[0]
        number = None if pd.isna(row["number"]) else int(row["number"])
        edited = metadata_inputs(f"adm_correct_{target}", row["title"], row["series"], number, row["date"])
        if st.button("修正を保存", key="adm_correct_save", disabled=not allowed):
            current = {"title": row["title"], "series": row["series"], "number": number, "date": row["date"]}
            try:
                overrides = MeetingOverrides(**changed_fields(current, edited))
                corpus.correct_meeting(int(target), overrides)
            except CorrectionError as exc:
                st.error(md_literal(str(exc)))
            except CorpusBusyError:
                st.error(BUSY_MESSAGE)
            else:
                flash("success", "修正しました。" if not overrides.empty else "変更はありません。")
                st.rerun()
    return docs


def _check_style(value: str) -> str:
    return (
        "background-color: #fde2e1; color: #8a1c14; font-weight: 600"
        if value == CHECK_FLAGGED
        else "color: #1e6b34"
    )


def _fix_target(labels: dict[int, str]) -> int | None:
    """The meeting a fix link asked for (``?fix=ID``), if it is listed."""
    raw = st.query_params.get(FIX_PARAM)
    try:
        target = int(raw) if raw is not None else None
    except ValueError:
        return None
    return target if target in labels else None


def changed_fields(current: dict[str, Any], edited: dict[str, Any]) -> dict[str, Any]:
    """Edited values that differ from the current ones (blank text keeps the current value)."""
    out: dict[str, Any] = {}
    for name, value in edited.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if value != current[name]:
            out[name] = value
    return out


def mappings_section(corpus: Corpus, allowed: bool) -> None:
    st.subheader("発言者と所属の対応表")
    st.caption(
        "自動で所属を判定できなかった発言者について、人が選んだ対応です。これ以降に取り込む文書と再解析に使われます。"
    )
    table = corpus.load_speaker_mappings()
    with st.expander("対応を追加・変更する"):
        label = st.text_input("発言者の表記（議事録に書かれているとおり）", key="adm_map_label")
        org = org_selectbox("所属", "adm_map_org")
        if st.button("対応を保存", key="adm_map_save", disabled=not (allowed and label.strip() and org)):
            assert org is not None
            try:
                affected = corpus.set_speaker_mappings({label.strip(): org})
            except CorpusBusyError:
                st.error(BUSY_MESSAGE)
            else:
                flash("success", f"保存しました（既存の会議 {affected} 件を再解析します）。")
                st.rerun()
    if table.empty:
        st.caption("対応はまだありません。")
        return
    st.dataframe(
        table.drop(columns=["label_key"]).rename(columns=MAPPING_LABELS), hide_index=True, key="adm_mappings"
    )
    keys = dict(zip(table["label_key"], table["label"], strict=True))
    key = st.selectbox(
        "削除する対応",
        options=list(keys),
        format_func=keys.get,
        index=None,
        placeholder="選んでください",
        key="adm_map_del",
    )
    if st.button("対応を削除", key="adm_map_delete", disabled=not (allowed and key)):
        try:
            affected = corpus.delete_speaker_mapping(str(key))
        except CorpusBusyError:
            st.error(BUSY_MESSAGE)
        else:
            flash("success", f"削除しました（既存の会議 {affected} 件を再解析します）。")
            st.rerun()


def identities_section(corpus: Corpus, allowed: bool) -> None:
    """発言者の同一人物まとめ: which labels are counted as one person and why; merge or undo."""
    st.subheader("発言者の同一人物まとめ")
    st.caption(
        "同じ人物の別の書き方（氏名と役職・肩書だけ・氏名だけ）を1人の発言者として数えます。根拠は、"
        "同じ所属・同じ姓（氏名の一致）、同じ会議の氏名（肩書だけの表記を、同じ会議でその肩書を持つ1人に）、"
        "参照表（data/reference/speaker_identities.csv）、手動（この欄での指定）です。どの表記をまとめたかはこの表で確かめられ、いつでも取り消せます。"
    )
    identities = corpus.load_speaker_identities()
    merged = speaker_identity.merged_people(identities)
    if merged.empty:
        st.caption("まとめた発言者はいません。")
    else:
        st.dataframe(merged.rename(columns=IDENTITY_LABELS), hide_index=True, key="adm_identities")
    people = admin.label_people(identities)
    with st.expander("同じ人物としてまとめる・まとめを取り消す"):
        labels = list(people)

        def described(label: str) -> str:
            person = people.get(label, label)
            return label if person == label else f"{label}（いまは「{person}」）"

        cols = st.columns(2)
        label = cols[0].selectbox(
            "まとめる表記",
            options=labels,
            format_func=described,
            index=None,
            placeholder="選んでください",
            key="adm_id_label",
        )
        target = cols[1].selectbox(
            "同じ人物の表記",
            options=labels,
            format_func=described,
            index=None,
            placeholder="選んでください",
            key="adm_id_target",
        )
        same = label is not None and target is not None and people.get(label) == people.get(target)
        if same and label != target:
            st.caption(md_literal(f"「{label}」と「{target}」はすでに同じ人物として数えています。"))
        if st.button(
            "同じ人物としてまとめる",
            key="adm_id_merge",
            disabled=not (
                allowed and label is not None and target is not None and label != target and not same
            ),
        ):
            person = people.get(str(target), str(target))

            def merge() -> str:
                if not admin.merge_labels(corpus, str(label), str(target)):
                    return "変更はありません。"
                return f"まとめました: 「{label}」を「{person}」と同じ人物として数えます。"

            _change_identity(merge)
        undoable = admin.merged_labels_of(identities)
        undo = st.selectbox(
            "まとめを取り消す表記",
            options=undoable,
            format_func=described,
            index=None,
            placeholder="選んでください" if undoable else "まとめた表記はありません",
            key="adm_id_undo",
        )
        if st.button(
            "まとめを取り消す（別人として扱う）",
            key="adm_id_split",
            disabled=not (allowed and undo is not None),
        ):
            _change_identity(lambda: UNDONE[admin.undo_merge(corpus, str(undo))].format(label=undo))
    overrides = admin.override_table(corpus)
    if overrides.empty:
        return
    st.markdown("**手動の指定**")
    st.dataframe(overrides.rename(columns=OVERRIDE_LABELS), hide_index=True, key="adm_id_overrides")
    chosen = st.selectbox(
        "削除する指定（自動の判定に戻します）",
        options=overrides["label"].tolist(),
        index=None,
        placeholder="選んでください",
        key="adm_id_del",
    )
    if st.button("指定を削除", key="adm_id_delete", disabled=not (allowed and chosen is not None)):

        def forget() -> str:
            if not corpus.delete_speaker_identity(str(chosen)):
                return "既に削除されていました。"
            return f"指定を削除しました: 「{chosen}」は自動の判定に戻ります。"

        _change_identity(forget)


def _change_identity(change: Callable[[], str]) -> None:
    """Run one change of the identity table, then show what it did (or why it failed) on rerun."""
    try:
        message = change()
    except CorpusBusyError:
        st.error(BUSY_MESSAGE)
        return
    except ValueError as exc:
        st.error(md_literal(str(exc)))
        return
    flash("success", message)
    st.rerun()


def rederive_section(corpus: Corpus, allowed: bool, has_documents: bool) -> None:
    st.subheader("再解析")
    st.caption(
        "辞書（data/dictionary/）やトピックのルールを変えたあと、保存済みの原文から全会議の発言・形態素・トピックを"
        "作り直します。原文と手修正は失われません。"
    )
    if not st.button("全会議を再解析する", key="adm_rederive", disabled=not (allowed and has_documents)):
        return
    try:
        total = corpus.invalidate()
    except CorpusBusyError:
        st.error(BUSY_MESSAGE)
        return
    bar = st.progress(0.0, text=f"再解析中: 0 / {total} 会議")
    done: list[RederiveResult] = []

    def report(result: RederiveResult) -> None:
        done.append(result)
        bar.progress(min(1.0, len(done) / max(total, 1)), text=f"再解析中: {len(done)} / {total} 会議")

    results = corpus.rederive(progress=report)
    bar.empty()
    failed = [r for r in results if r.status == "error"]
    if failed:
        flash("error", "再解析できなかった会議があります: " + "／".join(r.message for r in failed))
    flash("success", f"{len(results) - len(failed)} 件の会議を再解析しました。")
    st.rerun()


db = data.resolve_db_path()
st.title("データ管理")
st.caption(
    "議事録の追加（保存前に解析結果を確認・修正）、登録済みの議事録の一覧・修正・削除、発言者と所属の対応表、"
    "発言者の同一人物まとめ、再解析。"
)
show_flash()
allowed = admin_auth.can_modify()
with Corpus.open(db) as corpus:
    upload_section(corpus, allowed)
    docs = documents_section(db, corpus, allowed)
    mappings_section(corpus, allowed)
    identities_section(corpus, allowed)
    rederive_section(corpus, allowed, not docs.empty)
