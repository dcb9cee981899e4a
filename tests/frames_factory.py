"""Build statement / token / meeting frames (analysis.frames columns) from compact tuples.

A meeting is written as a list of turns ``(section, speaker, org_name, role, reply_to, statements)``
where ``reply_to`` is the 1-based order of the answered turn in the same meeting and each
statement is ``(text, topics)``. ``seed_statements()`` mirrors the seed minutes
data/minutes/cio-forum-04_2023-02-14.txt as read by hand (22 turns, 25 statements).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.frames import MEETING_COLUMNS, STATEMENT_COLUMNS, TOKEN_COLUMNS

#: name -> (kind, 団体コード, region) for the organizations used in fixtures.
ORGS: dict[str, tuple[str, str | None, str | None]] = {
    "足立区": ("特別区", "13121", "区部"),
    "荒川区": ("特別区", "13118", "区部"),
    "世田谷区": ("特別区", "13112", "区部"),
    "新宿区": ("特別区", "13104", "区部"),
    "国分寺市": ("市", "13214", "多摩"),
    "町田市": ("市", "13209", "多摩"),
    "八王子市": ("市", "13201", "多摩"),
    "奥多摩町": ("町", "13308", "多摩"),
    "檜原村": ("村", "13307", "多摩"),
    "東京都": ("東京都", None, None),
    "デジタル庁": ("国", None, None),
}

Statement = tuple[str, Sequence[str]]
Turn = tuple[str, str, str, str, int | None, Sequence[Statement]]


def normalize(text: str) -> str:
    """The fixtures' norm_text: NFKC, line breaks removed (page-break joins)."""
    return unicodedata.normalize("NFKC", text).replace("\n", "")


def meeting_statements(
    meeting_id: int,
    label: str,
    date: str | None,
    turns: Sequence[Turn],
    *,
    first_statement_id: int = 1,
    first_turn_id: int = 1,
    section_ids: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Statement rows of one meeting; turn ids are ``first_turn_id + order - 1``."""
    rows = []
    statement_id = first_statement_id
    sections: dict[str, int] = dict(section_ids or {})
    for order, (section, speaker, org, role, reply_to, statements) in enumerate(turns, start=1):
        kind, code, region = ORGS[org]
        section_id = sections.setdefault(section, len(sections) + 1) if section else None
        for position, (text, topics) in enumerate(statements):
            norm = normalize(text)
            rows.append(
                {
                    "statement_id": statement_id,
                    "meeting_id": meeting_id,
                    "meeting_label": label,
                    "date": date,
                    "section_id": section_id,
                    "section_title": section,
                    "subsection_title": "",
                    "turn_id": first_turn_id + order - 1,
                    "turn_order": order,
                    "speaker": speaker,
                    "org_name": org,
                    "org_kind": kind,
                    "org_code": code,
                    "region": region,
                    "role": role,
                    "reply_to_turn_id": None if reply_to is None else first_turn_id + reply_to - 1,
                    "position": position,
                    "text": text,
                    "norm_text": norm,
                    "chars": len(norm),
                    "topics": tuple(topics) or ("未分類",),
                    "speaker_label": speaker,
                }
            )
            statement_id += 1
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS)


def combine(*frames: pd.DataFrame) -> pd.DataFrame:
    """Several meetings' statement frames as one corpus frame."""
    return pd.concat(frames, ignore_index=True)[STATEMENT_COLUMNS]


def meetings_for(statements: pd.DataFrame) -> pd.DataFrame:
    """The meeting rows (MEETING_COLUMNS) of the meetings present in ``statements``."""
    grouped = statements.groupby("meeting_id", sort=True)
    firsts = grouped[["meeting_label", "date"]].first()
    rows = [
        {
            "meeting_id": mid,
            "title": f"{row.meeting_label} CIOフォーラム",
            "label": row.meeting_label,
            "series": "東京都・区市町村CIOフォーラム",
            "number": None,
            "document_kind": "議事要旨",
            "date": row.date,
            "start_time": None,
            "end_time": None,
            "venue": None,
            "source_path": f"meeting-{mid}.txt",
            "sha256": f"{mid:064d}",
            "format": "txt",
            "encoding": "utf-8",
            "ingested_at": "2026-01-01T00:00:00",
            "turns": int(grouped.get_group(mid)["turn_id"].nunique()),
            "statements": int(len(grouped.get_group(mid))),
            "flagged": row.date is None,
            "quality_warnings": () if row.date is not None else ("開催日が見つかりません。",),
            "attributed_share": 1.0,
        }
        for mid, row in firsts.iterrows()
    ]
    return pd.DataFrame(rows, columns=MEETING_COLUMNS)


def tokens_frame(per_statement: Mapping[int, Iterable[str | tuple[str, str]]]) -> pd.DataFrame:
    """Token rows from {statement_id: [term | (term, pos), ...]}; pos defaults to 名詞."""
    rows = [
        {"statement_id": sid, "term": t, "surface": t, "pos": p}
        for sid, terms in per_statement.items()
        for t, p in ((item, "名詞") if isinstance(item, str) else item for item in terms)
    ]
    return pd.DataFrame(rows, columns=TOKEN_COLUMNS)


def vocabulary_tokens(statements: pd.DataFrame, vocabulary: Iterable[str]) -> pd.DataFrame:
    """Toy tokenizer: longest-first matches of ``vocabulary`` in each norm_text, as 名詞 tokens."""
    words = sorted(set(vocabulary), key=lambda w: (-len(w), w))
    pattern = re.compile("|".join(re.escape(w) for w in words))
    return tokens_frame(
        {
            sid: pattern.findall(text)
            for sid, text in zip(statements["statement_id"], statements["norm_text"], strict=True)
        }
    )


TOKYO_INFRA = "東京都デジタルサービス局基盤整備部情報システム企画課長"
TOKYO_DX = "東京都デジタルサービス局区市町村 DX 支援担当部長"
TOKYO_STRATEGY = "東京都デジタルサービス局戦略部戦略課長"
VICE_GOVERNOR = "宮坂副知事"
REPORT = "都からの事業報告"
NATIONAL = "国からの情報共有"
OTHER = "その他質疑応答・意見交換"

CLOUD = "クラウド"
STANDARD = "標準化・共通化"
GOVTECH = "GovTech東京"
SECURITY = "セキュリティ・個人情報"
DIVIDE = "デジタルデバイド"
PROCUREMENT = "共同調達・コスト"
COLLAB = "協働事業"

# fmt: off
#: The seed minutes, turn by turn (texts as written, without the leading ○).
SEED_TURNS: list[Turn] = [
    (REPORT, "荒川区", "荒川区", "question", None, [
        ("クラウド化に関して国の方でガバメントクラウドを全国的に推進しているが、東京都が進めようとしているクラウド化との違いや役割分担等を整理されているかを伺いたい。", [CLOUD]),
    ]),
    (REPORT, TOKYO_INFRA, "東京都", "answer", 1, [
        ("ガバメントクラウドについては、デジタル庁が示す各自治体の基幹的な約20の業務システムに関する標準的な仕様や調達方法を示すものと理解している。都のクラウドインフラについては、各局で効率的効果的に活用するために共通の基盤部分をデジタルサービス局で構築しており、クラウドシフト・クラウドリフトを行う際にベースの部分は構築したもので実施していくことにより、負担軽減になるものと考えている。また、各局の業務システムと同様に区市町村でもクラウドシフトの際に検討していくと負担軽減になると考えている。", [CLOUD]),
    ]),
    (REPORT, "足立区", "足立区", "question", None, [
        ("都のクラウドについて、内部情報や文書管理を想定したクラウドシステムになるのか。国のガバメントクラウドと競合することになるのか。", [CLOUD]),
    ]),
    (REPORT, TOKYO_INFRA, "東京都", "answer", 3, [
        ("詳細については今後検討となるが三層分離もある中で、内部事務に限定しない形を検討している。また今後のインフラではマルチクラウド型でインフラ構築を進めたいと考えており、様々なクラウド事業者と繋げるような形を考えている。その中の一つとしてガバメントクラウドと繋ぐことも考えている。", [CLOUD]),
    ]),
    (REPORT, TOKYO_DX, "東京都", "answer", 3, [
        ("補足いたしますと、先に説明した協働事業検討部会の中でデータ保管について共同できないかと要望をいただいた。多様なクラウドが乱立しておりガバメントクラウドや各クラウドサービスをそれぞれの業務で独立して運用させるのはどうかとの話があり、東京都で各クラウドの回線等を束ね、効率化を図れないかのご意見をいただいた。今後も自治体からのご意見を伺う場を設けながら進めていきたいと考えている。", [CLOUD, COLLAB]),
    ]),
    (REPORT, "国分寺市", "国分寺市", "question", None, [
        ("クラウドそのもののこれからの活用、共同利用について自治体と東京都との検討状況やその速度が合わないと各クラウドとの互換性が合わなくなってしまうと思うが、現状をお聞かせいただきたい。", [CLOUD]),
    ]),
    (REPORT, TOKYO_INFRA, "東京都", "answer", 6, [
        ("クラウドインフラについては令和7年度以降において、都各局の業務システムをクラウド転換する際に利用できるようなスケジュール感での構築を考えている。またクラウドインフラはネットワークやストレージの部分を共通化する形で複数のクラウド事業者と繋がるような形を考えている。例えば区市町村がクラウドサービスを利用する際に、ベンダー経由でも東京都のクラウド経由でも乗れるようないくつかのパターンを考え、区市町村の業務システムにとって汎用的に利活用できるような形での構築を検討している。", [CLOUD, STANDARD]),
    ]),
    (REPORT, "国分寺市", "国分寺市", "question", None, [
        ("構築スケジュールについて今後すり合わせをさせていただきたい。また、相互利用になった際の個人情報の取扱いや安全性については必ず議会でも焦点となるため、利便性に加え安全性の担保もお願いしたい。", [SECURITY]),
    ]),
    (REPORT, TOKYO_INFRA, "東京都", "answer", 8, [
        ("高いレベルのセキュリティを使っていただく皆さまに確保できる制度設計を考えていく。", [SECURITY]),
    ]),
    (REPORT, "世田谷区", "世田谷区", "question", None, [
        ("LGWANの中に作られるクラウドインフラということになるか。β'モデルのパブリッククラウドにシフトする意向のため伺いたい。", [CLOUD, SECURITY]),
    ]),
    (REPORT, TOKYO_INFRA, "東京都", "answer", 10, [
        ("詳細は今後検討をする中で基本方針や基本設計としてお出ししていくが、三層分離など制度上の制約もありその範囲の中で検討していくことになるが、各自治体において効率性や利便性を感じられる設計にしたいと考えている。", [SECURITY]),
    ]),
    (REPORT, "足立区", "足立区", "remark", None, [
        ("PayPay やマイナポイント等の普及により、スマホを持つ高齢者が増えており、TOYKO スマホサポーター制度の拡大には大いに期待している。このような事業拡大については、地元自治体とも連携して一緒に進めていければと考えているのでよろしくお願ひしたい。", [DIVIDE]),
    ]),
    (REPORT, TOKYO_STRATEGY, "東京都", "answer", 12, [
        ("先般一般募集を開始させていただき、今後、事業の範囲や、人数も含めて拡大していきたいと考えている。先ほどご説明させていただいたように、アンケート調査をさせていただくので、活用する方法についてもご意見をいただきながら検討していきたいと考えている。", [DIVIDE]),
    ]),
    (NATIONAL, "足立区", "足立区", "question", None, [
        ("議会において、業務システムの統一・標準化という言葉が強く感じられ、独自機能の追加が制限され、これまでの自治体独自業務を継続できないのではないかと意見をいただくことがあり、これについて見解を伺いたい。", [STANDARD]),
        ("ガバメントクラウドのデータセンターの事業者は海外事業者だと思うが、データセンターは国内に置くというルールで決まっているという認識で良いか。", [CLOUD]),
    ]),
    (NATIONAL, "デジタル庁", "デジタル庁", "answer", 14, [
        ("自治体の独自取組・施策・業務については、標準化対象の事務の範囲外となるので、独自の取組は制限されるものではない。基幹業務システムとの連携については疎結合という形\nで作っていただき提供することは可能。カスタマイズは原則禁止しているが、同じ事務の中で機能として必要なものは、今後標準機能に取り込めるよう検証していくことを公表していただければ、機能としてつけることも可能な旨を基本方針にも規定している。", [STANDARD]),
        ("データセンターは必ず国内に置くこと、データの所有者の同意なく移せないこと、争いが生じた際には日本法を適用することも明記している。", [CLOUD]),
    ]),
    (OTHER, "町田市", "町田市", "question", None, [
        ("東京都とマイクロソフトの協定に関し、クラウド化や標準ツール化が重点項目であると思うが、M365 や AZURE のライセンス料はかなり高額のため、共同調達による割り勘効果が出せるような仕組みを作っていただければと考えている。\nまた、M365 はオールインワンパッケージのツールであるので、オール東京の標準化ツールの一つとして検討いただければ、広く自治体が利用できると考えている。", [CLOUD, PROCUREMENT, STANDARD]),
    ]),
    (OTHER, VICE_GOVERNOR, "東京都", "answer", 16, [
        ("多くの企業より Govtech 東京と共同できないかとの話をいただいているが、まずは東京都と区市町村の全員が既に使っているプラットフォームであるマイクロソフトと提携していく。また、今後も RPA やローコードアプリ等について勉強会を開催してもらうよう検討しているものもある。何よりもライセンスキーを取りまとめることでのコストメリットやクラウドの共同利用等、海外事例のアクセスについても今回の連携協定に含めているので、今後情報共有をしていきたいと考えている。", [GOVTECH, PROCUREMENT, CLOUD]),
    ]),
    (OTHER, "足立区", "足立区", "remark", None, [
        ("Govtech 東京に大きな期待をしている。東京都と区市町村が十分な議論を行い、共同運営協議会の立ち上げ同様に上下関係なくフラットな信頼関係の下で議論していただけたらと考える。豊富な人材を持つ東京都と住民の要望を押さえている区市町村それぞれの良さを生かしながら一緒に進んでいきたいと考えている。", [GOVTECH]),
        ("ガバメントクラウドに人的資源を投じているため、基幹システムについては、国のガバメントクラウドの状況を見ながら共同化について検討していくものになると考えている。しかしながらツール等速やかには使えるものは先に使っていくのも良いかと感じている。", [CLOUD]),
    ]),
    (OTHER, VICE_GOVERNOR, "東京都", "answer", 18, [
        ("立ち上げ当時のご苦労話や上手くいった話を伺えたらと思う。来年度は、共同調達や新たなサービスシステム、人材教育等の中で何かやった事例として、まずは1つ自治体と連携し作り上げていきたいと考えている。ガバメントクラウドのこともあるかと思うので、まずは\n1つ種になるようなものを作り、翌年度以降に数やスケールを増やしていくことを考えている。", [PROCUREMENT, CLOUD]),
    ]),
    (OTHER, TOKYO_DX, "東京都", "answer", 18, [
        ("Logo チャットのアカウントを東京都から配布しており、自治体内で利用されていると思うが、自治体間を超えた利用も可能なため活用していただければと思う。標準化共通化については、200 近くのフィット & ギャップの話もいただいているため、国に対しても改善要望等をしていきたいと考えている。また、関係業務についても都庁内関係各所と連携し、業務改善について継続して協議することを考えている。", [STANDARD]),
    ]),
    (OTHER, VICE_GOVERNOR, "東京都", "answer", 18, [
        ("CIO とツールを使った意見交換ができたと思うので、お誘いさせていただければと思う。その際はよろしくお願ひしたい。", []),
    ]),
    (OTHER, "国分寺市", "国分寺市", "remark", None, [
        ("東京都と区市町村でも温度感があると思うので、CIO で同じ認識を持てたらと考える。ぜひ音頭を取っていただきたい。", []),
    ]),
]
# fmt: on

#: Terms of the seed fixture's toy tokenizer (longest match first).
SEED_VOCABULARY: list[str] = [
    "ガバメントクラウド",
    "クラウドインフラ",
    "クラウド",
    "東京都",
    "区市町村",
    "自治体",
    "業務システム",
    "標準化",
    "共通化",
    "共同調達",
    "セキュリティ",
    "個人情報",
    "安全性",
    "議会",
    "協議会",
    "三層分離",
    "データセンター",
    "マイクロソフト",
    "ライセンス",
    "スマホ",
    "連携",
    "検討",
]


def seed_statements() -> pd.DataFrame:
    """Statement frame mirroring the seed minutes (meeting 1, 第4回, 2023-02-14)."""
    return meeting_statements(1, "第4回 (2023-02-14)", "2023-02-14", SEED_TURNS)


def seed_tokens(statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Toy tokens of the seed statements over :data:`SEED_VOCABULARY`."""
    return vocabulary_tokens(seed_statements() if statements is None else statements, SEED_VOCABULARY)
