"""Page choices mirrored in the URL, so any screen can be bookmarked and shared exactly.

A page binds a widget key to a URL parameter with :func:`bind` *before* drawing the widget:
on the widget's first appearance in a session its state is seeded from the URL (values the page
no longer offers are dropped), and after the widget is drawn :func:`publish` writes the current
value back — or removes the parameter when the value is the default, so URLs stay short.

The sidebar filters have their own table (:mod:`dashboard.filters`); this module is for the
choices a single page offers (trend terms, KWIC word, network settings, measure toggles).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

#: URL value of a list the user emptied on purpose (differs from "absent" = the default).
EMPTY = "-"


@dataclass(frozen=True)
class Binding:
    """How one widget's value is spelled in the URL."""

    key: str
    param: str
    default: Any
    many: bool = False
    parse: Callable[[str], Any] = str
    choices: Sequence[Any] | None = None

    def from_url(self) -> Any:
        """The value the URL asks for (the default when absent or not offered)."""
        raw = st.query_params.get_all(self.param)
        values: list[Any] = []
        for text in raw:
            if text == EMPTY:
                continue
            try:
                value = self.parse(text)
            except (TypeError, ValueError):
                continue
            if self.choices is None or value in self.choices:
                values.append(value)
        if self.many:
            return list(dict.fromkeys(values)) if raw else list(self.default)
        return values[0] if values else self.default

    def to_url(self, value: Any) -> list[str]:
        """The URL values of ``value`` (empty for the default)."""
        if self.many:
            items = list(value or [])
            if items == list(self.default):
                return []
            return [_text(v) for v in items] or [EMPTY]
        return [] if value == self.default or value is None else [_text(value)]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def parse_bool(text: str) -> bool:
    """URL spelling of a toggle: ``1``/``0``."""
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


def bind(
    key: str,
    param: str,
    default: Any,
    *,
    many: bool = False,
    parse: Callable[[str], Any] = str,
    choices: Sequence[Any] | None = None,
) -> Binding:
    """Seed ``st.session_state[key]`` from the URL when the widget is new in this session."""
    binding = Binding(key, param, default, many, parse, choices)
    if key not in st.session_state:
        st.session_state[key] = binding.from_url()
    elif choices is not None:
        current = st.session_state[key]
        if many:
            kept = [v for v in current or [] if v in choices]
            if kept != list(current or []):
                st.session_state[key] = kept
        elif current not in choices:
            st.session_state[key] = default
    return binding


def publish_all(bindings: Sequence[Binding]) -> None:
    """:func:`publish` each binding (call once the page's widgets are drawn)."""
    for binding in bindings:
        publish(binding)


def publish(binding: Binding) -> None:
    """Write the widget's current value to the URL (the parameter is removed for the default)."""
    wanted = binding.to_url(st.session_state.get(binding.key, binding.default))
    if st.query_params.get_all(binding.param) == wanted:
        return
    if wanted:
        st.query_params[binding.param] = wanted
    elif binding.param in st.query_params:
        del st.query_params[binding.param]
