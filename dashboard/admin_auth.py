"""Who may change data on the data management page.

The admin password comes from $GIJIROKU_ADMIN_PASSWORD or ``st.secrets["admin_password"]``.
With a password, data-changing actions need it once per browser session. Without one they are
allowed only when the server listens on a loopback address (``make run`` binds 127.0.0.1), so
an unprotected dashboard on a shared server can be read but not changed.
"""

from __future__ import annotations

import os
import time

import streamlit as st
from streamlit.errors import StreamlitAPIException

from analysis import admin

SESSION_KEY = "admin_authenticated"
#: Seconds to wait after a wrong password (slows down guessing).
FAILURE_DELAY = 1.0


def configured_password() -> str | None:
    """The admin password from the environment, else from st.secrets; None when not configured."""
    value = os.environ.get(admin.PASSWORD_ENV)
    if value:
        return value
    try:
        secret = st.secrets.get("admin_password")
    except (FileNotFoundError, KeyError, StreamlitAPIException):  # no or unreadable secrets.toml
        return None
    return str(secret) if secret else None


def server_address() -> str:
    """The address the Streamlit server binds to ("" means every interface)."""
    return str(st.get_option("server.address") or "")


def can_modify() -> bool:
    """Show how data changes are guarded and return whether this session may change data."""
    password = configured_password()
    address = server_address()
    access = admin.write_access(password, address)
    if access == "local":
        st.caption(
            f"管理者パスワードは未設定です。サーバーはこのPCからの接続のみ受け付けている（{address}）ため、"
            "追加・修正・削除を許可しています。共有サーバーでの運用は README の「共有サーバーへの配置」を参照してください。"
        )
        return True
    if access == "locked":
        shown = address or "すべてのアドレス"
        st.warning(
            f"管理者パスワードが設定されていないため、データの追加・修正・削除はできません（サーバーの待ち受け: {shown}）。"
            f"環境変数 {admin.PASSWORD_ENV} か secrets の admin_password を設定するか、127.0.0.1 で起動してください。"
        )
        return False
    assert password is not None
    if st.session_state.get(SESSION_KEY):
        cols = st.columns([4, 1])
        cols[0].caption("管理者として認証済みです。")
        if cols[1].button("ログアウト", key="admin_logout"):
            st.session_state[SESSION_KEY] = False
            st.rerun()
        return True
    with st.form("admin_login"):
        st.markdown("データの追加・修正・削除には管理者パスワードが必要です。")
        given = st.text_input("管理者パスワード", type="password", key="admin_password_input")
        submitted = st.form_submit_button("認証")
    if submitted:
        if admin.password_matches(given, password):
            st.session_state[SESSION_KEY] = True
            st.rerun()
        time.sleep(FAILURE_DELAY)
        st.error("パスワードが違います。")
    return False
