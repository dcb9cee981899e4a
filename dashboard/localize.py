"""Japanese for the few English strings Streamlit's frontend hard-codes (no locale setting exists).

Streamlit 1.67 writes "Select all", "No results", "Upload", "Drag and drop a file here",
"200MB per file", "Press Enter to apply" … straight into its JavaScript bundle, so a Japanese
screen shows them in English. ``python -m dashboard.localize`` (run by ``make setup``) replaces
exactly these strings in the installed bundle; it is idempotent and reports what it changed.
The table is tied to the pinned Streamlit version: a string that is no longer found is reported
(the browser test tests/test_walk_browser.py then fails on the English text), never guessed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit

JS_DIR = Path(streamlit.__file__).resolve().parent / "static" / "static" / "js"


@dataclass(frozen=True)
class Replacement:
    """One hard-coded frontend string: the bundle file (by name prefix), English, Japanese."""

    module: str
    english: str
    japanese: str


#: Backticks included: each string is a whole JavaScript template literal (or its start).
TABLE: tuple[Replacement, ...] = (
    Replacement("Multiselect.", "`Select all`", "`すべて選択`"),
    Replacement("Multiselect.", "`Select ${p.length} matches`", "`一致する ${p.length} 件を選択`"),
    Replacement("Multiselect.", "`No results`", "`該当なし`"),
    Replacement("Multiselect.", "`Add: ${n}`", "`追加: ${n}`"),
    Replacement(
        "Multiselect.",
        "`You can only select up to ${t.maxSelections} ${e}. Remove an option first.`",
        "`選べるのは ${t.maxSelections} 個までです。先にどれかを外してください。`",
    ),
    Replacement("Selectbox.", "`No results`", "`該当なし`"),
    Replacement("Selectbox.", "`Add: ${M}`", "`追加: ${M}`"),
    Replacement("FileUploader.", "`Upload directories`", "`フォルダを選ぶ`"),
    Replacement(
        "FileUploader.", "label:l?`フォルダを選ぶ`:`Upload`", "label:l?`フォルダを選ぶ`:`ファイルを選ぶ`"
    ),
    Replacement("FileUploader.", "`Drag and drop directories here`", "`ここにフォルダをドラッグ＆ドロップ`"),
    Replacement("FileUploader.", "`Drag and drop files here`", "`ここにファイルをドラッグ＆ドロップ`"),
    Replacement("FileUploader.", "`Drag and drop a file here`", "`ここにファイルをドラッグ＆ドロップ`"),
    Replacement("FileUploader.", "`${T(t,D.Byte,0)} per file`", "`1ファイル ${T(t,D.Byte,0)} まで`"),
    Replacement("InputInstructions.", "`submit form`:`apply`", "`フォームを送信`:`確定`"),
    Replacement("InputInstructions.", "`Press Enter to ${e}`", "`Enter で${e}`"),
    Replacement(
        "InputInstructions.", "`Press ${r()?`⌘`:`Ctrl`}+Enter to ${e}`", "`${r()?`⌘`:`Ctrl`}+Enter で${e}`"
    ),
    Replacement("utils.", "`Choose an option`", "`選択してください`"),
)


def localize(js_dir: Path = JS_DIR) -> tuple[int, list[Replacement]]:
    """Apply :data:`TABLE`; returns (strings replaced now, replacements found nowhere)."""
    changed = 0
    missing: list[Replacement] = []
    for item in TABLE:
        files = sorted(js_dir.glob(f"{item.module}*.js"))
        found = False
        for path in files:
            text = path.read_text(encoding="utf-8")
            if item.english in text:
                path.write_text(text.replace(item.english, item.japanese), encoding="utf-8")
                changed += 1
                found = True
            elif item.japanese in text:
                found = True
        if not found:
            missing.append(item)
    return changed, missing


def main() -> int:
    changed, missing = localize()
    print(
        f"Streamlit の画面文字列: {changed} 件を日本語にしました（{len(TABLE) - len(missing)}/{len(TABLE)} 件が日本語）"
    )
    for item in missing:
        print(f"  見つからない文字列: {item.module} {item.english}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
