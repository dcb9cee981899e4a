"""The one sidebar filter set shared by every page, mirrored in the URL (st.query_params).

Widget values live in ``st.session_state`` under ``flt_*`` keys; on the first run of a session
they are restored from the URL, and after every run the URL is rewritten from them, so a view
can be bookmarked and shared. :func:`current_view` gives the filtered statements and tokens,
the meetings concerned, a cache key and the texts used in chart footnotes. The filter semantics
themselves live in :mod:`analysis.selection` (shared with ``python -m analysis export``).

The 個人名を伏せる toggle (``withhold=1`` in the URL) swaps the corpus for a copy with personal
names withheld, so every page, chart and export of the view is built without them.
``?mode=present`` (presentation mode) switches the charts to the larger 16:9 style.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from analysis.figures import PRESENT, ChartContext, topic_palette
from analysis.metrics import speaker_frequency, topic_share
from analysis.model import ORG_KINDS
from analysis.selection import (
    FilterSpec,
    describe,
    describe_focus,
    file_suffix,
    focus_from_criteria,
    footnote,
    select,
    undated_note,
)
from dashboard.data import CorpusFrames, cached, withheld_corpus
from dashboard.safe_text import md_literal

#: session_state key -> URL parameter for the list filters.
LIST_PARAMS: dict[str, str] = {
    "flt_meetings": "meeting",
    "flt_sections": "section",
    "flt_kinds": "kind",
    "flt_orgs": "org",
    "flt_topics": "topic",
}
DATE_KEY = "flt_dates"
DATE_PARAMS = ("from", "to")
FOCUS_KEY = "flt_focus"
FOCUS_PARAM = "focus"
WITHHOLD_KEY = "flt_withhold"
WITHHOLD_PARAM = "withhold"
MODE_PARAM = "mode"
PRESENT_MODE = "present"
_INIT_KEY = "flt_initialized"
#: The full date range the date widget offered on the previous run (to tell "never set" apart).
_BOUNDS_KEY = "_flt_date_bounds"
_VIEW_KEY = "_current_view"


@dataclass(frozen=True)
class Options:
    """The values each filter offers, from the whole corpus."""

    meetings: dict[int, str]
    date_min: date | None
    date_max: date | None
    sections: list[str]
    org_kinds: list[str]
    orgs: list[str]
    topics: list[str]


@dataclass(frozen=True)
class View:
    """The filtered corpus every page works on."""

    corpus: CorpusFrames
    spec: FilterSpec
    statements: pd.DataFrame
    tokens: pd.DataFrame
    meetings: pd.DataFrame
    description: str
    footnote: str
    chart: ChartContext
    #: Undated meetings the date range leaves out (named on screen and in footnotes).
    undated_excluded: int = 0

    @property
    def key(self) -> tuple:
        """Cache key of this view: database, corpus version, names withheld or not, and filters."""
        return (self.corpus.db, self.corpus.version, self.corpus.withheld, self.spec)

    @property
    def withheld(self) -> bool:
        """Whether personal names are withheld in this view."""
        return self.corpus.withheld


def options_for(corpus: CorpusFrames) -> Options:
    """Filter choices: meetings by date, sections in reading order, orgs and topics by size."""
    statements = corpus.statements
    dates = (
        pd.to_datetime(corpus.meetings["date"], errors="coerce").dropna() if not corpus.empty else pd.Series()
    )
    sections = [s for s in dict.fromkeys(statements["section_title"].astype(object).fillna("")) if s]
    kinds_present = set(statements["org_kind"]) if not statements.empty else set()
    orgs = speaker_frequency(statements, by="org_name")["org_name"].tolist() if not statements.empty else []
    topics = topic_share(statements)["topic"].tolist() if not statements.empty else []
    return Options(
        meetings={
            int(m): str(label)
            for m, label in zip(corpus.meetings["meeting_id"], corpus.meetings["label"], strict=True)
        },
        date_min=dates.min().date() if len(dates) else None,
        date_max=dates.max().date() if len(dates) else None,
        sections=sections,
        org_kinds=[k for k in ORG_KINDS if k in kinds_present],
        orgs=[str(o) for o in orgs],
        topics=[str(t) for t in topics],
    )


def _options(corpus: CorpusFrames) -> Options:
    key = (corpus.db, corpus.version, corpus.withheld)
    return cached(partial(options_for, corpus), "filter_options", key, ())


def _allowed(key: str, options: Options) -> list:
    return {
        "flt_meetings": list(options.meetings),
        "flt_sections": options.sections,
        "flt_kinds": options.org_kinds,
        "flt_orgs": options.orgs,
        "flt_topics": options.topics,
    }[key]


def _focus_items(raw: list[str]) -> list[dict[str, object]]:
    """URL ``focus`` values (one JSON object per chart element); malformed ones are dropped."""
    items = []
    for text in raw:
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            items.append(value)
    return items


def set_focus(selections: list[dict[str, object]]) -> None:
    """Turn a chart selection into a page-wide filter (every chart then follows it)."""
    st.session_state[FOCUS_KEY] = focus_from_criteria(selections)


def show_meetings(meeting_ids: list[int]) -> None:
    """Set the sidebar's meeting filter (from a page's button; the URL follows on the next run)."""
    st.session_state["flt_meetings"] = list(meeting_ids)


def clear_focus() -> None:
    """Remove the chart-selection filter."""
    st.session_state[FOCUS_KEY] = ()


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def _restore_from_url(options: Options) -> None:
    """First run of a session: seed the widget states from the query parameters."""
    params = st.query_params
    for key, param in LIST_PARAMS.items():
        raw = params.get_all(param)
        values: list = []
        for value in raw:
            if key == "flt_meetings":
                if value.isdigit():
                    values.append(int(value))
            else:
                values.append(value)
        allowed = _allowed(key, options)
        st.session_state[key] = [v for v in dict.fromkeys(values) if v in allowed]
    st.session_state[FOCUS_KEY] = focus_from_criteria(_focus_items(params.get_all(FOCUS_PARAM)))
    if options.date_min is not None and options.date_max is not None:
        low = _parse_date(params.get(DATE_PARAMS[0])) or options.date_min
        high = _parse_date(params.get(DATE_PARAMS[1])) or options.date_max
        low = min(max(low, options.date_min), options.date_max)
        high = max(min(high, options.date_max), options.date_min)
        st.session_state[DATE_KEY] = (min(low, high), max(low, high))


def _sanitize(options: Options) -> None:
    """Drop values the corpus no longer offers (a multiselect rejects unknown defaults)."""
    for key in LIST_PARAMS:
        allowed = set(_allowed(key, options))
        current = st.session_state.get(key, [])
        kept = [v for v in current if v in allowed]
        if kept != current or key not in st.session_state:
            st.session_state[key] = kept
    if options.date_min is None:
        st.session_state.pop(DATE_KEY, None)
        st.session_state.pop(_BOUNDS_KEY, None)
        return
    bounds = (options.date_min, options.date_max)
    previous = st.session_state.get(_BOUNDS_KEY)
    st.session_state[_BOUNDS_KEY] = bounds
    current = st.session_state.get(DATE_KEY)
    untouched = previous is not None and tuple(current or ()) == tuple(previous)
    if (
        untouched
        or not isinstance(current, tuple | list)
        or not current
        or any(d < options.date_min or d > options.date_max for d in current)
    ):
        # A range the user never narrowed follows the corpus (e.g. after an upload widened it),
        # so no filter appears by itself.
        st.session_state[DATE_KEY] = bounds


def reset_filters() -> None:
    """Clear every filter (widget states and URL parameters)."""
    for key in [*LIST_PARAMS, DATE_KEY]:
        st.session_state.pop(key, None)
    st.session_state[FOCUS_KEY] = ()
    for param in [*LIST_PARAMS.values(), *DATE_PARAMS, FOCUS_PARAM]:
        if param in st.query_params:
            del st.query_params[param]


def _date_range(options: Options) -> tuple[str | None, str | None]:
    value = st.session_state.get(DATE_KEY)
    if options.date_min is None or not value:
        return None, None
    low = value[0]
    high = value[1] if len(value) > 1 else value[0]
    if low <= options.date_min and high >= options.date_max:
        return None, None
    return low.isoformat(), high.isoformat()


def spec_from_state(options: Options) -> FilterSpec:
    """The FilterSpec of the current widget states."""
    date_from, date_to = _date_range(options)
    return FilterSpec(
        meeting_ids=tuple(int(m) for m in st.session_state.get("flt_meetings", [])),
        date_from=date_from,
        date_to=date_to,
        sections=tuple(st.session_state.get("flt_sections", [])),
        org_kinds=tuple(st.session_state.get("flt_kinds", [])),
        orgs=tuple(st.session_state.get("flt_orgs", [])),
        topics=tuple(st.session_state.get("flt_topics", [])),
        focus=tuple(st.session_state.get(FOCUS_KEY, ())),
    )


def _sync_url(spec: FilterSpec) -> None:
    """Rewrite only the filter parameters of the URL (other pages' parameters are kept)."""
    wanted: dict[str, list[str]] = {
        "meeting": [str(m) for m in spec.meeting_ids],
        "section": list(spec.sections),
        "kind": list(spec.org_kinds),
        "org": list(spec.orgs),
        "topic": list(spec.topics),
        "from": [spec.date_from] if spec.date_from else [],
        "to": [spec.date_to] if spec.date_to else [],
        FOCUS_PARAM: [json.dumps(dict(items), ensure_ascii=False, sort_keys=True) for items in spec.focus],
        WITHHOLD_PARAM: ["1"] if st.session_state.get(WITHHOLD_KEY) else [],
    }
    for param, values in wanted.items():
        if st.query_params.get_all(param) == values:
            continue
        if values:
            st.query_params[param] = values
        elif param in st.query_params:
            del st.query_params[param]


def sidebar(corpus: CorpusFrames) -> View:
    """Draw the shared filters in the sidebar and return the filtered view (also stored for pages)."""
    first_run = not st.session_state.get(_INIT_KEY)
    if first_run:
        st.session_state[WITHHOLD_KEY] = st.query_params.get(WITHHOLD_PARAM) == "1"
    source = withheld_corpus(corpus) if st.session_state.get(WITHHOLD_KEY) else corpus
    options = _options(source)
    if first_run:
        _restore_from_url(options)
        st.session_state[_INIT_KEY] = True
    _sanitize(options)
    with st.sidebar:
        st.header("絞り込み")
        if st.session_state.get(FOCUS_KEY):
            with st.container(border=True, key="flt_focus_box"):
                st.markdown(
                    f"**グラフで選んだ条件**  \n{md_literal(describe_focus(st.session_state[FOCUS_KEY]))}"
                )
                st.button(
                    "この条件を外す", on_click=clear_focus, key="flt_focus_clear", icon=":material/close:"
                )
        st.multiselect(
            "会議",
            options=list(options.meetings),
            format_func=lambda m: options.meetings.get(m, str(m)),
            key="flt_meetings",
            placeholder="すべての会議",
            disabled=not options.meetings,
        )
        if options.date_min is not None and options.date_max is not None:
            st.date_input(
                "開催日の範囲",
                min_value=options.date_min,
                max_value=options.date_max,
                key=DATE_KEY,
                format="YYYY-MM-DD",
                disabled=options.date_min == options.date_max,
                help="会議が1回だけのときは選べません。日付のない会議は、範囲を狭めると含まれなくなります。",
            )
        st.multiselect(
            "セクション", options=options.sections, key="flt_sections", placeholder="すべてのセクション"
        )
        st.multiselect("組織の種別", options=options.org_kinds, key="flt_kinds", placeholder="すべての種別")
        st.multiselect("区市町村・組織", options=options.orgs, key="flt_orgs", placeholder="すべての組織")
        st.multiselect("トピック", options=options.topics, key="flt_topics", placeholder="すべてのトピック")
        st.button("フィルタをリセット", on_click=reset_filters, key="flt_reset", width="stretch")
        st.toggle(
            "個人名を伏せる",
            key=WITHHOLD_KEY,
            help="発言者名・議題の説明者などの個人名を、役職や組織名に置き換えて表示・出力します"
            "（例: 宮坂副知事 → 副知事）。フィルタのリセットでは解除されません。",
        )
    spec = spec_from_state(options)
    _sync_url(spec)
    view = build_view(source, spec)
    if presentation_mode():
        view = replace(view, chart=replace(view.chart, style=PRESENT))
    st.session_state[_VIEW_KEY] = view
    with st.sidebar:
        if view.undated_excluded:
            st.caption(f":material/event_busy: {undated_note(view.undated_excluded)}（開催日の範囲のため）")
        st.caption(f"表示中: {len(view.statements):,} / {len(corpus.statements):,} 発言")
    return view


def presentation_mode() -> bool:
    """Whether the page was opened with ``?mode=present``."""
    return st.query_params.get(MODE_PARAM) == PRESENT_MODE


def current_view() -> View:
    """The view computed by the app shell in this run (pages call this)."""
    view = st.session_state.get(_VIEW_KEY)
    if view is None:
        raise RuntimeError("dashboard/app.py から起動してください（フィルタが初期化されていません）")
    return view


def _compute_view(corpus: CorpusFrames, spec: FilterSpec) -> View:
    selection = select(corpus.meetings, corpus.statements, corpus.tokens, spec)
    description = describe(spec, _options(corpus).meetings, selection.undated_excluded)
    note = footnote(selection.meetings, description, len(selection.statements))
    chart = ChartContext(
        footnote=note, file_suffix=file_suffix(selection.meetings), topic_colors=topic_palette()
    )
    return View(
        corpus,
        spec,
        selection.statements,
        selection.tokens,
        selection.meetings,
        description,
        note,
        chart,
        selection.undated_excluded,
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def _view_cache(db: str, version: str, withheld: bool, spec: FilterSpec, _corpus: CorpusFrames) -> View:
    return _compute_view(_corpus, spec)


def build_view(corpus: CorpusFrames, spec: FilterSpec) -> View:
    """The filtered view for ``spec`` (cached per database, version, names withheld and filters)."""
    return _view_cache(corpus.db, corpus.version, corpus.withheld, spec, corpus)
