"""Text from documents shown through Streamlit's Markdown elements, rendered exactly as written.

``st.markdown``, ``st.caption``, ``st.subheader``, alerts and widget labels interpret Markdown
(``**bold**``, ``[link](url)``, ``<b>``), Streamlit's extensions (``:red[…]``, ``:material/x:``,
``:smile:``, ``$math$``) and entities; statement text, speaker labels, terms and file names come
from uploaded documents and must appear literally. Tables (``st.dataframe``) need no escaping;
``st.html`` needs ``html.escape``.
"""

from __future__ import annotations

import re

#: Characters that are Markdown or Streamlit syntax anywhere in a line.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>&$~]|:(?=\S))")
#: Line starts that make a heading, quote, list item or ordered list item.
_LINE_START = re.compile(r"^(\d*)([#+\-=>]|(?<=\d)[.)])")


def md_literal(text: object) -> str:
    """``text`` on one line, escaped for Markdown so that it renders character for character.

    A colon is escaped only before a non-space character (``:red[``, ``:smile:``), so a label
    such as ``種別: 市`` keeps its plain form.
    """
    escaped = _ANYWHERE.sub(r"\\\1", " ".join(str(text).split()))
    return _LINE_START.sub(r"\1\\\2", escaped)
