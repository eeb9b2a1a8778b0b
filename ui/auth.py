"""Optional password protection for a hosted app, off by default.

A deployment turns it on with a Streamlit secret (Community Cloud: the app's Secrets box;
elsewhere `.streamlit/secrets.toml`, never committed):

    [auth]
    password = "a long passphrase"

Without that secret the app is open, which is right for a local machine.
"""

from __future__ import annotations

import hmac

import streamlit as st

_PASSED = "auth-passed"


def configured_password() -> str | None:
    """The password the deployment set, or None when there is none (or no secrets at all)."""
    try:
        section = st.secrets.get("auth") or {}
        password = section.get("password")
    except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitAPIException):
        return None  # no secrets file: an open, local app
    return str(password) if password else None


def require_password() -> None:
    """Stop the page behind a password form until the visitor gives the configured password."""
    password = configured_password()
    if password is None or st.session_state.get(_PASSED):
        return
    st.title("Geopolitical news")
    with st.form("login"):
        given = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Open the dashboard")
    # Constant-time comparison: the time taken must not tell how much of a guess was right.
    if submitted and hmac.compare_digest(given.encode(), password.encode()):
        st.session_state[_PASSED] = True
        st.rerun()
    if submitted:
        st.error("That password is not right.")
    st.stop()
