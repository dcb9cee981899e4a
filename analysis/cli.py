"""The CLI behind ``python -m analysis`` (contract in shared/docs/design.md).

```
python -m analysis parse FILE
python -m analysis ingest PATH... [--db DB] [--workers N]
python -m analysis stats [--db DB] [--terms T1,T2,...]
python -m analysis rederive [--db DB]
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
from pathlib import Path

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

    p_ingest = sub.add_parser("ingest", help="議事録ファイル（またはフォルダ）をコーパスに取り込む")
    p_ingest.add_argument("paths", nargs="+", metavar="PATH")
    p_ingest.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"コーパスのSQLiteファイル（既定: {DEFAULT_DB}）"
    )
    p_ingest.add_argument(
        "--workers", type=_positive_int, default=1, help="形態素解析のプロセス数（既定: 1）"
    )

    p_stats = sub.add_parser("stats", help="コーパスの集計JSONを標準出力へ")
    p_stats.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_stats.add_argument("--terms", default=None, help="推移を見る語（カンマ区切り）")

    p_rederive = sub.add_parser("rederive", help="解析器・辞書・話題ルールの更新を既存コーパスに反映する")
    p_rederive.add_argument("--db", type=Path, default=DEFAULT_DB)
    return parser


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _ingest_line(result: IngestResult) -> None:
    if result.status == "added":
        print(f"追加: {result.path} ({result.message})", flush=True)
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
        doc = minutes.parse_file(args.file)
    except SourceError as exc:
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
        results = corpus.ingest_paths(args.paths, workers=args.workers, progress=_ingest_line)
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


COMMANDS = {"parse": cmd_parse, "ingest": cmd_ingest, "stats": cmd_stats, "rederive": cmd_rederive}


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
