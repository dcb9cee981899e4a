"""The CLI behind ``python -m analysis`` (contract in shared/docs/design.md).

```
python -m analysis parse FILE [--accept-non-minutes]
python -m analysis ingest PATH... [--db DB] [--workers N] [--accept-non-minutes]
python -m analysis stats [--db DB] [--terms T1,T2,...]
python -m analysis rederive [--db DB]
python -m analysis export --format pptx|xlsx|csv --out FILE [--db DB] [--meetings M ...]
    [--from DATE] [--to DATE] [--section S ...] [--org-kind K ...] [--org O ...] [--topic T ...]
    [--withhold-names] [--table NAME] [--kwic TERM ...]
```

Exit codes: 0 success, 1 when any file (or the corpus) failed, 2 for usage errors. Errors are one
line on stderr naming the file; no traceback. ``ingest`` and ``stats`` first bring a stale corpus
up to the current parser/tokenizer/rules versions (a note on stderr says so).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import minutes
from analysis.sources import SourceError
from analysis.store import DEFAULT_DB, Corpus, IngestResult, RederiveResult
from analysis.store.schema import SchemaError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"整数ではありません: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"1以上を指定してください: {value}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the four subcommands."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description="議事録アナリティクス CLI")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_parse = sub.add_parser("parse", help="1件の議事録を解析してJSONを標準出力へ")
    p_parse.add_argument("file", metavar="FILE")
    p_parse.add_argument(
        "--accept-non-minutes", action="store_true", help="議事録の構造が見つからないテキストも解析結果を出力する"
    )

    p_ingest = sub.add_parser("ingest", help="議事録ファイル（またはフォルダ）をコーパスに取り込む")
    p_ingest.add_argument("paths", nargs="+", metavar="PATH")
    p_ingest.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"コーパスのSQLiteファイル（既定: {DEFAULT_DB}）"
    )
    p_ingest.add_argument(
        "--workers", type=_positive_int, default=1, help="形態素解析のプロセス数（既定: 1）"
    )
    p_ingest.add_argument(
        "--accept-non-minutes",
        action="store_true",
        help="議事録の構造（開催日・議事・見出し・発言者）が見つからないテキストも取り込む（既定では拒否）",
    )

    p_stats = sub.add_parser("stats", help="コーパスの集計JSONを標準出力へ")
    p_stats.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_stats.add_argument("--terms", default=None, help="推移を見る語（カンマ区切り）")

    p_rederive = sub.add_parser("rederive", help="解析器・辞書・話題ルールの更新を既存コーパスに反映する")
    p_rederive.add_argument("--db", type=Path, default=DEFAULT_DB)

    from analysis.report.briefing import TABLES

    p_export = sub.add_parser(
        "export",
        help="説明資料（PPTX）または表（XLSX/CSV）を書き出す（絞り込みはダッシュボードのサイドバーと同じ）",
    )
    p_export.add_argument("--format", choices=("pptx", "xlsx", "csv"), required=True)
    p_export.add_argument("--out", type=Path, required=True, metavar="FILE")
    p_export.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_export.add_argument(
        "--meetings", nargs="+", default=[], metavar="M", help="会議（ID・第N回・開催日 YYYY-MM-DD・表示名）"
    )
    p_export.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE", help="開催日の下限")
    p_export.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE", help="開催日の上限")
    p_export.add_argument("--section", nargs="+", default=[], metavar="S", help="セクション")
    p_export.add_argument("--org-kind", nargs="+", default=[], metavar="K", help="組織の種別（特別区・市 …）")
    p_export.add_argument("--org", nargs="+", default=[], metavar="O", help="区市町村・組織")
    p_export.add_argument("--topic", nargs="+", default=[], metavar="T", help="トピック（いずれかに該当）")
    p_export.add_argument(
        "--withhold-names", action="store_true", help="個人名を役職・組織名に置き換える（個人名を伏せる）"
    )
    p_export.add_argument(
        "--table",
        choices=list(TABLES),
        default="statements",
        help="CSVで書き出す表（既定: statements）。XLSXはすべての表を1シートずつ",
    )
    p_export.add_argument("--kwic", nargs="+", default=None, metavar="TERM", help="KWICの語（既定: 頻出上位5語）")
    return parser


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください: {value!r}") from None


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _ingest_line(result: IngestResult) -> None:
    if result.status == "added":
        print(f"追加: {result.path} ({result.message})", flush=True)
        if result.quality is not None and result.quality.flagged:
            _err(f"要確認: {result.path}: " + " ".join(result.quality.warnings))
    elif result.status == "duplicate":
        print(f"重複: {result.path} は{result.message}", flush=True)
    else:
        _err(f"エラー: {result.message}")


def _rederive_line(result: RederiveResult) -> None:
    if result.status == "error":
        _err(f"エラー: 会議 {result.meeting_id} の再解析に失敗しました: {result.message}")


def _rederive_if_needed(corpus: Corpus) -> bool:
    """Re-derive a stale corpus; False if some meeting failed."""
    if not corpus.needs_rederive():
        return True
    _err("注意: 解析器・辞書・話題ルールが更新されているため、既存の会議を再解析します")
    results = corpus.rederive(progress=_rederive_line)
    return all(r.status != "error" for r in results)


def cmd_parse(args: argparse.Namespace) -> int:
    """Print the ParsedDocument JSON of one file."""
    try:
        doc = minutes.parse_file(args.file, refuse_non_minutes=not args.accept_non_minutes)
    except (SourceError, minutes.NotMinutesError) as exc:
        _err(f"エラー: {exc}")
        return EXIT_FAILED
    except Exception as exc:  # a parser bug: one line, no traceback
        _err(f"エラー: {args.file}: 解析に失敗しました ({type(exc).__name__}: {exc})")
        return EXIT_FAILED
    print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files into the corpus; one line per file and a summary line."""
    with Corpus.open(args.db) as corpus:
        results = corpus.ingest_paths(
            args.paths, workers=args.workers, progress=_ingest_line, accept_non_minutes=args.accept_non_minutes
        )
        rederived_ok = _rederive_if_needed(corpus)
    if not results:
        _err("エラー: 取り込むファイルがありません（" + ", ".join(args.paths) + "）")
        return EXIT_FAILED
    counts = {s: sum(r.status == s for r in results) for s in ("added", "duplicate", "error")}
    print(
        f"完了: 追加 {counts['added']}件, 重複 {counts['duplicate']}件, エラー {counts['error']}件",
        flush=True,
    )
    return EXIT_FAILED if counts["error"] or not rederived_ok else EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the stats JSON of the corpus."""
    from analysis.stats import build_stats

    if not Path(args.db).is_file():
        _err(f"エラー: {args.db}: コーパスがありません（先に python -m analysis ingest を実行してください）")
        return EXIT_FAILED
    terms = [t.strip() for t in args.terms.split(",") if t.strip()] if args.terms is not None else None
    with Corpus.open(args.db) as corpus:
        ok = _rederive_if_needed(corpus)
        stats = build_stats(corpus.load_meetings(), corpus.load_statements(), corpus.load_tokens(), terms)
    print(json.dumps(stats, ensure_ascii=False, indent=2))
    return EXIT_OK if ok else EXIT_FAILED


def cmd_rederive(args: argparse.Namespace) -> int:
    """Bring the corpus up to the current parser, tokenizer and rules versions."""
    with Corpus.open(args.db) as corpus:
        results = corpus.rederive(progress=_rederive_line)
    failed = sum(r.status == "error" for r in results)
    done = sum(r.status == "rederived" for r in results)
    print(f"完了: 再解析 {done}件, エラー {failed}件", flush=True)
    return EXIT_FAILED if failed else EXIT_OK


class UsageError(ValueError):
    """A filter value the corpus does not know (one line for stderr)."""


def _resolve_meetings(meetings: pd.DataFrame, wanted: Sequence[str]) -> tuple[int, ...]:
    """Meeting ids for values given as id, 第N回, date, display label or title."""
    ids: list[int] = []
    for value in wanted:
        text = value.strip()
        found = [
            int(row.meeting_id)
            for row in meetings.itertuples(index=False)
            if text
            in {
                str(row.meeting_id),
                str(row.label),
                str(row.title),
                str(row.date or ""),
                *((f"第{row.number}回",) if pd.notna(row.number) else ()),
            }
        ]
        if not found:
            known = "、".join(str(v) for v in meetings["label"]) or "（会議なし）"
            raise UsageError(f"会議が見つかりません: {value}（コーパスの会議: {known}）")
        ids.extend(m for m in found if m not in ids)
    return tuple(ids)


def _check_values(label: str, wanted: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    unknown = [v for v in wanted if v not in known]
    if unknown:
        choices = "、".join(known) or "（なし）"
        raise UsageError(f"{label}が見つかりません: {'、'.join(unknown)}（選べる値: {choices}）")
    return tuple(dict.fromkeys(wanted))


def cmd_export(args: argparse.Namespace) -> int:
    """Write the briefing pack (PPTX) or the tables (XLSX, CSV) of the filtered corpus."""
    from analysis.metrics import topic_share
    from analysis.report.briefing import TABLES, build_briefing, export_tables
    from analysis.report.images import ExportUnavailable
    from analysis.report.pptx import build_briefing_pptx
    from analysis.report.tables import to_csv_bytes, to_xlsx_bytes
    from analysis.selection import FilterSpec, describe, select
    from analysis.withholding import corpus_names_of

    if not Path(args.db).is_file():
        _err(f"エラー: {args.db}: コーパスがありません（先に python -m analysis ingest を実行してください）")
        return EXIT_FAILED
    with Corpus.open(args.db) as corpus:
        ok = _rederive_if_needed(corpus)
        meetings, statements, tokens = corpus.load_meetings(), corpus.load_statements(), corpus.load_tokens()
        names = corpus_names_of(corpus, statements) if args.withhold_names else frozenset()
    try:
        spec = FilterSpec(
            meeting_ids=_resolve_meetings(meetings, args.meetings),
            date_from=args.date_from,
            date_to=args.date_to,
            sections=_check_values(
                "セクション", args.section, [s for s in dict.fromkeys(statements["section_title"]) if s]
            ),
            org_kinds=_check_values("組織の種別", args.org_kind, list(dict.fromkeys(statements["org_kind"]))),
            orgs=_check_values("組織", args.org, list(dict.fromkeys(statements["org_name"]))),
            topics=_check_values(
                "トピック", args.topic, topic_share(statements)["topic"].tolist() if len(statements) else []
            ),
        )
    except UsageError as exc:
        _err(f"エラー: {exc}")
        return EXIT_USAGE
    chosen = select(meetings, statements, tokens, spec)
    description = describe(spec, dict(zip(meetings["meeting_id"], meetings["label"], strict=True)))
    if chosen.statements.empty:
        _err(f"エラー: 条件（{description}）に一致する発言がありません")
        return EXIT_FAILED
    if args.format == "pptx":
        try:
            content = build_briefing(
                chosen.meetings,
                chosen.statements,
                chosen.tokens,
                filters_text=description,
                withhold_names=args.withhold_names,
                generated=date.today(),
                names=names,
            )
        except ExportUnavailable as exc:
            _err(f"エラー: {exc}")
            return EXIT_FAILED
        data = build_briefing_pptx(content)
    else:
        tables = export_tables(
            chosen.statements,
            chosen.tokens,
            withhold_names=args.withhold_names,
            names=names,
            kwic_terms=args.kwic,
            tables=tuple(TABLES) if args.format == "xlsx" else (args.table,),
        )
        data = to_xlsx_bytes(tables) if args.format == "xlsx" else to_csv_bytes(next(iter(tables.values())))
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(data)
    except OSError as exc:
        _err(f"エラー: {args.out}: 書き込めません（{exc.strerror or exc}）")
        return EXIT_FAILED
    print(f"書き出し: {args.out}（{args.format.upper()}・{len(chosen.statements):,}発言・条件: {description}）")
    return EXIT_OK if ok else EXIT_FAILED


COMMANDS = {
    "parse": cmd_parse,
    "ingest": cmd_ingest,
    "stats": cmd_stats,
    "rederive": cmd_rederive,
    "export": cmd_export,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (sqlite3.Error, SchemaError) as exc:
        _err(f"エラー: {getattr(args, 'db', '')}: コーパスを開けません ({exc})")
        return EXIT_FAILED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): silence the final flush, no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("中断しました（取り込み済みの会議はそのまま残ります）")
        return 130
